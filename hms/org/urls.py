from django.urls import path

from hms.org import views

app_name = "org"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("switch/", views.switch_unit, name="switch"),
    path("import/", views.import_file, name="import"),
]
