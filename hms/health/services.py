"""Every write to the occupational health service's records goes through here: the unit's
contact, and the log of when the service was involved.

Other apps record an involvement with `record_involvement`: a meeting the service took part in is
logged with the meeting as `record` (`log_meeting`, when the meetings app says its minutes are
completed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hms.core import audit, authz
from hms.core.concurrency import save_if_current
from hms.core.errors import ServiceError, StaleEdit
from hms.health import access
from hms.health.models import HealthServiceContact, Involvement, Kind

DESCRIPTION_MAX = 2_000



# --- The unit's contact ----------------------------------------------------------------------------


def _contact_values(data: dict[str, Any]) -> dict[str, str]:
    """The contact's fields from `data`, trimmed and checked as the model checks them."""
    values = {name: str(data.get(name) or "").strip() for name in HealthServiceContact.EDITABLE_FIELDS}
    try:
        HealthServiceContact(**values).full_clean(exclude=["org_unit"], validate_unique=False)
    except ValidationError as error:
        raise ServiceError("; ".join(
            f"{getattr(HealthServiceContact._meta.get_field(name), 'verbose_name', name)}: "
            f"{' '.join(messages)}"
            for name, messages in error.message_dict.items())) from None
    if not (values["phone"] or values["email"] or values["web"]):
        raise ServiceError(_("Give at least one way to reach the service: a phone number, an "
                             "e-mail address or a web address."))
    return values


def _stale_contact_message() -> str:
    return _("Someone else changed the unit's occupational health service contact while you were "
             "working on it. Nothing was saved: look at what they saved and try again.")


def _stale_contact(current: HealthServiceContact) -> StaleEdit:
    return StaleEdit(_stale_contact_message(), current=current)


def _own_contact(org_unit: Any) -> HealthServiceContact | None:
    return HealthServiceContact.objects.filter(org_unit=org_unit).first()


def set_contact(*, actor: Any, org_unit: Any, data: dict[str, Any],
                version: int | None) -> HealthServiceContact:
    """Register or change the unit's own contact. `version` is the version the form was loaded
    with, None when the unit had no contact of its own then."""
    authz.require(access.may_edit_health_contact(actor, org_unit))
    values = _contact_values(data)
    current = _own_contact(org_unit)
    if current is None:
        return _create_contact(actor, org_unit, values)
    if version is None:
        raise _stale_contact(current)
    before = audit.snapshot(current, HealthServiceContact.AUDITED_FIELDS)
    with transaction.atomic():
        fresh = save_if_current(HealthServiceContact.objects.all(), current.pk, version,
                                {**values, "updated_by": actor, "updated_at": timezone.now()},
                                _stale_contact_message())
        audit.record(actor=actor, action="update", obj=fresh, org_unit=org_unit, before=before,
                     after=audit.snapshot(fresh, HealthServiceContact.AUDITED_FIELDS))
    return fresh


def _create_contact(actor: Any, org_unit: Any, values: dict[str, str]) -> HealthServiceContact:
    try:
        with transaction.atomic():
            contact = HealthServiceContact.objects.create(org_unit=org_unit, updated_by=actor,
                                                          **values)
            audit.record(actor=actor, action="create", obj=contact, org_unit=org_unit,
                         after=audit.snapshot(contact, HealthServiceContact.AUDITED_FIELDS))
    except IntegrityError:  # registered at the same moment by someone else
        raise _stale_contact(HealthServiceContact.objects.get(org_unit=org_unit)) from None
    return contact


def remove_contact(*, actor: Any, org_unit: Any, version: int) -> None:
    """Drop the unit's own contact: the unit shows the one above it again."""
    authz.require(access.may_edit_health_contact(actor, org_unit))
    current = _own_contact(org_unit)
    if current is None:
        raise ServiceError(_("The unit has no occupational health service contact of its own."))
    with transaction.atomic():
        if not HealthServiceContact.objects.filter(pk=current.pk, version=version).delete()[0]:
            raise _stale_contact(current)
        audit.record(actor=actor, action="delete", obj=current, org_unit=org_unit,
                     before=audit.snapshot(current, HealthServiceContact.AUDITED_FIELDS))


