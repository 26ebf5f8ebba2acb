"""The cards other parts of the product add to a unit's page (goals, delegations, meetings,
competence, the occupational health service). A card is a function `(user, unit) -> dict | None`
named in CARDS: the context its template (the dict's "template") renders, or None to show nothing."""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string

CARDS: list[str] = []


def unit_cards(user: Any, unit: Any) -> list[dict[str, Any]]:
    cards = (import_string(path)(user, unit) for path in CARDS)
    return [card for card in cards if card is not None]
