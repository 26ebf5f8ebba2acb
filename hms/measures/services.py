"""Every write to the action plan goes through here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hms.core import audit, authz
from hms.core.concurrency import save_if_current
from hms.core.errors import ServiceError
from hms.core.notifications import notify
from hms.core.roles import Action
from hms.measures import access
from hms.measures.models import TRANSITIONS, Measure, Status, today
from hms.org import access as org_access
from hms.org.models import OrgUnit

EDITABLE_FIELDS = [
    "title", "description", "safety_area", "responsible", "deadline", "priority", "cost_estimate",
]



def _notify_responsible(measure: Measure, actor: Any) -> None:
    responsible = measure.responsible
    if responsible is not None and responsible.pk != getattr(actor, "pk", None):
        with translation.override(responsible.language):
            message = _("You are responsible for the measure “%(title)s” in %(unit)s.") % {
                "title": measure.title, "unit": measure.org_unit.name,
            }
        notify(responsible, message, reverse("measures:detail", args=[measure.pk]))


def create_measure(*, actor: Any, org_unit: OrgUnit, data: dict[str, Any],
                   origin: str = "manual", origin_record: Any = None) -> Measure:
    authz.require(org_access.can_in_unit(actor, Action.CREATE, org_unit))
    with transaction.atomic():
        measure = Measure(org_unit=org_unit, created_by=actor, origin=origin,
                          **{name: data.get(name) for name in EDITABLE_FIELDS if name in data})
        if origin_record is not None:
            measure.origin_record = origin_record
        measure.full_clean()
        measure.save()
        audit.record(actor=actor, action="create", obj=measure, org_unit=org_unit,
                     after=audit.snapshot(measure, Measure.AUDITED_FIELDS))
        _notify_responsible(measure, actor)
    return measure


def _save_if_current(measure: Measure, version: int, values: dict[str, Any]) -> Measure:
    return save_if_current(
        Measure.objects.select_related("org_unit", "responsible", "safety_area"), measure.pk, version,
        values, _("Someone else saved this measure while you were editing it. Your changes were not "
                  "saved: compare them with the current values below and save again."))


def update_measure(*, actor: Any, measure: Measure, data: dict[str, Any], version: int) -> Measure:
    authz.require(access.can_measure(actor, Action.EDIT, measure))
    with transaction.atomic():
        before = audit.snapshot(measure, Measure.AUDITED_FIELDS)
        candidate = Measure.objects.get(pk=measure.pk)
        for name in EDITABLE_FIELDS:
            if name in data:
                setattr(candidate, name, data[name])
        candidate.full_clean()
        values = {name: getattr(candidate, name) for name in EDITABLE_FIELDS if name in data}
        fresh = _save_if_current(measure, version, values)
        audit.record(actor=actor, action="update", obj=fresh, org_unit=fresh.org_unit,
                     before=before, after=audit.snapshot(fresh, Measure.AUDITED_FIELDS))
        if fresh.responsible_id != measure.responsible_id:
            _notify_responsible(fresh, actor)
    return fresh


def transition_measure(*, actor: Any, measure: Measure, to: str, version: int,
                       note: str = "", done_date: dt.date | None = None) -> Measure:
    """Move a measure along its workflow. `note` is the effect check when verifying and the
    reason when cancelling (required then)."""
    needed = TRANSITIONS.get((measure.status, to))
    if needed is None:
        raise ServiceError(_("A measure that is “%(status)s” cannot become “%(to)s”.") % {
            "status": measure.get_status_display(), "to": Status(to).label if to in Status.values
            else to,
        })
    authz.require(access.can_measure(actor, needed, measure))
    values: dict[str, Any] = {"status": to}
    if to == Status.CANCELLED:
        if not note.strip():
            raise ServiceError(_("Give a reason for cancelling the measure."))
        values["cancel_reason"] = note.strip()
    elif to == Status.DONE:
        values["done_date"] = done_date or today()
    elif to == Status.VERIFIED:
        values["effect_note"] = note.strip()
    if to in (Status.OPEN, Status.IN_PROGRESS):
        values.update(done_date=None, cancel_reason="")
    with transaction.atomic():
        before = audit.snapshot(measure, Measure.AUDITED_FIELDS)
        fresh = _save_if_current(measure, version, values)
        audit.record(actor=actor, action=f"status:{to}", obj=fresh, org_unit=fresh.org_unit,
                     before=before, after=audit.snapshot(fresh, Measure.AUDITED_FIELDS))
    return fresh


def set_plan_owner(*, actor: Any, org_unit: OrgUnit, owner: Any) -> OrgUnit:
    authz.require(org_access.scope(actor, Action.MANAGE).contains(org_unit))
    with transaction.atomic():
        before = audit.snapshot(org_unit, ["plan_owner"])
        org_unit.plan_owner = owner
        org_unit.save(update_fields=["plan_owner"])
        audit.record(actor=actor, action="set_plan_owner", obj=org_unit, org_unit=org_unit,
                     before=before, after=audit.snapshot(org_unit, ["plan_owner"]))
        if owner is not None and owner != actor:
            with translation.override(owner.language):
                message = _("You follow up the HSE action plan of %(unit)s.") % {
                    "unit": org_unit.name}
            notify(owner, message, reverse("measures:plan", args=[org_unit.pk]))
    return org_unit
