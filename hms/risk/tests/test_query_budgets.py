"""The risk pages' query counts do not grow with the rows of an assessment or the assessments of a
unit (the budget is the one every page keeps)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hms.core.tests.test_query_budgets import BUDGET, count_queries
from hms.risk import services

pytestmark = pytest.mark.django_db

PAGES = {
    "list": lambda c, a: f"/risk/units/{c.faculty_f.pk}/",
    "detail": lambda c, a: f"/risk/{a.pk}/",
    "heat map": lambda c, a: f"/risk/units/{c.faculty_f.pk}/heatmap/",
    "xlsx": lambda c, a: f"/risk/{a.pk}/assessment.xlsx",
}


def add_rows(cast, assessment, n: int) -> None:
    for i in range(n):
        row = services.add_row(actor=cast.leader, assessment=assessment, data={
            "unwanted_event": f"Event {i}", "probability": 3, "consequences": {"people": 4}})
        services.add_row_measure(actor=cast.leader, row=row, data={
            "title": f"Measure {i}", "responsible": cast.employee, "deadline": dt.date(2030, 1, 1)})
        services.create_assessment(actor=cast.leader, org_unit=cast.unit_a, kind="overall",
                                   data={"title": f"Mapping {i}"})


@pytest.mark.parametrize("page", list(PAGES))
def test_the_risk_page_stays_within_budget_from_1_to_25_rows(cast, lab, page):
    client = Client()
    client.force_login(cast.coordinator)  # may edit: the detail page is the editor
    url = PAGES[page](cast, lab)
    add_rows(cast, lab, 1)
    count_queries(client, url)
    few = count_queries(client, url)
    add_rows(cast, lab, 24)
    many = count_queries(client, url)
    assert few == many, f"{page}: {few} queries with 1 row, {many} with 25"
    assert many <= BUDGET, f"{page}: {many} queries"
