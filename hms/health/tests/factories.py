from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hms.health import services
from hms.health.models import HealthServiceContact, Involvement, Kind

UNIVERSITY = {"service": "Fjordby BHT", "contact_person": "Kari", "phone": "+47 12 34 56 78",
              "email": "bht@example.org", "web": "https://bht.example.org"}
FACULTY = {"service": "Faculty F health", "phone": "12345", "email": "f@example.org"}


def contact(cast: Any, unit: Any = None, **fields: Any) -> HealthServiceContact:
    """A contact on `unit` (the root by default), set by the administrator."""
    return services.set_contact(actor=cast.admin, org_unit=unit or cast.root,
                                data={**UNIVERSITY, **fields}, version=None)


def entry(cast: Any, *, unit: Any = None, by: Any = None, kind: str = Kind.HSE_ROUND,
          day: dt.date | None = None, description: str = "BHT joined the round",
          record: Any = None) -> Involvement:
    return services.record_involvement(actor=by or cast.leader, org_unit=unit or cast.unit_a,
                                       kind=kind, day=day or timezone.localdate(),
                                       description=description, record=record)
