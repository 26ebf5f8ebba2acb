from __future__ import annotations

from typing import Any

from hms.core.models import Notification


def notify(recipient: Any, message: str, url: str = "") -> Notification | None:
    """An in-app notification; services call it inside their transaction."""
    if recipient is None or not recipient.is_active:
        return None
    return Notification.objects.create(recipient=recipient, message=message[:300], url=url[:300])
