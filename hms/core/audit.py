"""Writing the audit trail. Services call `record` inside their transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from hms.core.middleware import request_id_var
from hms.core.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, Decimal)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _value(obj: models.Model, name: str) -> Any:
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return _plain(getattr(obj, name))
    if isinstance(field, models.ForeignKey):
        return getattr(obj, field.attname)
    return _plain(getattr(obj, name))


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The audited values of `fields`, JSON-safe: foreign keys as the record's id, which the history
    shows as its name in the reader's language (hms.core.history)."""
    return {name: _value(obj, name) for name in fields}


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    org_unit: Any = None,
    linked_to_request: bool = True,
) -> AuditEvent:
    """One event. `linked_to_request=False` leaves out the request id, for an event that must not
    be matched with anything else its request left (an anonymous report)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        org_unit=org_unit,
        request_id=request_id_var.get() if linked_to_request else "",
        before=before or {},
        after=after or {},
    )
