"""The registries the apps fill at start-up: read in order, and one order number holds one entry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from hms.core import registry


def test_entries_are_read_in_their_order_and_a_second_registration_is_harmless():
    found: dict[int, str] = {}
    registry.register(found, 20, "b")
    registry.register(found, 10, "a")
    registry.register(found, 20, "b")
    assert registry.in_order(found) == ["a", "b"]


def test_two_entries_at_one_order_are_refused():
    found = {10: "a"}
    with pytest.raises(ImproperlyConfigured):
        registry.register(found, 10, "b")
