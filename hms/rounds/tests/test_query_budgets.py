"""The round pages' query counts do not grow with the answers, findings and photos of a round, nor
with the rounds of a unit."""

from __future__ import annotations

import pytest
from django.test import Client

from hms.core.tests.test_query_budgets import BUDGET, count_queries
from hms.deviations.tests.factories import photo
from hms.rounds import services
from hms.rounds.models import Result
from hms.rounds.tests.factories import lab_round

pytestmark = pytest.mark.django_db


def answer(cast, round_, items, results):
    for item, result in zip(items, results, strict=False):
        saved = services.save_answer(actor=cast.safety_rep, round_=round_, item=item, result=result,
                                     comment="x", version=None)
        services.add_photo(actor=cast.safety_rep, round_=round_, upload=photo(), answer=saved)
    services.add_finding(actor=cast.safety_rep, round_=round_, title=f"Free {len(results)}")


PAGES = {
    "plan": lambda c, r: f"/rounds/units/{c.unit_a.pk}/",
    "detail": lambda c, r: f"/rounds/{r.pk}/",
    "walk": lambda c, r: f"/rounds/{r.pk}/walk/",
    "summary": lambda c, r: f"/rounds/{r.pk}/summary/",
    "preparation": lambda c, r: f"/rounds/{r.pk}/preparation/",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_round_page_stays_within_budget_as_the_round_fills(cast, page):
    round_ = lab_round(cast)
    items = list(round_.templates.get().items.all())
    client = Client()
    client.force_login(cast.safety_rep)
    url = PAGES[page](cast, round_)
    answer(cast, round_, items[:1], [Result.NOT_OK])
    count_queries(client, url)  # warm the per-process caches
    few = count_queries(client, url)
    answer(cast, round_, items[1:], [Result.NOT_OK, Result.OK] * 10)
    for _ in range(5):
        lab_round(cast)
    many = count_queries(client, url)
    assert few == many, f"{page}: {few} queries with one answer, {many} with all"
    assert many <= BUDGET, f"{page}: {many} queries"
