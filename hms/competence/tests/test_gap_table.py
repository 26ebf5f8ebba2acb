"""The training gaps computed by the database: the same needs as the Python rules on a varied
dataset (roles, lab and non-lab units, delegated tasks, every standing, two records of one
course), filtered, ordered and paged by the database, counted in one query; the faculty's gaps
within the query budget; a large export made by the task worker."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from hms.accounts.models import User
from hms.competence import access, cards, gaps
from hms.competence.tests.factories import record
from hms.core import authz
from hms.core.models import DocumentStatus, PreparedDocument
from hms.core.tests.test_query_budgets import BUDGET, count_queries
from hms.org.models import RoleAssignment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
EVERYTHING = authz.Scope(everything=True)


def varied(cast):
    """Sub-unit roles outside the lab, two roles for one person, a delegated task, and records
    of every standing, one course twice."""
    from hms.governance.tests.factories import accepted

    for i, role in enumerate(("lab_leader", "employee", "student", "leader")):
        person = User.objects.create_user(f"a1-{i}", f"a1-{i}@example.org", "pw",
                                          last_name="Berg" if i % 2 else "Aas", first_name=f"P{i}")
        RoleAssignment.objects.create(person=person, org_unit=cast.section_a1, role=role)
    RoleAssignment.objects.create(person=cast.lab_leader, org_unit=cast.unit_a, role="employee")
    accepted(cast, code="fire_warden", to=cast.employee)
    record(cast.employee, "lab-safety", TODAY - dt.timedelta(days=3000))  # expired
    record(cast.employee, "lab-safety", TODAY - dt.timedelta(days=10))  # supersedes it: valid
    record(cast.safety_rep, "safety-rep-basic", TODAY - dt.timedelta(days=400),
           TODAY + dt.timedelta(days=5))  # expiring
    record(cast.handler, "deviation-handler", TODAY - dt.timedelta(days=400), TODAY - dt.timedelta(days=1))
    record(cast.leader, "leader-hse", TODAY - dt.timedelta(days=40), None)  # valid for good
    record(cast.student, "lab-safety", TODAY - dt.timedelta(days=20))


def python_needs(held):
    return gaps.needs_of(held, TODAY)


def key(need):
    return (need.person.pk, need.course.pk, need.standing,
            need.record.completed_on if need.record else None,
            need.record.expires_on if need.record else None, tuple(need.reasons()))


@pytest.mark.parametrize(("unit", "subtree"), [("unit_a", False), ("unit_a", True),
                                                ("faculty_f", True)])
def test_the_database_finds_the_needs_the_python_rules_find(cast, english, unit, subtree):
    varied(cast)
    held = gaps.unit_assignments(getattr(cast, unit), subtree=subtree, within=EVERYTHING)
    expected = python_needs(held)
    table = gaps.gap_table(held, TODAY)
    found = table.needs(table.rows)
    assert sorted(map(key, found)) == sorted(map(key, expected)) and expected
    assert gaps.tally(held, TODAY) == gaps.counts(expected)
    assert gaps.summary(held, TODAY) == (gaps.counts(expected), len({need.person.pk for need in expected}))
    assert {need.standing for need in expected} == set(gaps.Standing.values)


@pytest.mark.parametrize("filters", [{"only_gaps": True}, {"course": "lab-safety"},
                                     {"role": "employee"}, {"course": "fire-warden"},
                                     {"only_gaps": True, "role": "lab_leader"}])
def test_the_database_filters_as_the_python_rules_would(cast, filters):
    varied(cast)
    held = gaps.unit_assignments(cast.unit_a, subtree=True, within=EVERYTHING)
    expected = [need for need in python_needs(held)
                if (not filters.get("only_gaps") or need.is_gap)
                and need.course.code == filters.get("course", need.course.code)
                and (not filters.get("role") or filters["role"] in need.roles)]
    table = gaps.gap_table(held, TODAY, **filters)
    assert sorted(map(key, table.needs(table.rows))) == sorted(map(key, expected)) and expected


def test_the_database_orders_by_person_and_course_and_pages(cast):
    varied(cast)
    held = gaps.unit_assignments(cast.section_a1, subtree=False, within=EVERYTHING)
    table = gaps.gap_table(held, TODAY)
    everyone = [(row.last_name, row.first_name, row.need_rank) for row in table.rows]
    assert everyone == sorted(everyone) and everyone[0][:2] == ("Aas", "P0")
    assert [(r.pk, r.need_course) for r in table.rows[2:4]] == [
        (r.pk, r.need_course) for r in list(table.rows)[2:4]]


def test_the_number_of_people_does_not_change_the_number_of_queries(cast):
    held = gaps.unit_assignments(cast.faculty_f, subtree=True, within=EVERYTHING)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            table = gaps.gap_table(held, TODAY, only_gaps=True)
            table.needs(table.rows[:50])
            gaps.tally(held, TODAY)
        return len(captured)

    few = queries()
    varied(cast)
    assert queries() == few


def test_the_unit_card_counts_in_one_query(cast, django_assert_num_queries):
    varied(cast)
    with django_assert_num_queries(1):
        card = cards.unit_card(cast.admin, cast.unit_a)
    expected = gaps.counts(python_needs(gaps.unit_assignments(cast.unit_a, subtree=False,
                                                              within=EVERYTHING)))
    assert card["counts"] == expected


def test_the_faculty_gaps_with_sub_units_stay_within_budget(cast):
    client = Client()
    client.force_login(cast.coordinator)
    url = f"/competence/units/{cast.faculty_f.pk}/?subtree=on"
    count_queries(client, url)
    few = count_queries(client, url)
    varied(cast)
    many = count_queries(client, url)
    assert few == many <= BUDGET


def test_a_large_export_is_made_by_the_worker(cast, settings, django_capture_on_commit_callbacks):
    settings.HMS_DIRECT_EXPORT_ROWS = 5
    varied(cast)
    client = Client()
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/competence/units/{cast.faculty_f.pk}/gaps.xlsx?subtree=on&only_gaps=on")
    document = PreparedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/"
    assert document.status == DocumentStatus.READY and document.done == document.total > 5
    sheet = load_workbook(io.BytesIO(document.file.read())).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    held = gaps.unit_assignments(cast.faculty_f, subtree=True,
                                 within=access.training_scope(cast.coordinator))
    expected = [need.person.username for need in python_needs(held) if need.is_gap]
    assert [row[1] for row in rows] == expected and len(rows) == document.total
    outsider = Client()
    outsider.force_login(cast.outsider)
    assert outsider.get(f"/documents/{document.pk}/").status_code == 404
    assert client.get(f"/documents/{document.pk}/").status_code == 200


def test_a_small_export_is_streamed_at_once(cast):
    client = Client()
    client.force_login(cast.coordinator)
    response = client.get(f"/competence/units/{cast.unit_a.pk}/gaps.xlsx?course=leader-hse")
    assert response.status_code == 200 and not PreparedDocument.objects.exists()
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["leader"]


@pytest.mark.parametrize("filters", [{}, {"only_gaps": True}, {"course": "lab-safety"},
                                     {"role": "employee"}])
def test_the_summary_gives_the_rows_count_where_the_filters_allow(cast, filters):
    varied(cast)
    held = gaps.unit_assignments(cast.unit_a, subtree=True, within=EVERYTHING)
    table = gaps.gap_table(held, TODAY, **filters)
    counted = table.rows.query.count()
    table.summary()
    assert table.rows.count() == counted
    assert (table.rows.known_count is None) == bool(filters.get("course") or filters.get("role"))
