"""Points 7 and 8 from the risk assessments (issue 16): the overall mapping's age on its edge day,
a mapping under way, the year judged by what was in force at its end; detailed assessments overdue
and mapping rows that need one, through a revision of the mapping; a fixed number of queries."""

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

from hms.points.catalogue import Point
from hms.points.evidence import Evidence, State, Units, Year
from hms.risk.models import AssessmentKind, AssessmentStatus, RiskAssessment, RiskMatrix, RiskRow
from hms.risk.points import detailed_assessments_evidence, overall_mapping_evidence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("matrix")]
CATALOGUE = Path(__file__).resolve().parents[2] / "points" / "data" / "catalogue_default.json"
OVERALL, DETAILED = AssessmentKind.OVERALL, AssessmentKind.DETAILED
APPROVED, ARCHIVED = AssessmentStatus.APPROVED, AssessmentStatus.ARCHIVED


def shipped(number: int) -> Point:
    return Point.of(json.loads(CATALOGUE.read_text(encoding="utf-8"))["points"][number - 1])


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def assessment(unit: Any, kind: str = OVERALL, status: str = APPROVED, *,
               approved_on: dt.date | None = None, review_due: dt.date | None = None,
               title: str = "Mapping", **fields: Any) -> RiskAssessment:
    return RiskAssessment.objects.create(
        org_unit=unit, kind=kind, title=title, status=status, matrix=RiskMatrix.objects.current(),
        approved_at=at_noon(approved_on) if approved_on else None, review_due=review_due, **fields)


def texts(evidence: Evidence) -> list[str]:
    with translation.override("en"):
        return [str(text) for text in evidence.figures]


def mapping(units: Units, on: dt.date, point: Point | None = None) -> dict[int, Evidence]:
    return overall_mapping_evidence(anew(units), Year(on.year, on), point or shipped(7))


def detailed(units: Units, on: dt.date) -> dict[int, Evidence]:
    return detailed_assessments_evidence(anew(units), Year(on.year, on), shipped(8))


def anew(units: Units) -> Units:
    """The same units, remembering nothing yet: the records change between the calls of a test,
    as between two requests."""
    return Units(units.root, units.members)


# --- Point 7 ---------------------------------------------------------------------------------------


def test_a_mapping_approved_two_years_ago_is_met_on_its_due_day_and_not_the_day_after(cast):
    made = assessment(cast.unit_a, approved_on=dt.date(2025, 3, 2), title="Department mapping")
    one = Units.one(cast.unit_a)
    on_due_day = mapping(one, dt.date(2027, 3, 2))[cast.unit_a.pk]
    assert on_due_day.state == State.MET and not on_due_day.missing
    assert texts(on_due_day) == ["Overall risk mapping approved 03/02/2025, review due 03/02/2027."]
    assert on_due_day.records[0].url == reverse("risk:detail", args=[made.pk])
    with translation.override("en"):
        assert str(on_due_day.records[0].text) == "Overall risk mapping: Department mapping"

    day_after = mapping(one, dt.date(2027, 3, 3))[cast.unit_a.pk]
    assert day_after.state == State.NOT_MET
    assert texts(day_after)[1] == ("Its review was due 03/02/2027, and no newer overall risk mapping "
                                   "has been approved since.")
    assert day_after.missing[0].url == reverse("risk:detail", args=[made.pk])
    with translation.override("en"):
        assert str(day_after.missing[0].text) == ("Revise the overall risk mapping and approve the "
                                                  "revision")


def test_the_age_comes_from_the_catalogue(cast):
    assessment(cast.unit_a, approved_on=dt.date(2025, 3, 2))
    three = dataclasses.replace(shipped(7), thresholds={"max_age_years": 3})
    found = mapping(Units.one(cast.unit_a), dt.date(2027, 3, 3), three)[cast.unit_a.pk]
    assert found.state == State.MET
    assert texts(found) == ["Overall risk mapping approved 03/02/2025, review due 03/02/2028."]


def test_a_mapping_under_way_is_partly_met_with_none_or_an_old_one(cast):
    one = Units.one(cast.unit_a)
    none = mapping(one, dt.date(2026, 6, 1))[cast.unit_a.pk]
    assert none.state == State.NOT_MET
    assert texts(none) == ["The unit has no approved overall risk mapping."]
    assert none.missing[0].url == reverse("risk:create", args=[cast.unit_a.pk])

    draft = assessment(cast.unit_a, status=AssessmentStatus.IN_REVIEW, title="First mapping")
    found = mapping(one, timezone.localdate())[cast.unit_a.pk]
    assert found.state == State.PARTLY
    assert texts(found)[1] == "An overall risk mapping is under way but not yet approved: First mapping."
    assert found.missing[0].url == reverse("risk:detail", args=[draft.pk])

    old = assessment(cast.unit_b, approved_on=dt.date(2022, 1, 10))
    assessment(cast.unit_b, status=AssessmentStatus.UNDER_REVISION, revision_of=old)
    assert mapping(Units.one(cast.unit_b), timezone.localdate())[cast.unit_b.pk].state == State.PARTLY


