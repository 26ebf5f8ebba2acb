from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from hms.core import digest, scheduler
from hms.core.models import ScheduledRun
from hms.measures.models import ReminderLog, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("round_planned")]
DAY = dt.date(2026, 11, 25)


def test_it_mails_each_responsible_person_their_due_and_overdue_measures(cast, measure_factory):
    measure_factory(title="Late", deadline=DAY - dt.timedelta(days=3))
    measure_factory(title="Soon", deadline=DAY + dt.timedelta(days=14))
    measure_factory(title="Later", deadline=DAY + dt.timedelta(days=15))
    measure_factory(title="Finished", deadline=DAY, status=Status.DONE)
    measure_factory(title="Leader's", deadline=DAY, responsible=cast.leader)
    assert digest.send_digests(day=DAY) == 2
    by_person = {message.to[0]: message.body for message in mail.outbox}
    body = by_person["employee@example.org"]
    assert "Late" in body and "Soon" in body and "Later" not in body and "Finished" not in body
    assert "Leader's" in by_person["leader@example.org"]


def test_it_never_sends_the_same_measure_twice_on_a_day(cast, measure_factory):
    measure_factory(deadline=DAY)
    assert digest.send_digests(day=DAY) == 1
    assert digest.send_digests(day=DAY) == 0
    assert len(mail.outbox) == 1
    assert digest.send_digests(day=DAY + dt.timedelta(days=1)) == 1


def test_it_writes_the_digest_in_the_recipients_language(cast, measure_factory):
    cast.employee.language = "en"
    cast.employee.save()
    measure_factory(deadline=DAY - dt.timedelta(days=1))
    digest.send_digests(day=DAY)
    assert "OVERDUE" in mail.outbox[0].body
    cast.employee.language = "nb"
    cast.employee.save()
    digest.send_digests(day=DAY + dt.timedelta(days=1))
    assert "FORFALT" in mail.outbox[1].body.upper()


def test_a_clash_with_another_run_skips_the_person(cast, measure_factory):
    measure = measure_factory(deadline=DAY)
    ReminderLog.objects.create(measure=measure, recipient=cast.employee, day=DAY)
    measure_factory(title="Second", deadline=DAY)
    # "Second" is not claimed yet, "first" is: the unique key stops a duplicate of either.
    assert digest.send_digests(day=DAY) == 1
    assert "Second" in mail.outbox[0].body and "Fix the fume hood" not in mail.outbox[0].body


def digest_claims(keys: list[str]) -> list[str]:
    """The digest's claims among a tick's (the scheduler has other daily jobs too)."""
    return [key for key in keys if key.startswith("digest:")]


def test_the_scheduler_claims_each_daily_job_once(cast, measure_factory):
    measure_factory(deadline=DAY)
    before_hour = dt.datetime(2026, 11, 25, 5, 0, tzinfo=dt.UTC)  # 06:00 in Oslo
    assert digest_claims(scheduler.tick(before_hour)) == []
    at_hour = dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.UTC)
    assert digest_claims(scheduler.tick(at_hour)) == ["digest:2026-11-25"]
    assert scheduler.tick(at_hour) == []  # a second scheduler, or a second tick
    assert ScheduledRun.objects.filter(key__startswith="digest:").count() == 1
    assert len(mail.outbox) == 1  # the immediate task backend ran the digest


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_send_one_digest(cast, measure_factory):
    measure_factory(deadline=DAY)
    at_hour = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
    results: list[list[str]] = []

    def run() -> None:
        results.append(digest_claims(scheduler.tick(at_hour)))
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert len(mail.outbox) == 1
