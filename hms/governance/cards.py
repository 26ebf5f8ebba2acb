"""The governance cards: on a unit's page, this year's goals and the state of its delegation
register; on the home page, the tasks delegated to me (those awaiting my answer first)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from hms.governance import access
from hms.governance.models import Delegation, DelegationStatus, Goal
from hms.org.models import OrgUnit

HOME_LIMIT = 5


def unit_card(user: Any, unit: Any) -> dict[str, Any] | None:
    if not access.may_see_governance(user, unit):
        return None
    today = timezone.localdate()
    goals = Goal.objects.filter(org_unit=OuterRef("pk"), year=today.year)
    current = Delegation.objects.filter(org_unit=OuterRef("pk")).current()
    in_force = Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    counts = OrgUnit.objects.filter(pk=unit.pk).values(  # one query for the five counts
        goal_count=_count(goals), with_indicator=_count(goals.exclude(indicator="")),
        active=_count(current.filter(in_force, status=DelegationStatus.ACCEPTED)),
        awaiting=_count(current.filter(in_force, status=DelegationStatus.AWAITING)),
        expired=_count(current.filter(valid_to__lt=today))).get()
    return {"template": "governance/_unit_card.html", "unit": unit, "year": today.year, **counts}


def _count(records: Any) -> Coalesce:
    per_unit = records.order_by().values("org_unit").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(per_unit, output_field=IntegerField()), 0)


def home_card(user: Any) -> dict[str, Any] | None:
    """Nothing to show for someone who has no task delegated to them."""
    mine = list(Delegation.objects.filter(delegate=user).current().register_order()
                .select_related("task", "org_unit")[:HOME_LIMIT * 4])
    if not mine:
        return None
    awaiting = [d for d in mine if d.is_awaiting and not d.is_expired()]
    return {"template": "governance/_home_card.html", "awaiting": awaiting[:HOME_LIMIT],
            "awaiting_count": len(awaiting)}
