"""The service page's query count does not grow with the log; the unit and home pages' counts do
not grow with it either, and the cards add one and two queries to them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.module_loading import import_string

from hms.core import cards
from hms.core.tests.test_query_budgets import BUDGET, count_queries
from hms.health.tests.factories import FACULTY, contact, entry
from hms.rounds.tests.factories import lab_round

pytestmark = pytest.mark.django_db


def add_entries(cast, n):
    round_ = lab_round(cast)
    for index in range(n):
        entry(cast, kind=["hse_round", "meeting", "training"][index % 3],
              record=None if index % 2 else round_)


def leader_client(cast):
    contact(cast)
    contact(cast, cast.faculty_f, **FACULTY)
    client = Client()
    client.force_login(cast.leader)
    return client


def test_the_service_page_stays_within_budget_from_1_to_25_entries(cast):
    client = leader_client(cast)
    url = f"/health/units/{cast.unit_a.pk}/"
    add_entries(cast, 1)
    count_queries(client, url)  # warm the per-process caches
    few = count_queries(client, url)
    add_entries(cast, 24)
    many = count_queries(client, url)
    assert few == many, f"{few} queries with 1 entry, {many} with 25"
    assert many <= BUDGET, f"{many} queries"


@pytest.mark.parametrize(("url", "registry", "path", "cost"), [
    (lambda c: f"/org/units/{c.unit_a.pk}/", "UNIT_CARDS", "hms.health.cards.unit_card", 1),
    (lambda c: "/", "HOME_CARDS", "hms.health.cards.home_card", 2),
])
def test_the_card_costs_a_fixed_number_of_queries(cast, monkeypatch, url, registry, path, cost):
    client = leader_client(cast)
    add_entries(cast, 1)
    count_queries(client, url(cast))
    with_card = count_queries(client, url(cast))
    add_entries(cast, 24)
    assert count_queries(client, url(cast)) == with_card
    monkeypatch.setattr(cards, registry, {order: card for order, card in getattr(cards, registry).items()
                                          if card is not import_string(path)})
    assert with_card - count_queries(client, url(cast)) == cost
