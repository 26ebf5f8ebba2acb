"""The contact on the unit page for everyone signed in, and on the home page for every employee,
in a fixed, small number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hms.health.cards import home_card, unit_card
from hms.health.tests.factories import FACULTY, contact, entry
from hms.org import access as org_access
from hms.org.models import RoleAssignment

pytestmark = pytest.mark.django_db


def queries_of(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, len(queries)


@pytest.mark.parametrize("persona", ["outsider", "student", "employee", "leader"])
def test_every_signed_in_person_sees_the_units_contact(cast, persona):
    contact(cast, cast.faculty_f, **FACULTY)
    client = Client()
    client.force_login(cast.users[persona])
    page = client.get(f"/org/units/{cast.unit_a.pk}/").content.decode()
    assert "Faculty F health" in page and "mailto:f@example.org" in page
    assert "Faculty F" in page  # where it comes from


def test_the_unit_card_links_the_log_for_its_readers_only(cast):
    contact(cast)
    for_employee = unit_card(cast.employee, cast.unit_a)
    assert for_employee["may_read_log"] and not for_employee["may_edit"]
    for_outsider = unit_card(cast.outsider, cast.unit_a)
    assert not for_outsider["may_read_log"] and for_outsider["in_use"].source == cast.root
    assert unit_card(cast.leader, cast.unit_a)["may_edit"]


def test_the_unit_card_takes_one_query(cast):
    contact(cast)
    entry(cast)
    for user in (cast.employee, cast.outsider):
        org_access.grants(user)  # the unit page has read them already
        _card, count = queries_of(lambda user=user: unit_card(user, cast.unit_a))
        assert count == 1


def test_the_home_card_shows_one_block_per_service(cast):
    contact(cast)
    faculty = contact(cast, cast.faculty_f, **FACULTY)
    RoleAssignment.objects.create(person=cast.employee, org_unit=cast.section_a1, role="employee")
    RoleAssignment.objects.create(person=cast.employee, org_unit=cast.unit_b, role="employee")
    card = home_card(cast.employee)
    blocks = {block["contact"].service: [u.code for u in block["units"]] for block in card["services"]}
    assert blocks == {faculty.service: ["a", "a1"], "Fjordby BHT": ["b"]}


def test_the_home_card_is_fixed_in_queries(cast):
    contact(cast)
    org_access.grants(cast.employee)
    _card, few = queries_of(lambda: home_card(cast.employee))
    for unit in (cast.section_a1, cast.unit_b, cast.faculty_g):
        RoleAssignment.objects.create(person=cast.employee, org_unit=unit, role="employee")
    cast.employee._hms_grants = None
    org_access.grants(cast.employee)
    _card, many = queries_of(lambda: home_card(cast.employee))
    assert few == many == 2


def test_no_home_card_for_students_or_without_a_service(cast):
    assert home_card(cast.employee) is None  # nothing registered
    contact(cast)
    assert home_card(cast.student) is None
    assert home_card(cast.admin) is None  # no unit of their own


def test_the_employee_sees_the_service_on_the_home_page(cast):
    contact(cast)
    client = Client()
    client.force_login(cast.employee)
    page = client.get("/").content.decode()
    assert "Fjordby BHT" in page and "tel:+4712345678" in page
