"""The governance part of the university-scale dataset (hms/core/scale.py builds the rest): every
department's leader–safety representative meetings over eighteen months and the next two, with
agendas and decisions; its HSE goals for last year and this; delegated tasks in every state; and
training records for most of what the roles and lab work require, some expired or expiring.

Bulk-created like the rest of the dataset, from the same seeded generator."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Collection
from typing import Any

from django.utils import timezone

from hms.competence.models import Requirement, TrainingRecord
from hms.core.roles import SAFETY_AREA_ROLES, Role
from hms.governance.models import Delegation, DelegationStatus, DelegationTask, Goal
from hms.meetings.models import AgendaItem, Attendee, Decision, Kind, Meeting, Source, Status
from hms.org.models import RiskLevel, RoleAssignment, SafetyArea

BATCH = 2000
MEETINGS_BEFORE, MEETINGS_AHEAD = 6, 2     # quarterly, around today
ITEMS = ["Avvik siden sist", "Oppfølging av HMS-handlingsplanen", "Saker fra verneombudet"]
GOALS = [("Alle avvik behandles innen fristen", "Andel avvik lukket innen frist", "90 %"),
         ("Ingen forfalte risikovurderinger", "Antall forfalte revisjoner", "0"),
         ("Alle nyansatte får HMS-opplæring", "Andel nyansatte med opplæring første måned", "100 %")]
TRAINED_SHARE = 0.75   # of the requirements a person falls under, on record
EXPIRED_SHARE = 0.1    # of those records, expired


def save_governance(departments: list[Any], rng: random.Random) -> str:
    """`departments`: the saved department units. Returns a summary of what was made."""
    leaders = _holders(departments, {Role.LEADER})
    reps = _holders(departments, SAFETY_AREA_ROLES)
    meetings = _save_meetings(departments, leaders, reps, rng)
    goals = _save_goals(departments, leaders)
    delegations = _save_delegations(departments, leaders, rng)
    records = _save_training(rng)
    return f"{meetings} meetings, {goals} goals, {delegations} delegations, {records} training records"


def _holders(units: list[Any], roles: Collection[str]) -> dict[int, Any]:
    """One holder of the roles per unit (the first by pk)."""
    found: dict[int, Any] = {}
    for assignment in (RoleAssignment.objects.filter(org_unit__in=units, role__in=roles)
                       .select_related("person").order_by("pk")):
        found.setdefault(assignment.org_unit_id, assignment.person)
    return found


def _quarters(today: dt.date) -> list[dt.datetime]:
    first = today - dt.timedelta(days=91 * MEETINGS_BEFORE)
    return [timezone.make_aware(dt.datetime.combine(first + dt.timedelta(days=91 * n), dt.time(10)))
            for n in range(MEETINGS_BEFORE + MEETINGS_AHEAD)]


def _save_meetings(units: list[Any], leaders: dict[int, Any], reps: dict[int, Any],
                   rng: random.Random) -> int:
    now = timezone.now()
    meetings = [Meeting(org_unit=unit, kind=Kind.LEADER_VO, title="Møte leder og verneombud",
                        starts_at=at, location="Instituttleders kontor",
                        status=Status.HELD if at < now else Status.PLANNED,
                        minutes_by=leaders.get(unit.pk) if at < now else None,
                        minutes_at=at + dt.timedelta(hours=2) if at < now else None,
                        summary="Gjennomgått avvik og handlingsplan." if at < now else "",
                        created_by=leaders.get(unit.pk))
                for unit in units for at in _quarters(timezone.localdate())]
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    _save_agendas(meetings, leaders, reps, rng)
    return len(meetings)


def _save_agendas(meetings: list[Meeting], leaders: dict[int, Any], reps: dict[int, Any],
                  rng: random.Random) -> None:
    attendees, items = [], []
    for meeting in meetings:
        people = [p for p in (leaders.get(meeting.org_unit_id), reps.get(meeting.org_unit_id)) if p]
        attendees += [Attendee(meeting=meeting, person=person, present=meeting.status == Status.HELD)
                      for person in people]
        items += [AgendaItem(meeting=meeting, position=n + 1, title=title, source=Source.STANDING,
                             raised_by=people[-1] if people else None,
                             raised_by_safety_rep=n == 2 and len(people) == 2,
                             minutes="Fulgt opp." if meeting.status == Status.HELD else "")
                  for n, title in enumerate(ITEMS)]
    Attendee.objects.bulk_create(attendees, batch_size=BATCH)
    AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    held = [item for item in items if item.position == 1 and item.meeting.status == Status.HELD]
    Decision.objects.bulk_create(
        [Decision(meeting=item.meeting, item=item, text=rng.choice(ITEMS) + ": følges opp",
                  created_by=leaders.get(item.meeting.org_unit_id)) for item in held],
        batch_size=BATCH)


def _save_goals(units: list[Any], leaders: dict[int, Any]) -> int:
    year = timezone.localdate().year
    goals = [Goal(org_unit=unit, year=in_year, title=title, indicator=indicator, target=target,
                  created_by=leaders.get(unit.pk))
             for unit in units for in_year in (year - 1, year) for title, indicator, target in GOALS]
    Goal.objects.bulk_create(goals, batch_size=BATCH)
    return len(goals)


def _save_delegations(units: list[Any], leaders: dict[int, Any], rng: random.Random) -> int:
    tasks = list(DelegationTask.objects.filter(active=True))
    staff: dict[int, list[int]] = {}
    for unit_id, person_id in (RoleAssignment.objects.filter(org_unit__in=units, role=Role.EMPLOYEE)
                               .values_list("org_unit", "person").order_by("pk")):
        staff.setdefault(unit_id, []).append(person_id)
    today, now = timezone.localdate(), timezone.now()
    states = [DelegationStatus.ACCEPTED] * 3 + [DelegationStatus.AWAITING, DelegationStatus.DECLINED]
    delegations = []
    for unit in units:
        for index, status in enumerate(states if staff.get(unit.pk) and tasks else []):
            delegations.append(Delegation(
                org_unit=unit, task=tasks[index % len(tasks)], delegate_id=rng.choice(staff[unit.pk]),
                delegated_by=leaders.get(unit.pk), valid_from=today - dt.timedelta(days=200),
                valid_to=today + dt.timedelta(days=rng.choice([-20, 10, 165, 530])), status=status,
                accepted_at=now if status == DelegationStatus.ACCEPTED else None,
                decline_reason="Har ikke kapasitet." if status == DelegationStatus.DECLINED else ""))
    Delegation.objects.bulk_create(delegations, batch_size=BATCH)
    return len(delegations)


def _save_training(rng: random.Random) -> int:
    """Records for most of the requirements each person with a role falls under."""
    requirements = list(Requirement.objects.select_related("course"))
    lab_units = set(SafetyArea.units.through.objects.filter(
        safetyarea__risk_level=RiskLevel.HIGH).values_list("orgunit", flat=True))
    needed: dict[tuple[int, int], Any] = {}
    for person_id, role, unit_id in RoleAssignment.objects.values_list("person", "role", "org_unit"):
        for requirement in requirements:
            if requirement.applies(role, unit_id in lab_units):
                needed[(person_id, requirement.course_id)] = requirement.course
    records = [_record(person_id, course, rng) for (person_id, _c), course in sorted(
        needed.items(), key=lambda item: item[0]) if rng.random() < TRAINED_SHARE]
    TrainingRecord.objects.bulk_create(records, batch_size=BATCH)
    return len(records)


def _record(person_id: int, course: Any, rng: random.Random) -> TrainingRecord:
    today = timezone.localdate()
    months = course.validity_months or 60
    if rng.random() < EXPIRED_SHARE:
        completed = today - dt.timedelta(days=31 * months + rng.randint(5, 200))
    else:
        completed = today - dt.timedelta(days=rng.randint(10, 31 * months - 10))
    return TrainingRecord(person_id=person_id, course=course, completed_on=completed,
                          expires_on=course.expiry_from(completed), note="Fra kursregisteret")


def bench_governance_targets(department: Any) -> dict[str, Any]:
    """What bench/run.py visits in the bench department: its next leader–VO meeting (with the
    agenda suggested from the records) and its leader's calendar feed."""
    from hms.meetings.models import CalendarFeed

    coming = (Meeting.objects.filter(org_unit=department, status=Status.PLANNED)
              .order_by("starts_at").first())
    leader = RoleAssignment.objects.filter(org_unit=department, role=Role.LEADER).order_by("pk").first()
    feed, _created = CalendarFeed.objects.get_or_create(person=leader.person) if leader else (None, False)
    return {"meeting_pk": coming.pk if coming else 0, "feed_token": feed.token if feed else "",
            "department_meetings": Meeting.objects.filter(org_unit=department).count(),
            "department_training_records": TrainingRecord.objects.filter(
                person__role_assignments__org_unit=department).distinct().count()}
