"""The competence pages: the gap overview with its filters, counts, pages and export; entering,
correcting and deleting a record; the import; my training; the cards and the calendar."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from hms.accounts.models import User
from hms.competence import calendar, cards
from hms.competence.models import TrainingRecord
from hms.competence.tests.factories import course, record
from hms.core.models import AuditEvent
from hms.org.models import RoleAssignment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=30)


def client_for(user):
    """Signed in, with pages in English (the user's language)."""
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    return client


def overview(cast, user=None, query=""):
    return client_for(user or cast.leader).get(f"/competence/units/{cast.unit_a.pk}/{query}")


def rows(response):
    return [(n.person.username, n.course.code, n.standing) for n in response.context["needs"]]


def test_the_overview_counts_and_lists_who_lacks_what(cast, english):
    record(cast.safety_rep, "lab-safety", DAY)
    record(cast.employee, "lab-safety", TODAY - dt.timedelta(days=2000))
    response = overview(cast)
    assert response.context["counts"] == {"missing": 16, "expired": 1, "expiring": 0, "valid": 1}
    assert response.context["people"] == 7
    assert ("safety_rep", "safety-rep-basic", "missing") in rows(response)
    assert ("employee", "lab-safety", "expired") in rows(response)
    assert 'id="count-missing">16<' in response.content.decode()


def test_the_overview_filters_by_gap_course_and_role(cast):
    record(cast.safety_rep, "lab-safety", DAY)
    only_gaps = rows(overview(cast, query="?only_gaps=on"))
    assert ("safety_rep", "lab-safety", "valid") not in only_gaps and len(only_gaps) == 17
    basic = rows(overview(cast, query="?course=safety-rep-basic"))
    assert {person for person, _c, _s in basic} == {"safety_rep", "deputy"}
    students = rows(overview(cast, query="?role=student"))
    assert {person for person, _c, _s in students} == {"student"}


def test_the_overview_pages_many_students(cast):
    people = [User(username=f"s{i}", email=f"s{i}@example.org") for i in range(40)]
    User.objects.bulk_create(people)
    RoleAssignment.objects.bulk_create([RoleAssignment(person=p, org_unit=cast.unit_a,
                                                       role="student") for p in User.objects.filter(
        username__startswith="s", username__regex=r"^s\d+$")])
    first = overview(cast, query="?role=student")
    assert len(first.context["page"]) == 50 and first.context["page"].paginator.count == 82
    last = overview(cast, query="?role=student&page=2")
    assert len(last.context["page"]) == 32
    assert "role=student&amp;page=2" in first.content.decode()


def test_the_overview_exports_the_shown_rows_to_excel(cast):
    response = client_for(cast.coordinator).get(
        f"/competence/units/{cast.unit_a.pk}/gaps.xlsx?course=safety-rep-basic")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    usernames = sorted(row[1] for row in sheet.iter_rows(min_row=3, values_only=True))
    assert usernames == ["deputy", "safety_rep"]


def test_the_form_records_a_training_for_a_person_of_the_unit(cast):
    client = client_for(cast.leader)
    page = client.get(f"/competence/units/{cast.unit_a.pk}/new/?person={cast.employee.pk}")
    assert page.context["form"].initial["person"] == cast.employee.pk
    assert cast.outsider not in page.context["form"].fields["person"].queryset
    response = client.post(f"/competence/units/{cast.unit_a.pk}/new/", {
        "person": cast.employee.pk, "course": course("lab-safety").pk,
        "completed_on": DAY.isoformat()})
    assert response.status_code == 302
    assert TrainingRecord.objects.get().person == cast.employee


def test_the_form_refuses_bad_dates_and_saves_nothing(cast, english):
    response = client_for(cast.leader).post(f"/competence/units/{cast.unit_a.pk}/new/", {
        "person": cast.employee.pk, "course": course("lab-safety").pk,
        "completed_on": DAY.isoformat(), "expires_on": (DAY - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 200
    assert "The expiry date is before the completion date." in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_the_edit_page_shows_the_other_change_on_a_stale_save(cast, english):
    saved = record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)
    TrainingRecord.objects.filter(pk=saved.pk).update(note="Theirs", version=2)
    response = client_for(cast.leader).post(f"/competence/records/{saved.pk}/", {
        "course": course("lab-safety").pk, "completed_on": DAY.isoformat(), "note": "Mine",
        "version": 1})
    assert response.status_code == 200 and response.context["stale"].note == "Theirs"
    assert "What the other person saved" in response.content.decode()
    assert TrainingRecord.objects.get().note == "Theirs"


def test_the_edit_page_refuses_a_duplicate_and_saves_a_correction(cast, english):
    record(cast.employee, "fire-safety", DAY, org_unit=cast.unit_a)
    saved = record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)
    client = client_for(cast.leader)
    clash = client.post(f"/competence/records/{saved.pk}/", {
        "course": course("fire-safety").pk, "completed_on": DAY.isoformat(), "version": 1})
    assert "already has this course completed on that day" in clash.content.decode()
    done = client.post(f"/competence/records/{saved.pk}/", {
        "course": course("lab-safety").pk, "completed_on": DAY.isoformat(), "note": "OK",
        "version": 1})
    assert done["Location"] == f"/competence/units/{cast.unit_a.pk}/records/"
    assert TrainingRecord.objects.get(pk=saved.pk).note == "OK"


def test_deleting_a_record_without_a_unit_goes_back_to_my_training(cast):
    saved = record(cast.employee, "lab-safety", DAY)
    response = client_for(cast.admin).post(f"/competence/records/{saved.pk}/delete/")
    assert response["Location"] == "/competence/mine/"
    assert not TrainingRecord.objects.exists()
    assert AuditEvent.objects.filter(action="delete").count() == 1


def test_the_import_page_shows_the_error_table_and_then_imports(cast, english):
    client = client_for(cast.leader)
    url = f"/competence/units/{cast.unit_a.pk}/import/"
    bad = SimpleUploadedFile("t.csv", b"person,course,completed\nnobody,lab-safety,2025-01-01\n")
    response = client.post(url, {"file": bad})
    assert 'id="import-errors"' in response.content.decode()
    assert not TrainingRecord.objects.exists()
    good = SimpleUploadedFile("t.csv", b"person,course,completed\nemployee,lab-safety,2025-01-01\n")
    response = client.post(url, {"file": good}, follow=True)
    assert "Imported: 1 created, 0 updated, 0 unchanged." in response.content.decode()
    wrong = SimpleUploadedFile("t.pdf", b"%PDF")
    assert "Upload a .csv or .xlsx file." in client.post(url, {"file": wrong}).content.decode()


def test_the_import_refuses_a_file_that_is_too_large(cast, settings, english):
    settings.HMS_MAX_IMPORT_BYTES = 10
    big = SimpleUploadedFile("t.csv", b"x" * 200_000)
    response = client_for(cast.leader).post(f"/competence/units/{cast.unit_a.pk}/import/",
                                            {"file": big}, follow=True)
    assert "The file is too large" in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_the_example_file_imports_once_its_people_exist(cast):
    example = client_for(cast.leader).get("/competence/import/example.csv")
    assert example["Content-Disposition"].endswith('training-example.csv"')
    text = example.content.decode()
    assert text.splitlines()[0] == "person,course,completed,expires"
    User.objects.filter(pk=cast.employee.pk).update(email="kari.nordmann@example.org")
    User.objects.filter(pk=cast.lab_leader.pk).update(username="ola")
    from hms.competence import services
    from hms.competence.tests.factories import csv_file

    report = services.import_trainings(actor=cast.leader, org_unit=cast.unit_a, upload=csv_file(text))
    assert report.ok and report.created == 2


def test_my_training_shows_what_i_must_have_and_have(cast, english):
    record(cast.safety_rep, "lab-safety", DAY)
    record(cast.safety_rep, "leader-hse", DAY)
    response = client_for(cast.safety_rep).get("/competence/mine/")
    needs = {(n.course.code, n.standing) for n in response.context["needs"]}
    assert needs == {("safety-rep-basic", "missing"), ("lab-safety", "valid"),
                     ("fire-safety", "missing")}
    assert len(response.context["records"]) == 2
    assert "None of your roles requires a training." in client_for(cast.outsider).get(
        "/competence/mine/").content.decode()


def test_the_cards_show_gaps_to_those_who_may_see_them(cast, english):
    assert cards.unit_card(cast.employee, cast.unit_a) is None
    card = cards.unit_card(cast.safety_rep, cast.unit_a)
    assert card["counts"]["missing"] == 18
    page = client_for(cast.leader).get(f"/org/units/{cast.unit_a.pk}/").content.decode()
    assert 'id="training-card"' in page and "18 required trainings missing" in page
    assert cards.home_card(cast.outsider) is None
    record(cast.employee, "lab-safety", DAY)
    home = cards.home_card(cast.employee)
    assert [n.course.code for n in home["gaps"]] == ["fire-safety"]
    assert 'id="my-training-card"' in client_for(cast.employee).get("/").content.decode()


def test_the_calendar_has_the_expiry_of_each_current_training(cast, english):
    record(cast.employee, "lab-safety", TODAY - dt.timedelta(days=2000))
    current = record(cast.employee, "lab-safety", DAY)
    record(cast.employee, "leader-hse", DAY)
    found = calendar.entries(cast.employee, TODAY)
    assert [(e.uid, e.start) for e in found] == [(f"training-{current.pk}", current.expires_on)]
    assert found[0].title == "Training expires: HSE introduction for laboratory work"
    assert calendar.entries(cast.employee, current.expires_on + dt.timedelta(days=1)) == []
