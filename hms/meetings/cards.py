"""The meetings card on a unit's page (held leader–safety representative meetings this year
against the minimum of four) and on the home page (the person's next meetings)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from hms.core.roles import Action
from hms.meetings.models import LEADER_VO_MINIMUM, Kind, Meeting, Status
from hms.org import access as org_access


def unit_card(user: Any, unit: Any) -> dict[str, Any] | None:
    """One query: the unit's leader–VO meetings held and still planned this year, and when the
    unit's next meeting of any kind is."""
    if not org_access.can_in_unit(user, Action.VIEW, unit):
        return None
    now, year = timezone.now(), timezone.localdate().year
    leader_vo = Q(kind=Kind.LEADER_VO, starts_at__year=year)
    coming = Q(status=Status.PLANNED, starts_at__gte=now)
    counts = Meeting.objects.filter(org_unit=unit).aggregate(
        held=Count("pk", filter=leader_vo & Q(status=Status.HELD)),
        planned=Count("pk", filter=leader_vo & coming),
        next_at=Min("starts_at", filter=coming))
    return {"template": "meetings/_unit_card.html", "unit": unit, "minimum": LEADER_VO_MINIMUM,
            **counts, "short": max(LEADER_VO_MINIMUM - counts["held"] - counts["planned"], 0)}


def home_card(user: Any) -> dict[str, Any] | None:
    meetings = list(Meeting.objects.filter(attendees__person=user, status=Status.PLANNED,
                                           starts_at__gte=timezone.now())
                    .select_related("org_unit").order_by("starts_at")[:5])
    return {"template": "meetings/_home_card.html", "meetings": meetings}
