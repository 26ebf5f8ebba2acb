"""What the action plan says about point 10 (issue 16), "action_plan": every open measure has a
responsible and a deadline, the unit has named the plan's follow-up owner, and few measures are
overdue.

A measure counts as open on the day judged when it was made by then and was not yet done then
(open or in progress now, or done after that day); a cancelled one never counts. So a closed
year is judged by its plan at its end, as far as the records tell it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_noop

from hms.measures.models import OPEN_STATUSES, Measure, Status
from hms.points.catalogue import Point
from hms.points.evidence import MAX_RECORD_LINKS, Evidence, Link, State, Text, Units, Year, url_for

DONE_STATUSES = (Status.DONE, Status.VERIFIED)


@dataclass
class _Plan:
    open: int = 0
    complete: int = 0
    overdue: int = 0
    done_this_year: int = 0
    owner: str = ""
    wanting: list[dict[str, Any]] = field(default_factory=list)


def action_plan_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """Met when the unit names a follow-up owner, every open measure has a responsible and a
    deadline, and the overdue share (deadline before the day judged) is at most
    `max_overdue_share` (1 of 10 at 0.1 is met); a unit with no open measure and an owner is met.
    Not met when there is no plan at all: no owner, no open measure, none done this year. Else
    partly met. Two queries, the counts shared with point 11 (`plan_counts`); the owners come
    with the units."""
    allowed = float(point.thresholds.get("max_overdue_share", 0.1))
    on = year.on
    found: dict[int, _Plan] = defaultdict(_Plan)
    for unit_pk, counts in plan_counts(units, year).items():
        plan = found[unit_pk]
        plan.open, plan.complete = counts["open"], counts["complete"]
        plan.overdue, plan.done_this_year = counts["overdue"], counts["done_this_year"]
    for measure in _first_wanting(_made_by(units, year).filter(_open_on(on)), on):
        found[measure["org_unit_id"]].wanting.append(measure)
    for unit_pk, name in _owners(units):
        found[unit_pk].owner = name
    return {unit.pk: _evidence(unit.pk, found[unit.pk], allowed, on) for unit in units.members}


def _made_by(units: Units, year: Year) -> QuerySet[Any]:
    """The units' measures made by the end of the day judged, not cancelled."""
    return units.filter(Measure.objects.filter(created_at__lt=year.end).exclude(status=Status.CANCELLED))


def made_in_year(units: Units, year: Year) -> QuerySet[Any]:
    """The units' measures made from the year's first day to the day judged, not cancelled."""
    return _made_by(units, year).filter(created_at__gte=year.start)


def _open_on(on: dt.date) -> Q:
    return Q(status__in=OPEN_STATUSES) | Q(status__in=DONE_STATUSES, done_date__gt=on)


def plan_counts(units: Units, year: Year) -> dict[int, dict[str, int]]:
    """One query, once for the units and year whichever rule asks first: per unit, of its
    measures made by the day judged (not cancelled), those open then ("open"), open with a
    responsible and a deadline ("complete"), open and overdue ("overdue"), done this year
    ("done_this_year"), and those made this year ("made_this_year")."""
    return units.remember(("measures.counts", year), lambda: _read_plan_counts(units, year))


def _read_plan_counts(units: Units, year: Year) -> dict[int, dict[str, int]]:
    on = year.on
    open_q = _open_on(on)
    complete_q = Q(responsible__isnull=False, deadline__isnull=False)
    return {counts.pop("org_unit_id"): counts for counts in _made_by(units, year).order_by()
            .values("org_unit_id").annotate(
                open=Count("pk", filter=open_q), complete=Count("pk", filter=open_q & complete_q),
                overdue=Count("pk", filter=open_q & Q(deadline__lt=on)),
                done_this_year=Count("pk", filter=Q(status__in=DONE_STATUSES,
                                                    done_date__gte=year.first_day, done_date__lte=on)),
                made_this_year=Count("pk", filter=Q(created_at__gte=year.start)))}


