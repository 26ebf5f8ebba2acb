"""Every write to a meeting goes through here: planning (one meeting or a recurring series),
the agenda (by hand or from the suggestions), attendance, minutes, decisions and the measures they
become, and the secret address of a person's calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hms.core import audit, authz
from hms.core.concurrency import save_if_current
from hms.core.dates import add_months
from hms.core.errors import ServiceError
from hms.core.notifications import notify
from hms.core.roles import SAFETY_AREA_ROLES, Action
from hms.measures import services as measure_services
from hms.measures.models import Measure, Origin
from hms.meetings import access, agenda, completion, signals
from hms.meetings.models import (
    AgendaItem,
    Attendee,
    CalendarFeed,
    Decision,
    Meeting,
    MeetingSeries,
    Source,
    Status,
)
from hms.org import access as org_access


def _require_open(meeting: Meeting) -> None:
    if not meeting.is_open:
        raise ServiceError(_("The minutes of this meeting are complete (or it was cancelled): "
                             "nothing more can be added."))


def _fresh(meeting: Meeting, version: int, values: dict[str, Any]) -> Meeting:
    return save_if_current(
        Meeting.objects.select_related("org_unit", "safety_area", "minutes_by"), meeting.pk,
        version, values,
        _("Someone else changed this meeting while you were working on it. Nothing was saved: "
          "look at the meeting as it is now and try again."))


def _touch(meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)


def _audited(actor: Any, action: str, meeting: Meeting, before: dict[str, Any] | None) -> None:
    audit.record(actor=actor, action=action, obj=meeting, org_unit=meeting.org_unit, before=before,
                 after=audit.snapshot(meeting, Meeting.AUDITED_FIELDS))


# --- Planning --------------------------------------------------------------------------------------


def _check_plan(actor: Any, org_unit: Any, data: dict[str, Any]) -> None:
    authz.require(org_access.may_plan_in_unit(actor, org_unit))
    _check_area(org_unit, data)


def _check_area(org_unit: Any, data: dict[str, Any]) -> None:
    area = data.get("safety_area")
    if area is not None and not area.org_unit.path.startswith(org_unit.path):
        raise ServiceError(_("Choose a safety area of the unit."))


def _invite(meeting: Meeting, invited: list[Any], guests: list[str], health_service: bool) -> None:
    Attendee.objects.bulk_create([Attendee(meeting=meeting, person=person) for person in invited])
    names = [(name[:200], False) for name in guests]
    if health_service:  # named in the reader's language when shown
        names.append(("", True))
    Attendee.objects.bulk_create([Attendee(meeting=meeting, guest_name=name, is_health_service=bht)
                                  for name, bht in names])


def _notify_invited(meeting: Meeting, invited: list[Any], actor: Any, count: int = 1) -> None:
    """One notification per person: of the meeting, or of a series from its first meeting."""
    values = {"title": meeting.title, "count": count,
              "date": f"{timezone.localtime(meeting.starts_at):%d.%m.%Y %H:%M}"}
    for person in invited:
        if person.pk == actor.pk:
            continue
        with translation.override(person.language):
            message = (_("You are invited to “%(title)s” on %(date)s.") if count == 1 else
                       _("You are invited to “%(title)s”: %(count)d meetings from %(date)s.")) % values
        notify(person, message, meeting.get_absolute_url())


def _new_meeting(actor: Any, org_unit: Any, data: dict[str, Any], invitations: dict[str, Any],
                 series: MeetingSeries | None = None) -> Meeting:
    """The meeting with its invitations; those invited to one meeting (not a series) are told."""
    meeting = Meeting(org_unit=org_unit, created_by=actor, series=series,
                      **{name: data[name] for name in Meeting.EDITABLE_FIELDS if name in data})
    meeting.full_clean()
    meeting.save()
    invited = list({actor, *invitations.get("invited", [])})
    _invite(meeting, invited, invitations.get("guests", []), invitations.get("health_service", False))
    _audited(actor, "create", meeting, None)
    if series is None:
        transaction.on_commit(lambda: _announce(meeting, invited, actor))
    return meeting


def _announce(meeting: Meeting, invited: list[Any], actor: Any, count: int = 1) -> None:
    """Those invited hear of the meeting (or series). When the one planning it cannot complete
    its minutes, those who can hear that they do, instead of an invitation (issue 14)."""
    completing = completion.to_tell(meeting, actor)
    told = {person.pk for person in completing}
    _notify_invited(meeting, [person for person in invited if person.pk not in told], actor, count)
    completion.tell(meeting, completing, actor, count)


def plan_meeting(*, actor: Any, org_unit: Any, data: dict[str, Any],
                 invitations: dict[str, Any]) -> Meeting:
    """One meeting. `invitations`: "invited" (people), "guests" (names), "health_service" (bool);
    the person planning is always invited."""
    _check_plan(actor, org_unit, data)
    with transaction.atomic():
        return _new_meeting(actor, org_unit, data, invitations)


def series_dates(first: dt.datetime, interval_months: int, count: int) -> list[dt.datetime]:
    """`count` dates `interval_months` apart, on the same day of the month as the first (or the
    month's last day when it is shorter), at the same local time."""
    local = timezone.localtime(first)
    return [timezone.make_aware(dt.datetime.combine(add_months(local.date(), n * interval_months),
                                                    local.time()))
            for n in range(count)]


def plan_series(*, actor: Any, org_unit: Any, data: dict[str, Any], invitations: dict[str, Any],
                interval: int, count: int) -> MeetingSeries:
    """A recurring schedule: `count` meetings `interval` months apart, each planned up front."""
    _check_plan(actor, org_unit, data)
    with transaction.atomic():
        series = MeetingSeries(org_unit=org_unit, kind=data["kind"], title=data["title"],
                               interval=interval, first_at=data["starts_at"], count=count,
                               created_by=actor)
        series.full_clean()
        series.save()
        meetings = [_new_meeting(actor, org_unit, {**data, "starts_at": starts_at}, invitations, series)
                    for starts_at in series_dates(data["starts_at"], interval, count)]
        invited = list({actor, *invitations.get("invited", [])})
        transaction.on_commit(lambda: _announce(meetings[0], invited, actor, count))
    return series


def edit_meeting(*, actor: Any, meeting: Meeting, version: int, data: dict[str, Any]) -> Meeting:
    authz.require(access.may_run_meeting(actor, meeting))
    _require_open(meeting)
    _check_area(meeting.org_unit, data)
    before = audit.snapshot(meeting, Meeting.AUDITED_FIELDS)
    with transaction.atomic():
        candidate = Meeting(**{**{f: getattr(meeting, f) for f in Meeting.EDITABLE_FIELDS},
                               "org_unit": meeting.org_unit, **data})
        candidate.full_clean(exclude=["org_unit"])
        values = {name: data[name] for name in Meeting.EDITABLE_FIELDS if name in data}
        meeting = _fresh(meeting, version, values)
        _audited(actor, "update", meeting, before)
    return meeting


def cancel_meeting(*, actor: Any, meeting: Meeting, version: int) -> Meeting:
    authz.require(access.may_run_meeting(actor, meeting))
    _require_open(meeting)
    before = audit.snapshot(meeting, Meeting.AUDITED_FIELDS)
    with transaction.atomic():
        meeting = _fresh(meeting, version, {"status": Status.CANCELLED})
        _audited(actor, "cancel", meeting, before)
    return meeting


# --- Agenda ----------------------------------------------------------------------------------------


def _raised_by_safety_rep(actor: Any, meeting: Meeting) -> bool:
    return org_access.represents_area(actor, meeting.safety_area_id) or (
        org_access.role_scope(actor, SAFETY_AREA_ROLES).contains(meeting.org_unit))


def add_item(*, actor: Any, meeting: Meeting, title: str, description: str = "",
             source: str = Source.MANUAL, record: Any = None) -> AgendaItem:
    authz.require(access.can_meeting(actor, Action.EDIT, meeting))
    _require_open(meeting)
    if not title.strip():
        raise ServiceError(_("Write what the item is about."))
    with transaction.atomic():
        item = AgendaItem(meeting=meeting, position=agenda.next_position(meeting),
                          title=title.strip(), description=description, source=source,
                          raised_by=actor, raised_by_safety_rep=_raised_by_safety_rep(actor, meeting))
        if record is not None:
            item.record = record
        item.full_clean()
        item.save()
        _touch(meeting)
        audit.record(actor=actor, action="add_item", obj=meeting, org_unit=meeting.org_unit,
                     after={"item": item.title, "source": item.get_source_display()})
    return item


def add_suggestions(*, actor: Any, meeting: Meeting, keys: list[str]) -> int:
    """Put the chosen suggestions on the agenda; returns how many were added."""
    authz.require(access.can_meeting(actor, Action.EDIT, meeting))
    offered = {suggestion.key: suggestion
               for suggestion in agenda.suggestions(actor, meeting, list(meeting.items.all()))}
    chosen = [offered[key] for key in keys if key in offered]
    if not chosen:
        raise ServiceError(_("Choose at least one of the suggested items."))
    with transaction.atomic():
        for suggestion in chosen:
            add_item(actor=actor, meeting=meeting, **agenda.item_fields(suggestion))
    return len(chosen)


def save_minutes(*, actor: Any, item: AgendaItem, version: int, minutes: str) -> AgendaItem:
    meeting = item.meeting
    authz.require(access.can_meeting(actor, Action.EDIT, meeting))
    _require_open(meeting)
    before = {"item": item.title, "minutes": item.minutes}
    with transaction.atomic():
        item = save_if_current(
            AgendaItem.objects.select_related("meeting__org_unit"), item.pk, version,
            {"minutes": minutes},
            _("Someone else wrote in the minutes of this item while you were working on it. Nothing "
              "was saved: read what they wrote, add yours and save again."))
        audit.record(actor=actor, action="minutes", obj=meeting, org_unit=meeting.org_unit,
                     before=before, after={"item": item.title, "minutes": item.minutes})
    return item


# --- Holding the meeting ---------------------------------------------------------------------------


def record_attendance(*, actor: Any, meeting: Meeting, present: set[int]) -> None:
    """Who was there: `present` holds attendee pks; everyone else invited was not."""
    authz.require(access.may_run_meeting(actor, meeting))
    _require_open(meeting)
    with transaction.atomic():
        attendees = meeting.attendees.all()
        attendees.filter(pk__in=present).update(present=True)
        attendees.exclude(pk__in=present).update(present=False)
        _touch(meeting)
        audit.record(actor=actor, action="attendance", obj=meeting, org_unit=meeting.org_unit,
                     after={"present": sorted(str(a) for a in attendees.filter(present=True))})


def decide(*, actor: Any, meeting: Meeting, text: str, item: AgendaItem | None = None) -> Decision:
    authz.require(access.can_meeting(actor, Action.EDIT, meeting))
    _require_open(meeting)
    if not text.strip():
        raise ServiceError(_("Write what was decided."))
    if item is not None and item.meeting_id != meeting.pk:
        raise ServiceError(_("Choose an item of this meeting's agenda."))
    with transaction.atomic():
        decision = Decision.objects.create(meeting=meeting, item=item, text=text.strip(),
                                           created_by=actor)
        _touch(meeting)
        audit.record(actor=actor, action="decide", obj=meeting, org_unit=meeting.org_unit,
                     after={"decision": decision.text})
    return decision


def decision_measure(*, actor: Any, decision: Decision, data: dict[str, Any]) -> Measure:
    """The decision becomes a measure in the unit's action plan, once: of two people converting
    it at the same moment, the second is refused and their measure not made."""
    meeting = decision.meeting
    authz.require(access.can_meeting(actor, Action.EDIT, meeting))
    if not org_access.can_in_unit(actor, Action.CREATE, meeting.org_unit):
        raise ServiceError(_("You may not add measures to this unit's action plan; ask the leader "
                             "or the HSE coordinator."))
    with transaction.atomic():
        measure = measure_services.create_measure(actor=actor, org_unit=meeting.org_unit, data=data,
                                                  origin=Origin.MEETING, origin_record=decision)
        if not Decision.objects.filter(pk=decision.pk, measure__isnull=True).update(measure=measure):
            raise ServiceError(_("This decision is already a measure in the action plan."))
    return measure


def complete_minutes(*, actor: Any, meeting: Meeting, version: int, summary: str) -> Meeting:
    """The meeting was held and its minutes are written: from now on they are a record."""
    authz.require(access.may_run_meeting(actor, meeting))
    _require_open(meeting)
    if not meeting.attendees.filter(present=True).exists():
        raise ServiceError(_("Record who was present before you complete the minutes."))
    if timezone.now() < meeting.starts_at:
        raise ServiceError(_("The meeting has not started yet: its minutes can be completed "
                             "once it has been held."))
    before = audit.snapshot(meeting, Meeting.AUDITED_FIELDS)
    with transaction.atomic():
        meeting = _fresh(meeting, version, {"status": Status.HELD, "summary": summary,
                                            "minutes_by": actor, "minutes_at": timezone.now()})
        _audited(actor, "complete", meeting, before)
        signals.minutes_completed.send(sender=Meeting, actor=actor, meeting=meeting)
    return meeting


# --- Calendar feed ---------------------------------------------------------------------------------


def calendar_feed(*, actor: Any) -> CalendarFeed:
    """The person's feed address, made the first time it is asked for."""
    feed, _created = CalendarFeed.objects.get_or_create(person=actor)
    return feed


def renew_calendar_feed(*, actor: Any) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    with transaction.atomic():
        CalendarFeed.objects.filter(person=actor).delete()
        feed = CalendarFeed.objects.create(person=actor)
        audit.record(actor=actor, action="renew_calendar_feed", obj=feed)
    return feed
