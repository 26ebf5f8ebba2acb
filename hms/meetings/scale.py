"""The meetings of the university-scale dataset for bench/: every department's leader–safety
representative meetings, quarterly over eighteen months and the next two, the held ones with
attendance, agendas with minutes and a decision each."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hms.core.roles import SAFETY_AREA_ROLES, Role
from hms.core.seeding import BATCH, ScaleRun
from hms.meetings.models import AgendaItem, Attendee, CalendarFeed, Decision, Kind, Meeting, Source, Status
from hms.org.models import RoleAssignment
from hms.org.scale import first_holders

MEETINGS_BEFORE, MEETINGS_AHEAD = 6, 2     # quarterly, around today
ITEMS = ["Avvik siden sist", "Oppfølging av HMS-handlingsplanen", "Saker fra verneombudet"]


def seed_scale(run: ScaleRun) -> None:
    units = run.plan.department_units()
    leaders, reps = first_holders(units, {Role.LEADER}), first_holders(units, SAFETY_AREA_ROLES)
    run.timed("meetings", lambda: _save_meetings(units, leaders, reps, run.rng))


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


def bench_targets(found: dict[str, Any]) -> dict[str, Any]:
    """The bench department's next leader–VO meeting (with the agenda suggested from the records)
    and its leader's calendar feed."""
    department = found["department_pk"]
    coming = (Meeting.objects.filter(org_unit=department, status=Status.PLANNED)
              .order_by("starts_at").first())
    leader = RoleAssignment.objects.filter(org_unit=department, role=Role.LEADER).order_by("pk").first()
    feed, _created = CalendarFeed.objects.get_or_create(person=leader.person) if leader else (None, False)
    return {"meeting_pk": coming.pk if coming else 0, "feed_token": feed.token if feed else "",
            "department_meetings": Meeting.objects.filter(org_unit=department).count()}
