"""The points in the daily digest (issue 16, item 7): a point that was met and is not any more is
told that day to the unit's leader and its safety representatives, once; from
HMS_POINTS_DUE_DAYS before the year ends a point not met is told once that year; nothing before
then, and nobody outside the unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from hms.core import digest
from hms.points.digest import DUE, TURNED, PointSection
from hms.points.evidence import State
from hms.points.models import PointReminder, PointState

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
OCTOBER, DECEMBER = dt.date(THIS_YEAR, 10, 1), dt.date(THIS_YEAR, 12, 1)


@pytest.fixture
def due_days(settings: Any) -> None:
    settings.HMS_POINTS_DUE_DAYS = 61


def heading(language: str = "nb") -> str:
    with translation.override(language):
        return gettext("Systematic HSE work (the 19 points):")


def points_mails() -> list[Any]:
    """The mails that hold the points' section (other sections have their own reminders)."""
    return [message for message in mail.outbox
            if heading() in message.body or heading("en") in message.body]


def mails_to(person: Any) -> list[str]:
    return [message.body for message in points_mails() if message.to == [person.email]]


def send(day: dt.date) -> int:
    mail.outbox.clear()
    digest.send_digests(day=day)
    return len(points_mails())


def test_a_point_that_turns_from_met_is_told_to_the_leader_and_the_safety_rep_once(cast: Any, due_days: None):
    assert send(OCTOBER) == 0  # the first run notes the states, nothing is due yet
    assert PointState.objects.filter(org_unit=cast.unit_a, number=1).get().state == State.NOT_MET
    PointState.objects.filter(org_unit=cast.unit_a, number=1).update(state=State.MET)
    assert send(OCTOBER + dt.timedelta(days=1)) == 3  # the leader, the safety rep and the deputy
    (body,) = mails_to(cast.leader)
    assert "Department A" in body and "Egne HMS-mål" in body and "«Ikke oppfylt»" in body
    assert f"/points/units/{cast.unit_a.pk}/?year={THIS_YEAR}#point-1" in body
    assert mails_to(cast.safety_rep) and not mails_to(cast.employee) and not mails_to(cast.outsider)
    assert set(PointReminder.objects.values_list("reason", flat=True)) == {TURNED}
    assert PointState.objects.get(org_unit=cast.unit_a, number=1).state == State.NOT_MET
    assert send(OCTOBER + dt.timedelta(days=1)) == 0  # told once


def test_near_the_years_end_every_point_not_met_is_told_once(cast: Any, due_days: None):
    section = PointSection()
    assert section.due(OCTOBER) == {}
    found = section.due(DECEMBER)
    told = {notice.point.number for notice in found[cast.leader.pk]}
    assert 1 in told and 5 not in told  # goals are wanting; point 5 is by hand, never told
    assert all(notice.reason == DUE and notice.unit == cast.unit_a for notice in found[cast.leader.pk])
    assert set(found) == {cast.leader.pk, cast.safety_rep.pk, cast.deputy.pk}
    assert send(DECEMBER) == 3
    assert send(DECEMBER + dt.timedelta(days=1)) == 0  # once a year


def test_the_mail_speaks_the_recipients_language(cast: Any, due_days: None):
    cast.leader.language = "en"
    cast.leader.save(update_fields=["language"])
    send(DECEMBER)
    (body,) = mails_to(cast.leader)
    assert "Systematic HSE work (the 19 points):" in body and "Own HSE goals" in body
    assert f"as {THIS_YEAR} comes to an end" in body
