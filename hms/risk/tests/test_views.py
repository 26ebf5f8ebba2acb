from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from hms.core.models import AuditEvent
from hms.measures.models import Measure
from hms.risk import services
from hms.risk.models import AssessmentStatus, RiskAssessment, RiskRow

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
RED = {"probability": 3, "consequences": {"people": 4}}
YELLOW = {"probability": 3, "consequences": {"people": 3}}


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    user.language = "en"
    user.save()
    return client


def add(cast, lab, scores=None, **fields):
    return services.add_row(actor=cast.safety_rep, assessment=lab,
                            data={"unwanted_event": "Spill", **(scores or {}), **fields})


def row_post(row, **values):
    """What the editor sends for a row: every cell, prefixed by the row."""
    data = {"version": row.version, "hazard_type": row.hazard_type, "activity": row.activity,
            "unwanted_event": row.unwanted_event, "probability": row.probability or "",
            "c_people": row.consequences.get("people", ""), **values}
    return {f"r{row.pk}-{key}": "" if value is None else value for key, value in data.items()}


def test_the_editor_saves_a_cell_and_answers_with_the_new_colour(cast, lab):
    row = add(cast, lab)
    response = login(cast.safety_rep).post(f"/risk/rows/{row.pk}/",
                                           row_post(row, probability=3, c_people=4), **JSON)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert "Red" in body["cells"][f"risk-{row.pk}"] and "D3" in body["cells"][f"risk-{row.pk}"]
    row.refresh_from_db()
    assert (row.probability, row.consequences, row.colour) == (3, {"people": 4}, "red")


def test_a_stale_save_is_refused_with_what_the_other_person_saved(cast, lab):
    row = add(cast, lab)
    services.update_row(actor=cast.leader, row=row, data={"cause": "Leader's cause"}, version=1)
    response = login(cast.safety_rep).post(f"/risk/rows/{row.pk}/",
                                           row_post(row, cause="Mine"), **JSON)
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == 2 and ["Cause", "Leader's cause"] in body["theirs"]
    row.refresh_from_db()
    assert row.cause == "Leader's cause"
    # Keeping mine: the same values again on the version now current.
    retry = login(cast.safety_rep).post(f"/risk/rows/{row.pk}/",
                                        row_post(row, cause="Mine", version=2), **JSON)
    assert retry.status_code == 200
    row.refresh_from_db()
    assert row.cause == "Mine"


def test_bad_cells_are_refused_with_a_message_and_change_nothing(cast, lab):
    row = add(cast, lab)
    client = login(cast.safety_rep)
    response = client.post(f"/risk/rows/{row.pk}/", row_post(row, probability=9), **JSON)
    assert response.status_code == 400
    assert "Not saved" in response.json()["message"]
    row.refresh_from_db()
    assert row.version == 1 and row.probability is None
    # Without JavaScript the same post comes back to the page with the message.
    plain = client.post(f"/risk/rows/{row.pk}/", row_post(row, probability=9), follow=True)
    assert "Not saved" in plain.content.decode()


def test_rows_of_an_approved_assessment_cannot_be_changed(cast, lab):
    row = add(cast, lab)
    services.submit_for_review(actor=cast.safety_rep, assessment=lab)
    response = login(cast.leader).post(f"/risk/rows/{row.pk}/", row_post(row, cause="x"), **JSON)
    assert response.status_code == 400
    assert "Only a draft" in response.json()["message"]


def test_adding_and_removing_rows(cast, lab):
    client = login(cast.safety_rep)
    response = client.post(f"/risk/{lab.pk}/rows/new/", **JSON)
    assert response.status_code == 200
    first = RiskRow.objects.get(assessment=lab)
    assert response.json()["id"] == f"row-{first.pk}" and f'id="f{first.pk}"' in response.json()["html"]
    plain = client.post(f"/risk/{lab.pk}/rows/new/")
    second = RiskRow.objects.filter(assessment=lab).last()
    assert plain["Location"].endswith(f"/risk/{lab.pk}/#row-{second.pk}")
    assert client.post(f"/risk/rows/{first.pk}/delete/", **JSON).json() == {"deleted": True}
    second.refresh_from_db()
    assert second.position == 1
    assert AuditEvent.objects.filter(action="delete_row").exists()


