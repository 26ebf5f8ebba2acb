"""Each person's calendar feed, read back by a calendar library as a calendar program would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from hms.meetings import services
from hms.meetings.tests.factories import meeting

pytestmark = pytest.mark.django_db


def feed_url(client, user):
    client.force_login(user)
    page = client.get(reverse("meetings:calendar"))
    assert page.status_code == 200
    return page.context["address"]


def read_feed(url):
    response = Client().get(url)  # a calendar program: not signed in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_holds_the_persons_meetings_and_deadlines(cast, measure_factory):
    mine = meeting(cast, days=5, location="Rom 101")
    cancelled = meeting(cast, days=12, title="Flyttet møte")
    services.cancel_meeting(actor=cast.leader, meeting=cancelled, version=cancelled.version)
    meeting(cast, days=6, by=cast.coordinator, invited=("employee",), title="Ikke mitt")
    deadline = timezone.localdate() + dt.timedelta(days=20)
    measure = measure_factory(title="Skift filter", responsible=cast.safety_rep, deadline=deadline)
    measure_factory(title="Andres tiltak", responsible=cast.employee, deadline=deadline)

    found = events(read_feed(feed_url(Client(), cast.safety_rep)))

    assert set(found) == {f"meeting-{mine.pk}@testserver", f"meeting-{cancelled.pk}@testserver",
                          f"measure-{measure.pk}@testserver"}
    event = found[f"meeting-{mine.pk}@testserver"]
    assert str(event["summary"]) == mine.title
    assert event.decoded("dtstart") == mine.starts_at
    assert event.decoded("dtend") == mine.starts_at + dt.timedelta(minutes=60)
    assert str(event["location"]) == "Rom 101"
    assert str(event["url"]) == f"http://testserver/meetings/{mine.pk}/"
    assert str(found[f"meeting-{cancelled.pk}@testserver"]["summary"]).startswith("Avlyst")
    assert str(found[f"meeting-{cancelled.pk}@testserver"]["status"]) == "CANCELLED"
    assert "status" not in event
    due = found[f"measure-{measure.pk}@testserver"]
    assert due.decoded("dtstart") == deadline
    assert due.decoded("dtend") == deadline + dt.timedelta(days=1)
    assert "Skift filter" in str(due["summary"])


def test_the_feed_is_in_the_persons_language(cast):
    cast.safety_rep.language = "en"
    cast.safety_rep.save()
    cancelled = meeting(cast, days=3)
    services.cancel_meeting(actor=cast.leader, meeting=cancelled, version=cancelled.version)
    calendar = read_feed(feed_url(Client(), cast.safety_rep))
    assert str(calendar["x-wr-calname"]) == "HSE: meetings and deadlines"
    assert str(next(iter(events(calendar).values()))["summary"]).startswith("Cancelled")


def test_an_unknown_or_renewed_address_gives_nothing(cast):
    url = feed_url(Client(), cast.leader)
    assert Client().get(url.replace(".ics", "x.ics")).status_code == 404
    client = Client()
    client.force_login(cast.leader)
    assert client.post(reverse("meetings:calendar")).status_code == 302
    assert Client().get(url).status_code == 404
    assert read_feed(feed_url(client, cast.leader)) is not None


def test_a_deactivated_persons_feed_stops(cast):
    url = feed_url(Client(), cast.leader)
    cast.leader.is_active = False
    cast.leader.save()
    assert Client().get(url).status_code == 404


def test_the_feed_asks_calendar_programs_to_fetch_it_again_every_hour(cast):
    response = Client().get(feed_url(Client(), cast.safety_rep))
    calendar = Calendar.from_ical(response.content)
    assert calendar.decoded("refresh-interval") == dt.timedelta(hours=1)
    assert calendar["refresh-interval"].params["VALUE"] == "DURATION"
    assert str(calendar["x-published-ttl"]) == "PT1H"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in response.content
