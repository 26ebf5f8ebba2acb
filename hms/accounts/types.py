"""Request types for views: every view behind LoginRequiredMiddleware has a signed-in user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from hms.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
