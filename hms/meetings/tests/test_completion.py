"""Who completes a meeting's minutes is said where it matters, and they are told (issue 14): those
who plan a meeting they cannot complete read whose it is (also a safety representative planning in
a unit above their area's units), those who complete it are told when it is planned, once each,
and someone invited who cannot complete it reads on the meeting who can."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hms.accounts.models import User
from hms.core.models import Notification
from hms.core.roles import Role
from hms.meetings import services
from hms.meetings.models import Kind
from hms.meetings.tests.factories import meeting
from hms.org.models import RoleAssignment

pytestmark = pytest.mark.django_db


def client_for(user, language="en"):
    User.objects.filter(pk=user.pk).update(language=language)
    client = Client()
    client.force_login(user)
    return client


def text_of(page):
    return html.unescape(page.content.decode())


def staff_meeting(cast, by, **fields):
    """A staff meeting of unit A with no safety area, the employee and the leader invited."""
    return meeting(cast, by=by, kind=Kind.STAFF, safety_area=None, invited=("employee", "leader"),
                   **fields)


def messages_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def test_those_who_complete_a_meeting_its_planner_cannot_are_told_once(
        cast, django_capture_on_commit_callbacks):
    User.objects.filter(pk=cast.leader.pk).update(language="en")
    cast.leader.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        planned = staff_meeting(cast, by=cast.safety_rep)
    date = f"{timezone.localtime(planned.starts_at):%d.%m.%Y %H:%M}"
    assert messages_of(cast.leader) == [  # instead of the invitation, in the leader's language
        f"Safety_Rep Tester planned “{planned.title}” in Department A on {date}: you complete its "
        "minutes once it is held."]
    assert len(messages_of(cast.coordinator)) == 1  # the faculty's coordinator covers the unit
    assert len(messages_of(cast.employee)) == 1  # invited
    assert messages_of(cast.safety_rep) == []


def test_a_meeting_its_planner_can_complete_tells_nobody_else_that_they_complete_it(
        cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff_meeting(cast, by=cast.leader)
        meeting(cast, by=cast.safety_rep, invited=("employee",))  # of the representative's own area
    assert messages_of(cast.coordinator) == [] and messages_of(cast.leader) == []
    assert len(messages_of(cast.employee)) == 2  # the invitations


def test_a_series_tells_those_who_complete_it_once(cast, django_capture_on_commit_callbacks):
    first = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_series(actor=cast.safety_rep, org_unit=cast.unit_a, data={
            "kind": Kind.STAFF, "title": "Personalmøte", "safety_area": None, "starts_at": first,
            "duration_minutes": 60, "location": ""}, invitations={"invited": [cast.leader]},
            interval=3, count=4)
    assert len(messages_of(cast.leader)) == 1 and "4" in messages_of(cast.leader)[0]


def test_the_meeting_says_who_completes_it_to_those_who_cannot(cast):
    planned = staff_meeting(cast, by=cast.leader)
    url = reverse("meetings:detail", args=[planned.pk])
    text = text_of(client_for(cast.employee).get(url))
    assert ("Only the leader or the HSE coordinator of Department A can record attendance and "
            "complete the minutes: Leader Tester or Coordinator Tester.") in text
    assert 'id="who-completes"' not in text_of(client_for(cast.leader).get(url))
    vo_meeting = meeting(cast, invited=("employee",))
    text = text_of(client_for(cast.employee, "nb").get(reverse("meetings:detail", args=[vo_meeting.pk])))
    assert ("Bare lederen eller HMS-koordinatoren for Department A, eller verneombudet for A labs, "
            "kan registrere oppmøte og gjøre referatet ferdig: Leader Tester, Coordinator Tester, "
            "Safety_Rep Tester eller Deputy Tester.") in text


def test_the_planning_form_names_whose_completing_the_minutes_is(cast):
    dean = User.objects.create_user("dean", "dean@example.org", "pw", first_name="Dean",
                                    last_name="Tester")
    RoleAssignment.objects.create(person=dean, org_unit=cast.faculty_f, role=Role.LEADER,
                                  covers_subtree=True)
    page = client_for(cast.safety_rep).get(reverse("meetings:create", args=[cast.faculty_f.pk]))
    assert page.status_code == 200
    assert ("The minutes of a meeting in Faculty F are completed by its leader or HSE coordinator: "
            "Dean Tester or Coordinator Tester. They are told when you plan it. For a meeting of "
            "your own safety area you complete them yourself.") in text_of(page)
    own = text_of(client_for(cast.handler).get(reverse("meetings:create", args=[cast.unit_a.pk])))
    assert "completed by its leader or HSE coordinator: Leader Tester or Coordinator Tester" in own
    assert "your own safety area" not in own
    leader = text_of(client_for(cast.leader).get(reverse("meetings:create", args=[cast.unit_a.pk])))
    assert 'id="who-completes"' not in leader


def test_the_planning_form_says_when_nobody_but_the_representative_can_complete(cast):
    RoleAssignment.objects.filter(role__in=(Role.LEADER, Role.HSE_COORDINATOR)).delete()
    text = text_of(client_for(cast.safety_rep).get(reverse("meetings:create", args=[cast.unit_a.pk])))
    assert "Department A has no leader or HSE coordinator registered" in text
    planned = staff_meeting(cast, by=cast.safety_rep)
    text = text_of(client_for(cast.employee).get(reverse("meetings:detail", args=[planned.pk])))
    assert "Nobody is registered who can complete the minutes of a meeting in Department A" in text
