"""Every write to training records goes through here: entering one for a person of a unit,
correcting it (versioned), deleting a wrong one (audited), and importing a spreadsheet, which is
validated whole before anything is written and writes nothing that is already as the file says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hms.accounts.models import User
from hms.competence import access
from hms.competence.models import Course, Source, TrainingRecord
from hms.core import audit, authz
from hms.core.concurrency import locked_or_gone, save_if_current
from hms.core.errors import ServiceError
from hms.core.tabular import ImportReport, parse_date, read_rows
from hms.org.models import OrgUnit, RoleAssignment

FIELDS = TrainingRecord.AUDITED_FIELDS
IMPORT_COLUMNS = {
    "person": ("username", "email", "e-mail", "e-post", "epost", "brukernavn", "bruker", "person"),
    "course": ("kurs", "course code", "kurskode", "opplæring", "training"),
    "completed": ("completed_on", "fullført", "gjennomført", "dato", "date"),
    "expires": ("expires_on", "utløper", "gyldig til", "valid to"),
}



def _date_problem(completed_on: dt.date, expires_on: dt.date | None) -> tuple[str, str] | None:
    """(column, message) when the dates cannot be right."""
    if completed_on > timezone.localdate():
        return "completed", _("The completion date is in the future.")
    if expires_on is not None and expires_on < completed_on:
        return "expires", _("The expiry date is before the completion date.")
    return None


def _dates(course: Course, completed_on: dt.date, expires_on: dt.date | None) -> dt.date | None:
    """The expiry, from the course's validity unless given; refuses impossible dates."""
    expires = expires_on or course.expiry_from(completed_on)
    problem = _date_problem(completed_on, expires)
    if problem:
        raise ServiceError(problem[1])
    return expires


def _check_unique(person: Any, course: Course, completed_on: dt.date, pk: int | None = None) -> None:
    same = TrainingRecord.objects.filter(person=person, course=course, completed_on=completed_on)
    if pk is not None:
        same = same.exclude(pk=pk)
    if same.exists():
        raise ServiceError(_("%(person)s already has this course completed on that day.")
                           % {"person": person.get_full_name() or person.username})


def record_training(*, actor: Any, org_unit: OrgUnit, data: dict[str, Any]) -> TrainingRecord:
    """Enter a training for a person holding an active role in the unit."""
    person, course = data["person"], data["course"]
    authz.require(access.may_record_training(actor, org_unit))
    if not RoleAssignment.objects.active().filter(person=person, org_unit=org_unit).exists():
        raise ServiceError(_("Choose a person of the unit."))
    expires = _dates(course, data["completed_on"], data.get("expires_on"))
    _check_unique(person, course, data["completed_on"])
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            person=person, course=course, completed_on=data["completed_on"], expires_on=expires,
            note=data.get("note", "").strip(), org_unit=org_unit, recorded_by=actor)
        audit.record(actor=actor, action="create", obj=record, org_unit=org_unit,
                     after=audit.snapshot(record, FIELDS))
    return record


def update_training(*, actor: Any, record: TrainingRecord, data: dict[str, Any],
                    version: int) -> TrainingRecord:
    """Correct a record (course, dates, note); a clash with another edit raises StaleEdit."""
    authz.require(access.training_editable_people(actor, [record.person_id]) == {record.person_id})
    course = data["course"]
    expires = _dates(course, data["completed_on"], _expiry_given(record, data))
    _check_unique(record.person, course, data["completed_on"], record.pk)
    with transaction.atomic():
        before = audit.snapshot(record, FIELDS)
        fresh = save_if_current(
            TrainingRecord.objects.select_related("person", "course", "org_unit"), record.pk,
            version, {"course": course, "completed_on": data["completed_on"],
                      "expires_on": expires, "note": data.get("note", "").strip(),
                      "updated_at": timezone.now()},
            _("Someone else changed this training record while you were working on it. Nothing "
              "was saved: look at the record as it is now and try again."))
        audit.record(actor=actor, action="update", obj=fresh, org_unit=fresh.org_unit,
                     before=before, after=audit.snapshot(fresh, FIELDS))
    return fresh


def _expiry_given(record: TrainingRecord, data: dict[str, Any]) -> Any:
    """The expiry the form gives, unless it is the one the record's course and date made and the
    course or date changed: then the new ones make it again."""
    given = data.get("expires_on")
    derived = record.course.expiry_from(record.completed_on)
    changed = (data["course"], data["completed_on"]) != (record.course, record.completed_on)
    return None if changed and given == derived else given


def delete_training(*, actor: Any, record: TrainingRecord) -> None:
    """Delete a wrong record; the audit trail keeps what it said last (a correction saved since
    the record was loaded too). Deleted meanwhile by someone else: RecordGone."""
    authz.require(access.training_editable_people(actor, [record.person_id]) == {record.person_id})
    with transaction.atomic():
        current = locked_or_gone(
            TrainingRecord.objects.select_related("person", "course", "org_unit"), record.pk)
        audit.record(actor=actor, action="delete", obj=current, org_unit=current.org_unit,
                     before=audit.snapshot(current, FIELDS))
        current.delete()


