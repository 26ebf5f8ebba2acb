from __future__ import annotations

import datetime as dt

from django_tasks import task

from hms.measures import services


@task()
def send_measure_digests(day: str) -> int:
    return services.send_measure_digests(day=dt.date.fromisoformat(day))
