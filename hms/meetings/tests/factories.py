"""Making meetings in tests: through the services, as the leader would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hms.meetings import services
from hms.meetings.models import Kind, Meeting


def meeting(cast: Any, *, days: int = 7, kind: str = Kind.LEADER_VO, by: Any = None,
            invited: tuple[str, ...] = ("safety_rep",), **fields: Any) -> Meeting:
    """A leader–VO meeting of unit A, `days` from now (negative: in the past)."""
    starts_at = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=days)
    data = {"kind": kind, "title": "Møte leder og verneombud", "safety_area": cast.area,
            "starts_at": starts_at, "duration_minutes": 60, "location": "Rom 101", **fields}
    return services.plan_meeting(actor=by or cast.leader, org_unit=cast.unit_a, data=data,
                                 invitations={"invited": [cast.users[name] for name in invited]})


def held(cast: Any, *, days: int = -1, **fields: Any) -> Meeting:
    """A meeting that took place, with everyone present and the minutes complete."""
    planned = meeting(cast, days=days, **fields)
    services.record_attendance(actor=cast.leader, meeting=planned,
                               present=set(planned.attendees.values_list("pk", flat=True)))
    planned.refresh_from_db()
    return services.complete_minutes(actor=cast.leader, meeting=planned, version=planned.version,
                                     summary="Gjennomgått handlingsplanen.")
