"""What a keyboard, a screen reader and a phone meet (issue 14): the navigation folds on a phone,
the report form's send button is in reach and its long lists start with the reporter's own unit
and can be searched, a refused submit moves the focus to the error summary, the round walk keeps
its progress in view, and the risk editor does not widen the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DESKTOP, check_a11y, check_phone, nb
from tests.e2e.test_risk import make_assessment, matrix  # noqa: F401 (a fixture)
from tests.e2e.test_round_walk import lab_round

pytestmark = pytest.mark.browser

PHONE_812 = {"width": 375, "height": 812}
PHONE_OPTIONS = {"viewport": PHONE_812, "is_mobile": True, "has_touch": True}
HEADER_MAX_PX = 120  # brand, menu and tools: two rows, not four


def box(locator):
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return found


def test_the_navigation_folds_behind_a_menu_button_on_a_phone(new_context, cast):
    page = new_context(cast.leader, **PHONE_OPTIONS).new_page()
    page.goto("/")
    header, nav = page.locator("header.shell"), page.get_by_role("navigation", name=nb("Main"))
    menu = nav.get_by_role("button", name=nb("Menu"))
    home = nav.get_by_role("link", name=nb("Home"), exact=True)
    height = box(header)["height"]
    print(f"\nThe header is {height:.0f} px high at 375 px.")
    assert height <= HEADER_MAX_PX, f"the header takes {height:.0f} px of the phone's 812"
    expect(home).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(home).to_be_visible()
    check_phone(page, home, nav.get_by_role("link", name=nb("My measures"), exact=True))
    check_a11y(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(home).to_be_hidden()
    expect(menu).to_be_focused()


def test_the_navigation_is_one_row_without_javascript(new_context, cast):
    page = new_context(cast.leader, java_script_enabled=False, **PHONE_OPTIONS).new_page()
    page.goto("/")
    nav = page.get_by_role("navigation", name=nb("Main"))
    expect(nav.get_by_role("button", name=nb("Menu"))).to_be_hidden()
    links = nav.locator(".nav-links")
    assert box(links)["height"] <= 60, "the links wrap onto more than one row"
    check_phone(page)


def test_the_send_button_is_in_reach_on_a_phone(new_context, cast):
    from hms.deviations.models import DeviationType
    from hms.deviations.types import load_types

    load_types(DeviationType)
    page = new_context(cast.student, **PHONE_OPTIONS).new_page()
    page.goto("/deviations/report/")
    send = page.locator("form.report button[type=submit]")
    bottom = box(send)["y"] + box(send)["height"]
    print(f"\nThe send button ends {bottom:.0f} px down a 812 px screen, before any scrolling.")
    assert bottom <= PHONE_812["height"], "the send button is below the first screen"
    page.locator("#id_title").focus()  # an essential field near the top, and the button still in view
    assert box(send)["y"] + box(send)["height"] <= PHONE_812["height"]
    order = page.evaluate("""() => Array.from(document.querySelectorAll('form.report [name]'))
        .map(el => el.name).filter((n, i, all) => all.indexOf(n) === i)""")
    essential = ["deviation_type", "title", "description", "occurred_at", "org_unit", "safety_area"]
    assert order.index("description") < order.index("photos")
    assert [name for name in order if name in essential] == essential
    check_a11y(page)


def test_the_unit_list_starts_with_ones_own_and_can_be_searched(new_context, cast):
    page = new_context(cast.employee).new_page()
    page.goto("/deviations/report/")
    unit = page.locator("#id_org_unit")
    expect(unit.locator("optgroup").first).to_have_attribute("label", nb("Your units"))
    expect(unit).to_have_value(str(cast.unit_a.pk))
    expect(unit.locator("option", has_text="---------")).to_have_count(0)
    search = page.get_by_label(nb("Search the units"))
    search.fill("faculty g")
    visible = unit.evaluate("s => Array.from(s.options).filter(o => !o.hidden).map(o => o.text)")
    assert visible == ["Faculty G"]
    expect(unit.locator("optgroup").first).to_be_hidden()
    search.fill("")
    assert unit.evaluate("s => Array.from(s.options).every(o => !o.hidden)")
    check_a11y(page)


def test_a_refused_report_puts_the_focus_on_the_error_summary(new_context, cast):
    page = new_context(cast.employee).new_page()
    page.goto("/deviations/report/")
    page.locator("#id_title").fill("No type, no description")
    page.locator("form.report button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page.locator("fieldset.type-choices")).to_have_attribute(
        "aria-describedby", "id_deviation_type_error")
    check_a11y(page)


def test_the_walk_keeps_its_progress_and_ways_out_in_view(new_context, cast):
    round_ = lab_round(cast)
    page = new_context(cast.safety_rep, **PHONE_OPTIONS).new_page()
    page.goto(f"/rounds/{round_.pk}/walk/")
    progress = page.locator("#walk-progress")
    expect(progress).to_be_visible()
    page.mouse.wheel(0, 3000)
    page.wait_for_function("window.scrollY > 2000")
    assert 0 <= box(progress)["y"] < 100, "the progress scrolled away"
    for name in (nb("Findings outside the checklists"), nb("Back to the round")):
        link = page.locator(".walk-bar").get_by_role("link", name=name)
        assert 0 <= box(link)["y"] < 150, f"{name} is not at hand"
    check_phone(page)
    check_a11y(page)


def test_the_draft_risk_editor_does_not_widen_the_page(new_context, cast, matrix):  # noqa: F811
    assessment = make_assessment(cast, rows=[{"activity": "Pouring acetone"}] * 3)
    page = new_context(cast.leader, viewport=DESKTOP).new_page()
    page.goto(f"/risk/{assessment.pk}/")
    expect(page.locator("table[data-row-editor]")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], f"the page is {width}px wide at {DESKTOP['width']}px"
    check_a11y(page)
