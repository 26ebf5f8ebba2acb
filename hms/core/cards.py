"""The cards other parts of the product add to a unit's page and to the home page (goals,
delegations, meetings, competence, the occupational health service).

A unit card is a function `(user, unit) -> dict | None` named in UNIT_CARDS, a home card a function
`(user) -> dict | None` named in HOME_CARDS: the context its template (the dict's "template")
renders as `card`, or None to show nothing."""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string

UNIT_CARDS: list[str] = ["hms.meetings.cards.unit_card", "hms.health.cards.unit_card",
                        "hms.competence.cards.unit_card", "hms.governance.cards.unit_card"]
HOME_CARDS: list[str] = ["hms.meetings.cards.home_card", "hms.health.cards.home_card",
                        "hms.competence.cards.home_card", "hms.governance.cards.home_card"]


def unit_cards(user: Any, unit: Any) -> list[dict[str, Any]]:
    cards = (import_string(path)(user, unit) for path in UNIT_CARDS)
    return [card for card in cards if card is not None]


def home_cards(user: Any) -> list[dict[str, Any]]:
    cards = (import_string(path)(user) for path in HOME_CARDS)
    return [card for card in cards if card is not None]
