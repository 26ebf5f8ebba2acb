"""The delegations section of the daily digest: a delegate is reminded of a task that has awaited
their answer for more than AWAITING_DAYS days, and the unit's leaders of delegations that end
within ENDING_DAYS days (to renew them or hand the task to someone else)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hms.core.roles import Role
from hms.governance.models import Delegation, DelegationReminder, DelegationStatus
from hms.org.models import RoleAssignment

AWAITING_DAYS = 3
ENDING_DAYS = 14
AWAITING, ENDING = "awaiting", "ending"


class DelegationSection:
    template = "governance/email/digest.txt"

    def due(self, day: dt.date) -> dict[int, list[Any]]:
        sent = set(DelegationReminder.objects.filter(day=day)
                   .values_list("delegation_id", "recipient_id"))
        grouped: dict[int, list[Any]] = {}
        for delegation, recipient, kind in [*_awaiting(day), *_ending(day)]:
            if (delegation.pk, recipient) not in sent:
                sent.add((delegation.pk, recipient))
                noted = copy.copy(delegation)
                noted.reminder = kind  # type: ignore[attr-defined]  # read by the template
                grouped.setdefault(recipient, []).append(noted)
        return grouped

    def claim(self, recipient: Any, records: list[Any], day: dt.date) -> None:
        DelegationReminder.objects.bulk_create(
            [DelegationReminder(delegation=d, recipient=recipient, day=day) for d in records])


def _in_force(day: dt.date) -> Any:
    return Delegation.objects.in_force(day).select_related("task", "org_unit", "delegate")


def _awaiting(day: dt.date) -> list[tuple[Delegation, int, str]]:
    waiting = _in_force(day).filter(status=DelegationStatus.AWAITING,
                                    created_at__date__lt=day - dt.timedelta(days=AWAITING_DAYS))
    return [(delegation, delegation.delegate_id, AWAITING) for delegation in waiting.order_by("pk")]


def _ending(day: dt.date) -> list[tuple[Delegation, int, str]]:
    ending = list(_in_force(day).filter(valid_to__lte=day + dt.timedelta(days=ENDING_DAYS))
                  .order_by("valid_to", "pk"))
    leaders: dict[int, list[int]] = {}
    for unit in {delegation.org_unit for delegation in ending}:
        leaders[unit.pk] = sorted(RoleAssignment.objects.active(day).over(unit)
                                  .filter(role=Role.LEADER).values_list("person_id", flat=True))
    return [(delegation, leader, ENDING) for delegation in ending
            for leader in leaders[delegation.org_unit_id]]
