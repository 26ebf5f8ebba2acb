"""Point 10 from the action plan (issue 16): open measures with a responsible and a deadline, the
plan's follow-up owner, the overdue share on its edge (1 of 10 against 2 of 10), no plan at all,
a past year judged by the measures open at its end; a fixed number of queries."""

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

from hms.measures.models import Measure, Status
from hms.measures.points import action_plan_evidence
from hms.org.models import OrgUnit
from hms.points.catalogue import Point
from hms.points.evidence import MAX_RECORD_LINKS, Evidence, State, Units, Year

pytestmark = pytest.mark.django_db
CATALOGUE = Path(__file__).resolve().parents[2] / "points" / "data" / "catalogue_default.json"
TODAY = timezone.localdate()
LATER = TODAY + dt.timedelta(days=30)


def shipped() -> Point:
    return Point.of(json.loads(CATALOGUE.read_text(encoding="utf-8"))["points"][9])


def judge(units: Units, on: dt.date = TODAY, point: Point | None = None) -> dict[int, Evidence]:
    return action_plan_evidence(units, Year(on.year, on), point or shipped())


def texts(evidence: Evidence) -> list[str]:
    with translation.override("en"):
        return [str(text) for text in evidence.figures]


def owner(unit: OrgUnit, person: Any) -> None:
    unit.plan_owner = person  # the rule reads the owner with the unit, as a page loads it
    unit.save(update_fields=["plan_owner"])


def plan(measure_factory: Any, count: int, overdue: int = 0, **fields: Any) -> list[Measure]:
    return [measure_factory(title=f"Measure {n}", deadline=TODAY - dt.timedelta(days=n + 1)
                            if n < overdue else LATER, **fields) for n in range(count)]


def test_no_measures_and_no_owner_is_no_plan_at_all(cast):
    found = judge(Units.one(cast.unit_a))[cast.unit_a.pk]
    assert found.state == State.NOT_MET
    assert texts(found) == ["The action plan has no open measures.", "No plan follow-up owner named."]
    assert [link.url for link in found.missing] == [
        reverse("measures:create", args=[cast.unit_a.pk]),
        reverse("measures:plan", args=[cast.unit_a.pk])]
    with translation.override("en"):
        assert [str(link.text) for link in found.missing] == [
            "Add the unit's measures to the action plan", "Name the action plan's follow-up owner"]


def test_an_owner_with_nothing_open_is_met(cast):
    owner(cast.unit_a, cast.leader)
    found = judge(Units.one(cast.unit_a))[cast.unit_a.pk]
    assert found.state == State.MET and not found.missing
    assert texts(found) == ["The action plan has no open measures.",
                            "Plan follow-up owner: Leader Tester."]


def test_one_overdue_of_ten_is_met_and_two_is_partly(cast, measure_factory):
    owner(cast.unit_a, cast.leader)
    measures = plan(measure_factory, 10, overdue=1)
    found = judge(Units.one(cast.unit_a))[cast.unit_a.pk]
    assert found.state == State.MET
    assert texts(found)[0] == ("Open measures: 10, 10 of them with a responsible and a deadline; "
                               "overdue: 1 (10 %, at most 10 % allowed).")
    assert [link.url for link in found.records] == [reverse("measures:detail", args=[measures[0].pk])]
    with translation.override("en"):
        assert str(found.records[0].text) == (
            f"Overdue since {measures[0].deadline:%m/%d/%Y}: Measure 0")

    Measure.objects.filter(pk=measures[1].pk).update(deadline=TODAY - dt.timedelta(days=1))
    found = judge(Units.one(cast.unit_a))[cast.unit_a.pk]
    assert found.state == State.PARTLY
    assert texts(found)[0].endswith("overdue: 2 (20 %, at most 10 % allowed).")
    assert found.missing[-1].url == (reverse("measures:plan", args=[cast.unit_a.pk])
                                     + "?scope=unit&overdue=yes")
    lenient = dataclasses.replace(shipped(), thresholds={"max_overdue_share": 0.2})
    assert judge(Units.one(cast.unit_a), point=lenient)[cast.unit_a.pk].state == State.MET


def test_the_records_are_the_first_wanting_measures_up_to_the_cap(cast, measure_factory):
    measures = plan(measure_factory, 8, overdue=7)
    found = judge(Units.one(cast.unit_a))[cast.unit_a.pk]
    assert len(found.records) == MAX_RECORD_LINKS
    assert found.records[0].url == reverse("measures:detail", args=[measures[6].pk])  # the oldest


