"""The primitives of the access layer, shared by every app.

Every view reaches a record through an `access_<thing>(user, pk, action)` function in its app's
access.py, which returns it or raises Http404 (the same answer for missing and forbidden), and every
list through `Model.objects.visible_to(user, action)`, whose filter is built there. Scope comes from
active role assignments (`grants`, `scope` and the rules of units: hms/org/access.py); special rules
(the responsible person, the plan owner) are predicates in each app's access.py. Here: the grant and
scope values, the write check for services and the 404 helpers, which need no app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

NOTHING = Q(pk__in=[])


class _Unit(Protocol):
    pk: Any
    path: str


@dataclass(frozen=True)
class Grant:
    """One active role held over one unit (with or without its subtree)."""

    role: str
    unit_id: int
    unit_path: str
    subtree: bool
    safety_area_id: int | None = None


@dataclass(frozen=True)
class Scope:
    """The units in which a user may take one action."""

    everything: bool = False
    unit_ids: frozenset[int] = frozenset()
    paths: tuple[str, ...] = ()
    safety_area_ids: frozenset[int] = frozenset()

    def unit_q(self, field: str = "org_unit") -> Q:
        """A filter on records whose unit (reached through `field`; "" for units) is in scope."""
        if self.everything:
            return Q()
        prefix = f"{field}__" if field else ""
        query = NOTHING
        if self.unit_ids:
            query |= Q(**{f"{prefix}pk__in": sorted(self.unit_ids)})
        for path in self.paths:
            query |= Q(**{f"{prefix}path__startswith": path})
        return query

    def contains(self, unit: _Unit) -> bool:
        return (
            self.everything
            or unit.pk in self.unit_ids
            or any(unit.path.startswith(path) for path in self.paths)
        )

    def covers_subtree(self, unit: _Unit) -> bool:
        """Whether the unit and everything below it are in scope."""
        return self.everything or any(unit.path.startswith(path) for path in self.paths)


def require(allowed: bool) -> None:
    """For services: refuse the write (PermissionDenied) when the access layer says no."""
    if not allowed:
        raise PermissionDenied


def is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def one_or_404(queryset: Any, pk: Any) -> Any:
    """The record, or 404: the same answer for missing, malformed and forbidden."""
    found = queryset.filter(pk=int_or_404(pk)).first()
    if found is None:
        raise Http404
    return found


def int_or_404(pk: Any) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
