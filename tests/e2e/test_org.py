"""Browsing the organisation: the unit tree, its filter, and a unit's page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_a11y, nb

pytestmark = pytest.mark.browser

ALL_UNITS = ["Universitetet", "Faculty F", "Department A", "Section A1", "Faculty G", "Department B"]


def test_the_org_tree_filters_and_leads_to_a_units_key_people(new_context, cast):
    page = new_context(cast.employee).new_page()
    page.goto("/org/")
    tree = page.locator("#org-tree")
    visible = tree.locator("li:visible")
    expect(visible).to_have_count(len(ALL_UNITS))
    for name in ALL_UNITS:
        expect(tree.get_by_role("link", name=name, exact=True)).to_be_visible()
    check_a11y(page)

    search = page.get_by_label(nb("Find a unit"), exact=True)
    search.fill("department")
    expect(visible).to_have_count(2)
    expect(visible).to_have_text([
        re.compile("Department A"), re.compile("Department B")])
    search.fill("A1")  # codes count too, in any case
    expect(visible).to_have_count(1)
    expect(visible.first).to_contain_text("Section A1")
    search.fill("")
    expect(visible).to_have_count(len(ALL_UNITS))
    search.fill("department a")
    expect(visible).to_have_count(1)
    search.press("Enter")  # the filter never submits the page
    expect(page).to_have_url(re.compile(r"/org/$"))

    visible.get_by_role("link", name="Department A", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Department A")
    key_roles = page.get_by_role("region", name=nb("Key roles"))
    expect(key_roles).to_contain_text(nb("Leader"))
    expect(key_roles).to_contain_text("Leader Tester")
    expect(key_roles).to_contain_text(f"{nb('Safety representative')} (A labs)")
    expect(key_roles).to_contain_text("Safety_Rep Tester")
    expect(key_roles.get_by_role("link", name="leader@example.org")).to_have_attribute(
        "href", "mailto:leader@example.org")
    areas = page.get_by_role("region", name=nb("Safety areas"))
    expect(areas).to_contain_text("A labs")
    expect(areas).to_contain_text(nb("High risk"))
    expect(areas).to_contain_text("Bygg 1, rom 101")
    sub_units = page.get_by_role("region", name=nb("Sub-units"))
    expect(sub_units.get_by_role("link")).to_have_text(["Section A1"])
    check_a11y(page)

    sub_units.get_by_role("link", name="Section A1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Section A1")
    crumbs = page.get_by_role("navigation", name=nb("Breadcrumb"))
    expect(crumbs.get_by_role("link", name="Department A")).to_be_visible()
    check_a11y(page)


def test_the_unit_switcher_goes_to_the_chosen_unit(new_context, cast):
    """The switcher navigates on change; its “Go” button is only for browsers without scripts.
    (`.button, button { display: inline-block }` once beat the `hidden` attribute in hms.css.)"""
    page = new_context(cast.coordinator).new_page()
    page.goto("/org/")
    go = page.locator("form.switcher button[type=submit]")
    expect(go).to_have_attribute("hidden", "")
    expect(go).to_be_hidden()
    page.get_by_label(nb("Go to unit"), exact=True).select_option(label="Faculty F")
    expect(page).to_have_url(re.compile(rf"/org/units/{cast.faculty_f.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Faculty F")
