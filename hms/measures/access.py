"""Who sees and changes measures (the action plan): the unit's scope for the action, the plan
owner, the responsible person and the safety area's representatives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from hms.core.authz import NOTHING, Scope, is_active_user, one_or_404
from hms.core.roles import PLAN_OWNER_ACTIONS, RESPONSIBLE_ACTIONS
from hms.org.access import in_scope_or, scope

if TYPE_CHECKING:
    from hms.measures.models import Measure


def measure_q(user: Any, action: str) -> Q:
    return in_scope_or(user, action, lambda action_scope: _measure_predicates(user, action, action_scope))


def _measure_predicates(user: Any, action: str, action_scope: Scope) -> Q:
    query = NOTHING
    if action_scope.safety_area_ids:
        query |= Q(safety_area__in=sorted(action_scope.safety_area_ids))
    if action in PLAN_OWNER_ACTIONS:
        query |= Q(org_unit__plan_owner=user)
    if action in RESPONSIBLE_ACTIONS:
        query |= Q(responsible=user)
    return query


def access_measure(user: Any, pk: Any, action: str) -> Measure:
    from hms.measures.models import Measure

    return one_or_404(Measure.objects.visible_to(user, action).select_related(
        "org_unit", "responsible", "safety_area", "created_by"), pk)


def can_measure(user: Any, action: str, measure: Measure) -> bool:
    """Whether the user may take `action` on a measure already in hand (no query for most users)."""
    if not is_active_user(user):
        return False
    if scope(user, action).contains(measure.org_unit):
        return True
    if action in PLAN_OWNER_ACTIONS and measure.org_unit.plan_owner_id == user.pk:
        return True
    if action in RESPONSIBLE_ACTIONS and measure.responsible_id == user.pk:
        return True
    return bool(measure.safety_area_id and measure.safety_area_id in scope(user, action).safety_area_ids)
