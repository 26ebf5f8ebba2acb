"""Points 12 and 13 from the training records: the share of the required trainings of the
unit's people on record and valid, and a trained deviation handler with the deviations closed
within their deadline; each judged on its edges, its figures read in English, its queries the
same for one unit as for a tree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hms.competence import gaps
from hms.competence.models import Requirement
from hms.competence.points import competence_evidence, deviations_evidence
from hms.competence.tests.factories import record
from hms.core import authz
from hms.core.roles import Role
from hms.deviations.models import Deviation, DeviationType, Status
from hms.governance.models import Delegation, DelegationStatus, DelegationTask
from hms.governance.tests.factories import accepted as delegated
from hms.org.models import RoleAssignment
from hms.points import evidence
from hms.points.evidence import Evidence, State, Units, Year
from hms.points.tests.rules import english, point, texts

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIS_YEAR = Year(TODAY.year, TODAY)
LAST_YEAR = Year(TODAY.year - 1, TODAY)

def test_both_rules_are_registered():
    assert evidence.COMPUTATIONS["competence"] is competence_evidence
    assert evidence.COMPUTATIONS["deviations"] is deviations_evidence


# --- Point 12 --------------------------------------------------------------------------------------


def competence(cast: Any, year: Year = THIS_YEAR, **thresholds: Any) -> Evidence:
    return competence_evidence(Units.one(cast.unit_a), year, point(12, **thresholds))[cast.unit_a.pk]


def train(*people: Any, day: dt.date = TODAY) -> None:
    """Every course of department A's roles there (lab work included) for each person."""
    courses = {"leader": "leader-hse", "safety_rep": "safety-rep-basic", "deputy": "safety-rep-basic",
               "handler": "deviation-handler"}
    for person in people:
        for code in ("lab-safety", "fire-safety", *filter(None, [courses.get(person.username)])):
            record(person, code, day)


def test_nothing_on_record_is_not_met_and_says_where_the_gaps_are(cast):
    found = competence(cast)
    assert found.state == State.NOT_MET
    assert english(found) == ["Required trainings of the unit's people on record and valid: 0 of 18 "
                              "(0 %, at least 90 % asked for)."]
    assert texts(found.missing) == ["Close the training gaps of the unit's people"]
    assert found.missing[0].url == reverse("competence:overview", args=[cast.unit_a.pk]) + "?only_gaps=on"
    assert texts(found.records) == ["The unit's training overview"]


def test_the_count_is_the_gap_tables(cast):
    train(cast.leader, cast.employee)
    counts = gaps.tally(gaps.unit_assignments(cast.unit_a, subtree=False,
                                              within=authz.Scope(everything=True)), TODAY)
    assert sum(counts.values()) == 18
    assert counts["valid"] + counts["expiring"] == 5
    assert "5 of 18 (27 %" in english(competence(cast))[0]


def test_at_the_share_it_is_met_and_one_less_is_partly_met(cast):
    train(cast.leader, cast.safety_rep, cast.deputy)  # 9 of 18
    found = competence(cast, min_trained_share=0.5)
    assert found.state == State.MET and found.missing == ()
    assert english(found) == ["Required trainings of the unit's people on record and valid: 9 of 18 "
                              "(50 %, at least 50 % asked for)."]
    cast.deputy.training_records.filter(course__code="fire-safety").delete()
    assert competence(cast, min_trained_share=0.5).state == State.PARTLY


def test_the_share_is_rounded_down_so_a_shown_90_is_met(cast):
    train(cast.leader, cast.safety_rep, cast.deputy, cast.handler, cast.lab_leader, cast.employee)
    found = competence(cast)  # 16 of 18: 88.9 %
    assert found.state == State.PARTLY and "16 of 18 (88 %" in english(found)[0]
    record(cast.student, "lab-safety", TODAY)
    assert competence(cast).state == State.MET  # 17 of 18


