"""`{% readable_history history as entries %}`: a page of audit events as people read them."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from hms.core.history import Entry, entries
from hms.core.models import AuditEvent

register = template.Library()


@register.simple_tag
def readable_history(events: Iterable[AuditEvent], date_only_action: str = "") -> list[Entry]:
    return entries(events, date_only_action)
