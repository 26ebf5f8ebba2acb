"""The less travelled paths of the risk pages: refusals, empty states, and file problems."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from hms.core.errors import ServiceError
from hms.risk import services
from hms.risk.models import RiskAssessment
from hms.risk.tests.test_views import JSON, add, login

pytestmark = pytest.mark.django_db
GREEN = {"probability": 1, "consequences": {"people": 1}}


def approve(cast, assessment):
    services.submit_for_review(actor=cast.leader, assessment=assessment)
    assessment.refresh_from_db()
    return services.approve_assessment(actor=cast.leader, assessment=assessment)


def test_an_approved_assessment_refuses_row_and_header_changes(cast, lab):
    row = add(cast, lab, GREEN)
    lab = approve(cast, lab)
    client = login(cast.leader)
    assert client.post(f"/risk/{lab.pk}/rows/new/", **JSON).status_code == 400
    assert "Only a draft" in client.post(f"/risk/{lab.pk}/rows/new/", follow=True).content.decode()
    assert client.post(f"/risk/rows/{row.pk}/delete/", **JSON).status_code == 400
    page = client.post(f"/risk/{lab.pk}/edit/", {"title": "New", "version": lab.version})
    assert "Only a draft" in page.content.decode()
    lab.refresh_from_db()
    assert lab.title == "Solvent lab" and lab.rows.count() == 1


def test_without_a_matrix_nothing_can_be_created_or_imported(cast):
    client = login(cast.leader)
    page = client.post(f"/risk/units/{cast.unit_a.pk}/new/", {"kind": "detailed", "title": "X"})
    assert "No risk matrix" in page.content.decode()
    assert "No risk matrix" in client.get(f"/risk/units/{cast.unit_a.pk}/heatmap/").content.decode()
    with pytest.raises(ServiceError):
        services.import_assessment(actor=cast.leader, org_unit=cast.unit_a,
                                   upload=SimpleUploadedFile("a.xlsx", b""))
    assert not RiskAssessment.objects.exists()


def test_a_too_large_upload_is_refused_before_it_is_read(cast, matrix, settings):
    settings.HMS_MAX_IMPORT_BYTES = 10
    response = login(cast.leader).post(f"/risk/units/{cast.unit_a.pk}/import/",
                                       {"file": SimpleUploadedFile("a.xlsx", b"x" * 200_000)},
                                       follow=True)
    assert "too large" in response.content.decode()


def test_a_mapping_row_only_for_a_detailed_assessment(cast, matrix):
    mapping = services.create_assessment(actor=cast.leader, org_unit=cast.unit_a, kind="overall",
                                         data={"title": "Mapping"})
    row = services.add_row(actor=cast.leader, assessment=mapping, data=GREEN)
    approve(cast, mapping)
    page = login(cast.leader).post(f"/risk/units/{cast.unit_a.pk}/new/", {
        "kind": "overall", "title": "Second mapping", "mapping_row": row.pk})
    assert "Only a detailed assessment" in page.content.decode()


def test_versions_are_listed_on_the_older_one_and_rows_added_or_removed_show(cast, lab):
    add(cast, lab, GREEN)
    add(cast, lab, GREEN, unwanted_event="Trip")
    lab = approve(cast, lab)
    revision = services.start_revision(actor=cast.leader, assessment=lab)
    services.delete_row(actor=cast.leader, row=revision.rows.get(position=2))
    client = login(cast.leader)
    page = client.get(f"/risk/{revision.pk}/").content.decode()
    assert "Trip" in page and "removed" in page
    add(cast, revision, GREEN, unwanted_event="Burn")
    add(cast, revision, GREEN, unwanted_event="Cut")
    page = client.get(f"/risk/{revision.pk}/").content.decode()
    assert "Cut" in page and "added" in page
    older = client.get(f"/risk/{lab.pk}/").content.decode()
    assert f'href="/risk/{revision.pk}/"' in older and "Versions" in older


def test_the_heat_map_filters_by_kind_and_counts_rows_without_residual_scores(cast, lab):
    add(cast, lab, GREEN)
    approve(cast, lab)
    client = login(cast.leader)
    page = client.get(f"/risk/units/{cast.unit_a.pk}/heatmap/?kind=detailed").content.decode()
    assert "1 row not scored" in page
    assert "The rows of 0 approved" in client.get(
        f"/risk/units/{cast.unit_a.pk}/heatmap/?kind=overall").content.decode()


def test_the_editor_shows_residual_scores_and_the_export_the_approval(cast, lab):
    add(cast, lab, GREEN, residual_probability=1, residual_consequences={"people": 1})
    lab = approve(cast, lab)
    client = login(cast.leader)
    sheet = load_workbook(io.BytesIO(client.get(f"/risk/{lab.pk}/assessment.xlsx").content)).active
    header = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(1, 15)}
    approved_by = header["Approved by"]
    assert str(cast.leader) in approved_by
    revision = services.start_revision(actor=cast.leader, assessment=lab)
    page = client.get(f"/risk/{revision.pk}/").content.decode()
    row = revision.rows.get()
    assert f'name="r{row.pk}-residual_c_people"' in page
    assert '<option value="1" selected>A' in page


def test_an_import_reports_every_kind_of_bad_cell(cast, lab):
    add(cast, lab, GREEN)
    client = login(cast.leader)
    workbook = load_workbook(io.BytesIO(client.get(f"/risk/{lab.pk}/assessment.xlsx").content))
    sheet = workbook.active
    sheet["B2"] = ""  # no title
    header = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "No.")
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    line = header + 1
    sheet.cell(line, columns["Hazard type"]).value = "Lava"
    sheet.cell(line, columns["Activity"]).value = "x" * 301
    sheet.cell(line, columns["Needs a detailed assessment"]).value = "maybe"
    sheet.cell(line, columns["Deadline"]).value = "2030-01-01"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = client.post(f"/risk/units/{cast.unit_a.pk}/import/", {
        "file": SimpleUploadedFile("bad.xlsx", buffer.getvalue())}).content.decode()
    for problem in ("needs a title", "“Lava” is not one of the choices", "longer than 300",
                    "Write yes or no", "needs the measure it belongs to"):
        assert problem in page, problem
    assert RiskAssessment.objects.count() == 1


def test_an_import_naming_a_person_of_another_faculty_is_refused(cast, lab):
    add(cast, lab, GREEN)
    client = login(cast.leader)
    workbook = load_workbook(io.BytesIO(client.get(f"/risk/{lab.pk}/assessment.xlsx").content))
    sheet = workbook.active
    participants = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "Participants")
    sheet.cell(participants, 2).value = "leader, outsider"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = client.post(f"/risk/units/{cast.unit_a.pk}/import/", {
        "file": SimpleUploadedFile("people.xlsx", buffer.getvalue())}).content.decode()
    assert "“outsider” is not a person in the unit" in page
    assert RiskAssessment.objects.count() == 1
