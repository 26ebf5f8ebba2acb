"""The occupational health service: a leader registers the unit's contact and logs an involvement;
an employee finds the contact on the unit page and on the home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_a11y, check_phone, nb

pytestmark = pytest.mark.browser


def test_the_leader_sets_the_contact_and_an_employee_finds_it(new_context, cast, live_server):
    from hms.health.models import HealthServiceContact, Involvement

    page = new_context(cast.leader).new_page()
    page.goto(f"/health/units/{cast.unit_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Department A")
    check_a11y(page)
    page.locator(f"a[href='/health/units/{cast.unit_a.pk}/contact/']").first.click()
    expect(page).to_have_url(f"{live_server.url}/health/units/{cast.unit_a.pk}/contact/")
    page.locator("#id_service").fill("Fjordby bedriftshelsetjeneste")
    page.locator("#id_contact_person").fill("Kari Helsesøster")
    page.locator("#id_phone").fill("+47 12 34 56 78")
    page.locator("#id_email").fill("not an address")
    page.get_by_role("button", name=nb("Save"), exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert not HealthServiceContact.objects.exists()
    check_a11y(page)
    page.locator("#id_email").fill("bht@example.org")
    page.locator("#id_web").fill("bht.example.org")
    page.get_by_role("button", name=nb("Save"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/health/units/{cast.unit_a.pk}/")
    expect(page.get_by_role("status")).to_be_visible()
    assert HealthServiceContact.objects.get(org_unit=cast.unit_a).web == "https://bht.example.org"

    page.locator("#id_kind").select_option("hse_round")
    page.locator("#id_description").fill("BHT vurderte ventilasjonen på HMS-runden.")
    page.get_by_role("button", name=nb("Save"), exact=True).click()
    expect(page.locator("#log")).to_contain_text("BHT vurderte ventilasjonen")
    expect(page.locator("#counts")).to_contain_text("1")
    assert Involvement.objects.get().recorded_by == cast.leader
    check_a11y(page)
    check_phone(page, page.locator("#id_description"), page.locator("#id_year"))

    employee = new_context(cast.employee).new_page()
    employee.goto(f"/org/units/{cast.unit_a.pk}/")
    card = employee.locator("section[aria-labelledby=health-h]")
    expect(card).to_contain_text("Fjordby bedriftshelsetjeneste")
    expect(card.locator("a[href='mailto:bht@example.org']")).to_be_visible()
    check_a11y(employee)
    employee.goto("/")
    home = employee.locator("section[aria-labelledby=home-health-h]")
    expect(home).to_contain_text("Kari Helsesøster")
    expect(home.locator("a[href='tel:+4712345678']")).to_be_visible()
    check_a11y(employee)
    check_phone(employee, home.locator("a[href='tel:+4712345678']"))
    employee.goto(f"/health/units/{cast.unit_a.pk}/")
    expect(employee.locator("#log")).to_contain_text("BHT vurderte ventilasjonen")
    expect(employee.locator("#id_description")).to_have_count(0)
