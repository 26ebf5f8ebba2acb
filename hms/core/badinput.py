"""Input that no page of ours can mean, answered before it reaches a view or the database.

PostgreSQL refuses text with a NUL character (SQLite takes it), so a NUL in a URL, a query
parameter, a form field or a cookie that a view looks up would otherwise be a server error on
one engine only."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, QueryDict

# Control characters and lone surrogates: no address of ours holds one. (A path that is not
# UTF-8 reaches us re-percent-encoded as text, "%FF", which the URL patterns then do not match.)
BAD_IN_PATH = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
# Form fields and query parameters may hold tabs and line breaks, never a NUL.
NUL = "\x00"


def _has_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values)
               for key, values in data.lists())


class BadInputMiddleware:
    """404 for a path with a control character, 400 (the 400 page) for a query parameter or form
    field with a NUL. Last in MIDDLEWARE, so that the page has its user and headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if BAD_IN_PATH.search(request.path_info):
            raise Http404
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest("A NUL character in a parameter")
        return self.get_response(request)


class BadCookieMiddleware:
    """A cookie with a NUL is dropped, as if it had not been sent: before the session middleware,
    which would look its value up as a session key."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.COOKIES = {name: value for name, value in request.COOKIES.items()
                           if NUL not in name + value}
        return self.get_response(request)
