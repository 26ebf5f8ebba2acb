"""Rounds falling due reach the digest of those who plan them: the leaders and HSE coordinators
over the area's unit and the area's safety representatives, once a week an area, until a round
is planned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from hms.core import digest
from hms.core.roles import Role
from hms.org.models import RoleAssignment, SafetyArea
from hms.rounds.models import Round, RoundReminder, Status, rounds_per_year
from hms.rounds.tests.factories import lab_round

pytestmark = pytest.mark.django_db

DAY = dt.date(2030, 3, 4)
PLANNERS = {"leader@example.org", "coordinator@example.org", "safety_rep@example.org"}


def walked_on(cast, day: dt.date, area=None) -> Round:
    """A round of the area (the cast's lab by default) summarised, walked on `day`."""
    round_ = lab_round(cast, planned_on=day)
    Round.objects.filter(pk=round_.pk).update(status=Status.SUMMARISED, conducted_on=day,
                                              safety_area=area or cast.area)
    return round_


def due_in(cast, days: int) -> None:
    """The cast's lab (high risk: two rounds a year) falls due `days` after DAY."""
    walked_on(cast, DAY - dt.timedelta(days=365 // rounds_per_year(cast.area.risk_level) - days))


def rounds_mail(day: dt.date) -> dict[str, str]:
    mail.outbox.clear()
    digest.send_digests(day=day)
    return {message.to[0]: message.body for message in mail.outbox}


def test_a_round_falling_due_reaches_those_who_plan_it_once(cast):
    due_in(cast, 10)
    sent = rounds_mail(DAY)
    assert set(sent) == PLANNERS
    body = sent["leader@example.org"]
    assert "A labs (Department A) – neste runde innen 14.03.2030\n" in body
    assert f"/rounds/units/{cast.unit_a.pk}/" in body
    assert RoundReminder.objects.filter(safety_area=cast.area).count() == 3
    assert rounds_mail(DAY + dt.timedelta(days=1)) == {}
    assert rounds_mail(DAY + dt.timedelta(days=6)) == {}
    assert set(rounds_mail(DAY + dt.timedelta(days=7))) == PLANNERS


def test_a_round_due_later_than_the_window_waits(cast, settings):
    settings.HMS_DIGEST_DAYS_AHEAD = 14
    due_in(cast, 15)
    assert rounds_mail(DAY) == {}
    assert set(rounds_mail(DAY + dt.timedelta(days=1))) == PLANNERS


def test_a_planned_round_is_no_longer_mentioned(cast):
    due_in(cast, 3)
    assert set(rounds_mail(DAY)) == PLANNERS
    lab_round(cast, planned_on=DAY + dt.timedelta(days=20))
    assert rounds_mail(DAY + dt.timedelta(days=7)) == {}


def test_an_area_never_walked_is_overdue_in_each_persons_language(cast):
    cast.safety_rep.language = "en"
    cast.safety_rep.save()
    sent = rounds_mail(DAY)
    assert "aldri gått – FORFALT" in sent["leader@example.org"]
    english = sent["safety_rep@example.org"]
    assert "Safety areas whose HSE round falls due, with no round planned:" in english
    assert "A labs (Department A) – never walked – OVERDUE" in english


def test_an_overdue_round_says_when_it_was_due(cast):
    due_in(cast, -5)
    body = rounds_mail(DAY)["coordinator@example.org"]
    assert "A labs (Department A) – neste runde innen 27.02.2030 – FORFALT" in body


def test_nobody_else_is_told(cast):
    """Not the deputy, employees, other roles of the unit, the unit's past leader or the leader
    of another unit; and not of another unit's area."""
    RoleAssignment.objects.create(person=cast.outsider, org_unit=cast.unit_b, role=Role.LEADER)
    RoleAssignment.objects.create(person=cast.employee, org_unit=cast.unit_a, role=Role.LEADER,
                                  valid_to=DAY - dt.timedelta(days=1))
    other = SafetyArea.objects.create(org_unit=cast.unit_b, code="b-office", name="B offices")
    walked_on(cast, DAY, area=other)
    due_in(cast, 10)
    sent = rounds_mail(DAY)
    assert set(sent) == PLANNERS
    assert all("B offices" not in body for body in sent.values())


def test_an_area_of_a_sub_unit_reaches_its_leaders_above_and_its_own_representative(cast):
    lab = SafetyArea.objects.create(org_unit=cast.section_a1, code="a1-lab", name="A1 lab")
    RoleAssignment.objects.filter(person=cast.leader).update(covers_subtree=True)
    RoleAssignment.objects.create(person=cast.deputy, org_unit=cast.section_a1,
                                  role=Role.SAFETY_REP, safety_area=lab)
    due_in(cast, 30)  # the cast's own lab is not due
    sent = rounds_mail(DAY)
    assert set(sent) == {"leader@example.org", "coordinator@example.org", "deputy@example.org"}
    assert f"/rounds/units/{cast.section_a1.pk}/" in sent["deputy@example.org"]
