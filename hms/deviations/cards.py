"""What deviations add to the pages of others: the navigation's link and, on a unit's page, the
button to its list of cases (registered in the app's AppConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hms.deviations import access
from hms.org import access as org_access


def navigation_link(user: Any) -> str:
    """The navigation's link to deviations: the list of the highest unit whose cases the user
    follows, or for an HSE coordinator its statistics; empty for everyone else."""
    units = org_access.my_units(user)
    listed = next((unit for unit in units if access.may_list_deviations(user, unit)), None)
    if listed is not None:
        return reverse("deviations:list", args=[listed.pk])
    counted = next((unit for unit in units if access.deviation_statistics_scope(user).contains(unit)),
                   None)
    return reverse("deviations:statistics", args=[counted.pk]) if counted is not None else ""
