"""The goal list, the register and "Tasks delegated to me" keep a fixed query count from one row
to many."""

from __future__ import annotations

import pytest
from django.test import Client

from hms.core import cards
from hms.core.tests.test_query_budgets import BUDGET, count_queries
from hms.governance import cards as governance_cards
from hms.governance.tests.factories import accepted, delegation, goal

pytestmark = pytest.mark.django_db


def add_rows(cast, measure_factory, n: int) -> None:
    for i in range(n):
        goal(cast, title=f"Goal {i}", measures=(measure_factory(title=f"M{i}"), measure_factory()))
        accepted(cast, to=(cast.employee, cast.lab_leader, cast.handler)[i % 3])
        delegation(cast, text=f"Task {i}")


PAGES = {
    "goals": lambda c: f"/governance/units/{c.unit_a.pk}/goals/",
    "register": lambda c: f"/governance/units/{c.unit_a.pk}/delegations/",
    "register, all": lambda c: f"/governance/units/{c.unit_a.pk}/delegations/?show=all",
    "mine": lambda c: "/governance/mine/",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_stays_within_budget_from_1_to_25_rows(cast, measure_factory, page):
    client = Client()
    client.force_login(cast.employee)
    url = PAGES[page](cast)
    add_rows(cast, measure_factory, 1)
    count_queries(client, url)  # warm the per-process caches
    few = count_queries(client, url)
    add_rows(cast, measure_factory, 24)
    many = count_queries(client, url)
    assert few == many, f"{page}: {few} queries with 1 row, {many} with 25"
    assert many <= BUDGET, f"{page}: {many} queries"


def test_the_unit_card_costs_one_query_whatever_the_rows(cast, measure_factory, monkeypatch):
    client = Client()
    client.force_login(cast.employee)
    url = f"/org/units/{cast.unit_a.pk}/"
    add_rows(cast, measure_factory, 1)
    count_queries(client, url)
    with_card = count_queries(client, url)
    add_rows(cast, measure_factory, 24)
    assert count_queries(client, url) == with_card
    monkeypatch.setattr(cards, "UNIT_CARDS", {order: card for order, card in cards.UNIT_CARDS.items()
                                             if card is not governance_cards.unit_card})
    assert count_queries(client, url) == with_card - 1
