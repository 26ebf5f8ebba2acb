"""The main pages on a 375 px wide phone: nothing scrolls sideways, the key controls are there."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import PHONE, check_a11y, check_phone, nb

pytestmark = pytest.mark.browser


def shell_controls(page):
    nav = page.get_by_role("navigation", name=nb("Main"))  # its links fold behind "Menu" on a phone
    return [nav.get_by_role("button", name=nb("Menu"), exact=True),
            page.get_by_role("button", name="English", exact=True),
            page.get_by_role("button", name=nb("Sign out"))]


def test_the_leaders_pages_fit_a_phone(new_context, cast):
    from hms.measures.models import Measure

    measure = Measure.objects.create(
        org_unit=cast.unit_a, responsible=cast.leader, created_by=cast.leader, deadline="2020-01-31",
        title="Replace the worn-out extraction arm above the solvent cabinet in room 101 "
              "(a long title that must wrap on a phone)")
    page = new_context(cast.leader, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    save = page.get_by_role("button", name=nb("Save"), exact=True)
    pages = {
        "/": [page.get_by_role("link", name=measure.title)],
        "/org/": [page.get_by_label(nb("Find a unit"), exact=True)],
        f"/measures/units/{cast.unit_a.pk}/": [
            page.get_by_role("link", name=nb("New measure"), exact=True),
            page.locator("summary", has_text=nb("Filter and sort")),
            page.locator("#plan-table").get_by_role("link", name=measure.title)],
        f"/measures/{measure.pk}/": [page.get_by_role("link", name=nb("Edit"), exact=True),
                                     page.locator("form.transition button").first],
        f"/measures/{measure.pk}/edit/": [page.locator("#id_title"), save],
        f"/measures/units/{cast.unit_a.pk}/new/": [page.locator("#id_deadline"), save],
        "/measures/mine/": [page.get_by_role("link", name=measure.title)],
        "/notifications/": [],
    }
    for url, controls in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        check_phone(page, *shell_controls(page), *controls)
        check_a11y(page)


def test_the_sign_in_and_import_pages_fit_a_phone(new_context, cast):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto("/accounts/login/")
    check_phone(page, page.locator("#id_login"), page.locator("#id_password"),
                page.get_by_role("button", name=nb("Sign in"), exact=True),
                page.get_by_role("button", name="English", exact=True))
    check_a11y(page)

    admin = new_context(cast.admin, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    admin.goto("/org/import/")
    check_phone(admin, *shell_controls(admin), admin.locator("input[type=file]"),
                admin.locator("input[name=kind][value=people]"),
                admin.get_by_role("button", name=nb("Check and import"), exact=True))
    check_a11y(admin)


def test_a_units_page_fits_a_phone(new_context, cast):
    page = new_context(cast.leader, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"/org/units/{cast.unit_a.pk}/")
    check_phone(page, *shell_controls(page),
                page.get_by_role("link", name=nb("HSE action plan"), exact=True),
                page.get_by_role("region", name=nb("Key roles")))
    check_a11y(page)


def test_the_plan_filters_start_folded_on_a_phone_and_open_on_a_tap(new_context, cast):
    from playwright.sync_api import expect

    page = new_context(cast.leader, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"/measures/units/{cast.unit_a.pk}/")
    status_open = page.locator("input[name=status][value=open]")
    expect(status_open).to_be_hidden()
    page.locator("summary", has_text=nb("Filter and sort")).click()
    expect(status_open).to_be_visible()
    status_open.check()
    expect(page).to_have_url(re.compile(r"status=open"))
    page.reload()  # a filter in use keeps the panel open
    expect(status_open).to_be_visible()
    check_phone(page, status_open)
    check_a11y(page)
