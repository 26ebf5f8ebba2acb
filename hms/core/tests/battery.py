"""The permission battery: every view, every persona (anonymous, outsider, each role), GET and POST.

Each app's `tests/test_permissions.py` lists its views as `ViewCase`s and calls `battery_tests`;
`test_every_url_is_covered` fails when a URL pattern of ours has no case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PERSONAS, build_cast

ANONYMOUS = "anonymous"
ALL_PERSONAS = (ANONYMOUS, *PERSONAS)
LOGIN = "login"  # expected: a redirect to the sign-in page


@dataclass
class ViewCase:
    name: str
    args: Callable[[Any], list[Any]] = lambda cast: []
    query: Callable[[Any], str] = lambda cast: ""
    get: dict[str, Any] = field(default_factory=dict)  # persona → status (or LOGIN)
    post: dict[str, Any] | None = None                 # None: POST is not allowed (405)
    data: Callable[[Any], dict[str, Any]] = lambda cast: {}
    setup: Callable[[Any], dict[str, Any]] = lambda cast: {}
    anonymous: Any = LOGIN

    def expected(self, method: str, persona: str) -> Any:
        if persona == ANONYMOUS:
            return self.anonymous[method] if isinstance(self.anonymous, dict) else self.anonymous
        table = self.get if method == "get" else self.post
        if table is None:
            return 405
        return table.get(persona, table.get("*", 404))


def allow(*personas: str, status: int = 200, others: int = 404) -> dict[str, Any]:
    return {"*": others, **dict.fromkeys(personas, status)}


def battery_tests(cases: list[ViewCase]) -> Any:
    params = [
        pytest.param(case, method, persona, id=f"{case.name}-{method}-{persona}")
        for case in cases for method in ("get", "post") for persona in ALL_PERSONAS
    ]

    @pytest.mark.django_db
    @pytest.mark.parametrize(("case", "method", "persona"), params)
    def test_permission_battery(case: ViewCase, method: str, persona: str) -> None:
        cast = build_cast()
        extra = case.setup(cast)
        cast.__dict__.update(extra)
        client = Client()
        if persona != ANONYMOUS:
            client.force_login(cast.users[persona])
        url = reverse(case.name, args=case.args(cast)) + case.query(cast)
        response = client.get(url) if method == "get" else client.post(url, case.data(cast))
        expected = case.expected(method, persona)
        if expected == LOGIN:
            assert response.status_code == 302, response.status_code
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == expected, (
                f"{case.name} {method.upper()} as {persona}: {response.status_code} != {expected}")

    return test_permission_battery
