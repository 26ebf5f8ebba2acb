"""The deviations' daily job: injury details past their retention period are deleted."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from hms.deviations import services


@task()
def delete_old_injury_details() -> int:
    return services.delete_old_injury_details()


def enqueue_injury_retention(day: dt.date) -> object:
    return delete_old_injury_details.enqueue()
