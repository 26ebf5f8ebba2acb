from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from hms.accounts.models import User
from hms.core.errors import ServiceError
from hms.core.models import AuditEvent
from hms.org import services
from hms.org.models import AssignmentSource, OrgUnit, RoleAssignment

pytestmark = pytest.mark.django_db


def csv_file(text: str, name: str = "file.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list[object]]) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("file.xlsx", buffer.getvalue())


UNITS = "code,name,kind,parent\nx,Faculty X,faculty,uni\nx1,Dept X1,department,x\nx2,Dept X2,,x\n"


def test_it_imports_units_with_parents_in_any_order(cast):
    upside_down = "code;navn;type;overordnet\nx1;Dept X1;Institutt;x\nx;Faculty X;faculty;uni\n"
    report = services.import_units(actor=cast.admin, upload=csv_file(upside_down))
    assert report.ok and report.created == 2
    x1 = OrgUnit.objects.get(code="x1")
    assert OrgUnit.objects.get_parent(x1).code == "x" and x1.kind == "department"
    assert not OrgUnit.objects.find_problems()[0]


def test_reimporting_the_same_file_changes_nothing(cast):
    services.import_units(actor=cast.admin, upload=csv_file(UNITS))
    events = AuditEvent.objects.count()
    report = services.import_units(actor=cast.admin, upload=csv_file(UNITS))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.count() == events


def test_a_changed_file_updates_in_place_and_moves_units(cast):
    services.import_units(actor=cast.admin, upload=csv_file(UNITS))
    changed = UNITS.replace("Dept X1,department,x", "Dept X-One,section,a")
    report = services.import_units(actor=cast.admin, upload=csv_file(changed))
    assert (report.created, report.updated) == (0, 1)
    x1 = OrgUnit.objects.get(code="x1")
    assert (x1.name, x1.kind) == ("Dept X-One", "section")
    assert x1.path.startswith(OrgUnit.objects.get(code="a").path)
    assert OrgUnit.objects.filter(code="x1").count() == 1


def test_a_broken_units_file_is_refused_whole_with_row_numbers(cast):
    broken = ("code,name,kind,parent\nok,Fine,department,uni\nbad code!,Name,department,uni\n"
              "ok,Twice,department,uni\nz,,planet,nowhere\nloop1,L1,,loop2\nloop2,L2,,loop1\n")
    report = services.import_units(actor=cast.admin, upload=csv_file(broken))
    problems = {(e.row, e.column) for e in report.errors}
    assert {(3, "code"), (4, "code"), (5, "name"), (5, "kind"), (5, "parent"), (6, "parent"),
            (7, "parent")} <= problems
    assert not OrgUnit.objects.filter(code="ok").exists()


def test_only_org_admins_import(cast):
    with pytest.raises(PermissionDenied):
        services.import_units(actor=cast.leader, upload=csv_file(UNITS))


PEOPLE = [
    ["username", "email", "first_name", "last_name", "unit", "role", "covers_subtree",
     "valid_from", "valid_to", "safety_area"],
    ["nina", "nina@example.org", "Nina", "Nilsen", "a", "employee", "", "2026-01-01", "", ""],
    ["nina", "nina@example.org", "Nina", "Nilsen", "a-lab", "Verneombud", "", "", "", "a-lab"],
    ["ole", "ole@example.org", "Ole", "Olsen", "f", "leader", "ja", "01.08.2026", "", ""],
]


def test_it_imports_people_with_roles_from_xlsx(cast):
    PEOPLE[2][4] = "a"
    report = services.import_people(actor=cast.admin, upload=xlsx_file(PEOPLE))
    assert report.ok, report.errors
    nina = User.objects.get(username="nina")
    assert not nina.has_usable_password()
    roles = set(RoleAssignment.objects.filter(person=nina).values_list("role", "safety_area__code"))
    assert roles == {("employee", None), ("safety_rep", "a-lab")}
    ole = RoleAssignment.objects.get(person__username="ole")
    assert ole.covers_subtree and str(ole.valid_from) == "2026-08-01"
    assert ole.source == AssignmentSource.IMPORT
    again = services.import_people(actor=cast.admin, upload=xlsx_file(PEOPLE))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_changed_people_file_updates_details_and_periods(cast):
    PEOPLE[2][4] = "a"
    services.import_people(actor=cast.admin, upload=xlsx_file(PEOPLE))
    changed = [row[:] for row in PEOPLE]
    changed[3][3] = "Olsen-Berg"
    changed[3][8] = "2027-07-31"
    report = services.import_people(actor=cast.admin, upload=xlsx_file(changed))
    assert (report.created, report.updated) == (0, 2)
    assert User.objects.get(username="ole").last_name == "Olsen-Berg"
    assert str(RoleAssignment.objects.get(person__username="ole").valid_to) == "2027-07-31"


def test_a_broken_people_file_is_refused_whole(cast):
    text = ("brukernavn,e-post,enhet,rolle,gyldig fra,gyldig til,underenheter,verneområde\n"
            "good,good@example.org,a,employee,,,,\n"
            "bad user!,not-an-email,nowhere,wizard,31.02.2026,,maybe,\n"
            "rep,rep@example.org,a,safety_rep,2026-05-01,2026-01-01,,\n"
            "good,other@example.org,a,student,,,,\n"
            "dup,employee@example.org,a,employee,,,,\n")
    report = services.import_people(actor=cast.admin, upload=csv_file(text))
    problems = {(e.row, e.column) for e in report.errors}
    assert {(3, "username"), (3, "email"), (3, "unit"), (3, "role"), (3, "valid_from"),
            (3, "covers_subtree"), (4, "safety_area"), (4, "valid_to"), (5, "username"),
            (6, "email")} <= problems
    assert not User.objects.filter(username="good").exists()


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("people.pdf", b"%PDF-1.4"), "csv"),
    (SimpleUploadedFile("people.xlsx", b"not a zip"), "Excel"),
    (SimpleUploadedFile("people.csv", b""), "no rows"),
    (SimpleUploadedFile("people.csv", b"name,colour\nx,y\n"), "username"),
])
def test_unreadable_files_are_refused_with_a_reason(cast, upload, message, english):
    with pytest.raises(ServiceError) as refused:
        services.import_people(actor=cast.admin, upload=upload)
    assert message in str(refused.value.message)


