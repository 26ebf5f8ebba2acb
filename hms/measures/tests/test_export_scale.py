"""A faculty-sized plan exports on every engine: no query grows with the number of measures or
of responsible people past what SQLite or PostgreSQL accept."""

from __future__ import annotations

import io

import pytest
from django.template.loader import render_to_string
from django.test import Client
from openpyxl import load_workbook

from hms.accounts.models import User
from hms.core.models import PreparedDocument
from hms.measures import exports
from hms.measures.models import Measure

pytestmark = pytest.mark.django_db

# More responsible people than one OR chain or IN list of a prefetch may safely hold on SQLite.
PEOPLE = 1200
# Sign-in, the unit, the user's roles, the rows: a count that does not grow with the rows; when the
# task worker makes the document, the order and the worker's own reading of the same come on top.
QUERIES = 8
QUERIES_WITH_WORKER = 2 * QUERIES


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


def read_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=5, values_only=True))


def test_it_exports_a_faculty_plan_with_thousands_of_responsible_people_as_xlsx(
        cast, faculty_plan, django_assert_max_num_queries, settings):
    settings.HMS_DIRECT_EXPORT_ROWS = PEOPLE  # made in the request: its queries are counted here
    client = coordinator_client(cast)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(f"/measures/units/{faculty_plan.pk}/plan.xlsx")
    assert response.status_code == 200
    rows = read_rows(response.getvalue())
    assert len(rows) == PEOPLE
    assert {row[5] for row in rows} == {f"Person {i}" for i in range(PEOPLE)}
    assert {row[:2] for row in rows} == {("a", "Department A"), ("a1", "Section A1")}


def test_a_plan_past_the_threshold_is_made_by_the_worker_with_the_same_rows(
        cast, faculty_plan, settings, django_capture_on_commit_callbacks):
    settings.HMS_DIRECT_EXPORT_ROWS = PEOPLE - 1
    client = coordinator_client(cast)
    with django_capture_on_commit_callbacks(execute=True):
        ordered = client.get(f"/measures/units/{faculty_plan.pk}/plan.xlsx?scope=all")
    document = PreparedDocument.objects.get()
    assert ordered.status_code == 302 and ordered["Location"] == f"/documents/{document.pk}/"
    document.refresh_from_db()
    assert (document.status, document.done, document.total) == ("ready", PEOPLE, PEOPLE)
    assert document.title == "HSE action plan: Faculty F (Excel)"
    assert document.filename == "action-plan-f.xlsx"
    assert document.params == {"unit": faculty_plan.pk, "query": "scope=all"}
    file = client.get(f"/documents/{document.pk}/file")
    assert len(read_rows(b"".join(file.streaming_content))) == PEOPLE


def test_it_exports_a_faculty_plan_with_thousands_of_responsible_people_as_pdf(
        cast, faculty_plan, django_assert_max_num_queries, monkeypatch, settings,
        django_capture_on_commit_callbacks):
    # The page's HTML stands in for WeasyPrint's rendering of it (40 pages, too slow for a test;
    # test_views reads a real PDF back): what is tested here is fetching the rows.
    monkeypatch.setattr(exports, "render_pdf",
                        lambda template, context: render_to_string(template, context).encode())
    client = coordinator_client(cast)
    with (django_assert_max_num_queries(QUERIES_WITH_WORKER),
          django_capture_on_commit_callbacks(execute=True)):
        ordered = client.get(f"/measures/units/{faculty_plan.pk}/plan.pdf")
    document = PreparedDocument.objects.get()
    assert ordered.status_code == 302 and document.maker == "measures.plan_pdf"
    page = b"".join(client.get(f"/documents/{document.pk}/file").streaming_content).decode()
    assert f"{PEOPLE} measures" in page.replace(",", "")
    assert all(f"<td>Person {i}</td>" in page for i in range(PEOPLE))


def test_a_plan_too_long_for_one_pdf_is_refused_with_the_way_to_excel(cast, faculty_plan, settings):
    settings.HMS_PDF_MAX_ROWS = PEOPLE - 1
    response = coordinator_client(cast).get(f"/measures/units/{faculty_plan.pk}/plan.pdf?status=open",
                                            follow=True)
    assert response.redirect_chain == [(f"/measures/units/{faculty_plan.pk}/?status=open", 302)]
    assert "more than one PDF can take (1199)" in response.content.decode()
    assert not PreparedDocument.objects.exists()
