"""A leader–safety representative meeting in the browser: the leader plans it for this morning
and takes the suggested items (a new deviation and a standing item) onto the agenda; the safety
representative, on a phone, raises an item of their own and writes its minutes; the leader
records attendance and a decision that becomes a measure in the action plan, and completes the
minutes. The unit's meetings page then counts the meeting against the minimum of four."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, check_a11y, check_phone, nb

pytestmark = pytest.mark.browser

PHONE_OPTIONS = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture
def new_case(cast):
    """The shipped deviation types (transactional tests empty the database) and a near miss
    reported in the unit's lab this week."""
    from hms.deviations.models import DeviationType
    from hms.deviations.tests.factories import report
    from hms.deviations.types import load_types

    load_types(DeviationType)
    return report(cast, title="Syresprut ved avtrekksskapet")


def plan_meeting(page, cast):
    page.goto(f"/meetings/units/{cast.unit_a.pk}/")
    page.locator("#plan-meeting").click()
    page.locator("#id_title").fill("Leder–VO-møte desember")
    page.locator("#id_safety_area").select_option(str(cast.area.pk))
    page.locator("#id_day").fill(timezone.localdate().isoformat())
    page.locator("#id_time").fill("00:00")
    page.locator("#id_invited").select_option(str(cast.safety_rep.pk))
    page.locator("#save").click()
    expect(page.locator("h1")).to_have_text("Leder–VO-møte desember")


def test_leader_and_safety_rep_hold_a_meeting_from_a_suggested_agenda(new_context, cast, new_case):
    from hms.measures.models import Measure, Origin
    from hms.meetings.models import Meeting, Status

    leader = new_context(cast.leader).new_page()
    plan_meeting(leader, cast)
    meeting = Meeting.objects.get()
    suggestions = leader.locator("form.suggestions")
    suggestions.locator(f"input[value='deviation:{new_case.pk}']").check()
    suggestions.get_by_label(nb("Follow-up of the HSE action plan"), exact=False).check()
    leader.locator("#add-suggestions").click()
    expect(leader.locator("ol.agenda > li")).to_have_count(2)
    expect(leader.locator("ol.agenda")).not_to_contain_text(new_case.title)  # it may name people
    check_a11y(leader)

    rep = new_context(cast.safety_rep, **PHONE_OPTIONS).new_page()
    rep.goto(f"/meetings/{meeting.pk}/")
    rep.locator("#agenda form.form #id_title").fill("Støy fra ventilasjonen i rom 101")
    rep.locator("#add-item").click()
    raised = rep.locator("ol.agenda > li").nth(2)
    expect(raised.locator(".tag.vo")).to_be_visible()
    item = meeting.items.get(title__startswith="Støy")
    rep.locator(f"#id_item-{item.pk}-minutes").fill("Målt 68 dB. Driftsavdelingen er varslet.")
    rep.locator(f"#save-minutes-{item.pk}").click()
    check_phone(rep)

    leader.reload()
    for attendee in meeting.attendees.all():
        leader.locator(f"#present-{attendee.pk}").check()
    leader.locator("#save-attendance").click()
    leader.locator("#id_text").fill("Bestill støydemping av ventilasjonen")
    leader.locator("#id_item").select_option(str(item.pk))
    leader.locator("#id_to_plan").check()
    leader.locator("#add-decision").click()
    leader.locator("#id_responsible").select_option(str(cast.employee.pk))
    leader.locator("#id_deadline").fill("2027-02-15")
    leader.get_by_role("button", name=nb("Add to the action plan")).click()
    expect(leader.locator("#decisions")).to_contain_text(nb("In the action plan"))
    leader.locator("#complete-minutes").click()
    expect(leader.locator(".status")).to_have_text(nb("Held, minutes written"))

    meeting.refresh_from_db()
    assert meeting.status == Status.HELD
    measure = Measure.objects.get()
    assert (measure.origin, measure.origin_record.meeting) == (Origin.MEETING, meeting)
    leader.goto(f"/measures/units/{cast.unit_a.pk}/")
    expect(leader.get_by_text("Bestill støydemping av ventilasjonen")).to_be_visible()
    leader.goto(f"/meetings/units/{cast.unit_a.pk}/")
    expect(leader.locator("#leader-vo-count")).to_contain_text("1")