def _first_wanting(open_measures: QuerySet[Measure], on: dt.date) -> list[dict[str, Any]]:
    """Each unit's first open measures without a responsible or a deadline, or overdue: those
    without a deadline first, then the longest overdue."""
    wanting = Q(responsible__isnull=True) | Q(deadline__isnull=True) | Q(deadline__lt=on)
    order = [F("deadline").asc(nulls_first=True), F("pk").asc()]
    ranked = (open_measures.filter(wanting)
              .annotate(rank=Window(RowNumber(), partition_by=[F("org_unit_id")], order_by=order))
              .filter(rank__lte=MAX_RECORD_LINKS))
    return list(ranked.values("pk", "org_unit_id", "title", "responsible_id", "deadline")
                .order_by(*order))


def _owners(units: Units) -> list[tuple[int, str]]:
    """(unit pk, its plan follow-up owner's name) of the units that name one: read with the
    units (`Units.subtree`, the unit of a page), else one query for the one unit."""
    return [(unit.pk, f"{unit.plan_owner.first_name} {unit.plan_owner.last_name}".strip()
             or unit.plan_owner.username) for unit in units.members if unit.plan_owner_id]


def _evidence(unit_pk: int, plan: _Plan, allowed: float, on: dt.date) -> Evidence:
    exists = bool(plan.owner or plan.open or plan.done_this_year)
    within = plan.overdue <= allowed * plan.open + 1e-9
    figures = [_measures_figure(plan, allowed),
               Text(gettext_noop("Plan follow-up owner: %(name)s."), {"name": plan.owner})
               if plan.owner else Text(gettext_noop("No plan follow-up owner named."))]
    if not exists:
        state = State.NOT_MET
    elif plan.owner and plan.complete == plan.open and within:
        state = State.MET
    else:
        state = State.PARTLY
    records = tuple(_record(measure, on) for measure in plan.wanting)
    return Evidence(state, tuple(figures), records,
                    _missing(unit_pk, plan, exists, within) if state != State.MET else ())


def _measures_figure(plan: _Plan, allowed: float) -> Text:
    if not plan.open:
        return Text(gettext_noop("The action plan has no open measures."))
    return Text(gettext_noop("Open measures: %(open)s, %(complete)s of them with a responsible and "
                             "a deadline; overdue: %(overdue)s (%(share)s %%, at most %(allowed)s %% "
                             "allowed)."),
                {"open": plan.open, "complete": plan.complete, "overdue": plan.overdue,
                 "share": round(100 * plan.overdue / plan.open), "allowed": round(100 * allowed)})


def _record(measure: dict[str, Any], on: dt.date) -> Link:
    url = url_for("measures:detail", args=[measure["pk"]])
    if measure["responsible_id"] is None or measure["deadline"] is None:
        return Link(Text(gettext_noop("Without a responsible or a deadline: %(title)s"),
                         {"title": measure["title"]}), url)
    return Link(Text(gettext_noop("Overdue since %(deadline)s: %(title)s"),
                     {"deadline": measure["deadline"], "title": measure["title"]}), url)


def _missing(unit_pk: int, plan: _Plan, exists: bool, within: bool) -> tuple[Link, ...]:
    page = url_for("measures:plan", args=[unit_pk])
    missing = []
    if not exists:
        missing.append(Link(Text(gettext_noop("Add the unit's measures to the action plan")),
                            url_for("measures:create", args=[unit_pk])))
    if not plan.owner:
        missing.append(Link(Text(gettext_noop("Name the action plan's follow-up owner")), page))
    if plan.complete < plan.open:
        missing.append(Link(Text(gettext_noop("Give every open measure a responsible and a "
                                              "deadline")), page + "?scope=unit"))
    if not within:
        missing.append(Link(Text(gettext_noop("Follow up the overdue measures")),
                            page + "?scope=unit&overdue=yes"))
    return tuple(missing)
