from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The admin signs in through the same form, with the same rate limits, as everyone else.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("hms.core.urls")),
    path("org/", include("hms.org.urls")),
    path("measures/", include("hms.measures.urls")),
    path("risk/", include("hms.risk.urls")),
    path("deviations/", include("hms.deviations.urls")),
    path("rounds/", include("hms.rounds.urls")),
    path("governance/", include("hms.governance.urls")),
    path("meetings/", include("hms.meetings.urls")),
    path("competence/", include("hms.competence.urls")),
    path("health/", include("hms.health.urls")),
    path("points/", include("hms.points.urls")),
    path("me/", include("hms.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
