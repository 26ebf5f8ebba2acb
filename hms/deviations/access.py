"""Deviations have rules of their own (issue 4): who sees a case, who handles it, who reads the
injury details, who manages an area's public report form, who sees the statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import Http404

from hms.core.authz import NOTHING, Scope, is_active_user, one_or_404
from hms.core.roles import DEVIATION_CASE_ROLES, DEVIATION_STATISTICS_ROLES, SAFETY_AREA_ROLES, Action
from hms.org.access import role_scope

if TYPE_CHECKING:
    from hms.deviations.models import Attachment, Deviation
    from hms.org.models import OrgUnit, SafetyArea


def deviation_q(user: Any, action: str) -> Q:
    """VIEW: the unit's cases for its leaders and case handlers, the safety area's for its safety
    representatives, and the reporter's own (an anonymous report has no reporter). Any other
    action (handling the case): leaders and case handlers only."""
    if not is_active_user(user):
        return NOTHING
    cases = role_scope(user, DEVIATION_CASE_ROLES)
    if cases.everything:
        return Q()
    query = cases.unit_q("org_unit")
    if action == Action.VIEW:
        areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
        if areas:
            query |= Q(safety_area__in=sorted(areas))
        query |= Q(reporter=user)
    return query


def access_deviation(user: Any, pk: Any, action: str) -> Deviation:
    from hms.deviations.models import Deviation

    return one_or_404(Deviation.objects.filter(deviation_q(user, action)).select_related(
        "org_unit", "safety_area", "deviation_type", "handler", "reporter"), pk)


def can_deviation(user: Any, action: str, deviation: Deviation) -> bool:
    """Whether the user may take `action` on a case already in hand (no query)."""
    if not is_active_user(user):
        return False
    if role_scope(user, DEVIATION_CASE_ROLES).contains(deviation.org_unit):
        return True
    if action != Action.VIEW:
        return False
    if deviation.reporter_id is not None and deviation.reporter_id == user.pk:
        return True
    areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
    return bool(deviation.safety_area_id and deviation.safety_area_id in areas)


def follows_deviation(user: Any, deviation: Deviation) -> bool:
    """Whether the user follows the whole case (its handling, measures and history): its leaders
    and case handlers, and the safety representatives of its area. A reporter sees what they
    reported and where the case stands."""
    if not is_active_user(user):
        return False
    if role_scope(user, DEVIATION_CASE_ROLES).contains(deviation.org_unit):
        return True
    areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
    return bool(deviation.safety_area_id and deviation.safety_area_id in areas)


def access_attachment(user: Any, pk: Any) -> Attachment:
    """A photo or file of a case the user may see."""
    from hms.deviations.models import Attachment, Deviation

    cases = Deviation.objects.filter(deviation_q(user, Action.VIEW))
    return one_or_404(Attachment.objects.filter(deviation__in=cases), pk)


def may_manage_public_link(user: Any, area: SafetyArea) -> bool:
    """The public report form of a safety area (and its poster): the leaders and case handlers of
    the area's unit, and the area's safety representatives."""
    return role_scope(user, DEVIATION_CASE_ROLES).contains(area.org_unit) or (
        area.pk in role_scope(user, SAFETY_AREA_ROLES).safety_area_ids)


def access_poster_area(user: Any, pk: Any) -> SafetyArea:
    from hms.org.models import SafetyArea

    area = one_or_404(SafetyArea.objects.select_related("org_unit"), pk)
    if not may_manage_public_link(user, area):
        raise Http404
    return area


def may_read_injury_details(user: Any, deviation: Deviation) -> bool:
    """Who was injured, and how: the unit's case handlers and leaders only."""
    return is_active_user(user) and role_scope(user, DEVIATION_CASE_ROLES).contains(
        deviation.org_unit)


def may_handle_in_unit(user: Any, unit: OrgUnit) -> bool:
    return role_scope(user, DEVIATION_CASE_ROLES).contains(unit)


def may_list_deviations(user: Any, unit: OrgUnit) -> bool:
    """The unit's list of cases: its leaders and case handlers, and the safety representatives of
    areas covering it (who see their area's cases in it)."""
    return role_scope(user, DEVIATION_CASE_ROLES | SAFETY_AREA_ROLES).contains(unit)


def deviation_statistics_scope(user: Any) -> Scope:
    """Where the user may see counts of cases (no names, no texts)."""
    return role_scope(user, DEVIATION_STATISTICS_ROLES)
