"""The roll-up: for a faculty, a department with its sub-units or the whole university, a matrix
of units × points for a year, totals per point against the year before, filtered by point and
state, sorted by worst; and the share of units meeting each point over the years. Every rule runs
once over the subtree (`Units.subtree`), so the queries do not grow with the number of units."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from hms.org.models import OrgUnit
from hms.points.catalogue import Point
from hms.points.evidence import Evidence, State, Units
from hms.points.models import PointSnapshot
from hms.points.overview import (
    WORST_FIRST,
    daily_as_of,
    is_stored,
    points_of_years,
    states,
    stored_figures,
)

SORTS = ("tree", "worst")
YEARS_CHARTED = 5


@dataclass
class MatrixRow:
    unit: OrgUnit
    cells: list[Evidence]

    def badness(self) -> tuple[int, ...]:
        """How bad the row is, for "worst first": its count of each state, worst state first."""
        found = Counter(State(cell.state) for cell in self.cells)
        return tuple(-found[state] for state in WORST_FIRST[:2])


@dataclass
class Total:
    point: Point
    met: int
    counted: int  # units the point applies to (not "not applicable")
    met_before: int | None
    counted_before: int | None


@dataclass
class Matrix:
    year: int
    points: list[Point]
    rows: list[MatrixRow]
    totals: list[Total]
    units_in_tree: int
    as_of: dt.date | None  # the day of the daily figures a large subtree shows; None: now
    stored: bool  # the year's states were read from storage, their figures not yet (`with_figures`)


def matrix(root: OrgUnit, year: int, *, point: int = 0, state: str = "", sort: str = "tree") -> Matrix:
    units = Units.subtree(root)
    points, last = points_of_years(year, year - 1)
    now = states(units, year, points, brief=True)
    before = states(units, year - 1, last, brief=True)
    rows = [MatrixRow(unit, [now[p.number][unit.pk] for p in points]) for unit in units.members]
    totals = [_total(p, now[p.number], before.get(p.number)) for p in points]
    if point and state:
        index = next((i for i, p in enumerate(points) if p.number == point), None)
        rows = [row for row in rows if index is not None and row.cells[index].state == state]
    if sort == "worst":
        rows.sort(key=MatrixRow.badness)
    return Matrix(year, points, rows, totals, len(units.members), daily_as_of(units, year),
                  is_stored(units, year))


def with_figures(found: Matrix, rows: list[MatrixRow]) -> list[MatrixRow]:
    """`rows` with their figures and what is missing (for the workbook; the page shows states),
    read from storage in one query when the matrix read the states alone."""
    if found.stored and rows:
        kept = stored_figures([row.unit.pk for row in rows], found.year)
        for row in rows:
            row.cells = [kept.get(point.number, {}).get(row.unit.pk, cell)
                         for point, cell in zip(found.points, row.cells, strict=True)]
    return rows


def _total(point: Point, now: dict[int, Evidence], before: dict[int, Evidence] | None) -> Total:
    met, counted = _met_of(now)
    met_before, counted_before = _met_of(before) if before else (None, None)
    return Total(point, met, counted, met_before, counted_before)


def _met_of(per_unit: dict[int, Evidence]) -> tuple[int, int]:
    found = Counter(evidence.state for evidence in per_unit.values())
    return found[State.MET], sum(found.values()) - found[State.NOT_APPLICABLE]


def share_over_years(root: OrgUnit, year: int, current: list[Total]) -> dict[int, dict[int, float]]:
    """Per point number, per year: the share of the units it applies to that met it, from the
    snapshots of the closed years before `year` (one query), and the matrix's own totals for
    `year` and for the year before where that is not frozen yet."""
    first = year - YEARS_CHARTED + 1
    counted: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    frozen = PointSnapshot.objects.filter(year__gte=first, year__lt=year,
                                          org_unit__path__startswith=root.path)
    for entry in frozen.values("year", "number", "state").annotate(n=Count("pk")).order_by():
        counted[(entry["number"], entry["year"])][entry["state"]] += entry["n"]
    shares: dict[int, dict[int, float]] = defaultdict(dict)
    for (number, in_year), found in sorted(counted.items()):
        applies = sum(found.values()) - found[State.NOT_APPLICABLE]
        shares[number][in_year] = _share(found[State.MET], applies)
    for total in current:
        shares[total.point.number][year] = _share(total.met, total.counted)
        if total.counted_before is not None and total.met_before is not None:
            shares[total.point.number].setdefault(year - 1, _share(total.met_before, total.counted_before))
    return shares


def _share(met: int, counted: int) -> float:
    return met / counted if counted else 0.0
