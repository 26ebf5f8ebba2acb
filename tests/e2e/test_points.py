"""The 19 points in the browser, in the demo university on 7 December: chemistry's leader, on a
phone, finds a mix of met, partly met and not met points whose figures are those of the unit's
records; she holds the fourth leader–safety representative meeting (the one whose minutes were
waiting) and point 4 turns met; she and the safety representative (in English) confirm point 5 by
hand and both names show; the faculty's HSE coordinator sees chemistry's change in the faculty
matrix; last year's snapshot is what it was."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, check_a11y, check_phone, nb

pytestmark = pytest.mark.browser

PHONE_OPTIONS = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
THIS_YEAR = dt.date.today().year
DAY = dt.datetime(THIS_YEAR, 12, 7, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo"))


@pytest.fixture
def demo(transactional_db):
    """The demo university as `./run` seeds it, on 7 December of this year (the shipped reference
    data first: a transactional test empties the tables that the migrations filled)."""
    from hms.competence.catalogue import load_catalogue
    from hms.competence.models import Course, Requirement
    from hms.core.seeding import build_demo
    from hms.deviations.models import DeviationType
    from hms.deviations.types import load_types
    from hms.governance.catalogue import load_tasks
    from hms.governance.models import DelegationTask
    from hms.rounds.checklists import load_templates
    from hms.rounds.models import ChecklistItem, ChecklistTemplate

    with time_machine.travel(DAY, tick=True):
        call_command("load_risk_matrix")
        call_command("load_points_catalogue")
        load_types(DeviationType)
        load_tasks(DelegationTask)
        load_catalogue(Course, Requirement, DelegationTask)
        load_templates(ChecklistTemplate, ChecklistItem)
        build_demo()
        yield


def point(page, number: int):
    return page.locator(f"#point-{number}")


def state_of(page, number: int):
    return point(page, number).locator("h2 .state")


def matrix_cell(page, unit_name: str, number: int):
    row = page.locator("table.points-matrix tbody tr", has=page.get_by_role("link", name=unit_name))
    return row.locator("td").nth(number - 1).locator(".visually-hidden")


def confirm_point_5(page, verdict: str, comment: str) -> None:
    point(page, 5).locator("a.button").click()  # the point's own page, with the form
    expect(point(page, 5)).to_be_visible()
    page.get_by_label(verdict).check()
    page.locator("textarea").fill(comment)
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#point-5$"))


def test_a_unit_sees_its_points_holds_its_fourth_meeting_and_confirms_by_hand(new_context, demo):
    from hms.accounts.models import User
    from hms.governance.models import Goal
    from hms.meetings.models import Meeting
    from hms.org.models import OrgUnit
    from hms.points.models import PointConfirmation, PointSnapshot

    kjemi = OrgUnit.objects.get(code="kjemi")
    faculty = OrgUnit.objects.get_parent(kjemi)
    last_year = dict(PointSnapshot.objects.filter(org_unit=kjemi, year=THIS_YEAR - 1)
                     .values_list("number", "state"))
    assert len(last_year) == 19
    leader, rep = User.objects.get(username="leader"), User.objects.get(username="safetyrep")
    User.objects.filter(pk=rep.pk).update(language="en")

    coordinator = new_context(User.objects.get(username="coordinator")).new_page()
    coordinator.goto(f"/points/units/{faculty.pk}/matrix/")
    expect(matrix_cell(coordinator, kjemi.name, 4)).to_have_text(nb("Partly met"))
    check_a11y(coordinator)

    page = new_context(leader, **PHONE_OPTIONS).new_page()
    page.goto(f"/org/units/{kjemi.pk}/")
    page.get_by_role("link", name=re.compile(nb("The 19 points for %(year)s") % {"year": THIS_YEAR})).click()
    expect(page).to_have_url(re.compile(rf"/points/units/{kjemi.pk}/\?year={THIS_YEAR}"))
    goals = Goal.objects.filter(org_unit=kjemi, year=THIS_YEAR)
    expect(state_of(page, 1)).to_have_text(nb("Met"))
    expect(point(page, 1)).to_contain_text(
        nb("HSE goals for this year: %(goals)s, %(measured)s of them with an indicator.") % {
            "goals": goals.count(), "measured": goals.exclude(indicator="").count()})
    expect(state_of(page, 4)).to_have_text(nb("Partly met"))
    expect(state_of(page, 8)).to_have_text(nb("Not met"))
    expect(point(page, 4)).to_contain_text(
        nb("Leader–safety representative meetings held this year: %(held)s.") % {"held": 3})
    check_a11y(page)
    check_phone(page, state_of(page, 4))

    waiting = Meeting.objects.get(org_unit=kjemi, kind="leader_vo", status="planned",
                                  starts_at__year=THIS_YEAR)
    page.goto(f"/meetings/{waiting.pk}/")
    page.locator("#agenda form.form #id_title").fill("Oppfølging av handlingsplanen")
    page.locator("#add-item").click()
    for attendee in waiting.attendees.all():
        page.locator(f"#present-{attendee.pk}").check()
    page.locator("#save-attendance").click()
    page.locator("#complete-minutes").click()
    expect(page.locator(".status")).to_have_text(nb("Held, minutes written"))

    page.goto(f"/points/units/{kjemi.pk}/")
    expect(state_of(page, 4)).to_have_text(nb("Met"))
    expect(point(page, 4)).to_contain_text(
        nb("Leader–safety representative meetings held this year: %(held)s.") % {"held": 4})
    confirm_point_5(page, nb("Confirms that the point is met"), "Alle deltar på personalmøtene")
    expect(page.locator(".messages, [role=status]").first).to_contain_text(
        nb("Your word on point %(number)s was saved.") % {"number": 5})

    rep_page = new_context(rep).new_page()
    rep_page.goto(f"/points/units/{kjemi.pk}/")
    expect(state_of(rep_page, 4)).to_have_text("Met")
    confirm_point_5(rep_page, "Confirms that the point is met", "Staff raise issues at every meeting")
    for name in (leader.get_full_name(), rep.get_full_name()):
        expect(point(rep_page, 5)).to_contain_text(name)
    expect(state_of(rep_page, 5)).to_have_text("Not yet recorded")  # the figure is not hidden
    check_a11y(rep_page)
    assert PointConfirmation.objects.filter(org_unit=kjemi, number=5).count() == 2

    coordinator.reload()
    expect(matrix_cell(coordinator, kjemi.name, 4)).to_have_text(nb("Met"))
    assert dict(PointSnapshot.objects.filter(org_unit=kjemi, year=THIS_YEAR - 1)
                .values_list("number", "state")) == last_year
    expect(point(page, 4).get_by_text(f"{THIS_YEAR - 1}:")).to_be_visible()
