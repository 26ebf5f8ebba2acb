"""Optimistic locking: a write goes through only if the record is still at the version the person
started from, so two people never overwrite each other silently; and a write to a record that
someone deleted meanwhile is refused as such, never a server error."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from hms.core.errors import RecordGone, StaleEdit


def save_if_current(records: QuerySet[Any], pk: int, version: int, values: dict[str, Any],
                    stale_message: Any) -> Any:
    """Compare-and-set on `version`; returns the saved record, or raises StaleEdit carrying what
    the other person saved, or RecordGone when the record was deleted (before the update, or
    between it and the read that follows it)."""
    updated = records.filter(pk=pk, version=version).update(**values, version=F("version") + 1)
    fresh = records.filter(pk=pk).first()
    if fresh is None:
        raise RecordGone
    if not updated:
        raise StaleEdit(stale_message, current=fresh)
    return fresh


def locked_or_gone(records: QuerySet[Any], pk: int) -> Any:
    """The record as it is now, locked to the end of the transaction (a delete waits for the
    write that follows, or the write waits for the delete and then finds nothing); RecordGone when
    it was deleted. Only inside `transaction.atomic`."""
    fresh = records.select_for_update(of=("self",)).filter(pk=pk).first()
    if fresh is None:
        raise RecordGone
    return fresh
