"""The cards other parts of the product add to a unit's page and to the home page (risk
assessments, measures, meetings, competence, the occupational health service, goals and
delegations), and the facts about a unit its page asks of them.

A unit card is a function `(user, unit) -> dict | None`, a home card a function
`(user) -> dict | None`: the context its template (the dict's "template") renders as `card`, or None
to show nothing. Each app registers its cards in its AppConfig.ready, at an order number that places
them on the page. A unit flag is a rule `(user, unit) -> bool` the unit's page reads by name (may
the reader open the unit's list of deviations?)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hms.core import registry

UnitCard = Callable[[Any, Any], "dict[str, Any] | None"]
HomeCard = Callable[[Any], "dict[str, Any] | None"]

UNIT_CARDS: dict[int, UnitCard] = {}
HOME_CARDS: dict[int, HomeCard] = {}
UNIT_FLAGS: dict[str, Callable[[Any, Any], bool]] = {}


def register_unit_card(order: int, card: UnitCard) -> None:
    registry.register(UNIT_CARDS, order, card)


def register_home_card(order: int, card: HomeCard) -> None:
    registry.register(HOME_CARDS, order, card)


def register_unit_flag(name: str, rule: Callable[[Any, Any], bool]) -> None:
    UNIT_FLAGS[name] = rule


def unit_cards(user: Any, unit: Any) -> list[dict[str, Any]]:
    cards = (card(user, unit) for card in registry.in_order(UNIT_CARDS))
    return [card for card in cards if card is not None]


def home_cards(user: Any) -> list[dict[str, Any]]:
    cards = (card(user) for card in registry.in_order(HOME_CARDS))
    return [card for card in cards if card is not None]


def unit_flags(user: Any, unit: Any) -> dict[str, bool]:
    return {name: rule(user, unit) for name, rule in UNIT_FLAGS.items()}
