from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("hms.core.urls")),
    path("org/", include("hms.org.urls")),
    path("measures/", include("hms.measures.urls")),
    path("me/", include("hms.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
