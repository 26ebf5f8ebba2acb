from __future__ import annotations

from typing import Any

from hms.core.models import Notification


def notify(recipient: Any, message: str, url: str = "", *, date_only: bool = False) -> Notification | None:
    """An in-app notification; services call it inside their transaction. `date_only`: shown by
    its date alone (one about an anonymous report)."""
    if recipient is None or not recipient.is_active:
        return None
    return Notification.objects.create(recipient=recipient, message=message[:300], url=url[:300],
                                       date_only=date_only)
