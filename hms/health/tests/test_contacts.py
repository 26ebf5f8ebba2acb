"""A unit without a contact of its own uses the nearest one above it, and says where it is from."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hms.health.lookup import contact_for, contacts_for
from hms.health.tests.factories import FACULTY, contact

pytestmark = pytest.mark.django_db


def test_it_inherits_the_nearest_contact_above(cast):
    university = contact(cast)
    faculty = contact(cast, cast.faculty_f, **FACULTY)
    for unit in (cast.unit_a, cast.section_a1):
        in_use = contact_for(unit)
        assert in_use.contact == faculty and in_use.inherited and in_use.source == cast.faculty_f
    in_use = contact_for(cast.unit_b)
    assert in_use.contact == university and in_use.source == cast.root
    own = contact_for(cast.faculty_f)
    assert own.contact == faculty and not own.inherited


def test_a_unit_with_nothing_above_it_has_no_contact(cast):
    contact(cast, cast.faculty_g)
    assert contact_for(cast.unit_a) is None
    assert contacts_for([]) == {}


def test_it_finds_every_units_contact_in_one_query(cast):
    contact(cast)
    contact(cast, cast.faculty_f, **FACULTY)
    units = [cast.root, cast.faculty_f, cast.unit_a, cast.section_a1, cast.unit_b]
    with CaptureQueriesContext(connection) as queries:
        found = contacts_for(units)
    assert len(queries) == 1
    assert {unit.pk: found[unit.pk].source.code for unit in units} == {
        cast.root.pk: "uni", cast.faculty_f.pk: "f", cast.unit_a.pk: "f", cast.section_a1.pk: "f",
        cast.unit_b.pk: "uni"}