# --- The involvement log ---------------------------------------------------------------------------


def _involvement_values(org_unit: Any, kind: str, day: Any, description: str,
                        record: models.Model | None) -> dict[str, Any]:
    if kind not in Kind.values:
        raise ServiceError(_("Choose what the occupational health service was involved in."))
    if not isinstance(day, dt.date):
        raise ServiceError(_("Give the date the service was involved."))
    if day > timezone.localdate():
        raise ServiceError(_("The log records what has happened: the date cannot be in the future."))
    text = (description or "").strip()
    if not text:
        raise ServiceError(_("Describe what the service helped with."))
    if len(text) > DESCRIPTION_MAX:
        raise ServiceError(_("The description is too long (at most %(max)s characters).")
                           % {"max": DESCRIPTION_MAX})
    return {"kind": kind, "date": day, "description": text, **_record_link(org_unit, record)}


def _record_link(org_unit: Any, record: models.Model | None) -> dict[str, Any]:
    """The generic link to the record the entry concerns: one of the unit or a unit below it."""
    if record is None:
        return {"record_type": None, "record_id": None}
    unit = getattr(record, "org_unit", None)
    if record.pk is None or unit is None or not unit.path.startswith(org_unit.path):
        raise ServiceError(_("The record the entry concerns must belong to the unit."))
    return {"record_type": ContentType.objects.get_for_model(record), "record_id": record.pk}


def record_involvement(*, actor: Any, org_unit: Any, kind: str, day: dt.date, description: str,
                       record: models.Model | None = None) -> Involvement:
    """Log that the occupational health service took part in the unit's HSE work.

    `kind` is a `hms.health.models.Kind` value, `day` the date it happened (today or earlier),
    `description` what the service helped with (no names or health information). `record`, if
    given, is the record the entry concerns (a risk assessment, a round, a meeting …): any saved
    model with an `org_unit` in the unit or below it. The actor must write the unit's log (its
    CREATE scope). Each call adds an entry; a caller that may call twice for the same record
    checks `Involvement.objects.for_record(record)` first."""
    authz.require(access.may_log_involvement(actor, org_unit))
    values = _involvement_values(org_unit, kind, day, description, record)
    with transaction.atomic():
        entry = Involvement.objects.create(org_unit=org_unit, recorded_by=actor, **values)
        audit.record(actor=actor, action="create", obj=entry, org_unit=org_unit,
                     after=audit.snapshot(entry, Involvement.AUDITED_FIELDS))
    return entry


def log_meeting(sender: Any, *, actor: Any, meeting: Any, **kwargs: Any) -> None:
    """A meeting the occupational health service attended goes into the unit's log of its
    involvement, when the person completing the minutes writes that log."""
    if not meeting.attendees.filter(is_health_service=True, present=True).exists():
        return
    if access.may_log_involvement(actor, meeting.org_unit):
        record_involvement(
            actor=actor, org_unit=meeting.org_unit, kind=Kind.MEETING,
            day=timezone.localtime(meeting.starts_at).date(),
            description=f"{meeting.get_kind_display()}: {meeting.title}", record=meeting)


def update_involvement(*, actor: Any, entry: Involvement, kind: str, day: dt.date,
                       description: str, record: models.Model | None, version: int) -> Involvement:
    authz.require(access.can_edit_involvement(actor, entry))
    values = _involvement_values(entry.org_unit, kind, day, description, record)
    with transaction.atomic():
        before = audit.snapshot(entry, Involvement.AUDITED_FIELDS)
        fresh = save_if_current(
            Involvement.objects.select_related("org_unit", "recorded_by"), entry.pk, version,
            {**values, "updated_at": timezone.now()},
            _("Someone else changed this entry while you were working on it. Nothing was saved: "
              "look at what they saved and try again."))
        audit.record(actor=actor, action="update", obj=fresh, org_unit=fresh.org_unit,
                     before=before, after=audit.snapshot(fresh, Involvement.AUDITED_FIELDS))
    return fresh