def test_a_huge_file_is_refused(cast, settings):
    settings.HMS_MAX_IMPORT_BYTES = 100
    with pytest.raises(ServiceError):
        services.import_units(actor=cast.admin, upload=csv_file(UNITS * 10))


def test_the_import_page_shows_errors_row_by_row_and_saves_nothing(cast, client):
    client.force_login(cast.admin)
    response = client.post("/org/import/", {"kind": "units", "file": csv_file(
        "code,name\n,No code\n<b>x</b>,<script>alert(1)</script>\n")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>2</td>" in page and "<td>3</td>" in page
    assert "<script>alert(1)</script>" not in page
    assert not OrgUnit.objects.filter(name="No code").exists()


def test_the_import_page_reports_success(cast, client):
    client.force_login(cast.admin)
    response = client.post("/org/import/", {"kind": "units", "file": csv_file(UNITS)},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert OrgUnit.objects.filter(code="x2").exists()
    assert response.status_code == 200


def test_an_oversized_upload_is_refused_before_it_is_read(cast, client, settings):
    settings.HMS_MAX_IMPORT_BYTES = 1024
    client.force_login(cast.admin)
    big = csv_file(UNITS + "x" * 200_000)
    response = client.post("/org/import/", {"kind": "units", "file": big}, follow=True)
    assert not OrgUnit.objects.filter(code="x").exists()
    assert response.redirect_chain and response.status_code == 200
