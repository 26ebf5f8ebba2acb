from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from hms.core.models import AuditEvent
from hms.measures.models import Measure, Status

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    user.language = "en"
    user.save()
    return client


def form_data(cast, **overrides):
    return {"title": "Guard rail", "priority": 2, "deadline": "2030-01-31",
            "responsible": cast.employee.pk, "description": "", "cost_estimate": "", **overrides}


def test_the_leader_creates_edits_and_completes_a_measure(cast):
    client = login(cast.leader)
    response = client.post(f"/measures/units/{cast.unit_a.pk}/new/", form_data(cast))
    measure = Measure.objects.get()
    assert response["Location"] == f"/measures/{measure.pk}/"
    client.post(f"/measures/{measure.pk}/edit/", form_data(cast, title="Guard rails", version=1))
    client.post(f"/measures/{measure.pk}/status/", {"to": "done", "version": 2})
    measure.refresh_from_db()
    assert (measure.title, measure.status, measure.version) == ("Guard rails", Status.DONE, 3)
    page = client.get(f"/measures/{measure.pk}/").content.decode()
    assert "History" in page and "Guard rails" in page


@pytest.mark.parametrize(("field", "value"), [
    ("deadline", "31.02.2026"), ("deadline", "soon"), ("priority", "9"), ("title", ""),
    ("cost_estimate", "-1"), ("cost_estimate", "lots"), ("responsible", "999999"),
])
def test_bad_input_is_explained_and_changes_nothing(cast, field, value):
    client = login(cast.leader)
    response = client.post(f"/measures/units/{cast.unit_a.pk}/new/", form_data(cast, **{field: value}))
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not Measure.objects.exists()


def test_a_title_of_ten_megabytes_is_refused_with_an_explanation(cast):
    client = login(cast.leader)
    response = client.post(f"/measures/units/{cast.unit_a.pk}/new/",
                           form_data(cast, title="x" * (10 * 1024 * 1024)))
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Measure.objects.exists()


def test_a_long_title_gets_a_form_error(cast):
    client = login(cast.leader)
    response = client.post(f"/measures/units/{cast.unit_a.pk}/new/", form_data(cast, title="x" * 201))
    assert "at most 200 characters" in response.content.decode()
    assert not Measure.objects.exists()


