"""The reminder scheduler: at each tick, enqueue every daily job that is due and not yet claimed.

A job runs once per day however many schedulers tick: each claims `ScheduledRun(key=job:day)`, whose
unique key lets exactly one of them through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hms.core.models import ScheduledRun


@dataclass(frozen=True)
class DailyJob:
    name: str
    hour: int
    enqueue: Callable[[dt.date], object]


def _enqueue_digests(day: dt.date) -> object:
    from hms.core.tasks import send_digests

    return send_digests.enqueue(day.isoformat())


def _enqueue_document_cleanup(day: dt.date) -> object:
    from hms.core.tasks import delete_expired_documents

    return delete_expired_documents.enqueue()


# The apps' own daily jobs, by name: each app registers its jobs in its AppConfig.ready, so the
# core imports no app.
_registered: dict[str, DailyJob] = {}


def register(job: DailyJob) -> None:
    _registered[job.name] = job


def daily_jobs() -> list[DailyJob]:
    return [DailyJob("digest", settings.HMS_DIGEST_HOUR, _enqueue_digests),
            DailyJob("expired-documents", 3, _enqueue_document_cleanup), *_registered.values()]


def claim(key: str) -> bool:
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def tick(now: dt.datetime | None = None) -> list[str]:
    """Enqueue the jobs due at `now` (local time); returns the keys this tick claimed."""
    local = timezone.localtime(now or timezone.now())
    claimed = []
    for job in daily_jobs():
        key = f"{job.name}:{local.date().isoformat()}"
        if local.hour >= job.hour and claim(key):
            job.enqueue(local.date())
            claimed.append(key)
    return claimed
