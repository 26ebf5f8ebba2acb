"""Unit governance in the browser: the leader sets two HSE goals for the year and delegates a task
from the catalogue to an employee; the employee, signed in in another browser (a phone), accepts it
from "Tasks delegated to me"; the leader's register then shows it accepted, and its PDF is there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, check_a11y, check_phone

pytestmark = pytest.mark.browser

PHONE_OPTIONS = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture
def tasks(cast):
    """The shipped task catalogue (the transactional tests empty the database, migrations' data
    included)."""
    from hms.governance.catalogue import load_tasks
    from hms.governance.models import DelegationTask

    load_tasks(DelegationTask)
    return DelegationTask.objects.get(code="first_aid")


def _set_goal(page, title: str, indicator: str, target: str) -> None:
    page.locator("a[href*='/goals/new/']").click()
    page.locator("#id_title").fill(title)
    page.locator("#id_indicator").fill(indicator)
    page.locator("#id_target").fill(target)
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/governance/units/\d+/goals/\?year=\d{4}"))


def test_the_leader_sets_goals_and_delegates_a_task_which_the_delegate_accepts(new_context, cast, tasks):
    from hms.governance.models import Delegation, Goal

    unit = cast.unit_a
    page = new_context(cast.leader).new_page()
    page.goto(f"/governance/units/{unit.pk}/goals/")
    check_a11y(page)
    _set_goal(page, "Alle nyansatte får HMS-opplæring", "Andel med registrert opplæring", "100 %")
    _set_goal(page, "Avvik lukkes innen fristen", "Andel avvik lukket i tide", "Minst 90 %")
    expect(page.locator("section.goal")).to_have_count(2)
    expect(page.locator("section.goal").first).to_contain_text("Andel med registrert opplæring")
    check_a11y(page)
    assert Goal.objects.filter(org_unit=unit).count() == 2

    page.goto(f"/governance/units/{unit.pk}/delegations/")
    page.locator(f"a[href='/governance/units/{unit.pk}/delegations/new/']").click()
    page.locator("#id_task").select_option(str(tasks.pk))
    page.locator("#id_scope").fill("Førstehjelpsskapet og øyeskyllen i 2. etasje")
    page.locator("#id_delegate").select_option(str(cast.employee.pk))
    check_a11y(page)
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/governance/delegations/\d+/$"))
    delegation = Delegation.objects.get()
    expect(page.locator("#delegation-status")).to_have_class(re.compile("status-awaiting"))

    phone = new_context(cast.employee, **PHONE_OPTIONS).new_page()
    phone.goto("/governance/mine/")
    accept = phone.locator(f"#accept-{delegation.pk}")
    check_phone(phone, accept)
    check_a11y(phone)
    accept.click()
    expect(phone).to_have_url(re.compile(r"/governance/mine/$"))
    expect(phone.locator(f"#delegation-{delegation.pk} .status-accepted")).to_be_visible()
    expect(phone.locator(f"#accept-{delegation.pk}")).to_have_count(0)

    page.goto(f"/governance/units/{unit.pk}/delegations/")
    row = page.locator("table.delegations tbody tr").first
    expect(row).to_contain_text("Employee Tester")
    expect(row.locator(".status-accepted")).to_be_visible()
    expect(row.locator(".tag.awaiting")).to_have_count(0)
    check_a11y(page)
    with page.expect_download() as download:
        page.locator(f"a[href='/governance/units/{unit.pk}/delegations.pdf']").click()
    assert download.value.suggested_filename.endswith("-a.pdf")
    delegation.refresh_from_db()
    assert delegation.accepted_at is not None
