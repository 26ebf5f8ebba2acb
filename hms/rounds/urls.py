from django.urls import path

from hms.rounds import views

app_name = "rounds"

urlpatterns = [
    path("units/<int:pk>/", views.plan, name="plan"),
    path("units/<int:pk>/new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/step/", views.step, name="step"),
    path("<int:pk>/preparation/", views.preparation, name="preparation"),
    path("<int:pk>/preparation.pdf", views.preparation_pdf, name="preparation_pdf"),
    path("<int:pk>/questionnaire/", views.survey, name="survey"),
    path("<int:pk>/walk/", views.walk, name="walk"),
    path("<int:pk>/answers/<int:item_pk>/", views.save_answer, name="answer"),
    path("<int:pk>/findings/", views.add_finding, name="add_finding"),
    path("<int:pk>/photos/", views.add_photo, name="add_photo"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/new-assessment/", views.new_assessment, name="new_assessment"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("findings/<int:pk>/score/", views.score, name="score"),
    path("findings/<int:pk>/measure/", views.finding_measure, name="finding_measure"),
    path("findings/<int:pk>/deviation/", views.finding_deviation, name="finding_deviation"),
]
