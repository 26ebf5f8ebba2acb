"""No odd bytes give a server error (issue 12): every URL pattern of the project is requested with
a NUL, invalid UTF-8 and over-long values in its path, and every view of the permission battery
with NUL in its query parameters and form fields, anonymous and signed in, GET and POST. Run on
SQLite and PostgreSQL (which refuses NUL in text, where SQLite takes it).

A few test functions loop over the patterns, so the database is set up a handful of times."""

from __future__ import annotations

import copy
import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import build_cast
from hms.core.tests.battery import ANONYMOUS, ViewCase
from hms.core.tests.test_permissions import _battery_modules

pytestmark = pytest.mark.django_db

# What each path parameter becomes: NUL (percent-encoded and raw), NUL inside a value, invalid
# UTF-8, an overlong NUL, a line break, and a value far longer than any column. A number
# parameter matches none of them, so it gets the first only.
PATH_VALUES = ("%00", "a\x00b", "%ff", "%C0%80", "%0a", "x" * 3000)
NUMBER = re.compile(r"<int:\w+>")
# NUL in the query (refused at the door), then invalid UTF-8 and long values (for the views).
PARAMETERS = ("q", "page", "unit", "status", "kind", "next", "sort", "year", "area", "person")
QUERIES = ("&".join(f"{name}=a%00b" for name in PARAMETERS) + "&%00=1",
           "&".join(f"{name}=%ff" for name in PARAMETERS) + "&q=" + "x" * 3000)
FINE = {200, 302, 400, 403, 404, 405}
PLACEHOLDER = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^()]*(?:\([^()]*\)[^()]*)*\)")
REGEX_SYNTAX = re.compile(r"[\^$()\[\]?*+|\\]")


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    """Every pattern of the URLconf as a route ("deviations/public/<str:token>/")."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$").replace(r"\.", ".")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _with_values(route: str) -> list[str]:
    """The route's paths with each odd value in every parameter, or none when the route has no
    parameter or is a regex this cannot fill in."""
    parameters = PLACEHOLDER.findall(route)
    if not parameters or REGEX_SYNTAX.search(PLACEHOLDER.sub("", route)):
        return []
    numbers_only = all(NUMBER.fullmatch(parameter) for parameter in parameters)
    return ["/" + PLACEHOLDER.sub(value.replace("\\", "\\\\"), route)
            for value in (PATH_VALUES[:1] if numbers_only else PATH_VALUES)]


def _clients(cast: Any) -> list[tuple[str, Client]]:
    clients = []
    for persona in (ANONYMOUS, "admin"):
        client = Client(raise_request_exception=False)
        if persona != ANONYMOUS:
            client.force_login(cast.users[persona])
        clients.append((persona, client))
    return clients


def _status(client: Client, method: str, url: str, data: Any = None) -> int:
    response = client.get(url) if method == "get" else client.post(url, data or {})
    return response.status_code


def test_no_url_pattern_gives_a_server_error_for_odd_bytes_in_its_path(cast: Any) -> None:
    routes = list(_routes(get_resolver().url_patterns))
    paths = [path for route in routes for path in _with_values(route)]
    assert len(paths) > 300, "the URL patterns were not found"
    assert "/deviations/public/%00/" in paths and "/meetings/calendar/%00.ics" in paths
    failures = [f"{method.upper()} {path!r} as {persona}: {status}"
                for persona, client in _clients(cast) for path in paths
                for method in ("get", "post")
                if (status := _status(client, method, path)) not in FINE]
    assert failures == []


def _cases() -> list[ViewCase]:
    return [case for module in _battery_modules()
            for case in importlib.import_module(module).CASES]


def _persona(case: ViewCase) -> str:
    """Someone who may see the page, so that it reads its parameters."""
    return next((p for p in ("leader", "admin", "handler", "employee", "student")
                 if case.expected("get", p) == 200), "admin")


def _with_nul(data: dict[str, Any]) -> dict[str, Any]:
    return {key: f"{value}\x00" if isinstance(value, str | int) else value
            for key, value in data.items()} | {"q": "\x00", "\x00": "1"}


def _odd_requests(case: ViewCase, cast: Any) -> list[str]:
    """The requests of one battery case with NUL in its query and form, that answer 500."""
    extra = case.setup(cast)
    cast.__dict__.update(extra)
    url = reverse(case.name, args=case.args(cast))
    query = case.query(cast)
    client = Client(raise_request_exception=False)
    client.force_login(cast.users[_persona(case)])
    requests = [*(("get", f"{url}?{odd}") for odd in QUERIES), ("post", f"{url}{query}")]
    if query:
        requests.append(("get", url + re.sub(r"=([^&]*)", r"=\1%00", query)))
    return [f"{method.upper()} {target} ({case.name}): {status}"
            for method, target in requests
            if (status := _status(client, method, target, _with_nul(case.data(cast)))) == 500]


def test_no_view_gives_a_server_error_for_nul_in_its_query_or_form() -> None:
    cast = build_cast()
    failures: list[str] = []
    for case in _cases():
        with transaction.atomic():
            failures += _odd_requests(case, copy.copy(cast))
            transaction.set_rollback(True)
    assert failures == []


def test_nul_in_a_parameter_or_form_field_gets_the_400_page(cast: Any) -> None:
    client = Client()
    client.force_login(cast.leader)
    response = client.get("/measures/?q=a%00b")
    assert response.status_code == 400
    assert "400.html" in [template.name for template in response.templates]
    assert client.post("/deviations/report/", {"title": "a\x00b"}).status_code == 400
    assert client.get("/measures/?q=a%09b").status_code != 400  # a tab is ordinary text


def test_a_control_character_in_the_path_is_not_found(cast: Any) -> None:
    client = Client()
    assert client.get("/deviations/public/%00/").status_code == 404
    assert client.get("/meetings/calendar/a%01b.ics").status_code == 404


def test_a_cookie_with_nul_is_ignored(cast: Any) -> None:
    client = Client()
    client.cookies["sessionid"] = "\x00" * 32
    assert client.get("/health/").status_code == 200
