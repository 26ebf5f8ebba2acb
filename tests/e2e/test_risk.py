"""Risk assessments in the browser: building one row by row in the in-place editor, the approval
rules, measures into the action plan, PDF and Excel out and back in; nothing typed is lost (a reload
mid-save, a dropped connection); two people on one row; phone width and accessibility."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DESKTOP, PHONE, check_a11y, check_phone, nb

pytestmark = pytest.mark.browser

SAVE_URL = re.compile(r"/risk/rows/\d+/$")
ADD_ROW_URL = re.compile(r"/risk/\d+/rows/new/$")

# The lab's ten rows: (hazard type, activity, unwanted event, cause, existing measures,
# probability, consequence for people as its letter, reason for accepting the risk). On the
# default matrix probability 3 with D is red, 3 with C yellow, 1 with A and 2 with B green.
LAB_ROWS = [
    ("chemical", "Decanting acetone", "Acetone vapour ignites", "Hot plate left on", "Fire blanket",
     3, "D", ""),
    ("chemical", "Etching with HF", "Hydrofluoric acid on skin", "Torn glove", "Calcium gluconate gel",
     3, "D", ""),
    ("physical", "Weighing powders", "Dust in the eyes", "Draught from the door", "Goggles",
     1, "A", ""),
    ("ergonomic", "Pipetting all day", "Strained wrist", "Long series", "Electronic pipettes",
     3, "C", "Short series only; rotation between people"),
    ("electrical", "Using the oven", "Electric shock", "Worn cable", "Yearly inspection",
     1, "A", ""),
    ("biological", "Cell culture", "Contaminated culture", "Poor sterile technique", "Safety bench",
     2, "B", ""),
    ("fire", "Storing solvents", "Cabinet fire", "Leaking bottle", "Ventilated cabinet",
     1, "A", ""),
    ("mechanical", "Centrifuging", "Rotor imbalance", "Tubes not balanced", "Lid lock",
     3, "C", "The lid lock holds a broken rotor; accepted"),
    ("physical", "Handling dry ice", "Frostbite", "Bare hands", "Cryo gloves",
     2, "B", ""),
    ("psychosocial", "Working alone at night", "No help after an accident", "Alone in the lab",
     "Lone-worker alarm", 1, "A", ""),
]
LETTERS = "ABCDE"


@pytest.fixture
def matrix(cast):
    from django.core.management import call_command

    call_command("load_risk_matrix", stdout=io.StringIO())


def make_assessment(cast, title="Solvent lab", rows=()):
    """A draft detailed assessment of department A by the leader, the safety rep taking part."""
    from hms.risk import services

    assessment = services.create_assessment(
        actor=cast.leader, org_unit=cast.unit_a, kind="detailed",
        data={"title": title, "trigger": "new_activity"}, participants=(cast.safety_rep,))
    for data in rows:
        services.add_row(actor=cast.leader, assessment=assessment, data=data)
    return assessment


def wait_until(page, check, message, timeout=10.0):
    """Poll a Python-side condition (the database, a held request) while the page runs."""
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, message
        page.wait_for_timeout(25)


def editor_rows(page):
    return page.locator("#rows-body tr.risk-row")


def cell(row, name):
    return row.locator(f"[name$='-{name}']")


def row_status(row):
    return row.locator(".row-status")


def pending_rows(page):
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hms-row:'))")


def type_row(page, row, values):
    """Fill a row as a person at the keyboard would: focus starts in the row's first cell (the
    hazard type), Tab moves on, text is typed; each change goes to the server by itself."""
    hazard, activity, event, cause, existing, probability, people, reason = values
    hazard_cell = cell(row, "hazard_type")
    expect(hazard_cell).to_be_focused()
    hazard_cell.select_option(hazard)
    for text in (activity, event, cause, existing):
        page.keyboard.press("Tab")
        page.keyboard.type(text)
    # The scores by their first character, as in a closed select: "3 Middels", "D Alvorlig".
    page.keyboard.press("Tab")
    expect(cell(row, "probability")).to_be_focused()
    page.keyboard.type(str(probability))
    expect(cell(row, "probability")).to_have_value(str(probability))
    page.keyboard.press("Tab")
    expect(cell(row, "c_people")).to_be_focused()
    page.keyboard.type(people)
    expect(cell(row, "c_people")).to_have_value(str(LETTERS.index(people) + 1))
    if reason:
        cell(row, "accept_reason").click()
        page.keyboard.type(reason)
        page.keyboard.press("Tab")
    expect(row_status(row)).to_have_text(nb("Saved"))
    expect(row_status(row)).to_have_class(re.compile(r"\bsaved\b"))


def row_values(assessment):
    return [(r.position, r.hazard_type, r.activity, r.unwanted_event, r.cause, r.existing_measures,
             r.probability, r.consequences, r.residual_probability, r.residual_consequences,
             r.accept_reason, r.exposure, r.needs_detailed, r.colour)
            for r in assessment.rows.order_by("position")]


def row_measures(assessment):
    from hms.risk.models import RiskRow

    return [(m.origin_record.position, m.title, m.responsible_id, m.deadline)
            for m in RiskRow.measures_of(list(assessment.rows.all())).order_by("title")]


def test_the_leader_and_safety_rep_build_approve_and_export_a_lab_assessment(
        new_context, cast, matrix, live_server, tmp_path):
    from pypdf import PdfReader

    from hms.measures.models import Measure
    from hms.risk.models import AssessmentStatus, RiskAssessment

    leader = new_context(cast.leader).new_page()
    leader.goto(f"/risk/units/{cast.unit_a.pk}/")
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Department A")
    leader.get_by_role("link", name=nb("New risk assessment"), exact=True).click()
    expect(leader).to_have_url(f"{live_server.url}/risk/units/{cast.unit_a.pk}/new/")

    # The form warns until the unit's safety representative is among the participants.
    warning = leader.locator("[data-vo-warning]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Safety_Rep Tester")
    check_a11y(leader)
    leader.locator("input[name=kind][value=detailed]").check()
    leader.locator("#id_title").fill("Solvent lab 101")
    leader.locator("#id_scope").fill("Bench work with solvents, acids and cell cultures in room 101.")
    leader.locator("#id_trigger").select_option("new_activity")
    leader.locator("#id_responsible_leader").select_option(label="Leader Tester")
    leader.locator("#id_participants").select_option(label=["Safety_Rep Tester", "Employee Tester"])
    expect(warning).to_be_hidden()
    # A reload keeps what was typed, as a draft on this device; the warning follows the restored
    # participants.
    leader.reload()
    expect(leader.locator(".draft-note")).to_be_visible()
    expect(leader.locator("#id_title")).to_have_value("Solvent lab 101")
    # Every chosen participant comes back, not only the first.
    expect(leader.locator("#id_participants")).to_have_values(  # in the list's order, by name
        [str(cast.employee.pk), str(cast.safety_rep.pk)])
    expect(warning).to_be_hidden()
    leader.get_by_role("button", name=nb("Save"), exact=True).click()

    expect(leader).to_have_url(re.compile(r"/risk/\d+/$"))
    assessment = RiskAssessment.objects.get(title="Solvent lab 101")
    expect(leader).to_have_url(f"{live_server.url}/risk/{assessment.pk}/")
    expect(leader.get_by_role("status").first).to_contain_text(
        nb("The risk assessment was created. Add its rows below."))
    assert (assessment.kind, assessment.status, assessment.trigger, assessment.responsible_leader) == (
        "detailed", "draft", "new_activity", cast.leader)
    assert set(assessment.participants.all()) == {cast.leader, cast.safety_rep, cast.employee}
    rows = editor_rows(leader)
    expect(rows).to_have_count(0)
    check_a11y(leader)

    # The leader adds the first row with the button, the next ones with Ctrl+Enter from a cell.
    add_button = leader.get_by_role("button", name=nb("Add row"), exact=True)
    with leader.expect_response(ADD_ROW_URL):
        add_button.click()
    expect(rows).to_have_count(1)
    expect(leader.locator("#rows-body")).not_to_contain_text(nb("No rows yet."))
    type_row(leader, rows.nth(0), LAB_ROWS[0])
    for index in range(1, 5):
        with leader.expect_response(ADD_ROW_URL):
            leader.keyboard.press("Control+Enter")
        expect(rows).to_have_count(index + 1)
        type_row(leader, rows.nth(index), LAB_ROWS[index])
    # The rows show their colour as they are saved: the first red, the third green, the fourth yellow.
    expect(rows.nth(0).locator(f"#risk-{assessment.rows.get(position=1).pk}")).to_contain_text("D3")
    for index, colour in ((0, "red"), (2, "green"), (3, "yellow")):
        expect(rows.nth(index)).to_have_class(re.compile(rf"\brow-{colour}\b"))
    check_a11y(leader)
    assert assessment.rows.count() == 5
    assert pending_rows(leader) == []

    # The safety representative, taking part, adds the other five.
    rep = new_context(cast.safety_rep).new_page()
    rep.goto(f"/risk/{assessment.pk}/")
    rep_rows = editor_rows(rep)
    expect(rep_rows).to_have_count(5)
    for index in range(5, 10):
        if index % 2:
            with rep.expect_response(ADD_ROW_URL):
                rep.get_by_role("button", name=nb("Add row"), exact=True).click()
        else:
            cell(rep_rows.nth(index - 1), "unwanted_event").focus()
            with rep.expect_response(ADD_ROW_URL):
                rep.keyboard.press("Control+Enter")
        expect(rep_rows).to_have_count(index + 1)
        type_row(rep, rep_rows.nth(index), LAB_ROWS[index])
    assert pending_rows(rep) == []
    # Alt+↑ and Alt+↓ move to the same cell in the row above or below.
    cell(rep_rows.nth(8), "cause").focus()
    rep.keyboard.press("Alt+ArrowUp")
    expect(cell(rep_rows.nth(7), "cause")).to_be_focused()
    rep.keyboard.press("Alt+ArrowDown")
    rep.keyboard.press("Alt+ArrowDown")
    expect(cell(rep_rows.nth(9), "cause")).to_be_focused()

    # Every cell typed is in the database, with the colour the matrix gives.
    saved = list(assessment.rows.order_by("position"))
    assert [(r.position, r.hazard_type, r.activity, r.unwanted_event, r.cause, r.existing_measures,
             r.probability, r.consequences, r.accept_reason) for r in saved] == [
        (n, h, a, e, c, x, p, {"people": LETTERS.index(letter) + 1}, reason)
        for n, (h, a, e, c, x, p, letter, reason) in enumerate(LAB_ROWS, start=1)]
    assert [r.colour for r in saved] == ["red", "red", "green", "yellow", "green", "green", "green",
                                         "yellow", "green", "green"]

    rep.reload()
    expect(rep_rows).to_have_count(10)
    expect(cell(rep_rows.nth(3), "accept_reason")).to_have_value(LAB_ROWS[3][7])
    heat = rep.locator("#heat-before")
    for probability, consequence, count in ((3, 4, "2"), (3, 3, "2"), (1, 1, "4"), (2, 2, "2")):
        expect(heat.locator(f"td[data-p='{probability}'][data-c='{consequence}'] .n")).to_have_text(count)
    rep.get_by_role("button", name=nb("Send for approval"), exact=True).click()
    expect(rep.get_by_role("status").first).to_contain_text(nb("The assessment was sent for approval."))
    expect(editor_rows(rep).locator("textarea")).to_have_count(0)  # no longer editable
    expect(rep.get_by_role("button", name=nb("Approve"), exact=True)).to_have_count(0)  # the leader's

    # The leader may not approve while the red rows have no measure.
    leader.goto(f"/risk/{assessment.pk}/")
    problems = leader.get_by_role("region", name=nb("Before it can be approved"))
    red_rule = nb("Row %(n)d is red: it needs a measure with a responsible person and a deadline.")
    expect(problems).to_contain_text(red_rule % {"n": 1})
    expect(problems).to_contain_text(red_rule % {"n": 2})
    leader.get_by_role("button", name=nb("Approve"), exact=True).click()
    refusal = leader.locator(".messages .msg-error")
    expect(refusal).to_contain_text(red_rule % {"n": 1})
    expect(refusal).to_contain_text(red_rule % {"n": 2})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW
    check_a11y(leader)

    # A measure with a responsible person and a deadline for each red row.
    for n, title in ((1, "Move the hot plate out of the fume hood"), (2, "Switch to HF-free etchant")):
        leader.get_by_role("link", name=nb("Add measure to row %(n)s") % {"n": n}, exact=True).click()
        expect(leader.get_by_role("heading", level=1)).to_have_text(nb("New measure"))
        expect(leader.locator("#id_title")).to_have_value(LAB_ROWS[n - 1][2])
        expect(leader.locator("#id_priority")).to_have_value("3")
        if n == 1:
            check_a11y(leader)
        leader.locator("#id_title").fill(title)
        leader.locator("#id_responsible").select_option(label="Employee Tester")
        leader.locator("#id_deadline").fill("2030-06-30")
        leader.get_by_role("button", name=nb("Add to the action plan"), exact=True).click()
        expect(leader).to_have_url(re.compile(rf"/risk/{assessment.pk}/#row-\d+$"))
        expect(leader.get_by_role("status").first).to_contain_text(
            nb("The measure was added to the action plan."))
        expect(editor_rows(leader).nth(n - 1)).to_contain_text(title)
    expect(problems).to_have_count(0)
    expect(leader.locator("main")).to_contain_text(
        nb("Every rule of the risk matrix is met: the leader can approve."))

    leader.goto(f"/measures/units/{cast.unit_a.pk}/")
    plan = leader.locator("#plan-table")
    for title in ("Move the hot plate out of the fume hood", "Switch to HF-free etchant"):
        expect(plan.get_by_role("link", name=title)).to_be_visible()
    measures = Measure.objects.filter(org_unit=cast.unit_a)
    assert sorted((m.title, m.responsible, m.deadline, m.origin_record.position) for m in measures) == [
        ("Move the hot plate out of the fume hood", cast.employee, dt.date(2030, 6, 30), 1),
        ("Switch to HF-free etchant", cast.employee, dt.date(2030, 6, 30), 2)]

    leader.goto(f"/risk/{assessment.pk}/")
    leader.get_by_role("button", name=nb("Approve"), exact=True).click()
    expect(leader.get_by_role("status").first).to_contain_text(nb("The assessment is approved."))
    expect(leader.locator("h1 .status")).to_have_text(nb("Approved"))
    assessment.refresh_from_db()
    assert (assessment.status, assessment.approved_by) == (AssessmentStatus.APPROVED, cast.leader)
    assert assessment.review_due is not None

    # The PDF, fetched with the leader's session, reads back.
    pdf = leader.request.get(f"/risk/{assessment.pk}/assessment.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf.body())).pages)
    text = re.sub(r"\s+", " ", text)
    for shown in ("Solvent lab 101", "Hydrofluoric acid on skin", "Switch to HF-free etchant",
                  "Move the hot plate out of the fume hood", "30.06.2030", "D3"):
        assert shown in text, f"{shown!r} is not in the PDF"

    # The Excel export, imported again in the same unit, gives the same assessment as a draft.
    with leader.expect_download() as download_info:
        leader.get_by_role("link", name=nb("Export to Excel"), exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = tmp_path / download.suggested_filename
    download.save_as(workbook)

    leader.goto(f"/risk/units/{cast.unit_a.pk}/")
    leader.get_by_role("link", name=nb("Import from Excel"), exact=True).click()
    expect(leader).to_have_url(f"{live_server.url}/risk/units/{cast.unit_a.pk}/import/")
    check_a11y(leader)
    leader.locator("input[type=file][name=file]").set_input_files(workbook)
    leader.get_by_role("button", name=nb("Check and import"), exact=True).click()
    expect(leader.get_by_role("status").first).to_contain_text(
        nb("Imported a draft assessment with %(n)d rows.") % {"n": 10})
    copy = RiskAssessment.objects.exclude(pk=assessment.pk).get()
    expect(leader).to_have_url(f"{live_server.url}/risk/{copy.pk}/")
    expect(editor_rows(leader)).to_have_count(10)
    assert (copy.title, copy.kind, copy.trigger, copy.scope, copy.status, copy.responsible_leader) == (
        assessment.title, assessment.kind, assessment.trigger, assessment.scope,
        AssessmentStatus.DRAFT, cast.leader)
    assert set(copy.participants.all()) == set(assessment.participants.all())
    assert row_values(copy) == row_values(assessment)
    assert row_measures(copy) == row_measures(assessment)


def test_a_reload_mid_save_and_a_dropped_connection_lose_nothing(new_context, cast, matrix):
    from hms.risk.models import RiskRow

    assessment = make_assessment(cast, rows=[{"unwanted_event": "Acetone vapour ignites"}])
    row = assessment.rows.get()
    context = new_context(cast.safety_rep)
    page = context.new_page()
    page.goto(f"/risk/{assessment.pk}/")
    state = page.locator("#editor-state")
    tr = editor_rows(page).first

    # The save is held on its way: the page is reloaded before it reaches the server.
    held = []
    page.route(SAVE_URL, lambda route: held.append(route))
    cell(tr, "cause").fill("Hot plate left on under the hood")
    page.keyboard.press("Tab")
    expect(row_status(tr)).to_have_text(nb("Saving…"))
    wait_until(page, lambda: len(held) == 1, "the save was not sent")
    page.reload()
    # What was typed is back from this device, and is sent again (held once more, to look).
    expect(cell(tr, "cause")).to_have_value("Hot plate left on under the hood")
    wait_until(page, lambda: len(held) == 2, "the restored text was not sent again")
    expect(state).to_have_text(nb("What you typed before is back, and is being saved."))
    row.refresh_from_db()
    assert (row.cause, row.version) == ("", 1), "nothing has reached the server yet"
    held[1].continue_()
    expect(row_status(tr)).to_have_text(nb("Saved"))
    expect(state).to_have_text(nb("All changes saved."))
    row.refresh_from_db()
    assert (row.cause, row.version) == ("Hot plate left on under the hood", 2)
    assert pending_rows(page) == []

    # Typing on while a save is under way: the page never claims to have saved what it has not.
    page.evaluate("""() => {
        window.said = [];
        const note = (m) => m.addedNodes.forEach((n) => window.said.push(n.textContent));
        document.querySelectorAll(".row-status, #editor-state").forEach((el) =>
            new MutationObserver((ms) => ms.forEach(note)).observe(el, {childList: true}));
    }""")
    cell(tr, "activity").fill("Decanting")
    page.keyboard.press("Tab")
    wait_until(page, lambda: len(held) == 3, "the change was not sent")
    cell(tr, "activity").press("End")
    page.keyboard.type(" acetone")
    with page.expect_response(SAVE_URL):
        held[2].continue_()
    wait_until(page, lambda: len(held) == 4, "what was typed meanwhile was not sent")
    said = page.evaluate("window.said")
    assert nb("Saving…") in said and nb("Not saved yet") in said, said
    assert nb("Saved") not in said and nb("All changes saved.") not in said, said
    row.refresh_from_db()
    assert (row.activity, row.version) == ("Decanting", 3)
    held[3].continue_()
    expect(row_status(tr)).to_have_text(nb("Saved"))
    expect(state).to_have_text(nb("All changes saved."))
    row.refresh_from_db()
    assert (row.activity, row.version) == ("Decanting acetone", 4)
    assert pending_rows(page) == []
    page.unroute(SAVE_URL)

    # Offline: the changes stay on the device, the page says so, and go out when it is back.
    context.set_offline(True)
    cell(tr, "probability").select_option("3")
    cell(tr, "c_people").select_option("4")
    cell(tr, "existing_measures").fill("Fire blanket by the door")
    page.keyboard.press("Tab")
    offline = nb("No connection: your changes are kept on this device and sent when the connection "
                 "is back.")
    expect(state).to_have_text(offline)
    expect(row_status(tr)).to_have_text(offline)
    expect(row_status(tr)).to_have_class(re.compile(r"\boffline\b"))
    assert len(pending_rows(page)) == 1
    row.refresh_from_db()
    assert (row.probability, row.consequences, row.existing_measures, row.version) == (None, {}, "", 4)

    with page.expect_response(SAVE_URL) as answer:
        context.set_offline(False)
    assert answer.value.ok
    expect(row_status(tr)).to_have_text(nb("Saved"))
    expect(page.locator(f"#risk-{row.pk}")).to_contain_text("D3")
    row = RiskRow.objects.get(pk=row.pk)
    assert (row.cause, row.activity, row.existing_measures, row.probability, row.consequences,
            row.colour) == ("Hot plate left on under the hood", "Decanting acetone",
                            "Fire blanket by the door", 3, {"people": 4}, "red")
    assert pending_rows(page) == []

    page.reload()
    expect(cell(tr, "existing_measures")).to_have_value("Fire blanket by the door")
    expect(cell(tr, "probability")).to_have_value("3")


def test_two_people_on_one_row_choose_what_to_keep(new_context, cast, matrix):
    from hms.risk.models import RiskRow

    assessment = make_assessment(cast, rows=[{"unwanted_event": "Acetone vapour ignites",
                                              "cause": "Hot plate left on"}])
    row = assessment.rows.get()
    leader = new_context(cast.leader).new_page()
    coordinator = new_context(cast.coordinator).new_page()
    for page in (leader, coordinator):
        page.goto(f"/risk/{assessment.pk}/")
    leader_row, coordinator_row = editor_rows(leader).first, editor_rows(coordinator).first

    with leader.expect_response(SAVE_URL):
        cell(leader_row, "cause").fill("Hot plate left on by the leader")
        leader.keyboard.press("Tab")
    expect(row_status(leader_row)).to_have_text(nb("Saved"))

    # The coordinator's page still has version 1: the save is refused and both versions are shown.
    with coordinator.expect_response(SAVE_URL) as answer:
        cell(coordinator_row, "cause").fill("Hot plate left on by the coordinator")
        coordinator.keyboard.press("Tab")
    assert answer.value.status == 409
    panel = row_status(coordinator_row)
    expect(panel).to_have_class(re.compile(r"\bconflict\b"))
    expect(panel).to_contain_text(nb("Someone else saved this %(what)s while you were editing it. Your "
                                     "changes were not saved.") % {"what": nb("row")})
    expect(panel.locator("dd")).to_contain_text(["Hot plate left on by the leader"])
    expect(coordinator.locator("#editor-state")).to_have_text(
        nb("Someone else saved this row meanwhile. Their values are shown; choose what to keep."))
    keep = panel.get_by_role("button", name=nb("Keep mine"), exact=True)
    expect(keep).to_be_focused()
    expect(panel.get_by_role("button", name=nb("Take theirs"), exact=True)).to_be_visible()
    expect(cell(coordinator_row, "cause")).to_have_value("Hot plate left on by the coordinator")
    check_a11y(coordinator)
    row.refresh_from_db()
    assert (row.cause, row.version) == ("Hot plate left on by the leader", 2), "silently overwritten"

    # Having seen the leader's text, the coordinator keeps their own on purpose.
    with coordinator.expect_response(SAVE_URL) as answer:
        keep.click()
    assert answer.value.ok
    expect(panel).to_have_text(nb("Saved"))
    row.refresh_from_db()
    assert (row.cause, row.version) == ("Hot plate left on by the coordinator", 3)
    assert pending_rows(coordinator) == []

    # Now the leader's page is behind: a change there is refused too, and taking theirs shows
    # the coordinator's text without sending the leader's.
    with leader.expect_response(SAVE_URL) as answer:
        cell(leader_row, "existing_measures").fill("Fire blanket")
        leader.keyboard.press("Tab")
    assert answer.value.status == 409
    leader_panel = row_status(leader_row)
    expect(leader_panel.locator("dd")).to_contain_text(["Hot plate left on by the coordinator"])
    leader_panel.get_by_role("button", name=nb("Take theirs"), exact=True).click()
    expect(cell(leader_row, "cause")).to_have_value("Hot plate left on by the coordinator")
    expect(cell(leader_row, "existing_measures")).to_have_value("")
    assert pending_rows(leader) == []
    row = RiskRow.objects.get(pk=row.pk)
    assert (row.cause, row.existing_measures, row.version) == (
        "Hot plate left on by the coordinator", "", 3)


def test_the_list_and_the_editor_fit_a_phone_and_pass_axe(new_context, cast, matrix):
    assessment = make_assessment(cast, title="Solvent lab with a long name that has to wrap on a phone",
                                 rows=[{"unwanted_event": "Acetone vapour ignites", "probability": 3,
                                        "consequences": {"people": 4}},
                                       {"unwanted_event": "Strained wrist", "probability": 3,
                                        "consequences": {"people": 3}}])
    page = new_context(cast.leader, viewport=PHONE, is_mobile=True, has_touch=True).new_page()

    page.goto(f"/risk/units/{cast.unit_a.pk}/")
    listed = page.locator("#assessment-list").get_by_role("link", name=assessment.title)
    check_phone(page, page.get_by_role("link", name=nb("New risk assessment"), exact=True), listed)
    check_a11y(page)

    listed.click()
    rows = editor_rows(page)
    expect(rows).to_have_count(2)
    event = cell(rows.nth(1), "unwanted_event")
    check_phone(page, event, cell(rows.nth(1), "probability"),
                page.get_by_role("button", name=nb("Add row"), exact=True),
                page.get_by_role("button", name=nb("Send for approval"), exact=True),
                page.get_by_role("link", name=nb("Export to PDF"), exact=True))
    check_a11y(page)
    # The editor works at that size too.
    with page.expect_response(SAVE_URL):
        event.fill("Strained wrist from pipetting")
        page.keyboard.press("Tab")
    expect(row_status(rows.nth(1))).to_have_text(nb("Saved"))
    assert assessment.rows.get(position=2).unwanted_event == "Strained wrist from pipetting"
    check_phone(page, row_status(rows.nth(1)))

    # Read-only once sent for approval: still fits, still passes.
    page.get_by_role("button", name=nb("Send for approval"), exact=True).click()
    expect(page.locator("h1 .status")).to_have_text(nb("In review"))
    expect(rows.locator("textarea")).to_have_count(0)
    check_phone(page, page.get_by_role("link", name=nb("Add measure to row %(n)s") % {"n": 1}))
    check_a11y(page)
    page.set_viewport_size(DESKTOP)
    check_a11y(page)
