"""The deviations section of the daily digest: open cases past their closing deadline or untouched
for HMS_DEVIATION_STALE_DAYS days, to the case handler (the unit's handlers while none is named)
and, as an escalation, to the unit's leaders. A case stalls nowhere silently."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hms.core.roles import Role
from hms.deviations.models import Deviation, DeviationReminder
from hms.org.models import OrgUnit, RoleAssignment


class DeviationSection:
    template = "deviations/email/digest.txt"

    def due(self, day: dt.date) -> dict[int, list[Any]]:
        cases = list(Deviation.objects.needing_attention(day).exclude(reminders__day=day)
                     .select_related("org_unit").order_by("close_deadline", "pk"))
        roles = _roles_over({case.org_unit for case in cases})
        grouped: dict[int, list[Any]] = {}
        for case in cases:
            for pk in _recipients(case, roles):
                grouped.setdefault(pk, []).append(case)
        return grouped

    def claim(self, recipient: Any, records: list[Any], day: dt.date) -> None:
        DeviationReminder.objects.bulk_create(
            [DeviationReminder(deviation=d, recipient=recipient, day=day) for d in records])


def _roles_over(units: set[OrgUnit]) -> dict[tuple[int, str], set[int]]:
    """(unit pk, role) → the people holding the role over that unit (on it, or above with its
    subtree), for leaders and case handlers."""
    paths = {path for unit in units for path in unit.ancestor_paths()}
    held = (RoleAssignment.objects.active()
            .filter(role__in=(Role.LEADER, Role.DEVIATION_HANDLER), org_unit__path__in=paths)
            .values_list("org_unit__path", "covers_subtree", "role", "person_id"))
    found: dict[tuple[int, str], set[int]] = {}
    for unit in units:
        for path, subtree, role, person in held:
            if path == unit.path or (subtree and unit.path.startswith(path)):
                found.setdefault((unit.pk, role), set()).add(person)
    return found


def _recipients(case: Deviation, roles: dict[tuple[int, str], set[int]]) -> list[int]:
    handlers = ({case.handler_id} if case.handler_id
                else roles.get((case.org_unit_id, Role.DEVIATION_HANDLER), set()))
    leaders = roles.get((case.org_unit_id, Role.LEADER), set())
    return sorted(handlers | leaders)
