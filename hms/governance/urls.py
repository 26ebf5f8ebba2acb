from django.urls import path

from hms.governance import views

app_name = "governance"

urlpatterns = [
    path("units/<int:pk>/goals/", views.goals, name="goals"),
    path("units/<int:pk>/goals/new/", views.goal_create, name="goal_create"),
    path("units/<int:pk>/goals/start/", views.start_year, name="start_year"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/assess/", views.goal_assess, name="goal_assess"),
    path("goals/<int:pk>/measure/", views.goal_measure, name="goal_measure"),
    path("units/<int:pk>/delegations/", views.register, name="register"),
    path("units/<int:pk>/delegations/new/", views.delegation_create, name="delegation_create"),
    path("units/<int:pk>/delegations.pdf", views.register_pdf, name="register_pdf"),
    path("delegations/<int:pk>/", views.delegation, name="delegation"),
    path("delegations/<int:pk>/accept/", views.accept, name="accept"),
    path("delegations/<int:pk>/decline/", views.decline, name="decline"),
    path("delegations/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("mine/", views.mine, name="mine"),
]
