"""The meetings card on a unit's page (held leader–safety representative meetings this year
against the minimum of four) and on the home page (the person's next meetings)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from hms.core import authz
from hms.core.roles import Action
from hms.meetings.models import LEADER_VO_MINIMUM, Kind, Meeting, Status


def unit_card(user: Any, unit: Any) -> dict[str, Any] | None:
    if not authz.can_in_unit(user, Action.VIEW, unit):
        return None
    now = timezone.now()
    counts = Meeting.objects.filter(org_unit=unit, kind=Kind.LEADER_VO).aggregate(
        held=Count("pk", filter=Q(status=Status.HELD, starts_at__year=timezone.localdate().year)),
        planned=Count("pk", filter=Q(status=Status.PLANNED, starts_at__gte=now,
                                     starts_at__year=timezone.localdate().year)))
    upcoming = (Meeting.objects.visible_to(user).filter(org_unit=unit, status=Status.PLANNED,
                                                        starts_at__gte=now)
                .order_by("starts_at").first())
    return {"template": "meetings/_unit_card.html", "unit": unit, "held": counts["held"],
            "planned": counts["planned"], "minimum": LEADER_VO_MINIMUM, "next": upcoming,
            "short": max(LEADER_VO_MINIMUM - counts["held"] - counts["planned"], 0)}


def home_card(user: Any) -> dict[str, Any] | None:
    meetings = list(Meeting.objects.filter(attendees__person=user, status=Status.PLANNED,
                                           starts_at__gte=timezone.now())
                    .select_related("org_unit").order_by("starts_at")[:5])
    return {"template": "meetings/_home_card.html", "meetings": meetings}
