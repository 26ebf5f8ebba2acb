"""Writes of the points: loading a version of the catalogue."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hms.core import audit, authz
from hms.core.errors import ServiceError
from hms.points.catalogue import FIRST_YEAR_EVER, problems
from hms.points.models import PointCatalogue


def load_catalogue(*, actor: Any, definition: dict[str, Any], first_year: int | None = None
                   ) -> PointCatalogue:
    """Save a definition as a new version, in force from `first_year` (the current year by
    default; every year on record for the first catalogue). A year already begun under another
    version keeps it unless the new one starts in it: a past year is never judged anew. Loading
    what is in force from that year already changes nothing. `actor` None: the system."""
    authz.require(actor is None or actor.is_superuser)
    errors = problems(definition)
    if errors:
        raise ServiceError(" ".join(errors))
    with transaction.atomic():
        latest = PointCatalogue.objects.select_for_update().order_by("-version").first()
        year = first_year or (timezone.localdate().year if latest else FIRST_YEAR_EVER)
        if latest is not None and year < timezone.localdate().year:
            raise ServiceError(_("A new version of the catalogue can start this year or later: "
                                 "past years keep the version they were judged by."))
        in_force = PointCatalogue.objects.for_year(year)
        if in_force is not None and in_force.definition == definition:
            return in_force
        version = (PointCatalogue.objects.aggregate(top=Max("version"))["top"] or 0) + 1
        name = definition["name"]
        catalogue = PointCatalogue.objects.create(
            version=version, first_year=year, name_nb=name["nb"][:200], name_en=name["en"][:200],
            definition=definition, created_by=actor)
        audit.record(actor=actor, action="load", obj=catalogue,
                     before={"in_force": str(in_force or "")}, after={"in_force": str(catalogue)})
    return catalogue
