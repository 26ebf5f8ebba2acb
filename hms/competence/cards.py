"""The competence cards: a unit's training gaps (for those who see its overview) and, on the home
page, the signed-in person's missing and expiring trainings."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hms.competence import access, gaps
from hms.org.models import RoleAssignment


def unit_card(user: Any, unit: Any) -> dict[str, Any] | None:
    if not access.may_see_training(user, unit):
        return None
    held = gaps.unit_assignments(unit, subtree=False, within=access.training_scope(user))
    return {"template": "competence/_unit_card.html", "unit": unit,
            "counts": gaps.tally(held, timezone.localdate())}


def home_card(user: Any) -> dict[str, Any] | None:
    needs = gaps.needs_of(RoleAssignment.objects.active().filter(person=user), timezone.localdate())
    if not needs:
        return None
    return {"template": "competence/_home_card.html",
            "gaps": [need for need in needs if need.is_gap]}
