from django.urls import path

from hms.health import views

app_name = "health"

urlpatterns = [
    path("units/<int:pk>/", views.unit, name="unit"),
    path("units/<int:pk>/log/", views.add, name="add"),
    path("units/<int:pk>/contact/", views.contact, name="contact"),
    path("units/<int:pk>/contact/remove/", views.remove_contact, name="remove_contact"),
    path("log/<int:pk>/", views.edit, name="edit"),
]
