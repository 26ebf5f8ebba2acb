"""The risk assessments card on a unit's page: its overall mapping in force, reviews overdue or
falling due, and work under way, for those who may see the unit's people."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from hms.core.roles import Action
from hms.org import access as org_access
from hms.risk.models import RiskAssessment


def unit_card(user: Any, unit: Any) -> dict[str, Any] | None:
    if not org_access.can_in_unit(user, Action.VIEW, unit):
        return None
    return {"template": "risk/_unit_card.html", "unit": unit,
            **RiskAssessment.objects.summary(unit, timezone.localdate(), settings.HMS_REVIEW_DAYS_AHEAD)}