# --- Import --------------------------------------------------------------------------------------


@dataclass
class TrainingRow:
    number: int
    person: User
    course: Course
    completed_on: dt.date
    expires_on: dt.date | None


class _Lookup:
    """The people and courses a file names, read in a fixed number of queries."""

    def __init__(self, actor: Any, raw: list[tuple[int, dict[str, str]]]) -> None:
        given = {row.get("person", "").strip() for _number, row in raw} - {""}
        names = given | {name.lower() for name in given}
        people = list(User.objects.filter(Q(username__in=names) | Q(email__in=names)))
        self.people: dict[str, User] = {}
        for person in people:
            self.people.setdefault(person.username.lower(), person)
            if person.email:
                self.people.setdefault(person.email.lower(), person)
        self.editable = access.training_editable_people(actor, [p.pk for p in people])
        self.courses: dict[str, Course] = {}
        for course in Course.objects.all():
            for key in (course.code, course.name_nb, course.name_en):
                self.courses.setdefault(key.strip().lower(), course)


def _date_cell(number: int, row: dict[str, str], column: str, report: ImportReport) -> Any:
    try:
        return parse_date(row.get(column, ""))
    except ValueError:
        report.add(number, column, _("“%(value)s” is not a date (use 2026-03-01 or 01.03.2026).")
                   % {"value": row.get(column, "")})
        return False


def _parse_row(number: int, row: dict[str, str], lookup: _Lookup,
               report: ImportReport) -> TrainingRow | None:
    errors = len(report.errors)
    name = row.get("person", "").strip()
    person = lookup.people.get(name.lower())
    if person is None:
        report.add(number, "person", _("No person has the username or e-mail “%(value)s”.")
                   % {"value": name})
    elif person.pk not in lookup.editable:
        report.add(number, "person", _("%(value)s has no role in a unit where you may record "
                                       "training.") % {"value": name})
    course = lookup.courses.get(row.get("course", "").strip().lower())
    if course is None:
        report.add(number, "course", _("No course has the code or name “%(value)s”.")
                   % {"value": row.get("course", "")})
    completed, expires = (_date_cell(number, row, column, report)
                          for column in ("completed", "expires"))
    if completed is None:
        report.add(number, "completed", _("The completion date is required."))
    if completed and course:
        expires = expires or course.expiry_from(completed)
        problem = _date_problem(completed, expires)
        if problem:
            report.add(number, *problem)
    if len(report.errors) > errors:
        return None
    return TrainingRow(number, person, course, completed, expires)  # type: ignore[arg-type]


def _check_duplicates(rows: list[TrainingRow], report: ImportReport) -> None:
    first: dict[tuple[int, int, dt.date], int] = {}
    for row in rows:
        key = (row.person.pk, row.course.pk, row.completed_on)
        if key in first:
            report.add(row.number, "person", _("The same training is on row %(row)d.")
                       % {"row": first[key]})
        first.setdefault(key, row.number)


def _apply_row(actor: Any, unit: OrgUnit, row: TrainingRow, report: ImportReport) -> None:
    record = TrainingRecord.objects.filter(person=row.person, course=row.course,
                                           completed_on=row.completed_on).first()
    if record is None:
        record = TrainingRecord.objects.create(
            person=row.person, course=row.course, completed_on=row.completed_on,
            expires_on=row.expires_on, source=Source.IMPORTED, org_unit=unit, recorded_by=actor)
        audit.record(actor=actor, action="import:create", obj=record, org_unit=unit,
                     after=audit.snapshot(record, FIELDS))
        report.created += 1
    elif record.expires_on != row.expires_on:
        before = audit.snapshot(record, FIELDS)
        record.expires_on = row.expires_on
        record.version += 1
        record.save(update_fields=["expires_on", "version", "updated_at"])
        audit.record(actor=actor, action="import:update", obj=record, org_unit=record.org_unit,
                     before=before, after=audit.snapshot(record, FIELDS))
        report.updated += 1
    else:
        report.unchanged += 1


def import_trainings(*, actor: Any, org_unit: OrgUnit, upload: Any) -> ImportReport:
    """Columns person (username or e-mail), course (code or name), completed, expires (optional).
    Imported from a unit the actor edits, for people in the actor's EDIT scope; the records are
    noted as recorded for that unit. Raises ServiceError for an unreadable file."""
    authz.require(access.may_record_training(actor, org_unit))
    report = ImportReport()
    raw = read_rows(upload, IMPORT_COLUMNS, ("person", "course", "completed"))
    lookup = _Lookup(actor, raw)
    parsed = [_parse_row(number, row, lookup, report) for number, row in raw]
    rows = [row for row in parsed if row is not None]
    _check_duplicates(rows, report)
    if not report.ok:
        return report
    with transaction.atomic():
        for row in rows:
            _apply_row(actor, org_unit, row, report)
    return report