def test_a_past_year_is_judged_by_the_mapping_in_force_at_its_end(cast):
    first = assessment(cast.unit_a, status=ARCHIVED, approved_on=dt.date(2023, 5, 1))
    second = assessment(cast.unit_a, approved_on=dt.date(2026, 2, 1), revision_of=first)
    RiskAssessment.objects.filter(pk=second.pk).update(created_at=at_noon(dt.date(2025, 11, 1)))
    one = Units.one(cast.unit_a)
    in_2024 = overall_mapping_evidence(one, Year(2024, timezone.localdate()), shipped(7))
    assert in_2024[cast.unit_a.pk].state == State.MET
    assert in_2024[cast.unit_a.pk].records[0].url == reverse("risk:detail", args=[first.pk])
    in_2025 = overall_mapping_evidence(one, Year(2025, timezone.localdate()), shipped(7))
    # at the end of 2025 the first was out of date and its revision was under way
    assert in_2025[cast.unit_a.pk].state == State.PARTLY
    assert in_2025[cast.unit_a.pk].missing[0].url == reverse("risk:detail", args=[second.pk])
    in_2026 = overall_mapping_evidence(one, Year(2026, dt.date(2026, 12, 7)), shipped(7))
    assert texts(in_2026[cast.unit_a.pk]) == [
        "Overall risk mapping approved 02/01/2026, review due 02/01/2028."]


def test_a_unit_is_judged_by_its_own_mapping_only(cast):
    assessment(cast.unit_a, approved_on=timezone.localdate())
    found = mapping(Units.subtree(cast.root), timezone.localdate())
    assert set(found) == {unit.pk for unit in Units.subtree(cast.root).members}
    assert found[cast.unit_a.pk].state == State.MET
    assert found[cast.section_a1.pk].state == State.NOT_MET
    assert found[cast.faculty_f.pk].state == State.NOT_MET


# --- Point 8 ---------------------------------------------------------------------------------------


def test_no_assessment_in_force_is_not_applicable(cast):
    assessment(cast.unit_a, DETAILED, status=AssessmentStatus.DRAFT)
    found = detailed(Units.one(cast.unit_a), timezone.localdate())[cast.unit_a.pk]
    assert found.state == State.NOT_APPLICABLE
    assert texts(found) == ["The unit has no approved risk assessment, so nothing shows a need for a "
                            "detailed one yet (the overall risk mapping is point 7)."]


def test_a_mapping_that_asks_for_nothing_is_met(cast):
    assessment(cast.unit_a, approved_on=dt.date(2026, 1, 5))
    found = detailed(Units.one(cast.unit_a), dt.date(2026, 6, 1))[cast.unit_a.pk]
    assert found.state == State.MET
    assert texts(found) == [
        "Detailed risk assessments in force: 0; overdue for review: 0.",
        "No row of the overall risk mapping is marked as needing a detailed assessment."]


def test_a_detailed_assessment_due_today_is_not_overdue_but_the_day_after_it_is(cast):
    on = dt.date(2026, 6, 1)
    due = assessment(cast.unit_a, DETAILED, approved_on=dt.date(2024, 6, 1), review_due=on,
                     title="Solvent lab")
    one = Units.one(cast.unit_a)
    assert detailed(one, on)[cast.unit_a.pk].state == State.MET
    late = detailed(one, on + dt.timedelta(days=1))[cast.unit_a.pk]
    assert late.state == State.NOT_MET
    assert texts(late)[0] == "Detailed risk assessments in force: 1; overdue for review: 1."
    assert late.records[0].url == reverse("risk:detail", args=[due.pk])
    with translation.override("en"):
        assert str(late.records[0].text) == "Overdue for review since 06/01/2026: Solvent lab"
        assert str(late.missing[0].text) == "Review the detailed risk assessments overdue for review"
    assert late.missing[0].url == reverse("risk:list", args=[cast.unit_a.pk]) + "?scope=unit"

    assessment(cast.unit_a, DETAILED, approved_on=dt.date(2026, 5, 1),
               review_due=dt.date(2028, 5, 1))
    assert detailed(one, on + dt.timedelta(days=1))[cast.unit_a.pk].state == State.PARTLY


