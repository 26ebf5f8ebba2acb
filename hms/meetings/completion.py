"""Who records attendance and completes a meeting's minutes, said where it matters and told
(issue 14): the unit's leaders and HSE coordinators, and the safety representative of the
meeting's area (`access.may_run_meeting`). Those invited write the agenda and minutes; when the one
planning a meeting cannot complete it, those who can are named on the planning form and told when
it is planned; an invited person who cannot complete it reads on the meeting who can."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hms.core.languages import either
from hms.core.notifications import notify
from hms.core.roles import ROLE_ACTIONS, SAFETY_AREA_ROLES, Action, Role
from hms.meetings import access
from hms.meetings.models import Meeting
from hms.org import access as org_access

# The roles whose reach over a unit lets them run its meetings: leader and HSE coordinator.
RUNNING_ROLES = tuple(role for role in Role if Action.EDIT in ROLE_ACTIONS[role])


def unit_runners(unit: Any) -> list[Any]:
    return org_access.holders_over(unit, RUNNING_ROLES)


def _distinct(people: list[Any]) -> list[Any]:
    return list({person.pk: person for person in people}.values())


def runners(meeting: Meeting) -> list[Any]:
    """Who may complete the meeting's minutes (superusers aside), by name."""
    return _distinct(unit_runners(meeting.org_unit)
                     + org_access.representatives_of(meeting.safety_area_id))


def note(meeting: Meeting) -> str:
    """For someone who sees the open meeting but cannot complete it: who can."""
    people = runners(meeting)
    values = {"unit": meeting.org_unit.name, "people": either(people),
              "area": meeting.safety_area.name if meeting.safety_area else ""}
    if not people:
        return _("Nobody is registered who can complete the minutes of a meeting in %(unit)s: ask "
                 "the administrator to register the unit's leader.") % values
    if meeting.safety_area_id:
        return _("Only the leader or the HSE coordinator of %(unit)s, or the safety representative "
                 "of %(area)s, can record attendance and complete the minutes: %(people)s.") % values
    return _("Only the leader or the HSE coordinator of %(unit)s can record attendance and complete "
             "the minutes: %(people)s.") % values


def plan_note(user: Any, unit: Any) -> str:
    """For the planning form of someone who cannot complete every meeting of the unit (a safety
    representative, also in a unit above their area's units): whose completing the minutes is."""
    if org_access.scope(user, Action.EDIT).contains(unit):
        return ""
    people = unit_runners(unit)
    if people:
        text = _("The minutes of a meeting in %(unit)s are completed by its leader or HSE "
                 "coordinator: %(people)s. They are told when you plan it.") % {
            "unit": unit.name, "people": either(people)}
    else:
        text = _("%(unit)s has no leader or HSE coordinator registered: only the safety "
                 "representative of the meeting's safety area can complete its minutes.") % {
            "unit": unit.name}
    if org_access.role_scope(user, SAFETY_AREA_ROLES).safety_area_ids:
        text += " " + _("For a meeting of your own safety area you complete them yourself.")
    return text


def to_tell(meeting: Meeting, actor: Any) -> list[Any]:
    """Those to tell that they complete the minutes: nobody when the one planning can complete
    them; else the unit's nearest leaders and HSE coordinators, and the area's safety
    representatives (its deputies only when it has none)."""
    if access.may_run_meeting(actor, meeting):
        return []
    area = meeting.safety_area_id
    reps = org_access.representatives_of(area, deputies=False) or org_access.representatives_of(area)
    return [p for p in _distinct(unit_runners(meeting.org_unit) + reps) if p.pk != actor.pk]


def tell(meeting: Meeting, people: list[Any], actor: Any, count: int = 1) -> None:
    """One notification each, in their own language, of the meeting (or a series from it)."""
    values = {"title": meeting.title, "count": count, "unit": meeting.org_unit.name,
              "person": str(actor), "date": f"{timezone.localtime(meeting.starts_at):%d.%m.%Y %H:%M}"}
    for person in people:
        with translation.override(person.language):
            message = (_("%(person)s planned “%(title)s” in %(unit)s on %(date)s: you complete its "
                         "minutes once it is held.") if count == 1 else
                       _("%(person)s planned “%(title)s” in %(unit)s, %(count)d meetings from "
                         "%(date)s: you complete their minutes once each is held.")) % values
        notify(person, message, meeting.get_absolute_url())
