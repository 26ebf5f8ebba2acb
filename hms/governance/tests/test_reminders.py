"""What reaches people outside the register: the daily digest, the calendar feed entries and the
cards on the unit and home pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hms.core import digest
from hms.governance import calendar, cards, services
from hms.governance.digest import DelegationSection
from hms.governance.models import Delegation, DelegationReminder
from hms.governance.tests.factories import accepted, delegation, expire, goal
from hms.org.models import RoleAssignment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("round_planned")]


def _age(found: Delegation, days: int) -> None:
    Delegation.objects.filter(pk=found.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def test_the_digest_reminds_the_delegate_after_three_days_and_the_leader_of_an_ending_one(cast, english):
    today = timezone.localdate()
    fresh, old = delegation(cast), delegation(cast, to=cast.lab_leader)
    _age(fresh, 2)
    _age(old, 5)
    ending = accepted(cast, to=cast.handler, days=10)
    accepted(cast, to=cast.handler, days=60)
    due = DelegationSection().due(today)
    assert {pk: [d.pk for d in found] for pk, found in due.items()} == {
        cast.lab_leader.pk: [old.pk], cast.leader.pk: [ending.pk]}
    assert [d.reminder for d in due[cast.leader.pk]] == ["ending"]


def test_the_digest_mails_each_once_a_day(cast, english):
    today = timezone.localdate()
    for person in (cast.lab_leader, cast.leader):
        person.language = "en"
        person.save()
    waiting = delegation(cast, to=cast.lab_leader, days=7)
    _age(waiting, 4)
    assert digest.send_digests(day=today) == 2  # the delegate (awaiting) and the leader (ending)
    to_delegate = next(m for m in mail.outbox if m.to == [cast.lab_leader.email])
    assert "awaiting your acceptance" in to_delegate.body
    assert f"/governance/delegations/{waiting.pk}/" in to_delegate.body
    to_leader = next(m for m in mail.outbox if m.to == [cast.leader.email])
    assert "delegation ends on" in to_leader.body
    assert DelegationReminder.objects.count() == 2 and str(DelegationReminder.objects.first())
    assert digest.send_digests(day=today) == 0


def test_the_calendar_has_the_end_of_my_accepted_delegations_and_the_leaders_unit(cast, english):
    cast.employee.language = "en"
    cast.employee.save()
    mine = accepted(cast, days=40)
    delegation(cast, days=50)  # not accepted: not in the delegate's calendar
    expire(accepted(cast, to=cast.handler), days_ago=30)
    since = timezone.localdate() - dt.timedelta(days=7)
    entries = calendar.entries(cast.employee, since)
    assert [(e.uid, e.start) for e in entries] == [(f"delegation-{mine.pk}-end", mine.valid_to)]
    assert entries[0].title == "My delegated task ends: First aider"
    assert entries[0].url == mine.get_absolute_url()
    assert len(calendar.entries(cast.leader, since)) == 2
    assert "Employee Tester" in calendar.entries(cast.leader, since)[0].title
    assert calendar.entries(cast.admin, since) == [] and calendar.entries(cast.outsider, since) == []


def test_the_unit_card_counts_goals_and_delegations(cast):
    goal(cast)
    goal(cast, indicator="")
    goal(cast, year=timezone.localdate().year - 1)
    accepted(cast)
    delegation(cast)
    expire(accepted(cast))
    card = cards.unit_card(cast.employee, cast.unit_a)
    assert card is not None and card["template"] == "governance/_unit_card.html"
    counts = ("goal_count", "with_indicator", "active", "awaiting", "expired")
    assert {name: card[name] for name in counts} == {
        "goal_count": 2, "with_indicator": 1, "active": 1, "awaiting": 1, "expired": 1}
    assert cards.unit_card(cast.student, cast.unit_a) is None
    assert cards.unit_card(cast.outsider, cast.unit_a) is None


def test_the_home_card_lists_what_awaits_my_answer(cast):
    assert cards.home_card(cast.employee) is None
    done = accepted(cast)
    card = cards.home_card(cast.employee)
    assert card is not None and card["awaiting"] == []
    waiting = delegation(cast)
    with CaptureQueriesContext(connection) as queries:
        card = cards.home_card(cast.employee)
    assert card["awaiting"] == [waiting] and card["awaiting_count"] == 1 and len(queries) == 1
    services.revoke_delegation(actor=cast.leader, delegation=done, version=done.version)
    assert cards.home_card(cast.employee)["awaiting"] == [waiting]


def test_the_leaders_of_a_unit_without_an_active_leader_get_no_ending_reminder(cast):
    accepted(cast, days=5)
    RoleAssignment.objects.filter(person=cast.leader).update(
        valid_to=timezone.localdate() - dt.timedelta(days=1))
    assert DelegationSection().due(timezone.localdate()) == {}
