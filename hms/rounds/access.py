"""Who sees, walks, plans and signs HSE rounds, their findings and photos."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from hms.core.authz import NOTHING, is_active_user, one_or_404
from hms.core.roles import PARTICIPANT_ACTIONS, ROLE_ACTIONS, SAFETY_AREA_ROLES, Action
from hms.org.access import in_scope_or, may_sign_as_leader, represents_area, role_scope, scope

if TYPE_CHECKING:
    from hms.org.models import OrgUnit
    from hms.rounds.models import Round

# The roles of a unit (not of a safety area) that create records there: they plan its rounds
# for every area.
_UNIT_PLANNERS = frozenset(role for role, actions in ROLE_ACTIONS.items()
                           if role not in SAFETY_AREA_ROLES and Action.CREATE in actions)


def round_q(user: Any, action: str) -> Q:
    """Rounds of units in scope for the action, of the safety areas the user represents, and those
    the user takes part in (to see them and walk them)."""
    return in_scope_or(user, action, lambda action_scope: _round_predicates(user, action))


def _round_predicates(user: Any, action: str) -> Q:
    from hms.rounds.models import Round

    query = NOTHING
    areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
    if areas:
        query |= Q(safety_area__in=sorted(areas))
    if action in PARTICIPANT_ACTIONS:
        taking_part = Round.participants.through.objects.filter(user=user)
        query |= Q(pk__in=taking_part.values("round"))
    return query


def access_round(user: Any, pk: Any, action: str) -> Round:
    from hms.rounds.models import Round

    return one_or_404(Round.objects.filter(round_q(user, action)).select_related(
        "org_unit", "safety_area"), pk)


def can_round(user: Any, action: str, round_: Round) -> bool:
    """VIEW and EDIT (walk, summarise): the unit's scope for the action, the area's safety
    representatives and the participants."""
    if not is_active_user(user):
        return False
    if scope(user, action).contains(round_.org_unit) or represents_area(user, round_.safety_area_id):
        return True
    return action in PARTICIPANT_ACTIONS and round_.participants.filter(pk=user.pk).exists()


def plans_unit_wide(user: Any, unit: OrgUnit) -> bool:
    """Plan rounds for every safety area of the unit: those who create records there by a role of
    the unit (leader, coordinator …) or as its plan owner, not only as a safety representative."""
    if not is_active_user(user):
        return False
    by_unit_role = role_scope(user, _UNIT_PLANNERS)
    return by_unit_role.contains(unit) or (unit.plan_owner_id is not None
                                           and unit.plan_owner_id == user.pk)


def round_areas(user: Any, unit: OrgUnit) -> Any:
    """The safety areas of the unit (its own and its sub-units') the user may plan a round for:
    all of them for those who plan unit-wide, a safety representative only the areas they
    represent, since they sign the round as its safety representative (issue 14)."""
    from hms.org.models import SafetyArea

    areas = SafetyArea.objects.filter(org_unit__path__startswith=unit.path)
    if plans_unit_wide(user, unit):
        return areas
    return areas.filter(pk__in=sorted(role_scope(user, SAFETY_AREA_ROLES).safety_area_ids))


def may_plan_round(user: Any, unit: OrgUnit) -> bool:
    return plans_unit_wide(user, unit) or round_areas(user, unit).exists()


def may_sign_round_as_leader(user: Any, round_: Round) -> bool:
    return may_sign_as_leader(user, round_.org_unit)


def access_finding(user: Any, pk: Any, action: str) -> Any:
    """A finding of a round the user may take `action` on (VIEW or EDIT)."""
    from hms.rounds.models import Finding, Round

    rounds = Round.objects.filter(round_q(user, action))
    return one_or_404(Finding.objects.filter(round__in=rounds).select_related(
        "round__org_unit", "round__safety_area", "answer__item"), pk)


def access_round_photo(user: Any, pk: Any) -> Any:
    from hms.rounds.models import Round, RoundPhoto

    rounds = Round.objects.filter(round_q(user, "view"))
    return one_or_404(RoundPhoto.objects.filter(round__in=rounds), pk)
