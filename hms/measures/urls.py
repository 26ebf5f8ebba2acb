from django.urls import path

from hms.measures import views

app_name = "measures"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("units/<int:pk>/", views.plan, name="plan"),
    path("units/<int:pk>/plan.xlsx", views.export_xlsx, name="export_xlsx"),
    path("units/<int:pk>/plan.pdf", views.export_pdf, name="export_pdf"),
    path("units/<int:pk>/new/", views.create, name="create"),
    path("units/<int:pk>/owner/", views.set_owner, name="set_owner"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.transition, name="transition"),
]
