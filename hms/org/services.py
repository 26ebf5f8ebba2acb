"""Writes to the organisation: the unit tree, people and their roles. Imports validate the whole
file before they write anything, and write nothing that is already as the file says."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from hms.accounts.models import User
from hms.core import audit
from hms.core.roles import SAFETY_AREA_ROLES, Role
from hms.core.tabular import ImportReport, parse_bool, parse_choice, parse_date, read_rows
from hms.org import access
from hms.org.models import AssignmentSource, OrgUnit, RoleAssignment, SafetyArea, UnitKind

UNIT_FIELDS = ["code", "name", "kind"]
CODE_RE = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")

UNIT_COLUMNS = {
    "code": ("kode", "enhetskode"),
    "name": ("navn", "enhetsnavn"),
    "kind": ("type", "nivå", "level"),
    "parent": ("parent_code", "overordnet", "overordnet enhet", "forelder"),
}
PEOPLE_COLUMNS = {
    "username": ("brukernavn", "user"),
    "email": ("e-post", "epost", "e-mail"),
    "first_name": ("fornavn", "first name"),
    "last_name": ("etternavn", "last name"),
    "unit": ("enhet", "unit_code", "enhetskode"),
    "role": ("rolle",),
    "covers_subtree": ("subtree", "underenheter", "omfatter underenheter"),
    "valid_from": ("gyldig fra", "gyldig_fra", "from"),
    "valid_to": ("gyldig til", "gyldig_til", "to"),
    "safety_area": ("verneområde", "safety area", "area"),
}


def _require_admin(actor: Any) -> None:
    if not access.is_org_admin(actor):
        raise PermissionDenied


# --- Units ---------------------------------------------------------------------------------------


@dataclass
class UnitRow:
    number: int
    code: str
    name: str
    kind: str
    parent: str


def _validate_unit_rows(rows: list[tuple[int, dict[str, str]]], report: ImportReport) -> list[UnitRow]:
    valid: list[UnitRow] = []
    seen: set[str] = set()
    for number, row in rows:
        code, name = row.get("code", "").strip(), row.get("name", "").strip()
        kind = parse_choice(row.get("kind", "") or UnitKind.DEPARTMENT, UnitKind)
        if not CODE_RE.match(code):
            report.add(number, "code", _("A code of 1–40 letters, digits, - or _ is required."))
        elif code in seen:
            report.add(number, "code", _("The code %(code)s appears twice.") % {"code": code})
        seen.add(code)
        if not name or len(name) > 200:
            report.add(number, "name", _("A name of at most 200 characters is required."))
        if kind is None:
            report.add(number, "kind", _("Unknown kind “%(value)s”.") % {"value": row.get("kind")})
        valid.append(UnitRow(number, code, name, kind or "", row.get("parent", "").strip()))
    return valid


def _check_parents(rows: list[UnitRow], report: ImportReport) -> None:
    in_file = {row.code: row.parent for row in rows}
    existing = set(OrgUnit.objects.filter(code__in=[r.parent for r in rows if r.parent])
                   .values_list("code", flat=True))
    for row in rows:
        if row.parent and row.parent not in in_file and row.parent not in existing:
            report.add(row.number, "parent", _("No unit has the code %(code)s.") % {"code": row.parent})
        seen, current = {row.code}, row.parent
        while current in in_file and current:
            if current in seen:
                report.add(row.number, "parent", _("The parent chain loops back to this unit."))
                break
            seen.add(current)
            current = in_file[current]


def _ordered_parents_first(rows: list[UnitRow]) -> list[UnitRow]:
    by_code = {row.code: row for row in rows}
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        if code not in depth:
            parent = by_code[code].parent
            depth[code] = 1 + depth_of(parent) if parent in by_code else 0
        return depth[code]

    return sorted(rows, key=lambda row: depth_of(row.code))


def _apply_unit_row(actor: Any, row: UnitRow, report: ImportReport) -> None:
    unit = OrgUnit.objects.filter(code=row.code).first()
    parent = OrgUnit.objects.get(code=row.parent) if row.parent else None
    if unit is None:
        fields = {"code": row.code, "name": row.name, "kind": row.kind}
        unit = (OrgUnit.objects.add_child(parent, fields) if parent
                else OrgUnit.objects.add_root(fields))
        audit.record(actor=actor, action="import:create", obj=unit, org_unit=unit,
                     after=audit.snapshot(unit, UNIT_FIELDS))
        report.created += 1
        return
    current_parent = OrgUnit.objects.get_parent(unit)
    moved = (current_parent.code if current_parent else "") != row.parent
    if unit.name == row.name and unit.kind == row.kind and not moved:
        report.unchanged += 1
        return
    before = {**audit.snapshot(unit, UNIT_FIELDS), "parent": str(current_parent or "")}
    if moved:
        if parent:
            OrgUnit.objects.move(unit, parent, "sorted-child")
        else:
            OrgUnit.objects.move(unit, OrgUnit.objects.get_first_root_node(), "sorted-sibling")
        unit.refresh_from_db()
    unit.name, unit.kind = row.name, row.kind
    unit.save(update_fields=["name", "kind"])
    audit.record(actor=actor, action="import:update", obj=unit, org_unit=unit, before=before,
                 after={**audit.snapshot(unit, UNIT_FIELDS), "parent": str(parent or "")})
    report.updated += 1


def import_units(*, actor: Any, upload: Any) -> ImportReport:
    _require_admin(actor)
    report = ImportReport()
    rows = _validate_unit_rows(read_rows(upload, UNIT_COLUMNS, ("code", "name")), report)
    _check_parents(rows, report)
    if not report.ok:
        return report
    with transaction.atomic():
        for row in _ordered_parents_first(rows):
            _apply_unit_row(actor, row, report)
    return report


# --- People and roles ----------------------------------------------------------------------------


@dataclass
class PersonRow:
    number: int
    username: str
    email: str
    first_name: str
    last_name: str
    unit: OrgUnit | None
    role: str
    covers_subtree: bool
    valid_from: Any
    valid_to: Any
    safety_area: SafetyArea | None


def _parse_person_row(number: int, row: dict[str, str], units: dict[str, OrgUnit],
                      areas: dict[str, SafetyArea], report: ImportReport) -> PersonRow:
    username = row.get("username", "").strip()
    email = row.get("email", "").strip()
    if not re.match(r"^[\w.@+-]{1,150}$", username):
        report.add(number, "username", _("A username of letters, digits and . @ + - _ is required."))
    try:
        validate_email(email)
    except ValidationError:
        report.add(number, "email", _("“%(value)s” is not an e-mail address.") % {"value": email})
    unit = units.get(row.get("unit", "").strip())
    if unit is None:
        report.add(number, "unit", _("No unit has the code “%(code)s”.") % {"code": row.get("unit", "")})
    role = parse_choice(row.get("role", ""), Role)
    if role is None:
        report.add(number, "role", _("Unknown role “%(value)s”.") % {"value": row.get("role", "")})
    area = areas.get(row.get("safety_area", "").strip())
    if role in SAFETY_AREA_ROLES and area is None:
        report.add(number, "safety_area", _("A safety representative needs an existing safety area."))
    dates = {}
    for column in ("valid_from", "valid_to"):
        try:
            dates[column] = parse_date(row.get(column, ""))
        except ValueError:
            report.add(number, column, _("“%(value)s” is not a date (use 2026-03-01 or 01.03.2026).")
                       % {"value": row.get(column, "")})
            dates[column] = None
    if dates["valid_from"] and dates["valid_to"] and dates["valid_from"] > dates["valid_to"]:
        report.add(number, "valid_to", _("The end date is before the start date."))
    try:
        subtree = parse_bool(row.get("covers_subtree", ""))
    except ValueError:
        report.add(number, "covers_subtree", _("Write yes or no."))
        subtree = False
    return PersonRow(number, username, email, row.get("first_name", "").strip()[:150],
                     row.get("last_name", "").strip()[:150], unit, role or "", subtree,
                     dates["valid_from"], dates["valid_to"],
                     area if role in SAFETY_AREA_ROLES else None)


def _check_people_consistent(rows: list[PersonRow], report: ImportReport) -> None:
    first: dict[str, PersonRow] = {}
    for row in rows:
        earlier = first.setdefault(row.username, row)
        if (earlier.email, earlier.first_name, earlier.last_name) != (row.email, row.first_name,
                                                                       row.last_name):
            report.add(row.number, "username", _("%(user)s has other details on row %(row)d.") % {
                "user": row.username, "row": earlier.number})
        taken = User.objects.filter(email__iexact=row.email).exclude(username=row.username).exists()
        if row.email and taken:
            report.add(row.number, "email", _("Another user has the e-mail address %(email)s.")
                       % {"email": row.email})


def _apply_person(actor: Any, row: PersonRow, report: ImportReport) -> User:
    person = User.objects.filter(username=row.username).first()
    details = {"email": row.email, "first_name": row.first_name, "last_name": row.last_name}
    if person is None:
        person = User(username=row.username, **details)
        person.set_unusable_password()
        person.save()
        audit.record(actor=actor, action="import:create", obj=person, after=details)
        report.created += 1
    elif any(getattr(person, key) != value for key, value in details.items()):
        before = audit.snapshot(person, list(details))
        User.objects.filter(pk=person.pk).update(**details)
        audit.record(actor=actor, action="import:update", obj=person, before=before, after=details)
        report.updated += 1
    return person


ASSIGNMENT_FIELDS = ["covers_subtree", "valid_from", "valid_to"]


def _apply_assignment(actor: Any, person: User, row: PersonRow, report: ImportReport) -> None:
    assert row.unit is not None
    unit = row.safety_area.org_unit if row.safety_area else row.unit
    values = {"covers_subtree": row.covers_subtree, "valid_from": row.valid_from,
              "valid_to": row.valid_to}
    assignment = RoleAssignment.objects.filter(person=person, org_unit=unit, role=row.role,
                                               safety_area=row.safety_area).first()
    if assignment is None:
        assignment = RoleAssignment.objects.create(person=person, org_unit=unit, role=row.role,
                                                   safety_area=row.safety_area,
                                                   source=AssignmentSource.IMPORT, **values)
        audit.record(actor=actor, action="import:create", obj=assignment, org_unit=unit,
                     after=audit.snapshot(assignment, ASSIGNMENT_FIELDS))
        report.created += 1
    elif any(getattr(assignment, key) != value for key, value in values.items()):
        before = audit.snapshot(assignment, ASSIGNMENT_FIELDS)
        for key, value in values.items():
            setattr(assignment, key, value)
        assignment.save(update_fields=list(values))
        audit.record(actor=actor, action="import:update", obj=assignment, org_unit=unit,
                     before=before, after=audit.snapshot(assignment, ASSIGNMENT_FIELDS))
        report.updated += 1
    else:
        report.unchanged += 1


def import_people(*, actor: Any, upload: Any) -> ImportReport:
    _require_admin(actor)
    report = ImportReport()
    raw = read_rows(upload, PEOPLE_COLUMNS, ("username", "email", "unit", "role"))
    units = OrgUnit.objects.in_bulk([r.get("unit", "").strip() for _, r in raw], field_name="code")
    areas = SafetyArea.objects.select_related("org_unit").in_bulk(
        [r.get("safety_area", "").strip() for _, r in raw], field_name="code")
    rows = [_parse_person_row(number, row, units, areas, report) for number, row in raw]
    _check_people_consistent(rows, report)
    if not report.ok:
        return report
    with transaction.atomic():
        for row in rows:
            person = _apply_person(actor, row, report)
            _apply_assignment(actor, person, row, report)
    return report
