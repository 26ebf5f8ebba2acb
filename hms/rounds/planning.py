"""The planning view of rounds: per safety area, the last walked round, the next one due by the
area's risk level, and whether it is overdue, rolled up over a unit's subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet

from hms.org.models import SafetyArea
from hms.rounds.models import DONE_STATUSES, Round, Status, due_date, rounds_per_year


@dataclass(frozen=True)
class AreaPlan:
    area: SafetyArea
    per_year: int
    last_done: dt.date | None
    next_due: dt.date
    overdue: bool
    planned: Round | None  # the next round not yet summarised (planned, prepared or walked)


def area_plans(unit: Any, today: dt.date) -> list[AreaPlan]:
    """Every safety area owned by a unit in the subtree, in two queries."""
    return plans_of(SafetyArea.objects.filter(org_unit__path__startswith=unit.path), today)


def plans_of(areas: QuerySet[SafetyArea], today: dt.date) -> list[AreaPlan]:
    """The plan of each of `areas`, in two queries."""
    listed = list(areas.select_related("org_unit")
                  .annotate(last_done=Max("rounds__conducted_on",
                                          filter=Q(rounds__status__in=DONE_STATUSES)))
                  .order_by("org_unit__path", "name"))
    upcoming: dict[int, Round] = {}
    for planned in (Round.objects.filter(safety_area__in=[a.pk for a in listed],
                                         status__in=(Status.PLANNED, Status.PREPARED,
                                                     Status.CONDUCTED))
                    .order_by("-planned_on")):
        upcoming[planned.safety_area_id] = planned  # the earliest wins, being last
    plans = []
    for area in listed:
        last = area.last_done  # type: ignore[attr-defined]
        due = due_date(last, area.risk_level, today)
        plans.append(AreaPlan(area, rounds_per_year(area.risk_level), last, due,
                              due < today or (last is None), upcoming.get(area.pk)))
    return plans
