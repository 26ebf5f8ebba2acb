"""The permission battery for every meeting view. The meeting is a coming leader–safety
representative meeting of unit A in its safety area, planned by the leader with the safety
representative invited: the unit's people with a role there see it; its editors (leader,
coordinator), the area's safety representatives and those invited write the agenda and minutes;
others who see it are refused (403); outsiders and students get 404. The calendar feed answers
whoever holds its secret address."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hms.core.tests.battery import ViewCase, allow, battery_tests
from hms.meetings import services
from hms.meetings.tests.factories import meeting

VIEWERS = ("employee", "safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader",
           "admin")
EDITORS = ("safety_rep", "deputy", "coordinator", "leader", "admin")
PLANNERS = ("safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader", "admin")
ONLY_SEE = {persona: 403 for persona in VIEWERS if persona not in EDITORS}
EVERYONE = allow("*")


def with_meeting(cast: Any) -> dict[str, Any]:
    planned = meeting(cast)
    item = services.add_item(actor=cast.leader, meeting=planned, title="Avvik siden sist")
    decision = services.decide(actor=cast.leader, meeting=planned, text="Bytt filter", item=item)
    feed = services.calendar_feed(actor=cast.leader)
    planned.refresh_from_db()
    return {"meeting": planned, "item": item, "decision": decision, "feed": feed}


def writes(status: int = 302) -> dict[str, Any]:
    return {**allow(*EDITORS, status=status), **ONLY_SEE}


def the_meeting(cast: Any) -> list[Any]:
    return [cast.meeting.pk]


def unit_a(cast: Any) -> list[Any]:
    return [cast.unit_a.pk]


def a_plan(cast: Any) -> dict[str, Any]:
    return {"kind": "leader_vo", "title": "Møte", "day": timezone.localdate().isoformat(),
            "time": "10:00", "duration_minutes": 60, "safety_area": cast.area.pk}


def a_measure(cast: Any) -> dict[str, Any]:
    return {"title": "Bytt filter", "responsible": cast.employee.pk, "priority": 2}


CASES = [
    ViewCase("meetings:unit", args=unit_a, get=allow(*VIEWERS), post={"*": 405}),
    ViewCase("meetings:create", args=unit_a, get=allow(*PLANNERS),
             post=allow(*PLANNERS, status=302), data=a_plan),
    ViewCase("meetings:detail", args=the_meeting, setup=with_meeting, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("meetings:edit", args=the_meeting, setup=with_meeting, get=writes(200),
             post=writes(), data=lambda cast: {**a_plan(cast), "version": cast.meeting.version}),
    ViewCase("meetings:add_item", args=the_meeting, setup=with_meeting, get={"*": 405},
             post=writes(), data=lambda cast: {"title": "Støy"}),
    ViewCase("meetings:add_suggestions", args=the_meeting, setup=with_meeting, get={"*": 405},
             post=writes(), data=lambda cast: {"suggestion": ["standing:1"]}),
    ViewCase("meetings:attendance", args=the_meeting, setup=with_meeting, get={"*": 405},
             post=writes(), data=lambda cast: {"present": [cast.meeting.attendees.first().pk]}),
    ViewCase("meetings:decide", args=the_meeting, setup=with_meeting, get={"*": 405},
             post=writes(), data=lambda cast: {"text": "Vi gjør det"}),
    ViewCase("meetings:complete", args=the_meeting, setup=with_meeting, get={"*": 405},
             post=writes(), data=lambda cast: {"version": cast.meeting.version, "summary": "x"}),
    ViewCase("meetings:cancel", args=the_meeting, setup=with_meeting, get={"*": 405},
             post=writes(), data=lambda cast: {"version": cast.meeting.version}),
    ViewCase("meetings:minutes_pdf", args=the_meeting, setup=with_meeting, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("meetings:item_minutes", args=lambda cast: [cast.item.pk], setup=with_meeting,
             get={"*": 405}, post=writes(),
             data=lambda cast: {f"item-{cast.item.pk}-version": cast.item.version,
                                f"item-{cast.item.pk}-minutes": "Notert"}),
    ViewCase("meetings:decision_measure", args=lambda cast: [cast.decision.pk], setup=with_meeting,
             get=writes(200), post=writes(), data=a_measure),
    ViewCase("meetings:calendar", get=EVERYONE, post=allow("*", status=302)),
    ViewCase("meetings:feed", args=lambda cast: [cast.feed.token], setup=with_meeting,
             get=EVERYONE, post={"*": 405}, anonymous={"get": 200, "post": 405}),
]

test_meeting_views = battery_tests(CASES)
