"""The access rules every app shares, read from the organisation: a user's grants (active role
assignments: a unit, its subtree where the assignment says so, and for safety representatives the
units their safety area covers), the scope they give for an action, and the rules of units and
safety areas. Each app's own rules are in its access.py and build on these."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.http import Http404

from hms.core.authz import NOTHING, Grant, Scope, is_active_user, one_or_404
from hms.core.roles import PLAN_OWNER_ACTIONS, ROLE_ACTIONS, SAFETY_AREA_ROLES, Action

if TYPE_CHECKING:
    from hms.org.models import OrgUnit


def grants(user: Any) -> list[Grant]:
    """The user's active grants, read once per request (cached on the user object)."""
    if not is_active_user(user):
        return []
    cached = getattr(user, "_hms_grants", None)
    if cached is None:
        cached = _load_grants(user)
        user._hms_grants = cached
    return cached


def _load_grants(user: Any) -> list[Grant]:
    from hms.org.models import RoleAssignment

    assignments = (
        RoleAssignment.objects.active()
        .filter(person=user)
        .select_related("org_unit")
        .prefetch_related("safety_area__units")
    )
    result: list[Grant] = []
    units: dict[int, OrgUnit] = {}
    for assignment in assignments:
        if assignment.role in SAFETY_AREA_ROLES and assignment.safety_area is not None:
            area = assignment.safety_area
            units.update((unit.pk, unit) for unit in area.units.all())
            result.extend(
                Grant(assignment.role, unit.pk, unit.path, False, area.pk)
                for unit in area.units.all()
            )
            continue
        unit = assignment.org_unit
        units[unit.pk] = unit
        result.append(Grant(assignment.role, unit.pk, unit.path, assignment.covers_subtree))
    user._hms_units = sorted(units.values(), key=lambda unit: (unit.depth, unit.path))
    return result


def my_units(user: Any) -> list[OrgUnit]:
    """The units the user holds a role in, the highest first: read with the grants, no query."""
    grants(user)
    return getattr(user, "_hms_units", [])


def scope(user: Any, action: str) -> Scope:
    """Where the user may take `action` under the role → action table."""
    return _scope_of(user, lambda grant: action in ROLE_ACTIONS[grant.role])


def role_scope(user: Any, roles: frozenset[str]) -> Scope:
    """Where the user holds one of `roles` (for modules with rules of their own)."""
    return _scope_of(user, lambda grant: grant.role in roles)


def _scope_of(user: Any, counts: Callable[[Grant], bool]) -> Scope:
    if not is_active_user(user):
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    allowed = [grant for grant in grants(user) if counts(grant)]
    return Scope(
        unit_ids=frozenset(g.unit_id for g in allowed if not g.subtree),
        paths=tuple(sorted({g.unit_path for g in allowed if g.subtree})),
        safety_area_ids=frozenset(g.safety_area_id for g in allowed if g.safety_area_id),
    )


def is_org_admin(user: Any) -> bool:
    """Org administrators maintain the unit tree and import people: superusers."""
    return is_active_user(user) and bool(user.is_superuser)


def can_in_unit(user: Any, action: str, unit: OrgUnit) -> bool:
    return scope(user, action).contains(unit) or (
        action in PLAN_OWNER_ACTIONS and unit.plan_owner_id is not None
        and unit.plan_owner_id == getattr(user, "pk", None)
    )


def unit_q(user: Any, action: str) -> Q:
    """Units are a directory: every signed-in person may view any unit's page. Other actions
    (seeing the people list, creating measures there, managing it) need a role in scope."""
    if not is_active_user(user):
        return NOTHING
    action_scope = scope(user, action)
    if action == Action.VIEW or action_scope.everything:
        return Q()
    query = action_scope.unit_q("")
    if action in PLAN_OWNER_ACTIONS:
        query |= Q(plan_owner=user)
    return query


def access_unit(user: Any, pk: Any, action: str) -> OrgUnit:
    from hms.org.models import OrgUnit

    return one_or_404(OrgUnit.objects.visible_to(user, action).select_related("plan_owner"), pk)


def access_unit_where(user: Any, pk: Any, allowed: Callable[[Any, OrgUnit], bool]) -> OrgUnit:
    """A unit whose page of some module the user may open: `allowed(user, unit)` is that module's
    rule (`may_plan_in_unit`, `may_see_training` …); 404 for anyone else."""
    unit = access_unit(user, pk, Action.VIEW)
    if not allowed(user, unit):
        raise Http404
    return unit


