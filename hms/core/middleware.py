"""Request-scoped context: a request id that the audit trail records."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from hms.core.logs import is_private

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("hms_request_id", default="")


class RequestIdMiddleware:
    """Each request gets an id, sent back in `X-Request-ID` and written to its audit events: made
    here, or the proxy's (`HMS_TRUST_REQUEST_ID`). A client's own id is never taken, and the report
    and receipt paths always get a fresh one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _from_proxy(request) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _from_proxy(request: HttpRequest) -> str:
    if not settings.HMS_TRUST_REQUEST_ID or is_private(request.path_info):
        return ""
    incoming = request.headers.get("X-Request-ID", "")
    return incoming[:64] if incoming.isascii() else ""
