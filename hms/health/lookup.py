"""Reading the occupational health service's records: which contact a unit uses (its own, or the
nearest one above it), and which records an entry of the log may concern."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models
from django.utils.translation import gettext_lazy as _

from hms.core.roles import Action
from hms.health.models import HealthServiceContact, Involvement
from hms.risk import access as risk_access


@dataclass(frozen=True)
class ContactInUse:
    """The contact a unit uses, and whether it is the unit's own or comes from `source` above."""

    contact: HealthServiceContact
    unit: Any

    @property
    def source(self) -> Any:
        return self.contact.org_unit

    @property
    def inherited(self) -> bool:
        return self.contact.org_unit_id != self.unit.pk


def contacts_for(units: Iterable[Any]) -> dict[int, ContactInUse]:
    """The contact each unit uses, in one query for all of them: the one registered on the
    nearest unit of its line (the unit itself first). Units without any are left out."""
    units = list(units)
    paths = {path for unit in units for path in unit.ancestor_paths()}
    if not paths:
        return {}
    by_path = {contact.org_unit.path: contact for contact in
               HealthServiceContact.objects.filter(org_unit__path__in=sorted(paths))
               .select_related("org_unit")}
    found: dict[int, ContactInUse] = {}
    for unit in units:
        nearest = next((by_path[path] for path in reversed(unit.ancestor_paths()) if path in by_path),
                       None)
        if nearest is not None:
            found[unit.pk] = ContactInUse(nearest, unit)
    return found


def contact_for(unit: Any) -> ContactInUse | None:
    return contacts_for([unit]).get(unit.pk)


# --- Records an entry may concern ------------------------------------------------------------------

RECENT = 20


def _assessments(user: Any, unit: Any) -> tuple[Any, list[models.Model]]:
    from hms.risk.models import RiskAssessment

    records = (RiskAssessment.objects.filter(risk_access.assessment_q(user, Action.VIEW), org_unit=unit)
               .order_by("-created_at", "-pk"))
    return _("Risk assessments"), list(records[:RECENT])


def _rounds(user: Any, unit: Any) -> tuple[Any, list[models.Model]]:
    from hms.rounds.models import Round

    records = (Round.objects.visible_to(user).filter(org_unit=unit).select_related("safety_area")
               .order_by("-planned_on", "-pk"))
    return _("HSE rounds"), list(records[:RECENT])


def _meetings(user: Any, unit: Any) -> tuple[Any, list[models.Model]]:
    from hms.meetings.models import Meeting

    records = (Meeting.objects.visible_to(user).filter(org_unit=unit).order_by("-starts_at", "-pk"))
    return _("Meetings"), list(records[:RECENT])


# The records the log's form offers: each function gives a group label and the unit's own recent
# records of one kind that the user may see. Other apps' records are linked through the service.
LINKABLE: list[Callable[[Any, Any], tuple[Any, list[models.Model]]]] = [_assessments, _rounds,
                                                                         _meetings]


def record_key(record: models.Model) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


def linkable_records(user: Any, unit: Any) -> list[tuple[Any, list[models.Model]]]:
    return [group for group in (offer(user, unit) for offer in LINKABLE) if group[1]]


def with_records(entries: models.QuerySet[Involvement]) -> models.QuerySet[Involvement]:
    """The entries with the records they concern, in one query per kind of record."""
    from hms.rounds.models import Round

    querysets: list[models.QuerySet[Any]] = [Round.objects.select_related("safety_area")]
    return entries.prefetch_related(GenericPrefetch("record", querysets))
