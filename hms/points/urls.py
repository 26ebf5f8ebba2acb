from django.urls import path

from hms.points import views

app_name = "points"

urlpatterns = [
    path("units/<int:pk>/", views.unit, name="unit"),
    path("units/<int:pk>/<int:year>/<int:number>/confirm/", views.confirm, name="confirm"),
    path("units/<int:pk>/points.pdf", views.overview_pdf, name="overview_pdf"),
    path("units/<int:pk>/matrix/", views.matrix_page, name="matrix"),
    path("units/<int:pk>/matrix.xlsx", views.matrix_xlsx, name="matrix_xlsx"),
]