def test_a_deadline_today_is_not_overdue(cast, measure_factory):
    owner(cast.unit_a, cast.leader)
    measure_factory(deadline=TODAY)
    assert judge(Units.one(cast.unit_a))[cast.unit_a.pk].state == State.MET


def test_a_measure_without_a_responsible_or_a_deadline_or_no_owner_is_partly(cast, measure_factory):
    plan(measure_factory, 2)
    no_owner = judge(Units.one(cast.unit_a))[cast.unit_a.pk]
    assert no_owner.state == State.PARTLY
    assert texts(no_owner)[1] == "No plan follow-up owner named."
    owner(cast.unit_a, cast.leader)
    loose = measure_factory(title="Buy a spill kit", responsible=None, deadline=LATER)
    found = judge(Units.one(cast.unit_a))[cast.unit_a.pk]
    assert found.state == State.PARTLY
    assert texts(found)[0].startswith("Open measures: 3, 2 of them with a responsible and a deadline;")
    assert found.records[0].url == reverse("measures:detail", args=[loose.pk])
    with translation.override("en"):
        assert str(found.records[0].text) == "Without a responsible or a deadline: Buy a spill kit"
        assert str(found.missing[0].text) == "Give every open measure a responsible and a deadline"


def test_a_past_year_counts_what_was_open_at_its_end(cast, measure_factory):
    owner(cast.unit_b, cast.outsider)
    end = dt.date(TODAY.year - 1, 12, 31)
    made = timezone.make_aware(dt.datetime(TODAY.year - 1, 6, 1, 12))
    late = measure_factory(org_unit=cast.unit_b, deadline=end - dt.timedelta(days=5),
                           status=Status.DONE, done_date=TODAY)
    measure_factory(org_unit=cast.unit_b, deadline=end - dt.timedelta(days=5),
                    status=Status.CANCELLED, cancel_reason="Not needed")
    measure_factory(org_unit=cast.unit_b, deadline=LATER)  # made this year
    Measure.objects.filter(org_unit=cast.unit_b).exclude(deadline=LATER).update(created_at=made)
    last_year = action_plan_evidence(Units.one(cast.unit_b), Year(end.year, TODAY), shipped())
    found = last_year[cast.unit_b.pk]
    assert found.state == State.PARTLY
    assert texts(found)[0].endswith("overdue: 1 (100 %, at most 10 % allowed).")
    assert found.records[0].url == reverse("measures:detail", args=[late.pk])
    assert judge(Units.one(cast.unit_b))[cast.unit_b.pk].state == State.MET


def test_each_unit_has_its_own_plan_and_owner(cast, measure_factory):
    owner(cast.unit_a, cast.leader)
    owner(cast.unit_b, cast.leader)  # one person may follow up two plans
    owner(cast.section_a1, cast.coordinator)
    plan(measure_factory, 1, overdue=1, org_unit=cast.section_a1)
    found = judge(Units.subtree(cast.faculty_f))
    assert set(found) == {cast.faculty_f.pk, cast.unit_a.pk, cast.section_a1.pk}
    assert texts(found[cast.unit_a.pk])[1] == "Plan follow-up owner: Leader Tester."
    assert texts(found[cast.section_a1.pk])[1] == "Plan follow-up owner: Coordinator Tester."
    assert found[cast.section_a1.pk].state == State.PARTLY
    assert found[cast.unit_a.pk].state == State.MET
    assert found[cast.faculty_f.pk].state == State.NOT_MET


def test_the_queries_are_as_many_for_a_subtree_as_for_one_unit(cast, measure_factory):
    for unit in (cast.unit_a, cast.section_a1, cast.unit_b):
        owner(unit, cast.leader)
        plan(measure_factory, 3, overdue=1, org_unit=unit)
    one, subtree = Units.one(cast.unit_a), Units.subtree(cast.root)
    with CaptureQueriesContext(connection) as for_one:
        judge(one)
    with CaptureQueriesContext(connection) as for_all:
        found = judge(subtree)
    assert len(for_one) == len(for_all) == 2  # the counts, the first wanting; owners come with the units
    assert found[cast.unit_b.pk].state == found[cast.unit_a.pk].state == State.PARTLY
    assert len(found[cast.unit_b.pk].records) == 1
