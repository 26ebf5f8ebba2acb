"""The assessment workbook reads like the page: people by name, the unit's code and name apart,
dates as date cells, an autofilter over the rows; and its import finds the same people again."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from hms.accounts.models import User
from hms.core.roles import Role
from hms.org.models import RoleAssignment
from hms.risk import services
from hms.risk.models import RiskAssessment, RiskRow
from hms.risk.tests.test_views import RED, add, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(cast, lab):
    """The lab with a responsible leader, a date and a row whose measure the employee owns."""
    RiskAssessment.objects.filter(pk=lab.pk).update(responsible_leader=cast.leader,
                                                    assessed_on=dt.date(2030, 1, 15))
    row = add(cast, lab, RED)
    services.add_row_measure(actor=cast.leader, row=row, data={
        "title": "Fume cupboard", "responsible": cast.employee, "deadline": dt.date(2030, 1, 31)})
    return lab


def namesake(cast) -> User:
    """Someone else in the unit called Employee Tester."""
    person = User.objects.create_user("employee2", "other@example.org", "pw",
                                      first_name="Employee", last_name="Tester")
    RoleAssignment.objects.create(person=person, org_unit=cast.unit_a, role=Role.EMPLOYEE)
    return person


def export(client, assessment):
    return load_workbook(io.BytesIO(client.get(f"/risk/{assessment.pk}/assessment.xlsx").content))


def block(sheet) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, max_row=12, values_only=True)}


def table(sheet) -> tuple[int, dict[str, int]]:
    header = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "No.")
    return header, {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}


def imported(client, cast, workbook) -> RiskAssessment:
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = set(RiskAssessment.objects.values_list("pk", flat=True))
    client.post(f"/risk/units/{cast.unit_a.pk}/import/",
                {"file": SimpleUploadedFile("lab.xlsx", buffer.getvalue())})
    return RiskAssessment.objects.exclude(pk__in=before).get()  # the copy, made


def responsible_of(assessment) -> list[User | None]:
    return [m.responsible for m in RiskRow.measures_of(list(assessment.rows.all()))]


def test_the_export_writes_names_the_unit_apart_date_cells_and_an_autofilter(cast, planned):
    sheet = export(login(cast.leader), planned).active
    head = block(sheet)
    assert head["Unit"][:2] == ("a", "Department A")
    assert head["Responsible leader"][0] == "Leader Tester"
    assert head["Participants"][0] == "Leader Tester, Safety_Rep Tester"
    assert head["Date"][0] == dt.datetime(2030, 1, 15)
    header, columns = table(sheet)
    line = header + 1
    assert sheet.cell(line, columns["Responsible"]).value == "Employee Tester"
    deadline = sheet.cell(line, columns["Deadline"])
    assert deadline.value == dt.datetime(2030, 1, 31) and deadline.number_format == "dd.mm.yyyy"
    assert sheet.auto_filter.ref == f"A{header}:{sheet.cell(header, len(columns)).column_letter}{line}"


def test_an_approval_shows_who_and_when_in_cells_of_their_own(cast, planned, settings):
    approved_at = dt.datetime(2030, 2, 1, 9, 30, tzinfo=dt.UTC)
    RiskAssessment.objects.filter(pk=planned.pk).update(approved_by=cast.leader,
                                                        approved_at=approved_at)
    head = block(export(login(cast.leader), planned).active)
    assert head["Approved by"][:2] == ("Leader Tester", dt.datetime(2030, 2, 1, 10, 30))  # Oslo


def test_the_import_finds_the_people_the_export_names(cast, planned):
    client = login(cast.leader)
    copy = imported(client, cast, export(client, planned))
    assert copy.responsible_leader == cast.leader
    assert set(copy.participants.all()) == {cast.leader, cast.safety_rep}
    assert responsible_of(copy) == [cast.employee]


def test_a_name_two_people_have_is_written_with_the_username_and_read_back_exactly(cast, planned):
    namesake(cast)
    client = login(cast.leader)
    workbook = export(client, planned)
    header, columns = table(workbook.active)
    assert workbook.active.cell(header + 1, columns["Responsible"]).value == "Employee Tester (employee)"
    assert responsible_of(imported(client, cast, workbook)) == [cast.employee]


def test_a_typed_name_is_found_whatever_its_case_and_spacing(cast, planned):
    client = login(cast.leader)
    workbook = export(client, planned)
    header, columns = table(workbook.active)
    workbook.active.cell(header + 1, columns["Responsible"]).value = "employee   TESTER"
    assert responsible_of(imported(client, cast, workbook)) == [cast.employee]


def test_a_typed_name_two_people_have_is_refused_with_a_way_out(cast, planned):
    namesake(cast)
    client = login(cast.leader)
    workbook = export(client, planned)
    header, columns = table(workbook.active)
    workbook.active.cell(header + 1, columns["Responsible"]).value = "Employee Tester"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = client.post(f"/risk/units/{cast.unit_a.pk}/import/", {
        "file": SimpleUploadedFile("lab.xlsx", buffer.getvalue())}).content.decode()
    assert ("More than one person in the unit is called “Employee Tester”: add the username in "
            "brackets, like “Employee Tester (username)”.") in page
    assert RiskAssessment.objects.count() == 1