def test_a_row_that_needs_a_detailed_assessment_is_met_by_an_approved_one(cast):
    on = dt.date(2026, 6, 1)
    overall = assessment(cast.unit_a, approved_on=dt.date(2026, 1, 5))
    row = RiskRow.objects.create(assessment=overall, position=1, needs_detailed=True,
                                 activity="Laser work")
    RiskRow.objects.create(assessment=overall, position=2, activity="Office work")
    one = Units.one(cast.unit_a)
    wanting = detailed(one, on)[cast.unit_a.pk]
    assert wanting.state == State.NOT_MET
    assert texts(wanting)[1] == ("Rows of the overall risk mapping marked as needing a detailed "
                                 "assessment: 1; without an approved detailed assessment: 1.")
    assert wanting.missing[0].url == reverse("risk:create", args=[cast.unit_a.pk]) + f"?row={row.pk}"
    with translation.override("en"):
        assert str(wanting.missing[0].text) == ("Make a detailed risk assessment of mapping row 1: "
                                                "Laser work")

    assessment(cast.unit_a, DETAILED, status=AssessmentStatus.DRAFT, mapping_row=row)
    assert detailed(one, on)[cast.unit_a.pk].state == State.NOT_MET  # a draft is not one yet
    assessment(cast.unit_a, DETAILED, approved_on=dt.date(2026, 3, 1),
               review_due=dt.date(2028, 3, 1), mapping_row=row)
    assert detailed(one, on)[cast.unit_a.pk].state == State.MET


def test_a_detailed_assessment_made_below_details_the_row_of_the_unit_above(cast):
    on = dt.date(2026, 6, 1)
    overall = assessment(cast.unit_a, approved_on=dt.date(2026, 1, 5))
    row = RiskRow.objects.create(assessment=overall, position=1, needs_detailed=True)
    section = assessment(cast.section_a1, DETAILED, approved_on=dt.date(2026, 3, 1),
                         review_due=dt.date(2028, 3, 1), mapping_row=row)
    for units in (Units.one(cast.unit_a), Units.subtree(cast.root)):
        assert detailed(units, on)[cast.unit_a.pk].state == State.MET
    own = detailed(Units.one(cast.section_a1), on)[cast.section_a1.pk]
    assert texts(own)[0] == "Detailed risk assessments in force: 1; overdue for review: 0."
    RiskAssessment.objects.filter(pk=section.pk).delete()
    assert detailed(Units.one(cast.unit_a), on)[cast.unit_a.pk].state == State.NOT_MET


def test_a_revised_mapping_keeps_the_detailed_assessments_of_its_rows(cast):
    first = assessment(cast.unit_a, status=ARCHIVED, approved_on=dt.date(2024, 1, 5))
    old_row = RiskRow.objects.create(assessment=first, position=3, needs_detailed=True)
    assessment(cast.unit_a, DETAILED, approved_on=dt.date(2024, 3, 1),
               review_due=dt.date(2026, 3, 1), mapping_row=old_row)
    second = assessment(cast.unit_a, approved_on=dt.date(2026, 1, 5), revision_of=first)
    RiskRow.objects.create(assessment=second, position=3, needs_detailed=True)
    RiskRow.objects.create(assessment=second, position=4, needs_detailed=True, unwanted_event="Fall")
    found = detailed(Units.one(cast.unit_a), dt.date(2026, 2, 1))[cast.unit_a.pk]
    assert texts(found)[1].endswith("needing a detailed assessment: 2; without an approved detailed "
                                    "assessment: 1.")
    assert found.state == State.PARTLY
    assert len(found.missing) == 1 and found.missing[0].text.values["title"] == "Fall"


@pytest.mark.parametrize("rule", [overall_mapping_evidence, detailed_assessments_evidence])
def test_the_queries_are_as_many_for_a_subtree_as_for_one_unit(cast, rule):
    for unit in (cast.unit_a, cast.section_a1, cast.unit_b):
        overall = assessment(unit, approved_on=dt.date(2024, 1, 5))
        row = RiskRow.objects.create(assessment=overall, position=1, needs_detailed=True)
        assessment(unit, DETAILED, approved_on=dt.date(2024, 2, 1), review_due=dt.date(2026, 2, 1),
                   mapping_row=row)
        assessment(unit, DETAILED, status=AssessmentStatus.DRAFT)
    point = shipped(7 if rule is overall_mapping_evidence else 8)
    year = Year(2026, dt.date(2026, 6, 1))
    one, subtree = Units.one(cast.unit_a), Units.subtree(cast.root)
    with CaptureQueriesContext(connection) as for_one:
        rule(one, year, point)
    with CaptureQueriesContext(connection) as for_all:
        found = rule(subtree, year, point)
    assert len(for_one) == len(for_all) == (1 if rule is overall_mapping_evidence else 2)
    assert found[cast.unit_b.pk].state == found[cast.unit_a.pk].state != State.NOT_APPLICABLE
