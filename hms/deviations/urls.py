from django.urls import path

from hms.deviations import views

app_name = "deviations"

urlpatterns = [
    path("report/", views.report, name="report"),
    path("mine/", views.mine, name="mine"),
    path("receipt/<str:secret>/", views.receipt, name="receipt"),
    path("public/<str:token>/", views.public_report, name="public_report"),
    path("units/<int:pk>/", views.unit_list, name="list"),
    path("units/<int:pk>/statistics/", views.statistics_page, name="statistics"),
    path("units/<int:pk>/statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("units/<int:pk>/statistics.pdf", views.statistics_pdf, name="statistics_pdf"),
    path("areas/<int:pk>/poster.pdf", views.poster, name="poster"),
    path("areas/<int:pk>/renew/", views.renew_link, name="renew_link"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/", views.step, name="step"),
    path("<int:pk>/assess/", views.assess, name="assess"),
    path("<int:pk>/measure/", views.add_measure, name="measure"),
    path("<int:pk>/notice/", views.notice, name="notice"),
    path("<int:pk>/risk/", views.risk_links, name="risk_links"),
    path("<int:pk>/new-assessment/", views.new_assessment, name="new_assessment"),
    path("<int:pk>/files/", views.attach, name="attach"),
    path("<int:pk>/injury/", views.injury, name="injury"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
]
