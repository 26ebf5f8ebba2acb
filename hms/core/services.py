from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from hms.core.models import Notification


def mark_notifications_read(*, actor: Any) -> int:
    with transaction.atomic():
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )
