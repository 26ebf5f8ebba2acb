"""The points' card on a unit's page: the unit's 19 points as the digest's daily run last found
them (one query: their states, not the figures), the count in each state, and the way to the
overview, which shows them as they are now. Before the first daily run of the year it offers the
way only."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hms.points import access
from hms.points.evidence import State
from hms.points.models import PointState
from hms.points.overview import counts


def unit_card(user: Any, unit: Any) -> dict[str, Any] | None:
    if not access.may_see_points(user, unit):
        return None
    year = timezone.localdate().year
    seen = list(PointState.objects.filter(org_unit=unit, year=year)
                .values_list("number", "state", "seen_on").order_by("number"))
    found = [(number, State(state)) for number, state, _day in seen]
    return {"template": "points/_unit_card.html", "unit": unit, "year": year, "points": found,
            "counts": counts(state for _number, state in found),
            "seen_on": min((day for _n, _s, day in seen), default=None)}
