"""The audit history as people read it, in their language: each event's action as a sentence and
each changed value by its field's kind (choices by label, records by name, dates in the language's
format, yes/no, amounts as numbers).

Generic over every model: fields come from the event's content type, records from the field's
related model. A page of events costs one query per kind of record it names, never one per event."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hms.core.models import AuditEvent

ACTIONS: dict[str, Promise] = {
    "create": gettext_lazy("Created"),
    "update": gettext_lazy("Changed"),
    "delete": gettext_lazy("Deleted"),
    "report": gettext_lazy("Reported"),
    "assess": gettext_lazy("Assessed"),
    "transfer": gettext_lazy("Transferred to another unit"),
    "cancel": gettext_lazy("Cancelled"),
    "complete": gettext_lazy("Minutes completed"),
    "summary": gettext_lazy("Summary written"),
    "copy": gettext_lazy("Copied"),
    "add_measure": gettext_lazy("Measure added"),
    "add_item": gettext_lazy("Agenda item added"),
    "minutes": gettext_lazy("Minutes written"),
    "attendance": gettext_lazy("Attendance recorded"),
    "decide": gettext_lazy("Decision recorded"),
    "add_finding": gettext_lazy("Finding added"),
    "add_photo": gettext_lazy("Photo added"),
    "score_finding": gettext_lazy("Finding assessed"),
    "new_version": gettext_lazy("New version made"),
    "start_revision": gettext_lazy("Revision started"),
    "add_row": gettext_lazy("Row added"),
    "update_row": gettext_lazy("Row changed"),
    "delete_row": gettext_lazy("Row deleted"),
    "load": gettext_lazy("Version loaded"),
    "make_current": gettext_lazy("Put in use"),
    "set_plan_owner": gettext_lazy("Plan owner set"),
    "set_language": gettext_lazy("Language changed"),
    "link_risk_rows": gettext_lazy("Linked to risk assessment rows"),
    "attach": gettext_lazy("File attached"),
    "needs_new_assessment": gettext_lazy("New risk assessment asked for"),
    "create_public_link": gettext_lazy("Public report form made"),
    "renew_public_link": gettext_lazy("Public report form renewed"),
    "renew_calendar_feed": gettext_lazy("Calendar feed renewed"),
    "read:injury_details": gettext_lazy("Injury details read"),
    "update:injury_details": gettext_lazy("Injury details changed"),
    "retention:injury_details": gettext_lazy("Injury details deleted after the retention period"),
    "import:create": gettext_lazy("Created by import"),
    "import:update": gettext_lazy("Changed by import"),
    "admin:create": gettext_lazy("Created in the administration"),
    "admin:change": gettext_lazy("Changed in the administration"),
    "admin:delete": gettext_lazy("Deleted in the administration"),
    "sign:leader": gettext_lazy("Signed as leader"),
    "sign:safety_rep": gettext_lazy("Signed as safety representative"),
    "notice:authorities": gettext_lazy("Labour Inspection Authority notified"),
    "notice:police": gettext_lazy("Police notified"),
    "notice:injury_report": gettext_lazy("Injury report filed"),
    "confirm": gettext_lazy("Word on a point given by hand"),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    event: AuditEvent
    action: str
    changes: list[Change]
    date_only: bool  # the time is left out: an anonymous report's would point at the reporter


def entries(events: Iterable[AuditEvent], date_only_action: str = "") -> list[Entry]:
    """The events as the history shows them; `date_only_action` names an action shown by its date
    alone."""
    events = list(events)
    names = _names(events)
    return [Entry(event, action_label(event), _changes(event, names),
                  bool(date_only_action) and event.action == date_only_action)
            for event in events]


def action_label(event: AuditEvent) -> str:
    """A sentence for the action: "Status changed to In progress", "Signed as leader"; an action
    nobody named here in a readable form of its name."""
    if event.action in ACTIONS:
        return str(ACTIONS[event.action])
    prefix, _sep, value = event.action.partition(":")
    if prefix == "status" and value:
        status = _choice(event.field("status"), value)
        return _("Status changed to %(status)s") % {"status": status}
    return capfirst(event.action.replace("_", " ").replace(":", ": "))


def _changes(event: AuditEvent, names: dict[tuple[Any, Any], str]) -> list[Change]:
    """The changed values as shown; a value that only went from none to empty is left out."""
    shown = [Change(capfirst(event.label(key).replace("_", " ")),
                    _shown(event.field(key), before, names), _shown(event.field(key), after, names))
             for key, before, after in event.changed()]
    return [change for change in shown if change.before != change.after]


def _references(event: AuditEvent) -> Iterable[tuple[Any, Any]]:
    """(related model, id) of every record a foreign key in the event's values names by id."""
    for key, before, after in event.changed():
        field = event.field(key)
        if isinstance(field, models.ForeignKey):
            yield from ((field.related_model, v) for v in (before, after) if isinstance(v, int))


def _names(events: list[AuditEvent]) -> dict[tuple[Any, Any], str]:
    """(related model, id) → the record's name, with one query per related model."""
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for event in events:
        for model, pk in _references(event):
            wanted[model].add(pk)
    return {(model, obj.pk): _name(obj) for model, pks in wanted.items()
            for obj in model._base_manager.filter(pk__in=pks)}


def _name(obj: models.Model) -> str:
    full_name = getattr(obj, "get_full_name", None)
    return (full_name() if callable(full_name) else "") or str(obj)


def _shown(field: Any, value: Any, names: dict[tuple[Any, Any], str]) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(field, models.ForeignKey) and isinstance(value, int):
        return names.get((field.related_model, value), _("(deleted)"))
    if getattr(field, "choices", None):
        return _choice(field, value)
    return _typed(field, value)


def _choice(field: Any, value: Any) -> str:
    labels = dict(getattr(field, "flatchoices", None) or [])
    return str(labels.get(value, value))


def _typed(field: Any, value: Any) -> str:
    """Dates, times and amounts in the active language's format; anything else as text."""
    try:
        if isinstance(field, models.DateTimeField):
            moment = timezone.localtime(dt.datetime.fromisoformat(str(value)))
            return date_format(moment, "SHORT_DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return date_format(dt.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        if isinstance(field, models.DecimalField):
            return str(floatformat(Decimal(str(value)), "0g"))
    except (ValueError, InvalidOperation):
        pass  # a value older code stored some other way: shown as it was stored
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value) or "–"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items()) or "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)
