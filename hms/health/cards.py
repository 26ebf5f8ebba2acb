"""The occupational health service on the unit page (for every signed-in person: units are a
directory) and on the home page (for every employee: the service of each of their units)."""

from __future__ import annotations

from typing import Any

from hms.core.roles import Role
from hms.health import access
from hms.health.lookup import contacts_for
from hms.org import access as org_access
from hms.org.models import OrgUnit


def unit_card(user: Any, unit: Any) -> dict[str, Any] | None:
    """The contact the unit uses and where it comes from; for those who read the unit's log, a
    link to it. One query (the unit page has a tight budget)."""
    return {"template": "health/_unit_card.html", "in_use": contacts_for([unit]).get(unit.pk),
            "unit": unit, "may_read_log": access.may_read_health_log(user, unit),
            "may_edit": access.may_edit_health_contact(user, unit)}


def home_card(user: Any) -> dict[str, Any] | None:
    """The service of each unit the user works in (students are not employees), one block per
    service however many of their units it covers. Nothing when no unit has one."""
    unit_ids = {grant.unit_id for grant in org_access.grants(user) if grant.role != Role.STUDENT}
    if not unit_ids:
        return None
    units = list(OrgUnit.objects.filter(pk__in=sorted(unit_ids)).order_by("path"))
    found = contacts_for(units)
    services: dict[int, dict[str, Any]] = {}
    for unit in units:
        in_use = found.get(unit.pk)
        if in_use is not None:
            block = services.setdefault(in_use.contact.pk, {"contact": in_use.contact, "units": []})
            block["units"].append(unit)
    if not services:
        return None
    return {"template": "health/_home_card.html", "services": list(services.values())}
