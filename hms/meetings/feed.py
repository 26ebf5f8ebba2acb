"""A person's calendar feed (iCalendar, RFC 5545): their meetings and the deadlines every part of
the product lists for them (`hms.core.calendar.PROVIDERS`), in their language. Calendar programs
poll it, as often as the feed asks (REFRESH-INTERVAL, RFC 7986, and X-PUBLISHED-TTL, which
Outlook reads); entries keep their UID, so a moved meeting moves and a cancelled one is marked so."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from hms.core.calendar import CalendarEntry, entries_for
from hms.meetings.models import Meeting, Status

# How far back the feed reaches: a calendar keeps what it had, so recent history is enough.
HISTORY_DAYS = 90
# How often a calendar program should fetch the feed again.
REFRESH = dt.timedelta(hours=1)


def meeting_entries(person: Any, since: dt.date) -> list[CalendarEntry]:
    """The meetings the person is invited to (a provider in PROVIDERS)."""
    meetings = (Meeting.objects.filter(attendees__person=person, starts_at__date__gte=since)
                .select_related("org_unit").order_by("starts_at"))
    return [CalendarEntry(
        uid=f"meeting-{meeting.pk}", title=_cancelled(meeting), start=meeting.starts_at,
        end=meeting.ends_at, url=meeting.get_absolute_url(), location=meeting.location,
        description=f"{meeting.get_kind_display()} · {meeting.org_unit.name}",
        cancelled=meeting.status == Status.CANCELLED)
        for meeting in meetings]


def _cancelled(meeting: Meeting) -> str:
    if meeting.status == Status.CANCELLED:
        return _("Cancelled: %(title)s") % {"title": meeting.title}
    return meeting.title


def ical(person: Any, site_url: str) -> bytes:
    with translation.override(person.language):
        since = timezone.localdate() - dt.timedelta(days=HISTORY_DAYS)
        calendar = Calendar()
        calendar.add("prodid", "-//HMS//Systematic HSE work//NB")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("HSE: meetings and deadlines"))
        calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
        stamp = timezone.now()
        host = urlsplit(site_url).hostname or "hms"
        for entry in sorted(entries_for(person, since), key=_sort_key):
            calendar.add_component(_event(entry, site_url, stamp, host))
        return calendar.to_ical()


def _sort_key(entry: CalendarEntry) -> tuple[dt.date, str]:
    start = entry.start
    return (timezone.localtime(start).date() if isinstance(start, dt.datetime) else start, entry.uid)


def _event(entry: CalendarEntry, site_url: str, stamp: dt.datetime, host: str) -> Event:
    event = Event()
    event.add("uid", f"{entry.uid}@{host}")  # unique across installations (RFC 5545 § 3.8.4.7)
    event.add("dtstamp", stamp)
    event.add("summary", entry.title)
    event.add("dtstart", entry.start)
    if entry.end is not None:
        event.add("dtend", entry.end)
    elif not isinstance(entry.start, dt.datetime):
        event.add("dtend", entry.start + dt.timedelta(days=1))
    if entry.url:
        event.add("url", urljoin(site_url, entry.url))
    description = "\n".join(part for part in (entry.description, urljoin(site_url, entry.url)
                                              if entry.url else "") if part)
    if description:
        event.add("description", description)
    if entry.location:
        event.add("location", entry.location)
    if entry.cancelled:
        event.add("status", "CANCELLED")
    return event