def test_the_detail_page_shows_rules_heat_map_and_the_missing_safety_rep(cast, lab):
    red = add(cast, lab, RED)
    add(cast, lab, YELLOW)
    page = login(cast.leader).get(f"/risk/{lab.pk}/").content.decode()
    assert "Row 1 is red" in page and "Row 2 is yellow" in page
    assert 'data-row-editor' in page and f'id="f{red.pk}"' in page
    assert 'data-p="3" data-c="4"' in page  # the red row's cell in the heat map
    # The safety rep made the assessment, so takes part: no warning. Without them, a warning.
    assert "is not among the participants" not in page
    lab.participants.remove(cast.safety_rep)
    page = login(cast.leader).get(f"/risk/{lab.pk}/").content.decode()
    assert "is not among the participants" in page


def test_a_row_measure_goes_into_the_action_plan_and_approval_follows(cast, lab):
    red = add(cast, lab, RED)
    leader = login(cast.leader)
    form = leader.get(f"/risk/rows/{red.pk}/measure/").content.decode()
    assert 'value="3"' in form  # priority high from the red row
    response = leader.post(f"/risk/rows/{red.pk}/measure/", {
        "title": "Fume cupboard", "responsible": cast.employee.pk, "deadline": "2030-01-31",
        "priority": 3})
    assert response.status_code == 302
    measure = Measure.objects.get(title="Fume cupboard")
    assert measure.org_unit == cast.unit_a and measure.origin_record == red
    step = leader.post(f"/risk/{lab.pk}/step/", {"step": "submit", "version": lab.version})
    assert step.status_code == 302
    lab.refresh_from_db()
    approve = leader.post(f"/risk/{lab.pk}/step/", {"step": "approve", "version": lab.version},
                          follow=True)
    assert "The assessment is approved." in approve.content.decode()
    lab.refresh_from_db()
    assert lab.status == AssessmentStatus.APPROVED and lab.approved_by == cast.leader


def test_approval_is_refused_in_the_page_while_a_red_row_lacks_a_measure(cast, lab):
    add(cast, lab, RED)
    leader = login(cast.leader)
    leader.post(f"/risk/{lab.pk}/step/", {"step": "submit", "version": lab.version})
    lab.refresh_from_db()
    page = leader.post(f"/risk/{lab.pk}/step/", {"step": "approve", "version": lab.version},
                       follow=True).content.decode()
    assert "Row 1 is red" in page
    lab.refresh_from_db()
    assert lab.status == AssessmentStatus.IN_REVIEW
    stale = leader.post(f"/risk/{lab.pk}/step/", {"step": "send_back", "version": 1}, follow=True)
    assert "Someone else changed" in stale.content.decode()
    nonsense = leader.post(f"/risk/{lab.pk}/step/", {"step": "explode", "version": lab.version},
                           follow=True)
    assert "not understood" in nonsense.content.decode()


def test_a_revision_shows_what_changed(cast, lab):
    first = add(cast, lab, {"probability": 1, "consequences": {"people": 1}})
    services.submit_for_review(actor=cast.safety_rep, assessment=lab)
    lab.refresh_from_db()
    services.approve_assessment(actor=cast.leader, assessment=lab)
    leader = login(cast.leader)
    lab.refresh_from_db()
    leader.post(f"/risk/{lab.pk}/step/", {"step": "revise", "version": lab.version})
    revision = RiskAssessment.objects.get(revision_of=lab)
    copied = revision.rows.get()
    services.update_row(actor=cast.leader, row=copied, data={"probability": 2}, version=1)
    page = leader.get(f"/risk/{revision.pk}/").content.decode()
    assert "Changes since the approved version" in page
    assert "<del>1</del> → <ins>2</ins>" in page
    assert f'href="/risk/{lab.pk}/"' in page  # the earlier version stays readable
    assert first.pk != copied.pk


def test_create_warns_when_the_safety_rep_is_not_chosen(cast, matrix):
    leader = login(cast.leader)
    page = leader.get(f"/risk/units/{cast.unit_a.pk}/new/").content.decode()
    assert "should take part" in page and 'data-vo-warning>' in page
    response = leader.post(f"/risk/units/{cast.unit_a.pk}/new/", {
        "kind": "detailed", "title": "Laser lab", "trigger": "new_equipment",
        "participants": [cast.safety_rep.pk], "assessed_on": "2026-11-25"})
    assessment = RiskAssessment.objects.get(title="Laser lab")
    assert response["Location"] == f"/risk/{assessment.pk}/"
    assert set(assessment.participants.all()) == {cast.leader, cast.safety_rep}
    refused = leader.post(f"/risk/units/{cast.unit_a.pk}/new/", {"kind": "detailed", "title": ""})
    assert refused.status_code == 200 and RiskAssessment.objects.count() == 1