def test_an_expired_record_or_one_made_after_the_day_judged_does_not_count(cast):
    record(cast.employee, "lab-safety", TODAY - dt.timedelta(days=800),
           expires=TODAY - dt.timedelta(days=1))
    record(cast.employee, "fire-safety", TODAY, expires=TODAY)  # valid through today
    assert "1 of 18" in english(competence(cast))[0]
    record(cast.leader, "leader-hse", dt.date(TODAY.year, 1, 1))
    # On 31 December the lab course was still valid, the two courses of this year not yet done.
    assert "1 of 18" in english(competence(cast, LAST_YEAR))[0]


def test_a_unit_whose_people_need_no_training_is_not_applicable(cast):
    found = competence_evidence(Units.one(cast.unit_b), THIS_YEAR, point(12))[cast.unit_b.pk]
    assert found.state == State.NOT_APPLICABLE
    assert english(found) == ["No training is required of the unit's people by the training "
                              "requirements."]


def test_a_delegated_task_asks_for_its_course_in_the_unit_it_was_delegated_in(cast):
    delegated(cast)  # first aid, to the employee of department A
    assert "0 of 19" in english(competence(cast))[0]
    Delegation.objects.create(  # to someone without a role in department A: not its people
        org_unit=cast.unit_a, task=DelegationTask.objects.get(code="fire_warden"),
        delegate=cast.coordinator, valid_from=TODAY, status=DelegationStatus.ACCEPTED,
        accepted_at=timezone.now())
    tree = competence_evidence(Units.subtree(cast.root), THIS_YEAR, point(12))
    assert "0 of 19" in english(tree[cast.unit_a.pk])[0]
    assert "0 of 1 " in english(tree[cast.faculty_f.pk])[0]


def test_competence_answers_for_a_tree_in_one_query(cast, django_assert_num_queries):
    train(cast.leader)
    with django_assert_num_queries(1):
        one = competence_evidence(Units.one(cast.unit_a), THIS_YEAR, point(12))
    tree = Units.subtree(cast.root)
    with django_assert_num_queries(1):
        found = competence_evidence(tree, THIS_YEAR, point(12))
    assert set(found) == set(tree.ids) and found[cast.unit_a.pk] == one[cast.unit_a.pk]
    assert found[cast.faculty_f.pk].state == State.NOT_MET  # the coordinator's course
    assert found[cast.section_a1.pk].state == State.NOT_APPLICABLE


# --- Point 13 --------------------------------------------------------------------------------------


def handling(cast: Any, year: Year = THIS_YEAR, unit: Any = None, **thresholds: Any) -> Evidence:
    unit = unit or cast.unit_a
    return deviations_evidence(Units.one(unit), year, point(13, **thresholds))[unit.pk]


