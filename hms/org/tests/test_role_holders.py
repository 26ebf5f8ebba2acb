"""Issue 12, item 5: a unit's page names its public role holders (leader, HSE coordinator, safety
representative and deputy) to every signed-in person by default, or only to the unit's own people
with HMS_SHOW_ROLE_HOLDERS=unit; its other people are never listed to anyone outside its scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from hms.settings import env_choice

pytestmark = pytest.mark.django_db

PUBLIC = ("Leader Tester", "leader@example.org", "Coordinator Tester", "Safety_Rep Tester",
          "Deputy Tester")
PRIVATE = ("Employee Tester", "employee@example.org", "Student Tester", "Handler Tester",
           "Lab_Leader Tester", "Outsider Tester")


def unit_page(user, unit) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/org/units/{unit.pk}/").content.decode()


@pytest.fixture
def unit_a(cast):
    cast.unit_a.plan_owner = cast.employee  # an ordinary employee who runs the plan
    cast.unit_a.save()
    return cast.unit_a


def test_an_outsider_sees_the_public_role_holders_and_nobody_else(cast, unit_a):
    page = unit_page(cast.outsider, unit_a)
    assert [name for name in PUBLIC if name not in page] == []
    assert [name for name in PRIVATE if name in page] == []


def test_with_the_setting_unit_an_outsider_sees_no_names(cast, unit_a, settings):
    settings.HMS_SHOW_ROLE_HOLDERS = "unit"
    page = unit_page(cast.outsider, unit_a)
    assert "Tester" not in page and "@example.org" not in page
    assert "vises bare for enhetens egne folk" in page
    student = unit_page(cast.student, unit_a)  # a student of the unit is one of its own people
    assert "Leader Tester" in student and "Safety_Rep Tester" in student
    assert "Employee Tester" not in student


@pytest.mark.parametrize("value", ["all", "unit"])
def test_the_units_own_leader_sees_what_they_always_saw(cast, unit_a, settings, value):
    settings.HMS_SHOW_ROLE_HOLDERS = value
    page = unit_page(cast.leader, unit_a)
    staff = ("Employee Tester", "Handler Tester", "Lab_Leader Tester")
    assert [name for name in (*PUBLIC, *staff) if name not in page] == []
    assert "Oppfølgingsansvarlig for handlingsplanen: Employee Tester" in page


def test_an_unknown_value_stops_start_up(monkeypatch):
    monkeypatch.setenv("HMS_SHOW_ROLE_HOLDERS", "Everyone")
    with pytest.raises(ImproperlyConfigured, match="HMS_SHOW_ROLE_HOLDERS"):
        env_choice("HMS_SHOW_ROLE_HOLDERS", "all", ("all", "unit"))
    monkeypatch.setenv("HMS_SHOW_ROLE_HOLDERS", " UNIT ")
    assert env_choice("HMS_SHOW_ROLE_HOLDERS", "all", ("all", "unit")) == "unit"