def test_editing_the_header_refuses_a_stale_version(cast, lab):
    leader = login(cast.leader)
    data = {"title": "Solvent lab 2", "participants": [cast.leader.pk], "version": lab.version}
    assert leader.post(f"/risk/{lab.pk}/edit/", data).status_code == 302
    stale = leader.post(f"/risk/{lab.pk}/edit/", {**data, "title": "Old"})
    assert stale.status_code == 200 and "What the other person saved" in stale.content.decode()
    lab.refresh_from_db()
    assert lab.title == "Solvent lab 2"


def test_the_list_counts_red_and_yellow_rows_and_filters(cast, lab):
    add(cast, lab, RED)
    add(cast, lab, RED)
    add(cast, lab, YELLOW)
    client = login(cast.coordinator)  # the faculty's coordinator sees the subtree
    page = client.get(f"/risk/units/{cast.faculty_f.pk}/").content.decode()
    assert "Solvent lab" in page
    assert '<span class="risk risk-red">2</span>' in page
    assert '<span class="risk risk-yellow">1</span>' in page
    assert "Solvent lab" not in client.get(f"/risk/units/{cast.faculty_f.pk}/?scope=unit").content.decode()
    assert "Solvent lab" not in client.get(
        f"/risk/units/{cast.faculty_f.pk}/?status=approved").content.decode()
    assert "Solvent lab" in client.get(f"/risk/units/{cast.faculty_f.pk}/?red=on").content.decode()
    fragment = client.get(f"/risk/units/{cast.faculty_f.pk}/?q=solvent", HTTP_HX_REQUEST="true")
    assert "<h1>" not in fragment.content.decode() and "Solvent lab" in fragment.content.decode()


def test_reviews_due_are_found_by_the_filter(cast, lab):
    add(cast, lab, {"probability": 1, "consequences": {"people": 1}})
    services.submit_for_review(actor=cast.safety_rep, assessment=lab)
    lab.refresh_from_db()
    services.approve_assessment(actor=cast.leader, assessment=lab)
    RiskAssessment.objects.filter(pk=lab.pk).update(review_due=dt.date(2020, 1, 1))
    client = login(cast.leader)
    assert "Solvent lab" in client.get(f"/risk/units/{cast.unit_a.pk}/?review=overdue").content.decode()
    RiskAssessment.objects.filter(pk=lab.pk).update(review_due=dt.date(2099, 1, 1))
    assert "Solvent lab" not in client.get(f"/risk/units/{cast.unit_a.pk}/?review=due").content.decode()


def test_the_unit_heat_map_rolls_up_approved_assessments(cast, lab):
    add(cast, lab, RED, residual_probability=1, residual_consequences={"people": 4})
    measure = services.add_row_measure(actor=cast.leader, row=lab.rows.get(), data={
        "title": "Guard", "responsible": cast.employee, "deadline": dt.date(2030, 1, 1)})
    assert measure.pk
    services.submit_for_review(actor=cast.safety_rep, assessment=lab)
    lab.refresh_from_db()
    services.approve_assessment(actor=cast.leader, assessment=lab)
    page = login(cast.coordinator).get(f"/risk/units/{cast.faculty_f.pk}/heatmap/").content.decode()
    assert "The rows of 1 approved assessment" in page
    before = page[page.index('id="heat-before"'):page.index('id="heat-after"')]
    after = page[page.index('id="heat-after"'):]
    assert 'data-p="3" data-c="4"><span class="n">1</span>' in before
    assert 'data-p="1" data-c="4"><span class="n">1</span>' in after
    assert "Red: 1" in before


def test_the_pdf_reads_back(cast, lab):
    red = add(cast, lab, RED, activity="Decanting acetone")
    services.add_row_measure(actor=cast.leader, row=red, data={
        "title": "Fume cupboard", "responsible": cast.employee, "deadline": dt.date(2030, 1, 31)})
    response = login(cast.leader).get(f"/risk/{lab.pk}/assessment.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Solvent lab", "Decanting acetone", "Fume cupboard", "Participants",
                     "Before measures", "Red"):
        assert expected in text, expected


def _export(client, assessment) -> bytes:
    response = client.get(f"/risk/{assessment.pk}/assessment.xlsx")
    assert response.status_code == 200
    return response.content


