"""Signing in through the real form, and the language switch that follows the person."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_a11y, nb, sign_in

pytestmark = pytest.mark.browser


def test_it_signs_in_with_username_and_password_and_lands_on_home(page, cast, live_server):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text(nb("Sign in to HMS"))
    check_a11y(page)

    page.get_by_label(nb("Username or e-mail"), exact=True).fill("leader")
    page.get_by_label(nb("Password"), exact=True).fill("pw")
    page.get_by_role("button", name=nb("Sign in"), exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nb("Welcome, %(name)s") % {"name": "Leader Tester"})
    expect(page.get_by_role("button", name=re.compile(nb("Sign out")))).to_be_visible()
    check_a11y(page)


def test_a_wrong_password_shows_an_error_and_stays_on_the_login_page(page, cast, live_server):
    page.goto("/accounts/login/")
    sign_in(page, "leader", "not-the-password")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("alert")).to_contain_text(nb("Nothing was saved. Please correct the following:"))
    expect(page.locator("#id_login")).to_have_value("leader")
    expect(page.locator("#id_password")).to_have_value("")
    check_a11y(page)

    # Still signed out: a page that needs a session sends us back to the form.
    page.goto("/measures/mine/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/measures/mine/$"))


def test_signing_in_from_a_protected_page_returns_to_it(page, cast, live_server):
    page.goto("/measures/mine/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    sign_in(page, "employee")
    expect(page).to_have_url(f"{live_server.url}/measures/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text(nb("My measures"))


def test_the_language_choice_is_remembered_for_the_person(new_context, cast, live_server):
    from hms.accounts.models import User

    page = new_context().new_page()
    sign_in(page, "leader")
    nav = page.get_by_role("navigation", name=nb("Main"))
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(nav.get_by_role("link", name="Hjem", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Mine tiltak", exact=True)).to_be_visible()

    page.get_by_role("button", name="English", exact=True).click()
    nav = page.get_by_role("navigation", name="Main")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav.get_by_role("link", name="Home", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="My measures", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Leader Tester")
    check_a11y(page)
    assert User.objects.get(username="leader").language == "en"

    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in(page, "leader")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Home")).to_be_visible()

    # Another browser, with no language cookie and asking for bokmål: the sign-in page is in
    # bokmål, and the person's own choice (English) takes over once they are signed in.
    other = new_context().new_page()
    other.goto("/accounts/login/")
    expect(other.get_by_role("heading", level=1)).to_have_text(nb("Sign in to HMS"))
    sign_in(other, "leader")
    nav = other.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My measures", exact=True)).to_be_visible()

    other.get_by_role("button", name="Norsk (bokmål)", exact=True).click()
    nav = other.get_by_role("navigation", name=nb("Main"))
    expect(other.locator("html")).to_have_attribute("lang", "nb")
    expect(nav.get_by_role("link", name="Hjem", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Mine tiltak", exact=True)).to_be_visible()
    check_a11y(other)
    assert User.objects.get(username="leader").language == "nb"

