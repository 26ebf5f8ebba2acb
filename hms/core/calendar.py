"""What goes into a person's calendar feed: each part of the product that has dated things for a
person (meetings, measure deadlines, delegations ending, trainings expiring) lists them as
`CalendarEntry`s through a provider named in PROVIDERS; the meetings app writes the feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.module_loading import import_string

PROVIDERS: list[str] = ["hms.meetings.feed.meeting_entries", "hms.measures.calendar.entries",
                        "hms.competence.calendar.entries",
                        "hms.governance.calendar.entries"]


@dataclass(frozen=True)
class CalendarEntry:
    uid: str                          # stable for the record, e.g. "measure-12" (the feed adds @host)
    title: str
    start: dt.date | dt.datetime      # a date: an all-day entry (a deadline)
    end: dt.date | dt.datetime | None = None
    url: str = ""                     # a path in the product; the feed makes it absolute
    description: str = ""
    location: str = ""
    cancelled: bool = False


class Provider(Protocol):
    def __call__(self, person: Any, since: dt.date) -> list[CalendarEntry]:
        """The person's entries from `since` on, in their language."""


def entries_for(person: Any, since: dt.date) -> list[CalendarEntry]:
    providers: list[Provider] = [import_string(path) for path in PROVIDERS]
    return [entry for provider in providers for entry in provider(person, since)]
