"""Points 3, 4, 6 and 11 from the meetings and the work with the safety representative (issue 16):
leader–safety representative meetings per safety area (3 versus 4, a meeting held for the area or
with its representative or deputy present, an area without a representative, counted per unit, a
unit without a safety area); the representative among the participants of assessments, rounds and
meetings; what the representative raised; the measures found with them; a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from hms.accounts.models import User
from hms.core.roles import Role
from hms.deviations.models import Deviation, DeviationType
from hms.measures.models import Measure, Origin
from hms.measures.models import Status as MeasureStatus
from hms.meetings.models import AgendaItem, Attendee, Decision, Kind, Meeting, Status
from hms.meetings.points import involved_evidence, meetings_evidence
from hms.meetings.points_together import active_evidence, together_evidence
from hms.org.models import RiskLevel, RoleAssignment, SafetyArea
from hms.points.catalogue import Point
from hms.points.evidence import COMPUTATIONS, Evidence, State, Units, Year
from hms.risk.models import AssessmentKind, RiskAssessment, RiskMatrix, RiskRow
from hms.rounds.models import Finding, Round
from hms.rounds.models import Status as RoundStatus

pytestmark = pytest.mark.django_db
CATALOGUE = Path(__file__).resolve().parents[2] / "points" / "data" / "catalogue_default.json"
ON = dt.date(2026, 6, 1)
NO_REP = ("No safety representative is registered for the unit: it owns no safety area and no "
          "safety area covers it.")


def shipped(number: int, **thresholds: Any) -> Point:
    entry = json.loads(CATALOGUE.read_text(encoding="utf-8"))["points"][number - 1]
    entry["thresholds"] = {**entry["thresholds"], **thresholds}
    return Point.of(entry)


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def texts(links_or_figures: Any) -> list[str]:
    with translation.override("en"):
        return [str(getattr(item, "text", item)) for item in links_or_figures]


def judge(computation: Any, number: int, units: Units, on: dt.date = ON,
          **thresholds: Any) -> dict[int, Evidence]:
    return computation(units, Year(on.year, on), shipped(number, **thresholds))


def one(cast: Any, unit: Any = None) -> Units:
    return Units.one(unit or cast.unit_a)


def meeting(cast: Any, day: dt.date, *, status: str = Status.HELD, kind: str = Kind.LEADER_VO,
            area: Any = "lab", present: tuple[Any, ...] = ("leader", "safety_rep"),
            unit: Any = None, title: str = "Møte leder og verneombud") -> Meeting:
    held = Meeting.objects.create(org_unit=unit or cast.unit_a, kind=kind, title=title,
                                  safety_area=cast.area if area == "lab" else area,
                                  starts_at=at_noon(day), status=status)
    for person in present:
        Attendee.objects.create(meeting=held, person=cast.users[person] if isinstance(person, str)
                                else person, present=True)
    return held


def walked(cast: Any, day: dt.date, *, people: tuple[Any, ...] = ("leader", "safety_rep"),
           area: Any = None, unit: Any = None, status: str = RoundStatus.CLOSED,
           rep_signed: Any = None) -> Round:
    round_ = Round.objects.create(org_unit=unit or cast.unit_a, safety_area=area or cast.area,
                                  planned_on=day, conducted_on=day, status=status,
                                  rep_signed_by=rep_signed)
    round_.participants.set([cast.users[p] if isinstance(p, str) else p for p in people])
    return round_


def assessment(cast: Any, *, people: tuple[Any, ...] = ("leader", "safety_rep"),
               on: dt.date | None = ON, unit: Any = None, title: str = "Solvent lab") -> RiskAssessment:
    made = RiskAssessment.objects.create(org_unit=unit or cast.unit_a, kind=AssessmentKind.DETAILED,
                                         title=title, matrix=RiskMatrix.objects.current(),
                                         assessed_on=on)
    made.participants.set([cast.users[p] if isinstance(p, str) else p for p in people])
    return made


def person(name: str) -> User:
    return User.objects.create_user(name, f"{name}@example.org", "pw", first_name=name.title(),
                                    last_name="Tester")


def offices(cast: Any, rep: User | None = None) -> SafetyArea:
    area = SafetyArea.objects.create(org_unit=cast.unit_a, code="a-office", name="A offices",
                                     risk_level=RiskLevel.NORMAL)
    area.units.add(cast.unit_a)
    if rep is not None:
        RoleAssignment.objects.create(person=rep, org_unit=cast.unit_a, role=Role.SAFETY_REP,
                                      safety_area=area)
    return area


@pytest.fixture
def matrix(db: Any) -> None:
    call_command("load_risk_matrix")


def test_the_four_rules_are_registered():
    assert COMPUTATIONS["leader_safety_rep_meetings"] is meetings_evidence
    assert COMPUTATIONS["safety_rep_involved"] is involved_evidence
    assert COMPUTATIONS["safety_rep_active"] is active_evidence
    assert COMPUTATIONS["measures_together"] is together_evidence


# --- Point 4 ---------------------------------------------------------------------------------------


def test_three_meetings_are_partly_and_the_fourth_meets_the_point(cast):
    page = reverse("meetings:unit", args=[cast.unit_a.pk]) + "?year=2026"
    none = judge(meetings_evidence, 4, one(cast))[cast.unit_a.pk]
    assert none.state == State.NOT_MET
    assert texts(none.figures) == ["Leader–safety representative meetings held this year: 0.",
                                   "Held with the safety representative of A labs: 0 of 4."]
    assert [(text, link.url) for text, link in zip(texts(none.missing), none.missing, strict=True)] == [
        ("Hold the next leader–safety representative meeting with the safety representative of "
         "A labs", page)]
    held = [meeting(cast, dt.date(2026, month, 10)) for month in (1, 2, 3)]
    three = judge(meetings_evidence, 4, one(cast))[cast.unit_a.pk]
    assert three.state == State.PARTLY
    assert texts(three.figures) == ["Leader–safety representative meetings held this year: 3.",
                                    "Held with the safety representative of A labs: 3 of 4."]
    assert texts(three.records)[0] == ("Leader–safety representative meeting held 03/10/2026: Møte "
                                       "leder og verneombud")
    assert [link.url for link in three.records] == [
        reverse("meetings:detail", args=[m.pk]) for m in reversed(held)]
    meeting(cast, ON)  # on the day judged itself
    four = judge(meetings_evidence, 4, one(cast))[cast.unit_a.pk]
    assert four.state == State.MET
    assert texts(four.figures)[1] == "Held with the safety representative of A labs: 4 of 4."
    assert four.missing == ()


def test_only_meetings_held_this_year_by_the_day_judged_count(cast):
    for month in (1, 2, 3):
        meeting(cast, dt.date(2026, month, 10))
    meeting(cast, dt.date(2025, 12, 30))  # last year
    meeting(cast, ON + dt.timedelta(days=1))  # after the day judged
    meeting(cast, dt.date(2026, 4, 1), kind=Kind.LAMU)
    meeting(cast, dt.date(2026, 4, 2), status=Status.CANCELLED)
    meeting(cast, dt.date(2026, 9, 1), status=Status.PLANNED, present=())
    meeting(cast, dt.date(2026, 10, 1), status=Status.PLANNED, present=())
    evidence = judge(meetings_evidence, 4, one(cast))[cast.unit_a.pk]
    assert evidence.state == State.PARTLY
    assert texts(evidence.figures) == [
        "Leader–safety representative meetings held this year: 3.",
        "Held with the safety representative of A labs: 3 of 4.",
        "Leader–safety representative meetings planned this year and not yet held: 2."]
    # once the year is over, the meeting held after 1 June counts too
    assert judge(meetings_evidence, 4, one(cast), dt.date(2026, 12, 31))[cast.unit_a.pk].state == State.MET


def test_per_area_a_meeting_counts_when_held_for_it_or_with_its_representative(cast):
    office_rep = person("officerep")
    area = offices(cast, office_rep)
    meeting(cast, dt.date(2026, 1, 5), area=None, present=("leader", office_rep))  # offices
    meeting(cast, dt.date(2026, 2, 5), area=area, present=("leader",))  # held for the offices
    meeting(cast, dt.date(2026, 3, 5), area=None, present=("leader", "deputy"))  # labs, the deputy
    meeting(cast, dt.date(2026, 4, 5), area=None, present=("leader", "employee"))  # neither
    evidence = judge(meetings_evidence, 4, one(cast))[cast.unit_a.pk]
    assert evidence.state == State.PARTLY
    assert texts(evidence.figures) == [
        "Leader–safety representative meetings held this year: 4.",
        "Held with the safety representative of A labs: 1 of 4.",
        "Held with the safety representative of A offices: 2 of 4."]
    assert texts(evidence.missing) == [
        "Hold the next leader–safety representative meeting with the safety representative of A labs",
        "Hold the next leader–safety representative meeting with the safety representative of "
        "A offices"]
    per_unit = judge(meetings_evidence, 4, one(cast), count_per="unit")[cast.unit_a.pk]
    assert per_unit.state == State.MET
    assert texts(per_unit.figures) == ["Leader–safety representative meetings held this year: 4 of 4."]


def test_an_area_without_a_representative_is_said_and_asked_for(cast):
    offices(cast)
    for month in (1, 2, 3, 4):
        meeting(cast, dt.date(2026, month, 10))
    evidence = judge(meetings_evidence, 4, one(cast))[cast.unit_a.pk]
    assert evidence.state == State.PARTLY
    assert texts(evidence.figures)[2:] == ["Held with the safety representative of A offices: 0 of 4.",
                                           "No safety representative is registered for A offices."]
    assert texts(evidence.missing) == [
        "Have the safety representative of A offices registered",
        "Hold the next leader–safety representative meeting with the safety representative of "
        "A offices"]
    assert evidence.missing[0].url == reverse("org:unit", args=[cast.unit_a.pk])


def test_a_unit_without_a_safety_area_is_counted_as_a_whole_or_not_applicable(cast):
    section = cast.section_a1
    alone = judge(meetings_evidence, 4, one(cast, section))[section.pk]
    assert alone.state == State.NOT_APPLICABLE
    assert texts(alone.figures) == [NO_REP, "No leader–safety representative meetings are asked of "
                                    "a unit without a safety representative."]
    cast.area.units.add(section)  # now the labs' representative covers the section
    covered = judge(meetings_evidence, 4, one(cast, section))[section.pk]
    assert covered.state == State.NOT_MET
    assert texts(covered.figures) == [
        "The unit owns no safety area: its leader–safety representative meetings are counted for the "
        "unit as a whole.", "Leader–safety representative meetings held this year: 0 of 4."]
    assert texts(covered.missing) == ["Hold the next leader–safety representative meeting"]
    meeting(cast, dt.date(2026, 2, 1), area=None, unit=section)
    assert judge(meetings_evidence, 4, one(cast, section))[section.pk].state == State.PARTLY


# --- Point 3 ---------------------------------------------------------------------------------------


def test_involved_is_not_applicable_without_records(cast):
    evidence = judge(involved_evidence, 3, one(cast))[cast.unit_a.pk]
    assert evidence.state == State.NOT_APPLICABLE
    assert texts(evidence.figures) == [
        "The unit made no risk assessment, walked no HSE round and held no leader–safety "
        "representative meeting this year, so there was nothing to take the safety representative "
        "into."]


def test_involved_every_kind_with_records_needs_the_representative(cast, matrix):
    alone = assessment(cast, people=("leader",))
    assessment(cast, people=("safety_rep",), on=dt.date(2025, 12, 31))  # last year
    walked(cast, dt.date(2026, 3, 1), people=("leader",), status=RoundStatus.PREPARED)  # not walked
    first = judge(involved_evidence, 3, one(cast))[cast.unit_a.pk]
    assert first.state == State.NOT_MET
    assert texts(first.figures) == [
        "The safety representative took part in 0 of 1 risk assessments of the unit dated this year.",
        "The unit walked no HSE round this year.",
        "The unit held no leader–safety representative meeting this year."]
    assert texts(first.records) == ["Risk assessment without the safety representative: Solvent lab"]
    assert [(text, link.url) for text, link in zip(texts(first.missing), first.missing, strict=True)] == [
        ("Make the unit's risk assessments with the safety representative",
         reverse("risk:list", args=[cast.unit_a.pk]))]

    round_ = walked(cast, dt.date(2026, 3, 2), people=("leader",), rep_signed=cast.safety_rep)
    meeting(cast, dt.date(2026, 4, 1), area=None, present=("leader", "deputy"))
    meeting(cast, dt.date(2026, 4, 20), present=("leader",))
    some = judge(involved_evidence, 3, one(cast))[cast.unit_a.pk]
    assert some.state == State.PARTLY
    assert texts(some.figures)[1:] == [
        "The safety representative took part in 1 of 1 HSE rounds the unit walked this year.",
        "The safety representative was present at 1 of 2 leader–safety representative meetings "
        "held this year."]
    assert texts(some.records)[:2] == [
        "Risk assessment without the safety representative: Solvent lab",
        "Leader–safety representative meeting 04/20/2026 without the safety representative "
        "present: Møte leder og verneombud"]
    assert texts(some.records)[2] == "HSE round in A labs, 03/02/2026, with the safety representative"
    assert some.records[2].url == reverse("rounds:detail", args=[round_.pk])
    assert texts(some.missing) == ["Make the unit's risk assessments with the safety representative"]

    undated = assessment(cast, on=None)  # made this year, no date given
    RiskAssessment.objects.filter(pk=undated.pk).update(created_at=at_noon(dt.date(2026, 5, 1)))
    every = judge(involved_evidence, 3, one(cast))[cast.unit_a.pk]
    assert every.state == State.MET
    assert texts(every.figures)[0] == ("The safety representative took part in 1 of 2 risk "
                                       "assessments of the unit dated this year.")
    assert every.missing == ()
    RiskAssessment.objects.filter(pk=undated.pk).update(created_at=at_noon(dt.date(2025, 6, 1)))
    assert judge(involved_evidence, 3, one(cast))[cast.unit_a.pk].state == State.PARTLY
    assert alone.pk


def test_involved_without_a_registered_representative(cast, matrix):
    assessment(cast, unit=cast.faculty_f, people=("coordinator",))
    evidence = judge(involved_evidence, 3, one(cast, cast.faculty_f))[cast.faculty_f.pk]
    assert evidence.state == State.NOT_MET
    assert texts(evidence.figures)[-1] == NO_REP
    assert texts(evidence.missing)[-1] == ("Have the safety representative of the unit's safety "
                                           "areas registered")


# --- Point 6 ---------------------------------------------------------------------------------------


def deviation(cast: Any, by: Any, day: dt.date = ON, **fields: Any) -> Deviation:
    made = Deviation.objects.create(org_unit=cast.unit_a, safety_area=cast.area,
                                    deviation_type=DeviationType.objects.get(code="near_miss"),
                                    title="Spill by the fume hood", description="Acid.",
                                    occurred_at=at_noon(day), reporter=by, **fields)
    Deviation.objects.filter(pk=made.pk).update(reported_at=at_noon(day))
    return made


def test_active_counts_what_the_representative_raised(cast):
    none = judge(active_evidence, 6, one(cast))[cast.unit_a.pk]
    assert none.state == State.NOT_MET
    assert texts(none.figures) == [
        "Items the safety representative raised this year: 0 (at least 1 asked for).",
        "Deviations reported by the safety representative: 0.",
        "Agenda items the safety representative raised in the unit's meetings: 0.",
        "Findings recorded on HSE rounds walked with the safety representative: 0."]
    assert [(text, link.url) for text, link in zip(texts(none.missing), none.missing, strict=True)] == [
        ("Ask the safety representative to raise what they see at the next leader–safety "
         "representative meeting", reverse("meetings:unit", args=[cast.unit_a.pk]) + "?year=2026")]

    reported = deviation(cast, cast.safety_rep)
    deviation(cast, cast.student)
    deviation(cast, None, anonymous=True)
    deviation(cast, cast.safety_rep, dt.date(2025, 11, 1))
    first = judge(active_evidence, 6, one(cast))[cast.unit_a.pk]
    assert first.state == State.MET
    assert texts(first.figures)[:2] == [
        "Items the safety representative raised this year: 1 (at least 1 asked for).",
        "Deviations reported by the safety representative: 1."]
    assert texts(first.records) == ["Deviation reported by the safety representative: Spill by the "
                                    "fume hood"]
    assert first.records[0].url == reverse("deviations:detail", args=[reported.pk])
    assert first.missing == ()

    held = meeting(cast, dt.date(2026, 3, 1), title="Vårmøte")
    AgendaItem.objects.create(meeting=held, position=1, title="Noise", raised_by=cast.deputy)
    AgendaItem.objects.create(meeting=held, position=2, title="Ventilation", raised_by=cast.leader,
                              raised_by_safety_rep=True)
    AgendaItem.objects.create(meeting=held, position=3, title="Budget", raised_by=cast.leader)
    cancelled = meeting(cast, dt.date(2026, 4, 1), status=Status.CANCELLED)
    AgendaItem.objects.create(meeting=cancelled, position=1, title="Dust", raised_by=cast.safety_rep)
    with_rep = walked(cast, dt.date(2026, 2, 1))
    without = walked(cast, dt.date(2026, 2, 2), people=("leader",))
    for round_, titles in ((with_rep, ("Blocked exit", "No eyewash")), (without, ("Loose cable",))):
        for title in titles:
            Finding.objects.create(round=round_, title=title)
    every = judge(active_evidence, 6, one(cast), min_items=6)[cast.unit_a.pk]
    assert every.state == State.PARTLY
    assert texts(every.figures) == [
        "Items the safety representative raised this year: 5 (at least 6 asked for).",
        "Deviations reported by the safety representative: 1.",
        "Agenda items the safety representative raised in the unit's meetings: 2.",
        "Findings recorded on HSE rounds walked with the safety representative: 2."]
    assert texts(every.records)[1:] == [
        "Agenda item from the safety representative: Noise (Vårmøte)",
        "Agenda item from the safety representative: Ventilation (Vårmøte)",
        "Findings on the HSE round in A labs, 02/01/2026, walked with the safety representative: 2"]
    assert judge(active_evidence, 6, one(cast), min_items=5)[cast.unit_a.pk].state == State.MET


def test_active_without_a_representative(cast):
    faculty = judge(active_evidence, 6, one(cast, cast.faculty_f))[cast.faculty_f.pk]
    assert faculty.state == State.NOT_APPLICABLE
    assert texts(faculty.figures) == [NO_REP]
    SafetyArea.objects.create(org_unit=cast.section_a1, code="a1", name="A1 rooms")
    section = judge(active_evidence, 6, one(cast, cast.section_a1))[cast.section_a1.pk]
    assert section.state == State.NOT_MET
    assert texts(section.figures)[-1] == ("No safety representative is registered for the unit's "
                                          "safety areas.")
    assert texts(section.missing)[-1] == ("Have the safety representative of the unit's safety "
                                          "areas registered")


# --- Point 11 --------------------------------------------------------------------------------------


def measure(cast: Any, title: str, origin: str = Origin.MANUAL, record: Any = None,
            day: dt.date = ON, **fields: Any) -> Measure:
    made = Measure.objects.create(org_unit=cast.unit_a, title=title, origin=origin,
                                  origin_record=record, created_by=cast.leader, **fields)
    Measure.objects.filter(pk=made.pk).update(created_at=at_noon(day))
    return made


def decided(cast: Any, held: Meeting, title: str) -> Measure:
    made = measure(cast, title, Origin.MEETING)
    Decision.objects.create(meeting=held, text=title, measure=made)
    return made


def rows_of(cast: Any, people: tuple[Any, ...], title: str) -> RiskRow:
    return RiskRow.objects.create(assessment=assessment(cast, people=people, title=title), position=1)


def test_measures_together_counts_the_origins_with_the_representative(cast, matrix):
    empty = judge(together_evidence, 11, one(cast))[cast.unit_a.pk]
    assert empty.state == State.NOT_MET
    assert texts(empty.figures) == ["No measure was added to the unit's action plan this year."]
    assert texts(empty.missing) == [
        "Agree measures with the safety representative at the next leader–safety representative "
        "meeting", "Walk an HSE round with the safety representative and make measures of its findings"]

    measure(cast, "Tidy the store")
    with_rep, without = walked(cast, dt.date(2026, 2, 1)), walked(cast, dt.date(2026, 2, 2),
                                                                    people=("leader",))
    measure(cast, "Free the exit", Origin.ROUND_FINDING, Finding.objects.create(round=with_rep,
                                                                                  title="Exit"))
    measure(cast, "New assessment", Origin.ROUND_FINDING, with_rep)
    measure(cast, "Fix the cable", Origin.ROUND_FINDING, Finding.objects.create(round=without,
                                                                                  title="Cable"))
    decided(cast, meeting(cast, dt.date(2026, 3, 1), present=("leader",)), "Service the hoods")
    decided(cast, meeting(cast, dt.date(2026, 3, 2), kind=Kind.LAMU, area=None,
                          present=("leader", "deputy")), "Buy eyewash")
    decided(cast, meeting(cast, dt.date(2026, 3, 3), kind=Kind.STAFF, area=None,
                          present=("leader", "employee")), "Staff party")
    measure(cast, "Gloves", Origin.RISK_ROW, rows_of(cast, ("leader", "safety_rep"), "With"))
    measure(cast, "Goggles", Origin.RISK_ROW, rows_of(cast, ("leader",), "Without"))
    measure(cast, "Old", Origin.ROUND_FINDING, with_rep, day=dt.date(2025, 12, 1))
    measure(cast, "Dropped", Origin.ROUND_FINDING, with_rep, status=MeasureStatus.CANCELLED,
            cancel_reason="Not needed")
    evidence = judge(together_evidence, 11, one(cast))[cast.unit_a.pk]
    assert evidence.state == State.MET
    assert texts(evidence.figures) == [
        "Measures made this year that came from work with the safety representative: 5 of 9.",
        "From HSE rounds: 2; from meetings: 2; from risk assessments: 1."]
    assert sorted(texts(evidence.records)) == sorted([
        "Measure from an HSE round with the safety representative: Free the exit",
        "Measure from an HSE round with the safety representative: New assessment",
        "Measure from a meeting with the safety representative: Service the hoods",
        "Measure from a meeting with the safety representative: Buy eyewash",
        "Measure from a risk assessment with the safety representative: Gloves"])
    assert evidence.missing == ()
    more = judge(together_evidence, 11, one(cast), min_measures=6)[cast.unit_a.pk]
    assert more.state == State.PARTLY
    assert texts(more.figures)[-1] == ("At least 6 measures found with the safety representative are "
                                       "asked for.")


def test_measures_together_without_a_representative(cast):
    evidence = judge(together_evidence, 11, one(cast, cast.faculty_f))[cast.faculty_f.pk]
    assert evidence.state == State.NOT_APPLICABLE
    assert texts(evidence.figures) == [NO_REP]


# --- Queries ---------------------------------------------------------------------------------------


def records_in(cast: Any, unit: Any, area: Any, rep: Any, index: int) -> None:
    held = meeting(cast, dt.date(2026, 2, index + 1), unit=unit, area=area, present=("leader", rep))
    AgendaItem.objects.create(meeting=held, position=1, title="Noise", raised_by=rep)
    round_ = walked(cast, dt.date(2026, 2, index + 1), unit=unit, area=area, people=(rep,))
    finding = Finding.objects.create(round=round_, title="Exit")
    Measure.objects.create(org_unit=unit, title="Exit", origin=Origin.ROUND_FINDING,
                           origin_record=finding)
    row = RiskRow.objects.create(assessment=assessment(cast, unit=unit, people=(rep,)), position=1)
    Measure.objects.create(org_unit=unit, title="Gloves", origin=Origin.RISK_ROW, origin_record=row)
    made = Measure.objects.create(org_unit=unit, title="Hoods", origin=Origin.MEETING)
    Decision.objects.create(meeting=held, text="Hoods", measure=made)
    Deviation.objects.create(org_unit=unit, safety_area=area, title="Spill", description="Acid.",
                             deviation_type=DeviationType.objects.get(code="near_miss"),
                             occurred_at=at_noon(ON), reporter=rep)
    Deviation.objects.update(reported_at=at_noon(dt.date(2026, 2, 1)))
    Measure.objects.update(created_at=at_noon(dt.date(2026, 2, 1)))
    RiskAssessment.objects.update(created_at=at_noon(dt.date(2026, 2, 1)))


@pytest.mark.parametrize(("computation", "number", "queries"), [
    (meetings_evidence, 4, 4), (involved_evidence, 3, 6), (active_evidence, 6, 5),
    (together_evidence, 11, 7)])
def test_the_same_queries_for_one_unit_and_a_subtree(cast, matrix, computation, number, queries):
    records_in(cast, cast.unit_a, cast.area, cast.safety_rep, 0)
    area_b = SafetyArea.objects.create(org_unit=cast.unit_b, code="b-lab", name="B labs")
    area_b.units.add(cast.unit_b)
    rep_b = person("repb")
    RoleAssignment.objects.create(person=rep_b, org_unit=cast.unit_b, role=Role.SAFETY_REP,
                                  safety_area=area_b)
    records_in(cast, cast.unit_b, area_b, rep_b, 1)
    year = Year(ON.year, ON)
    with CaptureQueriesContext(connection) as single:
        alone = computation(Units.one(cast.unit_a), year, shipped(number))
    subtree = Units.subtree(cast.root)
    with CaptureQueriesContext(connection) as many:
        found = computation(subtree, year, shipped(number))
    assert len(single) == len(many) == queries
    assert set(found) == set(subtree.ids)
    assert found[cast.unit_a.pk] == alone[cast.unit_a.pk]
    assert found[cast.unit_b.pk].state == alone[cast.unit_a.pk].state
