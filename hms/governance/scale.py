"""The governance records of the university-scale dataset for bench/: every department's HSE
goals for last year and this, and delegated tasks in every state."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hms.core.roles import Role
from hms.core.seeding import BATCH, ScaleRun
from hms.governance.models import Delegation, DelegationStatus, DelegationTask, Goal
from hms.org.models import RoleAssignment
from hms.org.scale import first_holders

GOALS = [("Alle avvik behandles innen fristen", "Andel avvik lukket innen frist", "90 %"),
         ("Ingen forfalte risikovurderinger", "Antall forfalte revisjoner", "0"),
         ("Alle nyansatte får HMS-opplæring", "Andel nyansatte med opplæring første måned", "100 %")]


def seed_scale(run: ScaleRun) -> None:
    units = run.plan.department_units()
    leaders = first_holders(units, {Role.LEADER})
    run.timed("governance", lambda: f"{_save_goals(units, leaders)} goals, "
                                    f"{_save_delegations(units, leaders, run.rng)} delegations")


def _save_goals(units: list[Any], leaders: dict[int, Any]) -> int:
    year = timezone.localdate().year
    goals = [Goal(org_unit=unit, year=in_year, title=title, indicator=indicator, target=target,
                  created_by=leaders.get(unit.pk))
             for unit in units for in_year in (year - 1, year) for title, indicator, target in GOALS]
    Goal.objects.bulk_create(goals, batch_size=BATCH)
    return len(goals)


def _save_delegations(units: list[Any], leaders: dict[int, Any], rng: random.Random) -> int:
    tasks = list(DelegationTask.objects.filter(active=True))
    staff: dict[int, list[int]] = {}
    for unit_id, person_id in (RoleAssignment.objects.filter(org_unit__in=units, role=Role.EMPLOYEE)
                               .values_list("org_unit", "person").order_by("pk")):
        staff.setdefault(unit_id, []).append(person_id)
    today, now = timezone.localdate(), timezone.now()
    states = [DelegationStatus.ACCEPTED] * 3 + [DelegationStatus.AWAITING, DelegationStatus.DECLINED]
    delegations = []
    for unit in units:
        for index, status in enumerate(states if staff.get(unit.pk) and tasks else []):
            delegations.append(Delegation(
                org_unit=unit, task=tasks[index % len(tasks)], delegate_id=rng.choice(staff[unit.pk]),
                delegated_by=leaders.get(unit.pk), valid_from=today - dt.timedelta(days=200),
                valid_to=today + dt.timedelta(days=rng.choice([-20, 10, 165, 530])), status=status,
                accepted_at=now if status == DelegationStatus.ACCEPTED else None,
                decline_reason="Har ikke kapasitet." if status == DelegationStatus.DECLINED else ""))
    Delegation.objects.bulk_create(delegations, batch_size=BATCH)
    return len(delegations)