def _row_values(assessment):
    return [(r.position, r.hazard_type, r.activity, r.unwanted_event, r.cause, r.existing_measures,
             r.probability, r.consequences, r.residual_probability, r.residual_consequences,
             r.accept_reason, r.exposure, r.needs_detailed, r.colour)
            for r in assessment.rows.order_by("position")]


def _measures(assessment):
    return [(m.origin_record.position, m.title, m.responsible_id, m.deadline)
            for m in RiskRow.measures_of(list(assessment.rows.all())).order_by("title")]


@pytest.mark.parametrize("language", ["en", "nb"])
def test_export_then_import_gives_the_same_assessment(cast, lab, language):
    red = add(cast, lab, RED, activity="Decanting", hazard_type="chemical", cause="Haste",
              existing_measures="Gloves", exposure="chemicals")
    add(cast, lab, YELLOW, accept_reason="Short exposure", residual_probability=2,
        residual_consequences={"people": 2, "environment": 1})
    for title in ("Fume cupboard", "Training"):
        services.add_row_measure(actor=cast.leader, row=red, data={
            "title": title, "responsible": cast.employee, "deadline": dt.date(2030, 1, 31)})
    client = login(cast.leader)
    cast.leader.language = language
    cast.leader.save()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(cast.leader)
    content = _export(client, lab)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["B2"].value == "Solvent lab"
    upload = SimpleUploadedFile("lab.xlsx", content)
    response = client.post(f"/risk/units/{cast.unit_a.pk}/import/", {"file": upload})
    copy = RiskAssessment.objects.exclude(pk=lab.pk).get()
    assert response["Location"] == f"/risk/{copy.pk}/"
    assert (copy.title, copy.kind, copy.trigger, copy.status) == (
        lab.title, lab.kind, lab.trigger, AssessmentStatus.DRAFT)
    assert set(copy.participants.all()) == set(lab.participants.all())
    assert _row_values(copy) == _row_values(lab)
    assert _measures(copy) == _measures(lab)


def test_an_import_with_problems_lists_them_and_creates_nothing(cast, lab):
    add(cast, lab, RED)
    client = login(cast.leader)
    workbook = load_workbook(io.BytesIO(_export(client, lab)))
    sheet = workbook.active
    header_line = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "No.")
    sheet.cell(header_line + 1, 7).value = "9"          # probability out of the matrix
    sheet.cell(header_line + 1, 8).value = "Q"          # no such consequence letter
    sheet.append([None] * 13 + ["Extra", "nobody@example.org", "31.02.2030"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(f"/risk/units/{cast.unit_a.pk}/import/",
                           {"file": SimpleUploadedFile("bad.xlsx", buffer.getvalue())})
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported" in page
    for problem in ("“9” is not a level", "“Q” is not a level", "nobody@example.org", "31.02.2030"):
        assert problem in page, problem
    assert RiskAssessment.objects.count() == 1


def test_a_file_without_column_headers_or_of_another_kind_is_refused(cast, matrix):
    client = login(cast.leader)
    url = f"/risk/units/{cast.unit_a.pk}/import/"
    page = client.post(url, {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")}).content.decode()
    assert "Upload an Excel file" in page
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    page = client.post(url, {"file": SimpleUploadedFile("x.xlsx", buffer.getvalue())}).content.decode()
    assert "No line of column headers" in page
    assert RiskAssessment.objects.count() == 0


def test_a_detailed_assessment_starts_from_a_mapping_row(cast, matrix):
    mapping = services.create_assessment(actor=cast.leader, org_unit=cast.unit_a, kind="overall",
                                         data={"title": "Department mapping"})
    flagged = services.add_row(actor=cast.leader, assessment=mapping, data={
        "activity": "Laser work", "unwanted_event": "Eye injury", "needs_detailed": True,
        "probability": 1, "consequences": {"people": 1}})
    services.submit_for_review(actor=cast.leader, assessment=mapping)
    mapping.refresh_from_db()
    services.approve_assessment(actor=cast.leader, assessment=mapping)
    client = login(cast.leader)
    assert f"?row={flagged.pk}" in client.get(f"/risk/{mapping.pk}/").content.decode()
    form = client.get(f"/risk/units/{cast.unit_a.pk}/new/?row={flagged.pk}").content.decode()
    assert 'value="Laser work"' in form and f'value="{flagged.pk}" selected' in form
