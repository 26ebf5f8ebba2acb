"""The points' card on a unit's page: a way to the overview for those who may see it. It computes
nothing, so the unit's page keeps its query budget; the overview is one click away."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hms.points import access


def unit_card(user: Any, unit: Any) -> dict[str, Any] | None:
    if not access.may_see_points(user, unit):
        return None
    return {"template": "points/_unit_card.html", "unit": unit, "year": timezone.localdate().year}
