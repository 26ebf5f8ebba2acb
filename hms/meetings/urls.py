from django.urls import path

from hms.meetings import views

app_name = "meetings"

urlpatterns = [
    path("units/<int:pk>/", views.unit_meetings, name="unit"),
    path("units/<int:pk>/new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/items/", views.add_item, name="add_item"),
    path("<int:pk>/suggestions/", views.add_suggestions, name="add_suggestions"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/decisions/", views.decide, name="decide"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("items/<int:pk>/minutes/", views.item_minutes, name="item_minutes"),
    path("decisions/<int:pk>/measure/", views.decision_measure, name="decision_measure"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
