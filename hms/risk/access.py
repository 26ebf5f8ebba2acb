"""Who sees and changes risk assessments and their rows: the unit's scope, and those taking part."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from hms.core.authz import NOTHING, is_active_user, one_or_404
from hms.core.roles import PARTICIPANT_ACTIONS
from hms.org.access import in_scope_or, scope

if TYPE_CHECKING:
    from hms.risk.models import RiskAssessment, RiskRow


def assessment_q(user: Any, action: str) -> Q:
    """Assessments of units in scope, and those the user takes part in (to see and edit)."""
    return in_scope_or(user, action, lambda _scope: _participant_q(user, action))


def _participant_q(user: Any, action: str) -> Q:
    from hms.risk.models import RiskAssessment

    if action not in PARTICIPANT_ACTIONS:
        return NOTHING
    taking_part = RiskAssessment.participants.through.objects.filter(user=user)
    return Q(pk__in=taking_part.values("riskassessment"))


def access_assessment(user: Any, pk: Any, action: str) -> RiskAssessment:
    from hms.risk.models import RiskAssessment

    return one_or_404(RiskAssessment.objects.filter(assessment_q(user, action))
                      .select_related("org_unit", "matrix", "responsible_leader"), pk)


def access_row(user: Any, pk: Any, action: str) -> RiskRow:
    """A row of an assessment the user may take `action` on."""
    from hms.risk.models import RiskAssessment, RiskRow

    assessments = RiskAssessment.objects.filter(assessment_q(user, action))
    return one_or_404(RiskRow.objects.filter(assessment__in=assessments)
                      .select_related("assessment__org_unit", "assessment__matrix"), pk)


def can_assessment(user: Any, action: str, assessment: RiskAssessment) -> bool:
    if not is_active_user(user):
        return False
    if scope(user, action).contains(assessment.org_unit):
        return True
    return action in PARTICIPANT_ACTIONS and assessment.participants.filter(pk=user.pk).exists()
