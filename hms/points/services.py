"""Writes of the points: loading a version of the catalogue, confirming a point by hand."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hms.core import audit, authz
from hms.core.errors import ServiceError
from hms.core.versions import load_version
from hms.org.models import OrgUnit
from hms.points import access
from hms.points.catalogue import FIRST_YEAR_EVER, problems
from hms.points.models import PointCatalogue, PointConfirmation, Verdict
from hms.points.overview import is_closed, points_of

AUDITED = ["person", "verdict", "comment"]  # the fields of a confirmation the audit trail keeps


def load_catalogue(*, actor: Any, definition: dict[str, Any], first_year: int | None = None
                   ) -> PointCatalogue:
    """Save a definition as a new version of the catalogue (`load_version`)."""
    return load_version(PointCatalogue, actor=actor, definition=definition, problems=problems,
                        first_year=first_year, first_year_ever=FIRST_YEAR_EVER)


def confirm(*, actor: Any, unit: OrgUnit, year: int, number: int, role: str, verdict: str,
            comment: str) -> PointConfirmation:
    """The leader's or safety representative's word on a point, said anew: the one before stays
    in the audit trail. A closed year takes no more words."""
    authz.require(access.may_confirm(actor, unit, role))
    if year > timezone.localdate().year:
        raise ServiceError(_("A point can be confirmed for this year or a year before it."))
    if is_closed(year):
        raise ServiceError(_("The year %(year)s is closed: its points can no longer be confirmed.")
                           % {"year": year})
    if verdict not in Verdict.values:
        raise ServiceError(_("Choose whether the point is met, not met, or that you only comment."))
    if verdict == Verdict.COMMENT and not comment.strip():
        raise ServiceError(_("Write the comment."))
    if not any(point.number == number for point in points_of(year)):
        raise ServiceError(_("The catalogue of %(year)s has no point %(number)s.")
                           % {"year": year, "number": number})
    with transaction.atomic():
        earlier = PointConfirmation.objects.select_for_update().filter(
            org_unit=unit, year=year, number=number, role=role).first()
        before = audit.snapshot(earlier, AUDITED) if earlier else {}
        confirmation, _created = PointConfirmation.objects.update_or_create(
            org_unit=unit, year=year, number=number, role=role,
            defaults={"person": actor, "verdict": verdict, "comment": comment.strip(),
                      "confirmed_at": timezone.now()})
        audit.record(actor=actor, action="confirm", obj=confirmation, org_unit=unit,
                     before=before, after=audit.snapshot(confirmation, AUDITED))
    return confirmation
