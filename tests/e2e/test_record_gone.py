"""A risk row removed by a co-editor while someone types in it (issue 12): the editor says the row
is gone, keeps the typed text in the row and on this device, and stops saving it."""

from __future__ import annotations

import io
import json

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import nb
from tests.e2e.test_risk import SAVE_URL, cell, editor_rows, make_assessment, row_status

pytestmark = pytest.mark.browser

GONE = ("This row is no longer there: someone removed it, or you may no longer edit it. Nothing "
        "was saved. What you typed is still shown: copy it if you need it.")
RACE = ("Someone else deleted this record while you were working on it, so nothing was saved. "
        "What you typed is still shown: copy it if you need it.")


def stored(page) -> dict:
    raw = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hms-row:'))"
                        ".map(k => localStorage.getItem(k))")
    return json.loads(raw[0]) if raw else {}


def editor(new_context, cast):
    """The leader's editor of an assessment with one row."""
    from django.core.management import call_command

    call_command("load_risk_matrix", stdout=io.StringIO())
    assessment = make_assessment(cast, rows=[{"unwanted_event": "Acetone vapour ignites"}])
    page = new_context(cast.leader).new_page()
    page.goto(f"/risk/{assessment.pk}/")
    return page, assessment


def typing_into_a_removed_row(page, answer):
    row = editor_rows(page).first
    with page.expect_response(SAVE_URL) as response:
        cell(row, "cause").fill("Typed into a removed row")
        page.keyboard.press("Tab")
    assert response.value.status == answer
    return row


def typing_on_sends_nothing(page, row, message):
    """Typing on in the removed row keeps the text, but sends nothing and still says why."""
    saves: list[str] = []
    page.on("request", lambda request: saves.append(request.url) if SAVE_URL.search(request.url)
            else None)
    cell(row, "cause").fill("Typed on")
    page.wait_for_timeout(1500)  # the editor saves 1.2 s after the last key
    assert saves == []
    expect(row_status(row)).to_have_text(nb(message))
    assert "Typed on" in stored(page).values()


def test_a_row_a_co_editor_removed_keeps_what_was_typed(new_context, cast):
    from hms.risk import services

    page, assessment = editor(new_context, cast)
    services.delete_row(actor=cast.safety_rep, row=assessment.rows.get())

    row = typing_into_a_removed_row(page, 404)
    expect(row_status(row)).to_have_text(nb(GONE))
    expect(page.locator("#editor-state")).to_have_text(nb(GONE))
    expect(cell(row, "cause")).to_have_value("Typed into a removed row")
    assert "Typed into a removed row" in stored(page).values()
    typing_on_sends_nothing(page, row, GONE)


def test_a_row_removed_during_its_save_says_so_and_keeps_what_was_typed(new_context, cast):
    """The server's answer when the removal came between the access check and the write."""
    page, _assessment = editor(new_context, cast)
    page.route(SAVE_URL, lambda route: route.fulfill(
        status=410, content_type="application/json", body=json.dumps({"message": nb(RACE)})))

    row = typing_into_a_removed_row(page, 410)
    expect(row_status(row)).to_have_text(nb(RACE))
    expect(cell(row, "cause")).to_have_value("Typed into a removed row")
    assert "Typed into a removed row" in stored(page).values()
    typing_on_sends_nothing(page, row, RACE)
