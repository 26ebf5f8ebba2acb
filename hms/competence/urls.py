from django.urls import path

from hms.competence import views

app_name = "competence"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("units/<int:pk>/", views.overview, name="overview"),
    path("units/<int:pk>/gaps.xlsx", views.overview_xlsx, name="overview_xlsx"),
    path("units/<int:pk>/records/", views.records, name="records"),
    path("units/<int:pk>/new/", views.create, name="create"),
    path("units/<int:pk>/import/", views.import_file, name="import"),
    path("import/example.csv", views.example, name="example"),
    path("records/<int:pk>/", views.edit, name="edit"),
    path("records/<int:pk>/delete/", views.delete, name="delete"),
]
