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
        "my_units": lambda: _my_units(user),
        "unread_count": lambda: user.notifications.filter(read_at__isnull=True).count()
        if user.is_authenticated else 0,
        "is_org_admin": lambda: authz.is_org_admin(user),
    }


def _my_units(user: Any) -> list[Any]:
    from hms.org.models import OrgUnit

    unit_ids = {grant.unit_id for grant in authz.grants(user)}
    return list(OrgUnit.objects.filter(pk__in=unit_ids).only("id", "name", "path").order_by("path"))
