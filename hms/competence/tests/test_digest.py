"""The competence sections of the digest: a person hears of their expiring and expired trainings,
a leader of their unit's gaps, each at most once a week."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from hms.accounts.models import User
from hms.competence.digest import TrainingSection, TrainingSummarySection
from hms.competence.models import TrainingReminder
from hms.competence.tests.factories import record
from hms.core.digest import send_digests

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def quiet_sections(settings, monkeypatch):
    """Only the competence sections (the others have their own tests)."""
    from hms.core import digest

    monkeypatch.setattr(digest, "SECTIONS", {1: TrainingSection, 2: TrainingSummarySection})
    User.objects.update(language="en")


def test_a_person_hears_of_expiring_and_expired_trainings_once_a_week(cast, quiet_sections):
    soon = record(cast.employee, "lab-safety", TODAY - dt.timedelta(days=900),
                  TODAY + dt.timedelta(days=20))
    gone = record(cast.employee, "fire-safety", TODAY - dt.timedelta(days=900),
                  TODAY - dt.timedelta(days=3))
    record(cast.handler, "lab-safety", TODAY - dt.timedelta(days=10))  # valid: nothing to say
    due = TrainingSection().due(TODAY)
    assert [need.record for need in due[cast.employee.pk]] == [soon, gone]
    assert cast.handler.pk not in due
    send_digests(day=TODAY)
    body = next(m.body for m in mail.outbox if m.to == [cast.employee.email])
    assert "Your training needs renewing:" in body and "expired" in body
    assert "/competence/mine/" in body
    assert TrainingReminder.objects.filter(recipient=cast.employee).count() == 2
    for later in (1, 6):
        assert cast.employee.pk not in TrainingSection().due(TODAY + dt.timedelta(days=later))
    assert cast.employee.pk in TrainingSection().due(TODAY + dt.timedelta(days=7))


def test_a_leader_gets_a_weekly_summary_once_trainings_lapse(cast, quiet_sections):
    assert TrainingSummarySection().due(TODAY) == {}  # only never-taken trainings: no news
    record(cast.employee, "lab-safety", TODAY - dt.timedelta(days=900), TODAY - dt.timedelta(days=3))
    due = TrainingSummarySection().due(TODAY)
    summary = due[cast.leader.pk][0]
    assert (summary.unit, summary.missing, summary.expired, summary.expiring) == (
        cast.unit_a, 17, 1, 0)
    assert cast.coordinator.pk not in due  # no leader of faculty F in the cast
    mail.outbox.clear()
    send_digests(day=TODAY)
    body = next(m.body for m in mail.outbox if m.to == [cast.leader.email])
    assert "Department A: 17 missing, 1 expired, 0 expiring soon" in body
    assert f"/competence/units/{cast.unit_a.pk}/" in body
    assert cast.leader.pk not in TrainingSummarySection().due(TODAY + dt.timedelta(days=3))
    sent = len(mail.outbox)
    send_digests(day=TODAY)
    assert len(mail.outbox) == sent  # nothing twice on a day
