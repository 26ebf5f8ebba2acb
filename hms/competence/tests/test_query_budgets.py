"""The competence pages' query counts do not grow with the people of a unit (1 to 25 more, with
their records), students included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hms.accounts.models import User
from hms.competence.tests.factories import record
from hms.core.tests.test_query_budgets import budget, count_queries
from hms.org.models import RoleAssignment

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - dt.timedelta(days=30)


def add_people(cast, start, n):
    for i in range(start, start + n):
        person = User.objects.create_user(f"p{i}", f"p{i}@example.org", "pw")
        role = ("student", "employee", "lab_leader")[i % 3]
        RoleAssignment.objects.create(person=person, org_unit=cast.unit_a, role=role)
        record(person, "lab-safety", DAY, org_unit=cast.unit_a)
        record(cast.employee, "fire-safety", DAY - dt.timedelta(days=i))


PAGES = {
    "overview": lambda c: f"/competence/units/{c.unit_a.pk}/",
    "only gaps with sub-units": lambda c: f"/competence/units/{c.unit_a.pk}/?only_gaps=on&subtree=on",
    "export": lambda c: f"/competence/units/{c.unit_a.pk}/gaps.xlsx",
    "records": lambda c: f"/competence/units/{c.unit_a.pk}/records/",
    "mine": lambda c: "/competence/mine/",
    "unit page": lambda c: f"/org/units/{c.unit_a.pk}/",
    "home": lambda c: "/",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_stays_within_budget_from_1_to_25_people(cast, page):
    client = Client()
    client.force_login(cast.employee if page in ("mine", "home") else cast.leader)
    url = PAGES[page](cast)
    add_people(cast, 0, 1)
    count_queries(client, url)  # warm the per-process caches
    few = count_queries(client, url)
    add_people(cast, 1, 24)
    many = count_queries(client, url)
    assert few == many, f"{page}: {few} queries with 1 person, {many} with 25"
    assert many <= budget(page), f"{page}: {many} queries"
