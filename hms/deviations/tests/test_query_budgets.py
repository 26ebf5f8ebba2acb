"""The deviation pages' query counts do not grow with the cases of a unit, nor with the files,
measures and history of one case."""

from __future__ import annotations

import pytest
from django.test import Client

from hms.core.tests.test_query_budgets import BUDGET, count_queries
from hms.deviations import services
from hms.deviations.tests.factories import accepted, photo, report

pytestmark = pytest.mark.django_db


def add_cases(cast, n: int, case) -> None:
    for i in range(n):
        report(cast, title=f"Case {i}")
        services.add_measure(actor=cast.handler, deviation=case, data={"title": f"M{i}"})
    case.refresh_from_db()
    services.add_attachments(actor=cast.handler, deviation=case, uploads=[photo()])


PAGES = {
    "unit list": lambda c, case: f"/deviations/units/{c.unit_a.pk}/",
    "faculty list": lambda c, case: f"/deviations/units/{c.faculty_f.pk}/",
    "case": lambda c, case: f"/deviations/{case.pk}/",
    "mine": lambda c, case: "/deviations/mine/",
    "statistics": lambda c, case: f"/deviations/units/{c.unit_a.pk}/statistics/",
    "report form": lambda c, case: "/deviations/report/",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_deviation_page_stays_within_budget_from_1_to_25_cases(cast, page):
    from hms.core.roles import Role
    from hms.org.models import RoleAssignment

    RoleAssignment.objects.create(person=cast.handler, org_unit=cast.faculty_f,
                                  role=Role.DEVIATION_HANDLER, covers_subtree=True)
    viewer = cast.student if page == "mine" else cast.handler
    client = Client()
    client.force_login(viewer)
    case = accepted(cast)
    url = PAGES[page](cast, case)
    count_queries(client, url)  # warm the per-process caches
    few = count_queries(client, url)
    add_cases(cast, 24, case)
    many = count_queries(client, url)
    assert few == many, f"{page}: {few} queries with 1 case, {many} with 25"
    assert many <= BUDGET, f"{page}: {many} queries"
