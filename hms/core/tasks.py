from __future__ import annotations

import datetime as dt

from django_tasks import task

from hms.core import digest


@task()
def send_digests(day: str) -> int:
    return digest.send_digests(day=dt.date.fromisoformat(day))


@task()
def make_document(document_id: int) -> str:
    from hms.core import prepared

    return prepared.run(document_id)


@task()
def delete_expired_documents() -> int:
    from hms.core import prepared

    return prepared.delete_expired()
