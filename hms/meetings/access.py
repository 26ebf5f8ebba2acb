"""Who sees and runs meetings, their agenda items and decisions, and whose calendar feed a
secret address opens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import Http404

from hms.core.authz import NOTHING, is_active_user, one_or_404
from hms.core.roles import PARTICIPANT_ACTIONS, SAFETY_AREA_ROLES, Action
from hms.org.access import in_scope_or, represents_area, role_scope, scope

if TYPE_CHECKING:
    from hms.meetings.models import Meeting


def meeting_q(user: Any, action: str) -> Q:
    """Meetings of units in scope for the action, of the safety areas the user represents, and
    those the user is invited to (to see them and write the agenda and minutes)."""
    return in_scope_or(user, action, lambda _scope: _meeting_predicates(user, action))


def _meeting_predicates(user: Any, action: str) -> Q:
    from hms.meetings.models import Attendee

    query = NOTHING
    areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
    if areas:
        query |= Q(safety_area__in=sorted(areas))
    if action in PARTICIPANT_ACTIONS:
        query |= Q(pk__in=Attendee.objects.filter(person=user).values("meeting"))
    return query


def access_meeting(user: Any, pk: Any, action: str) -> Meeting:
    from hms.meetings.models import Meeting

    return one_or_404(Meeting.objects.filter(meeting_q(user, action)).select_related(
        "org_unit", "safety_area", "minutes_by"), pk)


def can_meeting(user: Any, action: str, meeting: Meeting) -> bool:
    """Whether the user may take `action` on a meeting already in hand."""
    if not is_active_user(user):
        return False
    if scope(user, action).contains(meeting.org_unit) or represents_area(user, meeting.safety_area_id):
        return True
    return action in PARTICIPANT_ACTIONS and meeting.attendees.filter(person=user).exists()


def may_run_meeting(user: Any, meeting: Meeting) -> bool:
    """Move or cancel the meeting, take attendance and complete the minutes: the unit's editors
    and the area's safety representatives. Those invited write the agenda and minutes, no more."""
    return is_active_user(user) and (scope(user, Action.EDIT).contains(meeting.org_unit)
                                     or represents_area(user, meeting.safety_area_id))


def access_agenda_item(user: Any, pk: Any, action: str) -> Any:
    from hms.meetings.models import AgendaItem, Meeting

    meetings = Meeting.objects.filter(meeting_q(user, action))
    return one_or_404(AgendaItem.objects.filter(meeting__in=meetings).select_related(
        "meeting__org_unit"), pk)


def access_decision(user: Any, pk: Any, action: str) -> Any:
    from hms.meetings.models import Decision, Meeting

    meetings = Meeting.objects.filter(meeting_q(user, action))
    return one_or_404(Decision.objects.filter(meeting__in=meetings).select_related(
        "meeting__org_unit", "meeting__safety_area", "item"), pk)


def feed_owner(token: str) -> Any:
    """The person whose calendar feed has this secret address: calendar programs cannot sign in,
    so the token is the key. 404 for an unknown token and for a person no longer active."""
    from hms.meetings.models import CalendarFeed

    feed = CalendarFeed.objects.filter(token=token).select_related("person").first()
    if feed is None or not feed.person.is_active:
        raise Http404
    return feed.person
