"""The occupational health service's log of a unit, and its BHT contact."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from hms.core.authz import one_or_404
from hms.core.roles import Action
from hms.org.access import holds, scope

# The unit's log of the occupational health service, read by its employees too and written by
# CREATE, and its BHT contact (leaders and coordinators): a role's reach alone.
may_read_health_log = holds(Action.VIEW)
may_log_involvement = holds(Action.CREATE)
may_edit_health_contact = holds(Action.EDIT)


def involvement_q(user: Any, action: str) -> Q:
    """The occupational health service's log of a unit follows the unit's roles: its VIEW scope
    (employees included) reads it, its CREATE scope writes it; entries about one person's health
    (PERSONAL_KINDS) only its EDIT scope reads."""
    from hms.health.models import PERSONAL_KINDS

    allowed = scope(user, action).unit_q("org_unit")
    editors = scope(user, Action.EDIT)
    if action != Action.VIEW or editors.everything:  # (Q() would combine as "no condition")
        return allowed
    return (allowed & ~Q(kind__in=PERSONAL_KINDS)) | editors.unit_q("org_unit")


def access_involvement(user: Any, pk: Any, action: str) -> Any:
    from hms.health.models import Involvement

    return one_or_404(Involvement.objects.filter(involvement_q(user, action))
                      .select_related("org_unit", "recorded_by"), pk)


def can_edit_involvement(user: Any, entry: Any) -> bool:
    """An entry of the log: the unit's editors, and the one who recorded it while they still
    write the unit's log."""
    if scope(user, Action.EDIT).contains(entry.org_unit):
        return True
    return entry.recorded_by_id == getattr(user, "pk", None) and may_log_involvement(
        user, entry.org_unit)
