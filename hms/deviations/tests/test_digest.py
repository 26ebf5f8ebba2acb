"""Cases never stall silently: overdue or untouched cases come in the digest, to the handler and,
as an escalation, to the unit's leader, once a day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from hms.core import digest
from hms.core.roles import Role
from hms.deviations.models import Deviation
from hms.deviations.tests.factories import accepted, report
from hms.org.models import RoleAssignment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("round_planned")]


@pytest.fixture(autouse=True)
def _in_english(cast):
    from hms.accounts.models import User

    User.objects.update(language="en")
    for user in cast.users.values():
        user.language = "en"


def _mail_to(user):
    return [message.body for message in mail.outbox if message.to == [user.email]]


def test_an_overdue_case_reaches_its_handler_and_the_leader(cast):
    case = accepted(cast, title="Broken eyewash")
    Deviation.objects.filter(pk=case.pk).update(close_deadline=timezone.localdate() - dt.timedelta(days=2))
    report(cast, title="Fresh report")
    digest.send_digests(day=timezone.localdate())
    assert "Broken eyewash" in _mail_to(cast.handler)[0] and "OVERDUE" in _mail_to(cast.handler)[0]
    leader = _mail_to(cast.leader)[0]
    assert "Broken eyewash" in leader and "Fresh report" not in leader
    assert _mail_to(cast.safety_rep) == [] and _mail_to(cast.employee) == []


def test_an_untouched_case_reaches_the_units_handlers_and_leader(cast, settings):
    settings.HMS_DEVIATION_STALE_DAYS = 14
    with time_machine.travel(timezone.now() - dt.timedelta(days=20)):
        report(cast, title="Forgotten report")
    report(cast, title="Today's report")
    day = timezone.localdate()
    assert digest.send_digests(day=day) == 2
    for person in (cast.handler, cast.leader):
        body = _mail_to(person)[0]
        assert "Forgotten report" in body and "Today's report" not in body
        assert "no activity" in body
    assert digest.send_digests(day=day) == 0
    assert digest.send_digests(day=day + dt.timedelta(days=1)) == 2


def test_a_leader_over_the_subtree_is_escalated_to_as_well(cast):
    RoleAssignment.objects.create(person=cast.coordinator, org_unit=cast.faculty_f, role=Role.LEADER,
                                  covers_subtree=True)
    case = accepted(cast)
    Deviation.objects.filter(pk=case.pk).update(close_deadline=timezone.localdate() - dt.timedelta(days=1))
    digest.send_digests(day=timezone.localdate())
    assert _mail_to(cast.coordinator) and _mail_to(cast.leader) and _mail_to(cast.handler)


def test_closed_cases_are_not_reminded_of(cast):
    case = accepted(cast)
    Deviation.objects.filter(pk=case.pk).update(status="closed",
                                                close_deadline=timezone.localdate() - dt.timedelta(days=9))
    assert digest.send_digests(day=timezone.localdate()) == 0
