"""A unit's HSE goals and its register of delegated tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from hms.core.authz import NOTHING, is_active_user, one_or_404
from hms.core.roles import Action
from hms.org.access import holds, in_scope_or, scope

if TYPE_CHECKING:
    from hms.org.models import OrgUnit

# The unit's goals (set, edit, assess: leaders and coordinators), and its goals and delegation
# register, seen by its employees too (not its students): a role's reach alone.
may_edit_goals = holds(Action.EDIT)
may_see_governance = holds(Action.VIEW)


def goal_q(user: Any, action: str) -> Q:
    """A unit's HSE goals: everyone whose role in the unit gives the action (to see them: its
    employees too, not its students)."""
    return in_scope_or(user, action, lambda _scope: NOTHING)


def access_goal(user: Any, pk: Any, action: str) -> Any:
    from hms.governance.models import Goal

    return one_or_404(Goal.objects.filter(goal_q(user, action)).select_related("org_unit"), pk)


def delegation_q(user: Any, action: str) -> Q:
    """The unit's delegation register for those whose role in the unit gives the action; a
    delegation is always visible to its delegate."""
    return in_scope_or(user, action,
                       lambda _scope: Q(delegate=user) if action == Action.VIEW else NOTHING)


def access_delegation(user: Any, pk: Any, action: str) -> Any:
    from hms.governance.models import Delegation

    return one_or_404(Delegation.objects.filter(delegation_q(user, action)).select_related(
        "org_unit", "task", "delegate", "delegated_by"), pk)


def may_delegate(user: Any, unit: OrgUnit) -> bool:
    """Delegate HSE tasks in the unit and revoke them: its leader (the responsibility stays with
    the leader, so nobody else hands tasks out)."""
    return scope(user, Action.MANAGE).contains(unit)


def is_delegate(user: Any, delegation: Any) -> bool:
    """Only the person a task was delegated to accepts or declines it."""
    return is_active_user(user) and delegation.delegate_id == user.pk