def may_see_role_holders(user: Any, unit: OrgUnit) -> bool:
    """Whether the unit's page names its public role holders (PUBLIC_ROLES, issue 12): for every
    signed-in person, or with HMS_SHOW_ROLE_HOLDERS=unit only for those who may see the unit's
    people and those with any role in the unit or below it (its students too)."""
    if settings.HMS_SHOW_ROLE_HOLDERS == "all":
        return is_active_user(user)
    return can_in_unit(user, Action.VIEW, unit) or any(
        grant.unit_path.startswith(unit.path) for grant in grants(user))


def in_unit_scope(action: str) -> Callable[[Any, OrgUnit], bool]:
    """The rule "may take `action` in the unit", for `access_unit_where`."""
    return lambda user, unit: can_in_unit(user, action, unit)


def holds(action: str) -> Callable[[Any, OrgUnit], bool]:
    """The rule "a role held in the unit gives `action`" (no plan-owner or participant extras),
    for the modules whose unit pages follow the role table alone."""
    return lambda user, unit: scope(user, action).contains(unit)


def in_scope_or(user: Any, action: str, predicates: Callable[[Scope], Q]) -> Q:
    """Records whose unit is in the user's scope for the action, or that the record-specific
    `predicates` (given that scope) let through. Nothing for anonymous or inactive users."""
    if not is_active_user(user):
        return NOTHING
    action_scope = scope(user, action)
    if action_scope.everything:
        return Q()
    return action_scope.unit_q("org_unit") | predicates(action_scope)


def q_below(records_q: Callable[[Any, str], Q], user: Any, action: str, unit: OrgUnit) -> Q:
    """`records_q(user, action)` (`measure_q`, `assessment_q` …), for records already narrowed to
    the unit's subtree: nothing more to filter when the user's scope covers that whole subtree
    (the common case, and the fast one)."""
    if is_active_user(user) and scope(user, action).covers_subtree(unit):
        return Q()
    return records_q(user, action)


def may_plan_in_unit(user: Any, unit: OrgUnit) -> bool:
    """Plan a meeting in the unit: those who may create records there, and the safety
    representatives of its areas (rounds: `may_plan_round`, only in the areas they sign for)."""
    from hms.org.models import SafetyArea

    if can_in_unit(user, Action.CREATE, unit):
        return True
    areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
    return bool(areas) and SafetyArea.objects.filter(
        pk__in=sorted(areas), org_unit__path__startswith=unit.path).exists()


def may_sign_as_leader(user: Any, unit: OrgUnit) -> bool:
    from hms.core.roles import Role

    return is_active_user(user) and role_scope(user, frozenset({Role.LEADER})).contains(unit)


def holders_over(unit: OrgUnit, roles: tuple[str, ...]) -> list[Any]:
    """Who to name and tell for a step that needs one of `roles` over the unit (of those
    `role_scope` lets take it), role by role in that order: the active holders on the unit
    itself, else on the nearest unit above it whose role covers its subtree."""
    from hms.org.models import RoleAssignment

    nearest: dict[str, list[Any]] = {}
    depth: dict[str, int] = {}
    assignments = (RoleAssignment.objects.active().over(unit).filter(
        role__in=sorted(roles), person__is_active=True).select_related("person", "org_unit")
        .order_by("person__last_name", "person__first_name", "pk"))
    for assignment in assignments:
        level = len(assignment.org_unit.path)
        if level > depth.get(assignment.role, -1):
            depth[assignment.role], nearest[assignment.role] = level, []
        if level == depth[assignment.role]:
            nearest[assignment.role].append(assignment.person)
    return _distinct([person for role in roles for person in nearest.get(role, [])])


def representatives_of(safety_area_id: int | None, deputies: bool = True) -> list[Any]:
    """The active safety representatives of the area, then (unless `deputies` is false) its
    deputies: those `represents_area` lets act for it."""
    from hms.core.roles import Role
    from hms.org.models import RoleAssignment

    if not safety_area_id:
        return []
    roles = sorted(SAFETY_AREA_ROLES) if deputies else [Role.SAFETY_REP]
    assignments = (RoleAssignment.objects.active().filter(
        role__in=roles, safety_area_id=safety_area_id, person__is_active=True)
        .select_related("person").order_by("-role", "person__last_name", "person__first_name"))
    return _distinct([assignment.person for assignment in assignments])


def _distinct(people: list[Any]) -> list[Any]:
    return list({person.pk: person for person in people}.values())


def represents_area(user: Any, safety_area_id: int | None) -> bool:
    """Whether the user is the safety representative (or deputy) of the area."""
    return bool(safety_area_id) and safety_area_id in role_scope(user, SAFETY_AREA_ROLES).safety_area_ids


def plan_unit(user: Any) -> OrgUnit | None:
    """The unit whose action plan the navigation links to: the highest one whose measures the
    user may see (a faculty leader gets the faculty, an employee the department)."""
    return next((unit for unit in my_units(user) if can_in_unit(user, Action.VIEW, unit)), None)
