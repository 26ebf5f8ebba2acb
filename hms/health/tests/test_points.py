"""Point 15 from the occupational health service's records: a contact the unit uses (its own or
from above) and the service's involvement logged this year; on its edges, its figures read in
English, its queries the same for one unit as for a tree."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hms.health.models import Involvement, Kind
from hms.health.points import occupational_health_evidence
from hms.health.tests.factories import FACULTY, contact, entry
from hms.points import evidence
from hms.points.catalogue import Point
from hms.points.evidence import Evidence, State, Units, Year

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIS_YEAR = Year(TODAY.year, TODAY)
CATALOGUE = evidence.__file__.replace("evidence.py", "data/catalogue_default.json")


def point_15() -> Point:
    with open(CATALOGUE, encoding="utf-8") as source:
        return dataclasses.replace(Point.of(json.load(source)["points"][14]))


def health(cast: Any, year: Year = THIS_YEAR, unit: Any = None) -> Evidence:
    unit = unit or cast.unit_a
    return occupational_health_evidence(Units.one(unit), year, point_15())[unit.pk]


def english(texts: Any) -> list[str]:
    with translation.override("en"):
        return [str(getattr(text, "text", text)) for text in texts]


def test_the_rule_is_registered():
    assert evidence.COMPUTATIONS["occupational_health"] is occupational_health_evidence


def test_neither_contact_nor_involvement_is_not_met(cast):
    found = health(cast)
    assert found.state == State.NOT_MET and found.records == ()
    assert english(found.figures) == [
        "No occupational health service is registered for the unit or a unit above it.",
        "No involvement of the occupational health service in the unit's HSE work is logged this "
        "year."]
    assert english(found.missing) == ["Register the unit's occupational health service",
                                      "Involve the occupational health service in the HSE work and "
                                      "log it"]
    assert found.missing[0].url == reverse("health:contact", args=[cast.unit_a.pk])
    assert found.missing[1].url == reverse("health:unit", args=[cast.unit_a.pk]) + f"?year={TODAY.year}"


def test_a_contact_from_above_alone_is_partly_met_and_says_where_it_is_registered(cast):
    contact(cast)
    found = health(cast)
    assert found.state == State.PARTLY
    assert english(found.figures)[0] == ("Occupational health service: Fjordby BHT, contact person "
                                         "Kari (registered for Universitetet).")
    assert english(found.records) == ["The unit's occupational health service"]
    assert english(found.missing) == ["Involve the occupational health service in the HSE work and "
                                      "log it"]


def test_the_units_own_contact_wins_and_a_contact_person_is_optional(cast):
    contact(cast)
    contact(cast, unit=cast.unit_a, **{**FACULTY, "contact_person": ""})
    assert english(health(cast).figures)[0] == "Occupational health service: Faculty F health."


def test_involvement_alone_is_partly_met(cast):
    entry(cast)
    found = health(cast)
    assert found.state == State.PARTLY
    assert english(found.missing) == ["Register the unit's occupational health service"]


def test_a_contact_and_involvement_this_year_is_met(cast):
    contact(cast, unit=cast.unit_a)
    entry(cast, day=TODAY)
    entry(cast, kind=Kind.TRAINING, day=dt.date(TODAY.year, 1, 1))
    found = health(cast)
    assert found.state == State.MET and found.missing == ()
    with translation.override("en"):
        shown = str(found.figures[1])
        assert shown == ("The occupational health service's involvement in the unit's HSE work "
                         f"logged this year: 2, the last on {evidence.Text('%(d)s', {'d': TODAY})}.")
    assert english(found.figures)[0] == "Occupational health service: Fjordby BHT, contact person Kari."
    assert english(found.records)[1].startswith("The occupational health service took part in an HSE "
                                                "round on ")
    assert english(found.records)[2].startswith("The occupational health service gave a training on ")


def test_last_years_entries_and_personal_ones_do_not_count(cast):
    contact(cast)
    entry(cast, day=dt.date(TODAY.year - 1, 12, 31))
    entry(cast, kind=Kind.HEALTH_EXAMINATION)
    entry(cast, kind=Kind.DIALOGUE_MEETING)
    entry(cast, unit=cast.section_a1, by=cast.coordinator)
    assert health(cast).state == State.PARTLY
    assert health(cast, Year(TODAY.year - 1, TODAY)).state == State.MET


def test_an_entry_after_the_day_judged_does_not_count(cast):
    contact(cast)
    made = entry(cast)
    Involvement.objects.filter(pk=made.pk).update(date=dt.date(TODAY.year - 1, 12, 31))
    assert health(cast, Year(TODAY.year - 1, dt.date(TODAY.year - 1, 12, 30))).state == State.PARTLY


def test_it_answers_for_a_tree_in_two_queries(cast, django_assert_num_queries):
    contact(cast)
    contact(cast, unit=cast.faculty_f, **FACULTY)
    entry(cast)
    with django_assert_num_queries(2):
        one = occupational_health_evidence(Units.one(cast.unit_a), THIS_YEAR, point_15())
    tree = Units.subtree(cast.root)
    with django_assert_num_queries(2):
        found = occupational_health_evidence(tree, THIS_YEAR, point_15())
    assert set(found) == set(tree.ids) and found[cast.unit_a.pk] == one[cast.unit_a.pk]
    assert found[cast.unit_a.pk].state == State.MET
    assert "Faculty F health" in english(found[cast.section_a1.pk].figures)[0]
    assert "Fjordby BHT" in english(found[cast.unit_b.pk].figures)[0]
