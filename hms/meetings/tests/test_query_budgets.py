"""The meeting pages' query counts do not grow with a meeting's agenda, attendees and decisions,
nor with the meetings of a unit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hms.core.tests.test_query_budgets import budget, count_queries
from hms.deviations.tests.factories import report
from hms.meetings import services
from hms.meetings.tests.factories import meeting

pytestmark = pytest.mark.django_db


def fill(cast, planned, n):
    for index in range(n):
        item = services.add_item(actor=cast.safety_rep, meeting=planned, title=f"Sak {index}")
        services.decide(actor=cast.leader, meeting=planned, text=f"Vedtak {index}", item=item)
        report(cast, title=f"Avvik {index}")


PAGES = {
    "unit": lambda c, m: f"/meetings/units/{c.unit_a.pk}/",
    "detail": lambda c, m: f"/meetings/{m.pk}/",
    "unit page": lambda c, m: reverse("org:unit", args=[c.unit_a.pk]),
    "home": lambda c, m: "/",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_meeting_pages_stay_within_budget_as_meetings_fill(cast, page):
    planned = meeting(cast, invited=("safety_rep", "employee"))
    client = Client()
    client.force_login(cast.leader)
    url = PAGES[page](cast, planned)
    fill(cast, planned, 1)
    count_queries(client, url)  # warm the per-process caches
    few = count_queries(client, url)
    fill(cast, planned, 12)
    for _ in range(12):
        meeting(cast, invited=("deputy",))
    many = count_queries(client, url)
    assert few == many, f"{page}: {few} queries with one item, {many} with many"
    assert many <= budget(page), f"{page}: {many} queries"
