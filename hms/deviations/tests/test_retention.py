"""Issue 14, item 9: the injured person's name and the injury details of a closed case are deleted
HMS_INJURY_DETAILS_KEEP_DAYS days after closing, by an audited daily job; the case stays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hms.core import scheduler
from hms.core.models import AuditEvent
from hms.deviations import services
from hms.deviations.models import Deviation, InjuryDetails, Status
from hms.deviations.tests.factories import report

pytestmark = pytest.mark.django_db

KEEP = 30


def closed_injury(cast, days_ago: int, status: str = Status.CLOSED) -> Deviation:
    deviation = report(cast, code="personal_injury", title=f"Cut finger {days_ago}")
    InjuryDetails.objects.create(deviation=deviation, injured_person="Kari Nordmann",
                                 health_details="Deep cut, stitched at the A&E.")
    Deviation.objects.filter(pk=deviation.pk).update(
        status=status, conclusion="Knife guard fitted.",
        closed_at=timezone.now() - dt.timedelta(days=days_ago))
    return deviation


@pytest.fixture
def keep(settings):
    settings.HMS_INJURY_DETAILS_KEEP_DAYS = KEEP


def test_details_of_a_case_closed_longer_ago_than_the_period_are_deleted(cast, keep):
    old, recent = closed_injury(cast, KEEP + 1), closed_injury(cast, KEEP - 1)
    still_open = closed_injury(cast, KEEP + 1, status=Status.UNDER_TREATMENT)
    assert services.delete_old_injury_details() == 1
    assert not InjuryDetails.objects.filter(deviation=old).exists()
    assert set(InjuryDetails.objects.values_list("deviation", flat=True)) == {recent.pk, still_open.pk}
    kept = Deviation.objects.get(pk=old.pk)
    assert (kept.title, kept.status, kept.conclusion) == (old.title, Status.CLOSED, "Knife guard fitted.")


def test_each_deletion_is_audited_without_the_text(cast, keep):
    old = closed_injury(cast, KEEP + 1)
    services.delete_old_injury_details()
    event = AuditEvent.objects.for_object(old).get(action="retention:injury_details")
    assert event.actor is None and event.org_unit == cast.unit_a
    assert event.before == {"injured_person": True, "health_details": True}
    assert event.after == {"injured_person": False, "health_details": False}
    assert "Kari" not in str(event.before) + str(event.after) + event.object_repr


def test_running_twice_changes_nothing(cast, keep):
    closed_injury(cast, KEEP + 1)
    services.delete_old_injury_details()
    events = AuditEvent.objects.count()
    assert services.delete_old_injury_details() == 0
    assert AuditEvent.objects.count() == events


def test_the_period_is_counted_from_the_given_time(cast, keep):
    case = closed_injury(cast, 1)
    assert services.delete_old_injury_details() == 0
    assert services.delete_old_injury_details(now=timezone.now() + dt.timedelta(days=KEEP)) == 1
    assert not InjuryDetails.objects.filter(deviation=case).exists()


def test_the_daily_job_is_registered_and_runs_the_deletion(cast, keep):
    case = closed_injury(cast, KEEP + 1)
    assert "injury-details" in {job.name for job in scheduler.daily_jobs()}
    tick = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(23, 0)))
    assert f"injury-details:{timezone.localdate().isoformat()}" in scheduler.tick(tick)
    assert not InjuryDetails.objects.filter(deviation=case).exists()
