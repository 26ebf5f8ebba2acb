from django.urls import path

from hms.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_notifications_read, name="notifications_read"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/file", views.document_file, name="document_file"),
    path("health/", views.health, name="health"),
    path("floor/", views.floor, name="floor"),
]
