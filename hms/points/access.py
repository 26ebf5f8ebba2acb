"""Who sees and confirms the points. A unit's overview is seen by its own people (anyone whose
role lets them view the unit's records: leaders, coordinators, safety representatives, handlers,
lab leaders, employees) and by those above it; not by students or outsiders. The matrix of a
subtree is seen by those who see the points of every unit in it. The leader and the unit's safety
representative (or deputy) confirm a point by hand, each for their role."""

from __future__ import annotations

from typing import Any

from hms.core.authz import Grant, is_active_user
from hms.core.roles import SAFETY_AREA_ROLES, Action, Role
from hms.org.access import grants, scope
from hms.org.models import OrgUnit
from hms.points.models import ConfirmingRole

CONFIRMING_ROLES = {ConfirmingRole.LEADER: frozenset({Role.LEADER}),
                    ConfirmingRole.SAFETY_REP: SAFETY_AREA_ROLES}


def may_see_points(user: Any, unit: OrgUnit) -> bool:
    return is_active_user(user) and scope(user, Action.VIEW).contains(unit)


def confirming_roles(user: Any, unit: OrgUnit) -> list[str]:
    """The roles in which the user may confirm the unit's points: leader (over the unit), safety
    representative or deputy (of an area covering it). Held roles only: an administrator's
    reach to everything does not make them the leader or the safety representative."""
    held = {grant.role for grant in grants(user) if _covers(grant, unit)}
    return [role for role, holders in CONFIRMING_ROLES.items() if held & holders]


def _covers(grant: Grant, unit: OrgUnit) -> bool:
    return unit.path.startswith(grant.unit_path) if grant.subtree else grant.unit_id == unit.pk


def may_confirm(user: Any, unit: OrgUnit, role: str) -> bool:
    return role in confirming_roles(user, unit)



def may_see_matrix(user: Any, unit: OrgUnit) -> bool:
    """The matrix of a subtree: for those who see the points of every unit in it."""
    return is_active_user(user) and scope(user, Action.VIEW).covers_subtree(unit)
