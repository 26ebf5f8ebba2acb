"""Shared by the points' tests: a stand-in for point 1's rule, and a client that reads English."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hms.points import evidence
from hms.points.evidence import Evidence, State, Text, Units, Year


def by_code(states: dict[str, State]) -> Any:
    """A stand-in for point 1's rule, answering each unit as the test says (by its code)."""
    def compute(units: Units, year: Year, point: Any) -> dict[int, Evidence]:
        return {unit.pk: Evidence(states.get(unit.code, State.NOT_MET),
                                  (Text("Goals of %(code)s", {"code": unit.code}),))
                for unit in units.members}
    return compute


@pytest.fixture
def point_1(monkeypatch: Any) -> Any:
    def answer(states: dict[str, State]) -> None:
        monkeypatch.setitem(evidence.COMPUTATIONS, "goals", by_code(states))
    return answer


def english_client(user: Any) -> Client:
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client
