"""The summary of an HSE round in the browser, at phone width: after a laboratory walk with three
"not OK", the leader turns two findings into measures (the form starts from what was found, with
the leader responsible; they appear in the action plan) and one into a deviation (it appears in
the unit's deviation list); the page names who signs with them; leader and safety representative
sign; the round is summarised and closed; its PDF report is read back. (The walk itself, with a reload and a
dropped connection, is tests/e2e/test_round_walk.py.)"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, check_a11y, check_phone

pytestmark = pytest.mark.browser

PHONE_OPTIONS = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture
def walked_round(cast):
    """The shipped checklists and deviation types (the transactional tests empty the database,
    migrations' data included), and a walked laboratory round with three findings."""
    from hms.deviations.models import DeviationType
    from hms.deviations.types import load_types
    from hms.rounds.checklists import load_templates
    from hms.rounds.models import ChecklistItem, ChecklistTemplate
    from hms.rounds.tests.factories import walked

    load_types(DeviationType)
    load_templates(ChecklistTemplate, ChecklistItem)
    return walked(cast, not_ok=3)


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_findings_become_measures_and_a_deviation_and_both_sign(new_context, cast, walked_round):
    round_ = walked_round
    first, second, third = round_.findings.order_by("pk")
    page = new_context(cast.leader, **PHONE_OPTIONS).new_page()
    page.goto(f"/rounds/{round_.pk}/summary/")
    check_phone(page)
    check_a11y(page)

    page.locator(f"#p-{first.pk}").select_option("4")
    page.locator(f"#c-{first.pk}").select_option("4")
    page.locator(f"#finding-{first.pk} form.score button[type=submit]").click()
    expect(page.locator(f"#finding-{first.pk} .risk")).to_contain_text("16")

    for finding, title in ((first, "Label every acid bottle"), (second, "Service the fume hood")):
        page.locator(f"#finding-{finding.pk} a[href$='/findings/{finding.pk}/measure/']").click()
        # a task from what was found (the walker's comment), the unit's leader responsible
        expect(page.locator("#id_title")).to_have_value(finding.description)
        expect(page.locator("#id_responsible")).to_have_value(str(cast.leader.pk))
        page.locator("#id_title").fill(title)
        page.locator("#id_responsible").select_option(str(cast.employee.pk))
        page.locator("#id_deadline").fill("2030-01-31")
        page.locator("#id_cost_estimate").fill("2500")
        page.locator("form.form button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/rounds/{round_.pk}/summary/"))
        expect(page.locator(f"#finding-{finding.pk}")).to_contain_text(title)

    page.locator(f"#finding-{third.pk} form[action$='/deviation/'] button[type=submit]").click()
    expect(page.locator(f"#finding-{third.pk} a[href^='/deviations/']")).to_be_visible()

    page.locator("#id_summary").fill("Acid labels first, then the hood.")
    page.locator("form.form:has(#id_summary) button[type=submit]").click()
    expect(page.locator("#who-signs")).to_contain_text("Safety_Rep Tester")  # who signs with them
    page.locator("form[action$='/sign/']:has(input[value=leader]) button").click()
    expect(page.locator("form[action$='/sign/']:has(input[value=leader])")).to_have_count(0)

    rep = new_context(cast.safety_rep, **PHONE_OPTIONS).new_page()
    rep.goto(f"/rounds/{round_.pk}/summary/")
    expect(rep.locator("#who-signs")).to_have_count(0)  # the leader has signed; the rep signs now
    rep.locator("form[action$='/sign/']:has(input[value=safety_rep]) button").click()
    expect(rep.locator("form[action$='/sign/']:has(input[value=safety_rep])")).to_have_count(0)
    check_a11y(rep)

    page.goto(f"/rounds/{round_.pk}/")
    page.locator("form[action$='/step/']:has(input[value=summarised]) button").click()
    page.locator("form[action$='/step/']:has(input[value=closed]) button").click()
    expect(page.locator(".status-closed")).to_be_visible()
    check_phone(page)
    check_a11y(page)

    page.goto(f"/measures/units/{cast.unit_a.pk}/")
    plan = page.locator("#plan-table")
    expect(plan).to_contain_text("Label every acid bottle")
    expect(plan).to_contain_text("Service the fume hood")

    handler = new_context(cast.handler).new_page()
    handler.goto(f"/deviations/units/{cast.unit_a.pk}/")
    expect(handler.locator("table.cases")).to_contain_text(third.title)

    report = page.request.get(f"/rounds/{round_.pk}/report.pdf")
    assert report.ok and report.headers["content-type"] == "application/pdf"
    text = _pdf_text(report.body())
    for expected in ("Label every acid bottle", "Service the fume hood", "4 × 4 = 16",
                     "Acid labels first, then the hood.", "Leader Tester", "Safety_Rep Tester"):
        assert "".join(expected.split()) in text, expected
