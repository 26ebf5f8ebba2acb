"""Reading the points: a unit's overview for a year beside the year before, and the matrix of a
subtree. An open year is computed live from the records, but for a subtree of more than
HMS_POINTS_LIVE_UNITS units (a faculty, the university) it is read from what the daily digest run
found (computing every rule over hundreds of units takes seconds); a closed year is read from its
snapshot (hms/points/freeze.py). Whatever is not there yet is computed now, as it stood on the day
judged."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Min, QuerySet
from django.utils import timezone

from hms.org.models import OrgUnit
from hms.points.catalogue import Point
from hms.points.evidence import Evidence, Link, State, Text, Units, Year, evidence_for
from hms.points.models import PointCatalogue, PointConfirmation, PointSnapshot, PointState

# The order of states from worst to best: "sort by worst" and the colours of the matrix follow it.
WORST_FIRST = (State.NOT_MET, State.PARTLY, State.NOT_RECORDED, State.NOT_APPLICABLE, State.MET)


def closing_day(year: int) -> dt.date:
    """The day a year closes: HMS_POINTS_YEAR_CLOSES (month-day) of the next year."""
    return dt.date.fromisoformat(f"{year + 1}-{settings.HMS_POINTS_YEAR_CLOSES}")


def is_closed(year: int, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) >= closing_day(year)


def points_of(year: int) -> list[Point]:
    return points_of_years(year)[0]


def points_of_years(*years: int) -> list[list[Point]]:
    """The points of each year by the catalogue it is judged by, in one query."""
    catalogues = PointCatalogue.objects.for_years(list(years))
    return [catalogue.points() if (catalogue := catalogues[year]) else [] for year in years]


def states(units: Units, year: int, points: list[Point], *, brief: bool = False
           ) -> dict[int, dict[int, Evidence]]:
    """Per point number, per unit pk: the evidence of the year: its snapshot once it is frozen;
    for a subtree larger than HMS_POINTS_LIVE_UNITS in the open year, what the daily run found
    (`daily_as_of` says when); else computed now. `brief`: what is read from storage is the state
    alone (the matrix counts every unit's states, and reads the figures of the rows it shows
    through `stored_figures`)."""
    if is_closed(year):
        found = _stored(units.filter(PointSnapshot.objects.filter(year=year)), brief)
    elif is_stored(units, year):
        found = _stored(units.filter(PointState.objects.filter(year=year)).exclude(evidence={}), brief)
    else:
        found = {}
    missing = [point for point in points if not _has_all(found.get(point.number), units)]
    if missing:
        found.update(evidence_for(units, Year(year, timezone.localdate()), missing))
    return found


def is_stored(units: Units, year: int) -> bool:
    """Whether the year's points of `units` are read from storage: from the snapshot of a closed
    year, or from the daily run for a subtree larger than HMS_POINTS_LIVE_UNITS."""
    return is_closed(year) or len(units.members) > settings.HMS_POINTS_LIVE_UNITS


def daily_as_of(units: Units, year: int) -> dt.date | None:
    """The day of the figures a large subtree's matrix shows (None: computed now)."""
    if is_closed(year) or not is_stored(units, year):
        return None
    return units.filter(PointState.objects.filter(year=year)).aggregate(day=Min("seen_on"))["day"]


def _stored(kept: QuerySet[Any], brief: bool) -> dict[int, dict[int, Evidence]]:
    """The evidence kept in snapshots or daily states, per point number and unit pk."""
    found: dict[int, dict[int, Evidence]] = defaultdict(dict)
    if brief:
        for unit_id, number, state in kept.values_list("org_unit_id", "number", "state"):
            found[number][unit_id] = _BARE[state]
        return found
    for entry in kept:
        found[entry.number][entry.org_unit_id] = Evidence.of_json(entry.evidence)
    return found


_BARE = {str(state): Evidence(state) for state in State}  # a state without its figures


def stored_figures(unit_ids: list[int], year: int) -> dict[int, dict[int, Evidence]]:
    """Per point number, per unit pk: the state, figures and what is missing that storage keeps
    for these units in the year (its snapshot once closed, else the daily run's), without the
    links to the records."""
    kept = PointSnapshot.objects if is_closed(year) else PointState.objects.exclude(evidence={})
    found: dict[int, dict[int, Evidence]] = defaultdict(dict)
    for unit_id, number, state, figures, missing in kept.filter(
            year=year, org_unit_id__in=unit_ids).values_list(
            "org_unit_id", "number", "state", "evidence__figures", "evidence__missing"):
        found[number][unit_id] = Evidence(State(state), tuple(map(Text.of_json, figures or ())), (),
                                          tuple(map(Link.of_json, missing or ())))
    return found


def _has_all(per_unit: dict[int, Evidence] | None, units: Units) -> bool:
    return per_unit is not None and per_unit.keys() >= set(units.ids)


@dataclass
class PointRow:
    """One point of a unit's overview: what the records say this year and last, and who confirmed."""

    point: Point
    evidence: Evidence
    previous: Evidence | None
    confirmations: list[PointConfirmation] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(State(self.evidence.state).label)

    @property
    def previous_label(self) -> str:
        return str(State(self.previous.state).label) if self.previous else ""

    @property
    def changed(self) -> bool:
        return self.previous is not None and self.previous.state != self.evidence.state


def unit_overview(unit: OrgUnit, year: int, number: int = 0) -> list[PointRow]:
    """The unit's points of the year beside the year before, or point `number` alone."""
    units = Units.one(unit)
    this, last = ([point for point in points if number in (0, point.number)]
                  for points in points_of_years(year, year - 1))
    now = states(units, year, this)
    before = states(units, year - 1, last)
    confirmations: dict[int, list[PointConfirmation]] = defaultdict(list)
    said = PointConfirmation.objects.filter(org_unit=unit, year=year).select_related("person")
    for confirmation in said.filter(number=number) if number else said:
        confirmations[confirmation.number].append(confirmation)
    return [PointRow(point, now[point.number][unit.pk],
                     before.get(point.number, {}).get(unit.pk), confirmations[point.number])
            for point in this]


def counts(states: Iterable[State | str]) -> list[tuple[State, int]]:
    """How many points are in each state, worst first (states with none left out)."""
    found = Counter(map(State, states))
    return [(state, found[state]) for state in WORST_FIRST if found[state]]
