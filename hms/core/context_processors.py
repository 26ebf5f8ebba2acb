from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest

# What the page shell shows from the apps above core, by name (the unit switcher, the links to the
# action plan and to deviations …): each app registers its own in its AppConfig.ready.
SHELL: dict[str, Callable[[Any], Any]] = {}


def register(name: str, provider: Callable[[Any], Any]) -> None:
    """`provider(user)` gives the shell's `name`, asked for only when a page renders it."""
    SHELL[name] = provider


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: the unit switcher, unread count, demo mode. Lazy, so pages that
    do not render the shell (exports, fragments) pay nothing."""
    user = request.user
    return {
        "demo_mode": settings.DEMO_MODE,
        "unread_count": lambda: user.notifications.filter(read_at__isnull=True).count()
        if user.is_authenticated else 0,
        **{name: partial(provider, user) for name, provider in SHELL.items()},
    }
