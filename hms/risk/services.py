"""Writes to the risk matrix: loading a version and choosing the one in use."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from hms.core import audit, authz
from hms.core.errors import ServiceError
from hms.risk.matrix import validate_definition
from hms.risk.models import RiskMatrix


def _require_admin(actor: Any) -> None:
    if actor is not None and not authz.is_org_admin(actor):
        raise PermissionDenied


def load_matrix(*, actor: Any, definition: dict[str, Any]) -> RiskMatrix:
    """Save a definition as the newest version and put it in use. Loading what is already in use
    changes nothing, so reference data can be loaded at every start. `actor` None: the system."""
    _require_admin(actor)
    errors = validate_definition(definition)
    if errors:
        raise ServiceError(" ".join(errors))
    with transaction.atomic():
        current = RiskMatrix.objects.select_for_update().filter(is_current=True).first()
        if current is not None and current.definition == definition:
            return current
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        version = (RiskMatrix.objects.aggregate(top=Max("version"))["top"] or 0) + 1
        matrix = RiskMatrix.objects.create(
            version=version, name=str(definition.get("name", ""))[:200] or f"v{version}",
            source=str(definition.get("source", "")), definition=definition, is_current=True,
            created_by=actor)
        audit.record(actor=actor, action="load", obj=matrix,
                     before={"current": str(current or "")}, after={"current": str(matrix)})
    return matrix


def make_current(*, actor: Any, matrix: RiskMatrix) -> RiskMatrix:
    _require_admin(actor)
    with transaction.atomic():
        current = RiskMatrix.objects.select_for_update().filter(is_current=True).first()
        if current is not None and current.pk != matrix.pk:
            current.is_current = False
            current.save(update_fields=["is_current"])
        matrix.is_current = True
        matrix.save(update_fields=["is_current"])
        audit.record(actor=actor, action="make_current", obj=matrix,
                     before={"current": str(current or "")}, after={"current": str(matrix)})
    return matrix
