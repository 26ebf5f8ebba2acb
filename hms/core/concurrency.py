"""Optimistic locking: a write goes through only if the record is still at the version the person
started from, so two people never overwrite each other silently."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from hms.core.errors import StaleEdit


def save_if_current(records: QuerySet[Any], pk: int, version: int, values: dict[str, Any],
                    stale_message: Any) -> Any:
    """Compare-and-set on `version`; returns the saved record, or raises StaleEdit carrying what
    the other person saved."""
    updated = records.filter(pk=pk, version=version).update(**values, version=F("version") + 1)
    fresh = records.get(pk=pk)
    if not updated:
        raise StaleEdit(stale_message, current=fresh)
    return fresh
