"""Request types for views: every view behind LoginRequiredMiddleware has a signed-in user.

The apps' views type it as accounts' user (`hms.accounts.types.AuthedRequest`); hms/core names no
app, so its own views take a `CoreRequest`, whose user is the configured user model or anonymous (as
django-stubs reads AUTH_USER_MODEL), and reach the user's records by its key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails


class CoreRequest(HttpRequest):
    htmx: HtmxDetails