def test_markup_in_text_is_shown_escaped(cast, measure_factory):
    measure = measure_factory(title="<script>alert(1)</script>", description="<b>bold</b>")
    page = login(cast.leader).get(f"/measures/{measure.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page


def test_a_second_save_of_the_same_version_is_refused_and_keeps_the_typed_text(cast, measure_factory):
    measure = measure_factory()
    first, second = login(cast.leader), login(cast.coordinator)
    first.post(f"/measures/{measure.pk}/edit/", form_data(cast, title="Leader's words", version=1))
    response = second.post(f"/measures/{measure.pk}/edit/",
                           form_data(cast, title="Coordinator's words", version=1))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this measure" in page
    assert "Leader&#x27;s words" in page  # the other person's change is shown
    assert 'value="Coordinator&#x27;s words"' in page  # and nothing typed is lost
    assert 'name="version" value="2"' in page  # saving again is possible on purpose
    assert Measure.objects.get().title == "Leader's words"


def test_an_illegal_or_garbled_status_change_changes_nothing(cast, measure_factory):
    measure = measure_factory()
    client = login(cast.leader)
    client.post(f"/measures/{measure.pk}/status/", {"to": "verified", "version": 1})
    client.post(f"/measures/{measure.pk}/status/", {"to": "done", "version": "x"})
    client.post(f"/measures/{measure.pk}/status/", {"to": "cancelled", "version": 1, "note": ""})
    measure.refresh_from_db()
    assert measure.status == Status.OPEN and measure.version == 1
    assert not AuditEvent.objects.exists()


def test_the_plan_filters_by_status_overdue_responsible_origin_and_text(cast, measure_factory):
    today = dt.date.today()
    measure_factory(title="Late one", deadline=today - dt.timedelta(days=2))
    measure_factory(title="Done one", status=Status.DONE, responsible=cast.leader)
    measure_factory(title="Sub-unit one", org_unit=cast.section_a1, origin="deviation")
    client = login(cast.coordinator)  # the coordinator's role covers the subtree
    url = f"/measures/units/{cast.unit_a.pk}/"

    def titles(query: str) -> set[str]:
        page = client.get(url + query).content.decode()
        return {t for t in ("Late one", "Done one", "Sub-unit one") if t in page}

    assert titles("") == {"Late one", "Done one", "Sub-unit one"}
    assert titles("?overdue=yes") == {"Late one"}
    assert titles("?status=done") == {"Done one"}
    assert titles(f"?responsible={cast.leader.pk}") == {"Done one"}
    assert titles("?origin=deviation") == {"Sub-unit one"}
    assert titles("?scope=unit") == {"Late one", "Done one"}
    assert titles("?q=late") == {"Late one"}
    assert titles("?sort=-deadline") == {"Late one", "Done one", "Sub-unit one"}


def test_htmx_gets_only_the_table(cast, measure_factory):
    measure_factory(title="Only me")
    response = login(cast.leader).get(f"/measures/units/{cast.unit_a.pk}/?status=open",
                                      HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Only me" in page and "<html" not in page


def test_the_faculty_leader_sees_the_subtree_and_the_outsider_nothing(cast, measure_factory):
    measure = measure_factory(title="Deep in A1", org_unit=cast.section_a1)
    assert "Deep in A1" in login(cast.coordinator).get(
        f"/measures/units/{cast.faculty_f.pk}/").content.decode()
    outsider = login(cast.outsider)
    assert outsider.get(f"/measures/{measure.pk}/").status_code == 404
    assert "Deep in A1" not in outsider.get("/measures/mine/?show=all").content.decode()
    assert outsider.get(f"/measures/units/{cast.unit_a.pk}/").status_code == 404


def test_my_measures_lists_open_ones_and_all_on_request(cast, measure_factory):
    measure_factory(title="Open one")
    measure_factory(title="Finished one", status=Status.VERIFIED)
    client = login(cast.employee)
    assert "Finished one" not in client.get("/measures/mine/").content.decode()
    page = client.get("/measures/mine/?show=all").content.decode()
    assert "Finished one" in page and "Open one" in page


def test_the_excel_export_reads_back(cast, measure_factory):
    measure_factory(title="=HYPERLINK(\"http://evil\")", cost_estimate=12000,
                    deadline=dt.date(2030, 1, 31))
    measure_factory(title="Plain", status=Status.DONE)
    response = login(cast.leader).get(f"/measures/units/{cast.unit_a.pk}/plan.xlsx?status=open")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 1
    assert rows[0][2] == "=HYPERLINK(\"http://evil\")"
    assert sheet.cell(row=5, column=3).data_type == "s"  # stored as text, never a live formula
    assert rows[0][:2] == ("a", "Department A") and rows[0][8] == 12000
    assert rows[0][5] == "Employee Tester"  # the person's name, not their username
    deadline = sheet.cell(row=5, column=7)
    assert deadline.value == dt.datetime(2030, 1, 31) and deadline.number_format == "dd.mm.yyyy"
    assert sheet.auto_filter.ref == "A4:M5"


def test_the_pdf_export_reads_back(cast, measure_factory):
    measure_factory(title="Replace the eyewash bottles")
    response = login(cast.leader).get(f"/measures/units/{cast.unit_a.pk}/plan.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Replace the eyewash bottles" in text and "Department A" in text


def test_the_owner_form_refuses_someone_outside_the_unit(cast):
    client = login(cast.leader)
    client.post(f"/measures/units/{cast.unit_a.pk}/owner/", {"owner": cast.outsider.pk})
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.plan_owner is None
    client.post(f"/measures/units/{cast.unit_a.pk}/owner/", {"owner": cast.safety_rep.pk})
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.plan_owner == cast.safety_rep


def test_a_history_restore_gets_the_whole_page(cast, measure_factory):
    measure_factory(title="Only me")
    response = login(cast.leader).get(f"/measures/units/{cast.unit_a.pk}/?status=open",
                                      HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]
