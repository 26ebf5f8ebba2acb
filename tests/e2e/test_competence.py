"""The competence gap in the browser: the leader opens unit A's training overview and sees that
the safety representative lacks the basic training; imports a CSV file with that record through
the form; the gap is gone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DESKTOP, check_a11y, check_phone, nb

pytestmark = pytest.mark.browser

FILE = "person;kurs;fullført\nsafety_rep@example.org;Grunnopplæring for verneombud (40 timer);15.09.2025\n"


@pytest.fixture
def catalogue(cast):
    """The shipped courses and requirements (the transactional tests empty the database)."""
    from hms.competence.catalogue import load_catalogue
    from hms.competence.models import Course, Requirement
    from hms.governance.models import DelegationTask

    load_catalogue(Course, Requirement, DelegationTask)


def test_the_safety_reps_missing_basic_training_disappears_when_imported(new_context, cast, catalogue):
    from hms.competence.models import TrainingRecord

    page = new_context(cast.leader).new_page()
    page.goto(f"/org/units/{cast.unit_a.pk}/")
    page.locator("#training-card").get_by_role("link", name=nb("Training overview")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(nb("Training"))
    gap = page.locator("#training-needs tr[data-person=safety_rep][data-course=safety-rep-basic]")
    expect(gap).to_contain_text(nb("Missing"))
    expect(page.locator("#count-missing")).to_have_text("18")
    check_a11y(page)
    check_phone(page, gap)
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name=nb("Import training records")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nb("Import training records"))
    check_a11y(page)
    page.get_by_label(nb("File (.csv or .xlsx)")).set_input_files(
        {"name": "opplaering.csv", "mimeType": "text/csv", "buffer": FILE.encode()})
    page.get_by_role("button", name=nb("Check and import"), exact=True).click()
    expect(page.get_by_role("status")).to_have_text(
        nb("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        % {"created": 1, "updated": 0, "unchanged": 0})
    saved = TrainingRecord.objects.get(person=cast.safety_rep)
    assert (saved.course.code, saved.source) == ("safety-rep-basic", "imported")

    page.goto(f"/competence/units/{cast.unit_a.pk}/?only_gaps=on")
    expect(page.locator("#count-missing")).to_have_text("17")
    expect(gap).to_have_count(0)
    expect(page.locator("#training-needs tr[data-person=deputy][data-course=safety-rep-basic]")
           ).to_contain_text(nb("Missing"))
    check_a11y(page)
