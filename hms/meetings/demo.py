"""Meetings for the demo university: every department has a quarterly leader–safety representative
series this year, with the safety representatives of all its safety areas. In chemistry (whose
logins are printed) those before the latest were held, with agendas, minutes and decisions in the
action plan, and the latest still waits for its minutes (the leader's next task: with it the
unit reaches the minimum of four); next year's series is planned, and a staff meeting with the
occupational health service is coming up. Elsewhere some meetings were held and one was
cancelled, so the unit pages show units short of the minimum of four."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hms.core.roles import Role
from hms.core.seeding import DemoUniversity
from hms.meetings import services
from hms.meetings.models import Interval, Kind, Meeting
from hms.org.models import RoleAssignment

AGENDA = [
    ("Avvik siden sist", "Gjennomgang av meldte avvik og hvordan de er fulgt opp.",
     "Avvikene er fulgt opp. Ett avvik om kjemikalielagring er fortsatt åpent."),
    ("Oppfølging av HMS-handlingsplanen", "Tiltak som er ferdige, forsinket eller trenger ny frist.",
     "To tiltak er forsinket; fristene flyttes."),
    ("Saker fra verneombudet", "Det verneombudet har sett eller fått høre siden sist.",
     "Verneombudet tok opp støy fra ventilasjonen i laboratoriet."),
]
DECISIONS = ["Bestill service på ventilasjonsanlegget", "Ny gjennomgang av rømningsveier før jul",
             "Kjøp inn flere øyeskyllestasjoner"]


def _held(meeting: Meeting, leader: Any, rep: Any, staff: list[Any], rng: random.Random) -> None:
    for title, background, minutes in AGENDA:
        actor = rep if title.startswith("Saker fra") else leader
        item = services.add_item(actor=actor, meeting=meeting, title=title, description=background)
        services.save_minutes(actor=leader, item=item, version=item.version, minutes=minutes)
    decision = services.decide(actor=leader, meeting=meeting, text=rng.choice(DECISIONS))
    if rng.random() < 0.6:
        services.decision_measure(actor=leader, decision=decision, data={
            "title": decision.text, "responsible": rng.choice(staff),
            "deadline": timezone.localdate() + dt.timedelta(days=rng.choice([20, 45, 90])),
            "priority": 2})
    services.record_attendance(actor=leader, meeting=meeting,
                               present=set(meeting.attendees.values_list("pk", flat=True)))
    meeting.refresh_from_db()
    services.complete_minutes(actor=leader, meeting=meeting, version=meeting.version,
                              summary="Møtet gikk etter planen. Neste møte om tre måneder.")


def _series(unit: Any, leader: Any, reps: list[Any], year: int) -> list[Meeting]:
    first = timezone.make_aware(dt.datetime(year, 1, 15, 10, 0))
    series = services.plan_series(
        actor=leader, org_unit=unit, interval=Interval.QUARTERLY, count=4,
        data={"kind": Kind.LEADER_VO, "title": "Møte leder og verneombud", "starts_at": first,
              "location": "Instituttleders kontor"},
        invitations={"invited": reps})
    return list(series.meetings.order_by("starts_at"))


def build_meeting_demo(units: list[tuple[Any, Any, Any, list[Any]]], showcase: str) -> None:
    """`units`: (unit, leader, safety representative, staff) per department; `showcase` is the
    code of the department whose logins are printed."""
    rng = random.Random(6)
    now = timezone.now()
    year = timezone.localdate().year
    for unit, leader, rep, staff in units:
        reps = _safety_reps(unit, rep)
        meetings = [m for m in _series(unit, leader, reps, year) if m.starts_at < now]
        if unit.code == showcase:
            for meeting in meetings[:-1]:  # the latest waits for its minutes
                _held(meeting, leader, rep, staff, rng)
            _series(unit, leader, reps, year + 1)
            _staff_meeting(unit, leader, staff)
            continue
        held = meetings[: rng.randint(1, len(meetings))] if meetings else []
        for meeting in held:
            _held(meeting, leader, rep, staff, rng)
        for meeting in meetings[len(held):][:1]:
            services.cancel_meeting(actor=leader, meeting=meeting, version=meeting.version)


def _safety_reps(unit: Any, first: Any) -> list[Any]:
    """The safety representatives of the unit's own areas, the first area's first."""
    others = (RoleAssignment.objects.active().filter(role=Role.SAFETY_REP, safety_area__org_unit=unit)
              .exclude(person=first).select_related("person").order_by("safety_area__name"))
    return [first, *(assignment.person for assignment in others)]


def _staff_meeting(unit: Any, leader: Any, staff: list[Any]) -> None:
    starts_at = (timezone.localtime() + dt.timedelta(days=6)).replace(hour=13, minute=0, second=0,
                                                                      microsecond=0)
    meeting = services.plan_meeting(
        actor=leader, org_unit=unit,
        data={"kind": Kind.STAFF, "title": "Allmøte med HMS-sak", "starts_at": starts_at,
              "duration_minutes": 90, "location": "Auditorium K1"},
        invitations={"invited": staff, "health_service": True})
    services.add_item(actor=leader, meeting=meeting, title="Bedriftshelsetjenesten om ergonomi",
                      description="BHT orienterer om skjermarbeid og tilrettelegging.")


def seed_demo(university: DemoUniversity) -> None:
    build_meeting_demo(university.owners(), university.showcase)
