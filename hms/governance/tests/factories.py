from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hms.governance import services
from hms.governance.models import Delegation, DelegationTask, Goal


def goal(cast: Any, *, year: int | None = None, title: str = "Fewer injuries in the lab",
         indicator: str = "Injuries reported", target: str = "0", measures: tuple = ()) -> Goal:
    return services.create_goal(actor=cast.leader, org_unit=cast.unit_a, measures=measures, data={
        "year": year or timezone.localdate().year, "title": title, "indicator": indicator,
        "target": target})


def task(code: str = "first_aid") -> DelegationTask:
    return DelegationTask.objects.get(code=code)


def delegation(cast: Any, *, to: Any = None, code: str = "first_aid", text: str = "",
               days: int | None = 365, **data: Any) -> Delegation:
    today = timezone.localdate()
    return services.delegate_task(actor=cast.leader, org_unit=cast.unit_a, data={
        "task": None if text else task(code), "task_text": text, "scope": "Second floor",
        "delegate": to or cast.employee, "valid_from": today,
        "valid_to": today + dt.timedelta(days=days) if days is not None else None, **data})


def accepted(cast: Any, **kwargs: Any) -> Delegation:
    found = delegation(cast, **kwargs)
    return services.answer_delegation(actor=found.delegate, delegation=found, accept=True,
                                      version=found.version)


def expire(found: Delegation, days_ago: int = 1) -> Delegation:
    """Move the delegation's period into the past (the service refuses to make one that way)."""
    today = timezone.localdate()
    Delegation.objects.filter(pk=found.pk).update(valid_from=today - dt.timedelta(days=100),
                                                  valid_to=today - dt.timedelta(days=days_ago))
    found.refresh_from_db()
    return found
