"""The rounds section of the daily digest: a safety area whose next round falls due within
HMS_DIGEST_DAYS_AHEAD days, or is overdue, and has no round planned, to those who plan its rounds
(the leaders and HSE coordinators over the area's unit and the area's safety representatives),
once a week each area, until a round is planned (`planning` holds the rule of when one is due)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from hms.core.roles import Role
from hms.org.models import OrgUnit, RoleAssignment, SafetyArea
from hms.rounds.models import RoundReminder
from hms.rounds.planning import AreaPlan, plans_of

REMIND_EVERY_DAYS = 7
UNIT_PLANNERS = (Role.LEADER, Role.HSE_COORDINATOR)


class RoundSection:
    template = "rounds/email/digest.txt"

    def due(self, day: dt.date) -> dict[int, list[Any]]:
        recent = RoundReminder.objects.filter(day__gt=day - dt.timedelta(days=REMIND_EVERY_DAYS))
        window = day + dt.timedelta(days=settings.HMS_DIGEST_DAYS_AHEAD)
        plans = [plan for plan in plans_of(SafetyArea.objects.exclude(
                     pk__in=recent.values("safety_area")), day)
                 if plan.planned is None and plan.next_due <= window]
        plans.sort(key=lambda plan: (plan.next_due, plan.area.pk))
        planners = _planners([plan.area for plan in plans], day)
        grouped: dict[int, list[Any]] = {}
        for plan in plans:
            for pk in planners[plan.area.pk]:
                grouped.setdefault(pk, []).append(plan)
        return grouped

    def claim(self, recipient: Any, records: list[AreaPlan], day: dt.date) -> None:
        RoundReminder.objects.bulk_create(
            [RoundReminder(safety_area=plan.area, recipient=recipient, day=day) for plan in records])


def _planners(areas: list[SafetyArea], day: dt.date) -> dict[int, list[int]]:
    """Who plans each area's rounds: its unit's leaders and HSE coordinators (also those above it
    with its subtree) and the area's safety representatives, by area."""
    units = _unit_planners({area.org_unit for area in areas}, day)
    representatives: dict[int, set[int]] = {}
    for area_pk, person_pk in (RoleAssignment.objects.active(day)
                               .filter(role=Role.SAFETY_REP, safety_area__in=[a.pk for a in areas])
                               .values_list("safety_area_id", "person_id")):
        representatives.setdefault(area_pk, set()).add(person_pk)
    return {area.pk: sorted(units[area.org_unit_id] | representatives.get(area.pk, set()))
            for area in areas}


def _unit_planners(units: Iterable[OrgUnit], day: dt.date) -> dict[int, set[int]]:
    return {unit.pk: set(RoleAssignment.objects.active(day).over(unit)
                         .filter(role__in=UNIT_PLANNERS).values_list("person_id", flat=True))
            for unit in units}
