"""A faculty-sized plan exports on every engine: no query grows with the number of measures or
of responsible people past what SQLite or PostgreSQL accept."""

from __future__ import annotations

import io

import pytest
from django.template.loader import render_to_string
from django.test import Client
from openpyxl import load_workbook

from hms.accounts.models import User
from hms.measures import exports
from hms.measures.models import Measure

pytestmark = pytest.mark.django_db

# More responsible people than one OR chain or IN list of a prefetch may safely hold on SQLite.
PEOPLE = 1200
# Sign-in, the unit, the user's roles, the rows: a count that does not grow with the rows.
QUERIES = 8


@pytest.fixture
def faculty_plan(cast):
    """PEOPLE measures over the faculty's department and section, each with its own responsible."""
    people = User.objects.bulk_create(
        User(username=f"person{i}", first_name="Person", last_name=str(i), password="!")
        for i in range(PEOPLE))
    units = (cast.unit_a, cast.section_a1)
    Measure.objects.bulk_create(
        Measure(org_unit=units[i % 2], title=f"Measure {i}", responsible=person,
                created_by=cast.leader)
        for i, person in enumerate(people))
    return cast.faculty_f


def coordinator_client(cast) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.coordinator)
    cast.coordinator.language = "en"
    cast.coordinator.save()
    return client


def test_it_exports_a_faculty_plan_with_thousands_of_responsible_people_as_xlsx(
        cast, faculty_plan, django_assert_max_num_queries):
    client = coordinator_client(cast)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(f"/measures/units/{faculty_plan.pk}/plan.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert len(rows) == PEOPLE
    assert {row[4] for row in rows} == {f"Person {i}" for i in range(PEOPLE)}
    assert {row[0] for row in rows} == {"Department A", "Section A1"}


def test_it_exports_a_faculty_plan_with_thousands_of_responsible_people_as_pdf(
        cast, faculty_plan, django_assert_max_num_queries, monkeypatch):
    # The page's HTML stands in for WeasyPrint's rendering of it (40 pages, too slow for a test;
    # test_views reads a real PDF back): what is tested here is fetching the rows.
    monkeypatch.setattr(exports, "render_pdf",
                        lambda template, context: render_to_string(template, context).encode())
    client = coordinator_client(cast)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(f"/measures/units/{faculty_plan.pk}/plan.pdf")
    assert response.status_code == 200
    page = response.getvalue().decode()
    assert f"{PEOPLE} measures" in page.replace(",", "")
    assert all(f"<td>Person {i}</td>" in page for i in range(PEOPLE))
