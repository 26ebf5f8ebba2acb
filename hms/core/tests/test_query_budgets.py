"""Query budgets are code: each page's count is fixed here and must not grow with its rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hms.core.models import Notification
from hms.measures.models import Measure

pytestmark = pytest.mark.django_db

BUDGET = 15
# The hub pages show a card from every module besides their own content. On the unit page:
# meetings, goals and delegations, the occupational health service (one query each) and the
# training gaps (one: counts by standing, from the database) for those who see them: within the
# budget. On the home page: the person's meetings and delegations (one each), BHT contacts (two)
# and training (four).
PAGE_BUDGETS = {"unit": BUDGET, "home": BUDGET + 2}


def budget(page: str) -> int:
    """The budget of a page named as the apps' budget tests name it."""
    return PAGE_BUDGETS.get({"unit page": "unit"}.get(page, page), BUDGET)


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_rows(cast, n: int) -> Measure:
    for i in range(n):
        Measure.objects.create(org_unit=cast.unit_a, title=f"M{i}", responsible=cast.employee,
                               created_by=cast.leader)
        Notification.objects.create(recipient=cast.employee, message=f"N{i}")
    return Measure.objects.first()


PAGES = {
    "home": lambda c, m: "/",
    "mine": lambda c, m: "/measures/mine/",
    "plan": lambda c, m: f"/measures/units/{c.unit_a.pk}/",
    "faculty plan": lambda c, m: f"/measures/units/{c.faculty_f.pk}/",
    "detail": lambda c, m: f"/measures/{m.pk}/",
    "tree": lambda c, m: "/org/",
    "unit": lambda c, m: f"/org/units/{c.unit_a.pk}/",
    "notifications": lambda c, m: "/notifications/",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_stays_within_budget_from_1_to_25_rows(cast, page):
    client = Client()
    # the employee sees its own measures; the coordinator's subtree covers the faculty plan
    viewer = cast.coordinator if page == "faculty plan" else cast.employee
    client.force_login(viewer)
    measure = add_rows(cast, 1)
    url = PAGES[page](cast, measure)
    count_queries(client, url)  # warm the per-process caches (content types, sessions)
    few = count_queries(client, url)
    add_rows(cast, 24)
    many = count_queries(client, url)
    assert few == many, f"{page}: {few} queries with 1 row, {many} with 25"
    assert many <= budget(page), f"{page}: {many} queries"
