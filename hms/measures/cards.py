"""The measures card on the home page: the person's open measures, and how many are overdue."""

from __future__ import annotations

from typing import Any

from hms.core.roles import Action
from hms.measures.models import Measure


def home_card(user: Any) -> dict[str, Any]:
    mine = Measure.objects.visible_to(user, Action.VIEW).filter(responsible=user)
    return {"template": "measures/_home_card.html",
            "my_open": mine.open().select_related("org_unit")[:10],
            "my_overdue_count": mine.overdue().count()}
