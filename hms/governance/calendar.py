"""Calendar entries: the day each of a person's accepted delegations ends, and for a unit's leader
the day each delegation in the unit ends (time to renew it or hand the task to someone else)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from hms.core.calendar import CalendarEntry
from hms.core.roles import Role
from hms.governance.models import Delegation, DelegationStatus
from hms.org import access as org_access


def entries(person: Any, since: dt.date) -> list[CalendarEntry]:
    led = org_access.role_scope(person, frozenset({Role.LEADER}))
    mine = Q(delegate=person, status=DelegationStatus.ACCEPTED)
    theirs = Q(pk__in=[]) if led.everything else led.unit_q("org_unit")  # a superuser leads nothing
    delegations = (Delegation.objects.current().filter(valid_to__gte=since).filter(mine | theirs)
                   .select_related("task", "org_unit", "delegate").order_by("valid_to", "pk"))
    with translation.override(person.language):
        return [_entry(person, delegation) for delegation in delegations]


def _entry(person: Any, delegation: Delegation) -> CalendarEntry:
    assert delegation.valid_to is not None  # filtered above
    values = {"task": delegation.title, "person": str(delegation.delegate),
              "unit": delegation.org_unit.name}
    title = (_("My delegated task ends: %(task)s") % values if delegation.delegate_id == person.pk
             else _("Delegation ends: %(task)s (%(person)s)") % values)
    return CalendarEntry(uid=f"delegation-{delegation.pk}-end", title=title,
                         start=delegation.valid_to, url=delegation.get_absolute_url(),
                         description=_("Delegated HSE task in %(unit)s.") % values)
