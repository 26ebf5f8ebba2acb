"""Nothing typed is lost: a stale save is refused with both versions shown, and a half-filled
form survives a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_a11y, nb

pytestmark = pytest.mark.browser

STALE = ("Someone else saved this measure while you were editing it. Your changes were not saved: "
         "compare them with the current values below and save again.")


def test_the_second_of_two_saves_is_refused_and_keeps_what_was_typed(new_context, cast, live_server):
    from hms.measures.models import Measure

    measure = Measure.objects.create(org_unit=cast.unit_a, title="Fix the fume hood",
                                     responsible=cast.employee, created_by=cast.leader)
    edit_url = f"/measures/{measure.pk}/edit/"
    leader = new_context(cast.leader).new_page()
    coordinator = new_context(cast.coordinator).new_page()
    leader.goto(edit_url)
    coordinator.goto(edit_url)

    leader.locator("#id_title").fill("Fix the fume hood (leader)")
    leader.locator("#id_priority").select_option("4")
    leader.get_by_role("button", name=nb("Save"), exact=True).click()
    expect(leader).to_have_url(f"{live_server.url}/measures/{measure.pk}/")

    coordinator.locator("#id_title").fill("Fix the fume hood (coordinator)")
    coordinator.locator("#id_description").fill("Call the ventilation team first.")
    coordinator.get_by_role("button", name=nb("Save"), exact=True).click()

    expect(coordinator).to_have_url(f"{live_server.url}{edit_url}")
    expect(coordinator.locator(".errors")).to_contain_text(nb(STALE))
    theirs = coordinator.get_by_role("alert", name=nb("What the other person saved"))
    expect(theirs).to_contain_text("Fix the fume hood (leader)")
    expect(theirs).to_contain_text(nb("Critical"))
    expect(coordinator.locator("#id_title")).to_have_value("Fix the fume hood (coordinator)")
    expect(coordinator.locator("#id_description")).to_have_value("Call the ventilation team first.")
    check_a11y(coordinator)
    measure.refresh_from_db()
    assert (measure.title, measure.description, measure.version) == ("Fix the fume hood (leader)", "", 2)

    # Having seen the other version, the coordinator saves again on purpose: now it goes through.
    coordinator.get_by_role("button", name=nb("Save"), exact=True).click()
    expect(coordinator).to_have_url(f"{live_server.url}/measures/{measure.pk}/")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Fix the fume hood (coordinator)")
    measure.refresh_from_db()
    assert (measure.title, measure.description, measure.version) == (
        "Fix the fume hood (coordinator)", "Call the ventilation team first.", 3)


def test_a_half_filled_new_measure_survives_a_reload(new_context, cast, live_server):
    from hms.measures.models import Measure

    page = new_context(cast.leader).new_page()
    new_url = f"/measures/units/{cast.unit_a.pk}/new/"
    page.goto(new_url)
    expect(page.locator(".draft-note")).to_have_count(0)
    page.locator("#id_title").fill("Half-typed measure")
    page.locator("#id_description").press_sequentially("Started on the train")
    page.locator("#id_priority").select_option("4")

    page.reload()
    expect(page.locator("#id_title")).to_have_value("Half-typed measure")
    expect(page.locator("#id_description")).to_have_value("Started on the train")
    expect(page.locator("#id_priority")).to_have_value("4")
    note = page.locator(".draft-note")
    expect(note).to_have_text(nb("What you typed last time is back in the form. It is not saved until "
                                 "you press Save."))
    expect(note).to_have_attribute("role", "status")
    check_a11y(page)
    assert not Measure.objects.exists(), "a draft is kept in the browser, not saved"

    # Saving settles the draft: the next new form is empty again.
    page.get_by_role("button", name=nb("Save"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/measures/\d+/$"))
    assert Measure.objects.get().title == "Half-typed measure"
    page.goto(new_url)
    expect(page.locator("#id_title")).to_have_value("")
    expect(page.locator(".draft-note")).to_have_count(0)


def test_a_restored_draft_does_not_undo_someone_elses_save(new_context, cast, live_server):
    from hms.measures.models import Measure

    measure = Measure.objects.create(org_unit=cast.unit_a, title="Fix the fume hood",
                                     responsible=cast.employee, created_by=cast.leader)
    edit_url = f"/measures/{measure.pk}/edit/"
    leader = new_context(cast.leader).new_page()
    leader.goto(edit_url)
    leader.locator("#id_description").fill("The leader's note")  # kept as a draft, not saved
    leader.goto("/")

    coordinator = new_context(cast.coordinator).new_page()
    coordinator.goto(edit_url)
    coordinator.locator("#id_title").fill("Fix the fume hood today")
    coordinator.locator("#id_priority").select_option("4")
    coordinator.get_by_role("button", name=nb("Save"), exact=True).click()
    expect(coordinator).to_have_url(f"{live_server.url}/measures/{measure.pk}/")

    leader.goto(edit_url)
    expect(leader.locator(".draft-note")).to_be_visible()
    leader.get_by_role("button", name=nb("Save"), exact=True).click()
    expect(leader.locator(".messages, .errors").first).to_be_visible()  # saved, or refused
    measure.refresh_from_db()
    # The leader only typed a description: the coordinator's title and priority must survive
    # (or the save must be refused as a conflict).
    assert (measure.title, measure.priority) == ("Fix the fume hood today", 4)