def local(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def case(cast: Any, *, deadline: dt.date | None, closed: dt.datetime | None = None,
         reported: dt.datetime | None = None, unit: Any = None, status: str = "") -> Deviation:
    made = Deviation.objects.create(
        org_unit=unit or cast.unit_a, deviation_type=DeviationType.objects.get(code="near_miss"),
        title="Spill", description="Acid on the floor.", occurred_at=timezone.now(),
        status=status or (Status.CLOSED if closed else Status.UNDER_TREATMENT),
        handler=cast.handler, close_deadline=deadline, closed_at=closed)
    if reported is not None:
        Deviation.objects.filter(pk=made.pk).update(reported_at=reported)
    return made


def cases(cast: Any, on_time: int, late: int, year: Year = THIS_YEAR) -> None:
    """Cases closed on the day judged: `on_time` by their deadline that day, `late` a day late."""
    day = year.on
    for _ in range(on_time):
        case(cast, deadline=day, closed=local(day, 9))
    for _ in range(late):
        case(cast, deadline=day - dt.timedelta(days=1), closed=local(day, 9))


def test_a_trained_handler_and_nothing_to_count_is_met(cast):
    record(cast.handler, "deviation-handler", TODAY)
    found = handling(cast)
    assert found.state == State.MET and found.missing == ()
    assert english(found) == ["Deviation handler: Handler Tester, trained.",
                              "No deviation was closed this year, and none is open past its deadline."]
    assert found.records[0].url == reverse("deviations:statistics", args=[cast.unit_a.pk])


def test_an_untrained_handler_is_partly_met_and_names_the_course(cast, english):
    found = deviations_evidence(Units.one(cast.unit_a), THIS_YEAR, point(13))[cast.unit_a.pk]
    assert found.state == State.PARTLY
    assert str(found.figures[0]) == ("Deviation handler: Handler Tester, without a valid record of "
                                     "Deviation handler training.")
    assert [str(link.text) for link in found.missing] == ["Record the deviation handler's training"]
    assert found.missing[0].url.endswith("?only_gaps=on&role=deviation_handler")


def test_an_expired_handler_training_is_no_training(cast):
    record(cast.handler, "deviation-handler", TODAY - dt.timedelta(days=400),
           expires=TODAY - dt.timedelta(days=1))
    assert handling(cast).state == State.PARTLY
    record(cast.handler, "deviation-handler", TODAY - dt.timedelta(days=1), expires=TODAY)
    assert handling(cast).state == State.MET


def test_one_trained_handler_of_two_is_enough_and_both_are_named(cast):
    RoleAssignment.objects.create(person=cast.lab_leader, org_unit=cast.unit_a,
                                  role=Role.DEVIATION_HANDLER)
    record(cast.lab_leader, "deviation-handler", TODAY)
    found = handling(cast)
    assert found.state == State.MET
    assert english(found)[:2] == [
        "Deviation handler: Handler Tester, without a valid record of Deviation handler "
        "training.", "Deviation handler: Lab_Leader Tester, trained."]  # computed in bokmål, read in English


def test_no_handler_is_not_met_unless_deviations_are_closed_in_time(cast):
    RoleAssignment.objects.filter(role=Role.DEVIATION_HANDLER).delete()
    found = handling(cast)
    assert found.state == State.NOT_MET
    assert english(found)[0] == "The unit has no named deviation handler."
    assert texts(found.missing) == ["Name a deviation handler for the unit"]
    assert found.missing[0].url == reverse("org:unit", args=[cast.unit_a.pk])
    cases(cast, on_time=1, late=0)
    assert handling(cast).state == State.PARTLY


def test_a_handler_over_the_unit_from_above_counts_in_its_subtree(cast):
    RoleAssignment.objects.filter(role=Role.DEVIATION_HANDLER).delete()
    RoleAssignment.objects.create(person=cast.coordinator, org_unit=cast.faculty_f,
                                  role=Role.DEVIATION_HANDLER, covers_subtree=True)
    RoleAssignment.objects.create(person=cast.outsider, org_unit=cast.faculty_g,
                                  role=Role.DEVIATION_HANDLER)  # for Faculty G alone
    record(cast.coordinator, "deviation-handler", TODAY)
    tree = deviations_evidence(Units.subtree(cast.root), THIS_YEAR, point(13))
    for unit in (cast.faculty_f, cast.unit_a, cast.section_a1):
        assert tree[unit.pk].state == State.MET
        assert english(tree[unit.pk])[0] == "Deviation handler: Coordinator Tester, trained."
    assert handling(cast, unit=cast.section_a1) == tree[cast.section_a1.pk]
    assert tree[cast.faculty_g.pk].state == State.PARTLY
    assert tree[cast.unit_b.pk].state == State.NOT_MET
    assert tree[cast.root.pk].state == State.NOT_MET


def test_without_a_course_for_handlers_the_training_cannot_be_checked(cast):
    Requirement.objects.filter(role=Role.DEVIATION_HANDLER).delete()
    found = handling(cast)
    assert found.state == State.MET
    assert english(found)[:2] == [
        "Deviation handler: Handler Tester.",
        "The training requirements ask no course of deviation handlers, so the handler's training "
        "cannot be checked."]


def test_at_the_on_time_share_it_is_met_and_below_it_partly(cast):
    record(cast.handler, "deviation-handler", LAST_YEAR.first_day)
    cases(cast, on_time=9, late=1, year=LAST_YEAR)
    found = handling(cast, LAST_YEAR)
    assert found.state == State.MET
    assert english(found)[1] == ("Closed within the deadline this year: 9 of 10 (90 %, at least 90 % "
                                 "asked for).")
    Deviation.objects.filter(pk=Deviation.objects.filter(close_deadline=LAST_YEAR.on).first().pk
                             ).update(close_deadline=LAST_YEAR.on - dt.timedelta(days=1))
    found = handling(cast, LAST_YEAR)
    assert found.state == State.PARTLY and "8 of 10 (80 %" in english(found)[1]
    assert texts(found.missing) == ["Close the deviations within their deadline"]
    assert handling(cast).state == State.MET  # nothing closed this year


def test_a_case_closed_on_its_deadline_day_is_in_time_and_a_minute_later_is_not(cast):
    day = dt.date(TODAY.year - 1, 6, 14)
    case(cast, deadline=day, closed=local(day, 23, 59))
    assert "1 of 1" in english(handling(cast, LAST_YEAR))[1]
    case(cast, deadline=day, closed=local(day + dt.timedelta(days=1), 0, 0))
    assert "1 of 2" in english(handling(cast, LAST_YEAR))[1]


def test_open_cases_past_their_deadline_count_as_late(cast):
    record(cast.handler, "deviation-handler", TODAY)
    case(cast, deadline=TODAY)  # due today: not late yet
    case(cast, deadline=None)  # reported, not accepted: no deadline
    assert handling(cast).state == State.MET
    case(cast, deadline=TODAY - dt.timedelta(days=1))
    found = handling(cast)
    assert found.state == State.PARTLY
    assert english(found)[1:] == ["Closed within the deadline this year: 0 of 1 (0 %, at least 90 % "
                                  "asked for).", "Open past their deadline, counted as late: 1."]
    assert texts(found.missing) == ["Close the deviations past their deadline"]
    assert found.missing[0].url == (reverse("deviations:list", args=[cast.unit_a.pk])
                                    + "?scope=unit&overdue=on")


def test_a_past_year_counts_what_was_open_at_its_end(cast):
    """Reported last year, due in November, closed only this January: late on 31 December; a
    case closed last year in time counts, one of a sub-unit or a rejected one does not."""
    record(cast.handler, "deviation-handler", LAST_YEAR.first_day)
    november = dt.date(TODAY.year - 1, 11, 30)
    case(cast, deadline=november, closed=local(november, 10))
    late = case(cast, deadline=november, closed=local(dt.date(TODAY.year, 1, 2)),
                reported=local(dt.date(TODAY.year - 1, 11, 1)))
    case(cast, deadline=november, unit=cast.section_a1, reported=local(november))
    case(cast, deadline=november, status=Status.REJECTED, reported=local(november))
    found = handling(cast, LAST_YEAR, min_on_time_share=0.5)
    assert english(found)[1:] == ["Closed within the deadline this year: 1 of 2 (50 %, at least 50 % "
                                  "asked for).", "Open past their deadline, counted as late: 1."]
    assert found.state == State.MET
    Deviation.objects.filter(pk=late.pk).update(reported_at=local(dt.date(TODAY.year, 1, 1)))
    assert "1 of 1" in english(handling(cast, LAST_YEAR))[1]  # not yet reported on 31 December


def test_deviations_answer_for_a_tree_in_the_same_queries(cast, django_assert_num_queries):
    record(cast.handler, "deviation-handler", TODAY)
    cases(cast, on_time=1, late=1)
    with django_assert_num_queries(3):
        one = deviations_evidence(Units.one(cast.unit_a), THIS_YEAR, point(13))
    tree = Units.subtree(cast.root)
    with django_assert_num_queries(3):
        found = deviations_evidence(tree, THIS_YEAR, point(13))
    assert set(found) == set(tree.ids) and found[cast.unit_a.pk] == one[cast.unit_a.pk]
    assert found[cast.unit_a.pk].state == State.PARTLY
    assert found[cast.unit_b.pk].state == State.NOT_MET
