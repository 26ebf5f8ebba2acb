from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from hms.core import authz


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: the unit switcher, unread count, demo mode. Lazy, so pages that
    do not render the shell (exports, fragments) pay nothing."""
    user = request.user
    return {
        "demo_mode": settings.DEMO_MODE,
        "my_units": lambda: authz.my_units(user),
        "unread_count": lambda: user.notifications.filter(read_at__isnull=True).count()
        if user.is_authenticated else 0,
        "is_org_admin": lambda: authz.is_org_admin(user),
        "plan_unit": lambda: _plan_unit(user),
        "deviation_link": lambda: _deviation_link(user),
    }


def _plan_unit(user: Any) -> Any:
    """The unit whose action plan the navigation links to: the highest one whose measures the
    user may see (a faculty leader gets the faculty, an employee the department)."""
    from hms.core.roles import Action

    return next((unit for unit in authz.my_units(user) if authz.can_in_unit(user, Action.VIEW, unit)),
                None)


def _deviation_link(user: Any) -> str:
    """The navigation's link to deviations: the list of the highest unit whose cases the user
    follows, or for an HSE coordinator its statistics; empty for everyone else."""
    from django.urls import reverse

    units = authz.my_units(user)
    listed = next((unit for unit in units if authz.may_list_deviations(user, unit)), None)
    if listed is not None:
        return reverse("deviations:list", args=[listed.pk])
    counted = next((unit for unit in units if authz.deviation_statistics_scope(user).contains(unit)),
                   None)
    return reverse("deviations:statistics", args=[counted.pk]) if counted is not None else ""
