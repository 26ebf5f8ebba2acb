"""Point 9 from the HSE rounds (issue 16): per safety area the unit owns, the rounds completed and
signed this year against what the area needs (more for a high-risk area); a unit without a safety
area of its own; ARK said to be not yet recorded; a fixed number of queries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from hms.org.models import RiskLevel, SafetyArea
from hms.points.catalogue import Point
from hms.points.evidence import Evidence, State, Units, Year
from hms.rounds.models import Round, Status
from hms.rounds.points import rounds_evidence

pytestmark = pytest.mark.django_db
CATALOGUE = Path(__file__).resolve().parents[2] / "points" / "data" / "catalogue_default.json"
ON = dt.date(2026, 6, 1)
ARK = ("ARK, the survey of the work environment and work climate, is not yet recorded in HMS: the "
       "leader and the safety representative confirm it by hand.")


def shipped() -> Point:
    return Point.of(json.loads(CATALOGUE.read_text(encoding="utf-8"))["points"][8])


def done(area: SafetyArea, day: dt.date, status: str = Status.CLOSED) -> Round:
    signed = timezone.make_aware(dt.datetime.combine(day, dt.time(15)))
    return Round.objects.create(org_unit=area.org_unit, safety_area=area, planned_on=day,
                                conducted_on=day, status=status, leader_signed_at=signed,
                                rep_signed_at=signed)


def office(unit: Any, code: str = "a-office") -> SafetyArea:
    return SafetyArea.objects.create(org_unit=unit, code=code, name=f"{unit.name} offices",
                                     risk_level=RiskLevel.NORMAL)


def judge(units: Units, on: dt.date = ON, point: Point | None = None) -> dict[int, Evidence]:
    fresh = Units(units.root, units.members)  # remembering nothing: the records change between calls
    return rounds_evidence(fresh, Year(on.year, on), point or shipped())


def texts(evidence: Evidence) -> list[str]:
    with translation.override("en"):
        return [str(text) for text in evidence.figures]


def test_every_area_needs_its_rounds_and_a_high_risk_one_needs_two(cast):
    offices = office(cast.unit_a)
    one = Units.one(cast.unit_a)
    none = judge(one)[cast.unit_a.pk]
    assert none.state == State.NOT_MET
    assert texts(none) == [
        "Safety areas with the HSE rounds they need this year: 0 of 2.",
        "HSE rounds completed and signed in A labs this year: 0 of 2 (a high-risk area).",
        "HSE rounds completed and signed in Department A offices this year: 0 of 1.", ARK]
    assert [link.url for link in none.missing] == [
        reverse("rounds:create", args=[cast.unit_a.pk]) + f"?area={cast.area.pk}",
        reverse("rounds:create", args=[cast.unit_a.pk]) + f"?area={offices.pk}"]
    with translation.override("en"):
        assert str(none.missing[0].text) == "Plan an HSE round in A labs"

    first = done(cast.area, dt.date(2026, 2, 10))
    done(offices, dt.date(2026, 3, 1), Status.SUMMARISED)
    some = judge(one)[cast.unit_a.pk]
    assert some.state == State.PARTLY  # the labs had one of their two
    assert texts(some)[0] == "Safety areas with the HSE rounds they need this year: 1 of 2."
    assert [link.url for link in some.missing] == [
        reverse("rounds:create", args=[cast.unit_a.pk]) + f"?area={cast.area.pk}"]
    second = done(cast.area, dt.date(2026, 5, 20))
    every = judge(one)[cast.unit_a.pk]
    assert every.state == State.MET and not every.missing
    assert texts(every)[0] == "Safety areas with the HSE rounds they need this year: 2 of 2."
    assert every.records[0].url == reverse("rounds:detail", args=[second.pk])
    assert every.records[-1].url == reverse("rounds:detail", args=[first.pk])
    with translation.override("en"):
        assert str(every.records[0].text) == "HSE round in A labs, 05/20/2026"


def test_only_rounds_signed_and_walked_within_the_year_up_to_the_day_count(cast):
    done(cast.area, dt.date(2025, 12, 31))
    done(cast.area, dt.date(2026, 1, 1), Status.CONDUCTED)  # walked, not yet summarised and signed
    done(cast.area, dt.date(2026, 6, 2))  # after the day judged
    assert judge(Units.one(cast.unit_a))[cast.unit_a.pk].state == State.NOT_MET
    done(cast.area, dt.date(2026, 1, 1))
    assert texts(judge(Units.one(cast.unit_a))[cast.unit_a.pk])[1] == (
        "HSE rounds completed and signed in A labs this year: 1 of 2 (a high-risk area).")


def test_the_rounds_a_risk_level_needs_come_from_the_settings_and_the_catalogue(cast, settings):
    done(cast.area, dt.date(2026, 2, 10))
    settings.HMS_ROUNDS_PER_YEAR = {"normal": 1, "high": 1}
    assert judge(Units.one(cast.unit_a))[cast.unit_a.pk].state == State.MET
    two = dataclasses.replace(shipped(), thresholds={"min_rounds_per_area": 2})
    found = judge(Units.one(cast.unit_a), point=two)[cast.unit_a.pk]
    assert found.state == State.PARTLY
    assert texts(found)[1] == ("HSE rounds completed and signed in A labs this year: 1 of 2 "
                               "(a high-risk area).")


def test_a_unit_without_a_safety_area_of_its_own_is_not_applicable(cast):
    done(cast.area, dt.date(2026, 2, 10))
    found = judge(Units.subtree(cast.root))
    # section A1 is covered by department A's area, which department A owns
    for unit in (cast.section_a1, cast.unit_b, cast.root):
        assert found[unit.pk].state == State.NOT_APPLICABLE
        assert not found[unit.pk].missing
    assert texts(found[cast.unit_b.pk]) == [
        "The unit owns no safety area, so no HSE round is asked of it: the rounds are counted for "
        "the unit that owns the safety area.", ARK]
    assert found[cast.unit_a.pk].state == State.PARTLY


def test_the_queries_are_as_many_for_a_subtree_as_for_one_unit(cast):
    offices_b = office(cast.unit_b, "b-office")
    done(cast.area, dt.date(2026, 2, 10))
    done(offices_b, dt.date(2026, 3, 10))
    done(office(cast.section_a1, "a1-office"), dt.date(2026, 4, 10))
    one, subtree = Units.one(cast.unit_a), Units.subtree(cast.root)
    with CaptureQueriesContext(connection) as for_one:
        judge(one)
    with CaptureQueriesContext(connection) as for_all:
        found = judge(subtree)
    assert len(for_one) == len(for_all) == 2
    assert found[cast.unit_b.pk].state == found[cast.section_a1.pk].state == State.MET
    assert found[cast.unit_a.pk].state == State.PARTLY
