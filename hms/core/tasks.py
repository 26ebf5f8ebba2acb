from __future__ import annotations

import datetime as dt

from django_tasks import task

from hms.core import digest


@task()
def send_digests(day: str) -> int:
    return digest.send_digests(day=dt.date.fromisoformat(day))
