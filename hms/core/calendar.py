"""What goes into a person's calendar feed: each part of the product that has dated things for a
person (meetings, measure deadlines, delegations ending, trainings expiring) lists them as
`CalendarEntry`s through a provider it registers in its AppConfig.ready (`register`, at an order
number of its own); the meetings app writes the feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from hms.core import registry


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


PROVIDERS: dict[int, Provider] = {}


def register(order: int, provider: Provider) -> None:
    registry.register(PROVIDERS, order, provider)


def entries_for(person: Any, since: dt.date) -> list[CalendarEntry]:
    return [entry for provider in registry.in_order(PROVIDERS) for entry in provider(person, since)]
