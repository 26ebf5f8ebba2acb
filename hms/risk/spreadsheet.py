"""An assessment as an Excel workbook laid out like a unit's usual template (a header block, then one
line per row), and the reading of such a workbook back. Export then import gives the same assessment.

A row with several measures takes one line per measure: the lines after the first repeat the row's
number and fill only the measure columns.

People are written by name, as the pages show them, and read back by name, username or e-mail
address among the people the import looks in (`staff_of` the unit); a name that more than one of
them has is written with the username in brackets ("Kari Nordmann (kari)"), so export then import
finds the same people."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, Value
from django.db.models.functions import Concat, Trim
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hms.core import xlsx
from hms.core.tabular import (
    ImportReport,
    labels_in_every_language,
    match_headers,
    parse_bool,
    parse_choice,
    parse_date,
    read_table,
    rows_below,
)
from hms.measures.forms import staff_of
from hms.org.models import OrgUnit
from hms.risk.models import (
    AssessmentKind,
    Exposure,
    HazardType,
    RiskAssessment,
    RiskMatrix,
    RiskRow,
    Trigger,
)

HEADER_LABELS = {
    "title": gettext_lazy("Title"),
    "unit": gettext_lazy("Unit"),
    "kind": gettext_lazy("Kind"),
    "trigger": gettext_lazy("Trigger"),
    "scope": gettext_lazy("Scope"),
    "responsible_leader": gettext_lazy("Responsible leader"),
    "participants": gettext_lazy("Participants"),
    "assessed_on": gettext_lazy("Date"),
    "status": gettext_lazy("Status"),
    "approved": gettext_lazy("Approved by"),
    "matrix": gettext_lazy("Risk matrix"),
}
TEXT_COLUMNS = {
    "no": gettext_lazy("No."),
    "hazard_type": gettext_lazy("Hazard type"),
    "activity": gettext_lazy("Activity"),
    "unwanted_event": gettext_lazy("Unwanted event"),
    "cause": gettext_lazy("Cause"),
    "existing_measures": gettext_lazy("Existing measures"),
    "probability": gettext_lazy("Probability"),
}
MEASURE_COLUMNS = {
    "risk": gettext_lazy("Risk value"),
    "colour": gettext_lazy("Colour"),
    "measure": gettext_lazy("New measure"),
    "responsible": gettext_lazy("Responsible"),
    "deadline": gettext_lazy("Deadline"),
    "residual_probability": gettext_lazy("Probability after measures"),
}
TAIL_COLUMNS = {
    "accept_reason": gettext_lazy("Reason for accepting the risk"),
    "exposure": gettext_lazy("Exposure"),
    "needs_detailed": gettext_lazy("Needs a detailed assessment"),
}
MEASURE_KEYS = ("measure", "responsible", "deadline")


def _area_label(area: dict[str, Any], residual: bool) -> str:
    name = RiskMatrix.text(area["label"])
    return (_("Consequence after measures: %(area)s") if residual
            else _("Consequence: %(area)s")) % {"area": name}


def columns(matrix: RiskMatrix) -> list[tuple[str, str]]:
    """(key, header in the active language) for every column, in the order of the export."""
    areas = matrix.areas()
    return [
        *((key, str(label)) for key, label in TEXT_COLUMNS.items()),
        *((f"c_{a['code']}", _area_label(a, False)) for a in areas),
        *((key, str(label)) for key, label in MEASURE_COLUMNS.items()),
        *((f"rc_{a['code']}", _area_label(a, True)) for a in areas),
        *((key, str(label)) for key, label in TAIL_COLUMNS.items()),
    ]


def _aliases(matrix: RiskMatrix) -> dict[str, tuple[str, ...]]:
    """Every column's header in every language: a file in either is read the same."""
    names: dict[str, set[str]] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for key, header in columns(matrix):
                names.setdefault(key, set()).add(header.lower())
    return {key: tuple(sorted(found)) for key, found in names.items()}


# --- Export --------------------------------------------------------------------------------------


def _full_name(first: str, last: str) -> str:
    """A name as `User.get_full_name` gives it, compared without regard to case."""
    return f"{first} {last}".strip().lower()


class _Names:
    """How the export writes a person: by name, with the username in brackets where another of
    the people the import looks among has the same name; by username when there is no name."""

    def __init__(self, unit: OrgUnit) -> None:
        self.taken = Counter(_full_name(first, last) for first, last
                             in staff_of(unit).values_list("first_name", "last_name"))

    def __call__(self, person: Any) -> str:
        if person is None:
            return ""
        name = person.get_full_name()
        if not name:
            return str(person.username)
        return name if self.taken[name.lower()] <= 1 else f"{name} ({person.username})"


def _header_block(assessment: RiskAssessment, names: _Names) -> list[tuple[Any, ...]]:
    approved = (names(assessment.approved_by), timezone.localtime(assessment.approved_at)
                ) if assessment.approved_by and assessment.approved_at else ("",)
    return [
        (str(HEADER_LABELS["title"]), assessment.title),
        (str(HEADER_LABELS["unit"]), assessment.org_unit.code, assessment.org_unit.name),
        (str(HEADER_LABELS["kind"]), assessment.get_kind_display()),
        (str(HEADER_LABELS["trigger"]), assessment.get_trigger_display()),
        (str(HEADER_LABELS["scope"]), assessment.scope),
        (str(HEADER_LABELS["responsible_leader"]), names(assessment.responsible_leader)),
        (str(HEADER_LABELS["participants"]),
         ", ".join(sorted(names(p) for p in assessment.participants.all()))),
        (str(HEADER_LABELS["assessed_on"]), assessment.assessed_on),
        (str(HEADER_LABELS["status"]), assessment.get_status_display()),
        (str(HEADER_LABELS["approved"]), *approved),
        (str(HEADER_LABELS["matrix"]), str(assessment.matrix)),
    ]


def _row_cells(row: RiskRow, matrix: RiskMatrix) -> dict[str, Any]:
    cells: dict[str, Any] = {
        "no": row.position, "hazard_type": row.get_hazard_type_display(), "activity": row.activity,
        "unwanted_event": row.unwanted_event, "cause": row.cause,
        "existing_measures": row.existing_measures, "probability": row.probability,
        "risk": " ".join(row.scores(matrix)),
        "colour": RiskMatrix.text(matrix.colour_info(row.colour)["label"]) if row.colour else "",
        "residual_probability": row.residual_probability, "accept_reason": row.accept_reason,
        "exposure": row.get_exposure_display(),
        "needs_detailed": _("Yes") if row.needs_detailed else "",
    }
    for area in matrix.areas():
        code = area["code"]
        for prefix, levels in (("c_", row.consequences), ("rc_", row.residual_consequences)):
            cells[prefix + code] = matrix.letter(levels[code]) if levels.get(code) else ""
    return cells


def _measure_cells(measure: Any, names: _Names) -> dict[str, Any]:
    return {"measure": measure.title, "responsible": names(measure.responsible),
            "deadline": measure.deadline}


def assessment_xlsx(assessment: RiskAssessment, rows: list[RiskRow],
                    measures: dict[int, list[Any]]) -> bytes:
    matrix = assessment.matrix
    names = _Names(assessment.org_unit)
    block = _header_block(assessment, names)
    header = columns(matrix)
    header_line = len(block) + 3  # the title, the block, an empty line, then the header
    book = xlsx.workbook()
    sheet = xlsx.add_sheet(book, _("Risk assessment"), widths=[18] * len(header),
                           freeze=f"C{header_line + 1}")
    xlsx.write_row(sheet, [_("Risk assessment")], xlsx.Style.TITLE)
    for label_and_values in block:
        xlsx.write_row(sheet, label_and_values, xlsx.Style.LABEL)
    xlsx.write_row(sheet, [])
    xlsx.write_header(sheet, [label for _key, label in header], xlsx.Style.WRAPPED_HEADER)
    for row in rows:
        lines = [_row_cells(row, matrix)]
        row_measures = measures.get(row.pk, [])
        if row_measures:
            lines[0].update(_measure_cells(row_measures[0], names))
            lines += [{"no": row.position, **_measure_cells(m, names)} for m in row_measures[1:]]
        for line in lines:
            xlsx.write_row(sheet, [line.get(key) for key, _label in header])
    return xlsx.as_bytes(book)


# --- Import --------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]
    measures: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Parsed:
    kind: str
    header: dict[str, Any]
    participants: list[Any]
    rows: list[ParsedRow]


_BRACKETED = re.compile(r".*\(\s*([^()]+?)\s*\)\s*")  # "Kari Nordmann (kari)"
_NAME = Trim(Concat("first_name", Value(" "), "last_name"))  # as `User.get_full_name` makes it


class _Reader:
    """Reads one workbook against a unit and a matrix, noting every problem in the report."""

    def __init__(self, unit: OrgUnit, matrix: RiskMatrix, report: ImportReport) -> None:
        self.unit, self.matrix, self.report = unit, matrix, report
        self.people = staff_of(unit)

    def person(self, line: int, column: str, text: str) -> Any:
        """The person a cell names: by username or e-mail address, by "Name (username)", or by a
        name only one of the people has."""
        bracketed = _BRACKETED.fullmatch(text)
        key = bracketed.group(1) if bracketed else text
        found = self.people.filter(Q(username__iexact=key) | Q(email__iexact=key)).first()
        if found is not None:
            return found
        named = list(self.people.alias(name=_NAME).filter(name__iexact=" ".join(text.split()))[:2])
        if len(named) == 1:
            return named[0]
        self.report.add(line, column, (_(
            "More than one person in the unit is called “%(who)s”: add the username in brackets, "
            "like “%(who)s (username)”.") if named else _(
            "“%(who)s” is not a person in the unit (give a name, username or e-mail address).")
        ) % {"who": text})
        return None

    def level(self, line: int, column: str, text: str, top: int) -> int | None:
        value = text.strip().upper()
        if not value:
            return None
        letters = [str(level.get("letter", "")).upper() for level in self.matrix.definition["consequence"]]
        if column.startswith(("c_", "rc_")) and value in letters:
            return letters.index(value) + 1
        if value.isdigit() and 1 <= int(value) <= top:
            return int(value)
        self.report.add(line, column, _("“%(value)s” is not a level of the risk matrix.") % {
            "value": text})
        return None

    def choice(self, line: int, column: str, text: str, choices: Any, default: str = "") -> str:
        if not text.strip():
            return default
        code = parse_choice(text, choices)
        if code is None:
            self.report.add(line, column, _("“%(value)s” is not one of the choices.") % {
                "value": text})
        return code or default

    def date(self, line: int, column: str, text: str) -> dt.date | None:
        try:
            return parse_date(text)
        except ValueError:
            self.report.add(line, column, _("“%(value)s” is not a date (write 2026-03-01 or "
                                            "01.03.2026).") % {"value": text})
            return None


def _header_values(reader: _Reader, lines: list[tuple[int, list[str]]]) -> tuple[str, dict[str, Any],
                                                                                   list[Any]]:
    keys = {key: labels_in_every_language(label) | {key} for key, label in HEADER_LABELS.items()}
    found: dict[str, tuple[int, str]] = {}
    for number, cells in lines:
        label = cells[0].strip().rstrip(":").lower()
        key = next((k for k, names in keys.items() if label in names), None)
        if key and len(cells) > 1:
            found[key] = (number, cells[1].strip())
    line, title = found.get("title", (1, ""))
    if not title:
        reader.report.add(line, str(HEADER_LABELS["title"]), _("The assessment needs a title."))
    kind_line, kind_text = found.get("kind", (1, ""))
    kind = reader.choice(kind_line, str(HEADER_LABELS["kind"]), kind_text, AssessmentKind,
                         AssessmentKind.DETAILED)
    header: dict[str, Any] = {"title": title[:200], "scope": found.get("scope", (0, ""))[1]}
    trigger_line, trigger = found.get("trigger", (0, ""))
    header["trigger"] = reader.choice(trigger_line, str(HEADER_LABELS["trigger"]), trigger, Trigger)
    date_line, date_text = found.get("assessed_on", (0, ""))
    header["assessed_on"] = reader.date(date_line, str(HEADER_LABELS["assessed_on"]), date_text)
    leader_line, leader = found.get("responsible_leader", (0, ""))
    header["responsible_leader"] = (reader.person(leader_line, str(HEADER_LABELS["responsible_leader"]),
                                                  leader) if leader else None)
    people_line, people = found.get("participants", (0, ""))
    participants = [reader.person(people_line, str(HEADER_LABELS["participants"]), name.strip())
                    for name in people.replace(";", ",").split(",") if name.strip()]
    return kind, header, [p for p in participants if p is not None]


def _max_length(name: str) -> int:
    return int(getattr(RiskRow._meta.get_field(name), "max_length", 0) or 0)


def _row_values(reader: _Reader, line: int, cells: dict[str, str]) -> dict[str, Any]:
    matrix = reader.matrix
    top_p, top_c = len(matrix.definition["probability"]), len(matrix.definition["consequence"])
    values: dict[str, Any] = {
        "hazard_type": reader.choice(line, "hazard_type", cells.get("hazard_type", ""), HazardType,
                                     HazardType.OTHER),
        "exposure": reader.choice(line, "exposure", cells.get("exposure", ""), Exposure),
        "probability": reader.level(line, "probability", cells.get("probability", ""), top_p),
        "residual_probability": reader.level(line, "residual_probability",
                                             cells.get("residual_probability", ""), top_p),
    }
    for name in ("activity", "unwanted_event", "cause", "existing_measures", "accept_reason"):
        values[name] = cells.get(name, "")
        if len(values[name]) > _max_length(name):
            reader.report.add(line, name, _("The text is longer than %(n)d characters.") % {
                "n": _max_length(name)})
    try:
        values["needs_detailed"] = parse_bool(cells.get("needs_detailed", ""))
    except ValueError:
        reader.report.add(line, "needs_detailed", _("Write yes or no."))
    for prefix, target in (("c_", "consequences"), ("rc_", "residual_consequences")):
        levels = {area["code"]: reader.level(line, prefix + area["code"],
                                             cells.get(prefix + area["code"], ""), top_c)
                  for area in matrix.areas()}
        values[target] = {code: level for code, level in levels.items() if level}
    return values


def _measure(reader: _Reader, line: int, cells: dict[str, str]) -> dict[str, Any] | None:
    title = cells.get("measure", "").strip()
    if not title:
        if cells.get("responsible", "").strip() or cells.get("deadline", "").strip():
            reader.report.add(line, "measure", _("A responsible person or deadline needs the "
                                                 "measure it belongs to."))
        return None
    responsible = cells.get("responsible", "").strip()
    return {"title": title[:200],
            "responsible": reader.person(line, "responsible", responsible) if responsible else None,
            "deadline": reader.date(line, "deadline", cells.get("deadline", ""))}


def _is_header_line(positions: dict[str, int]) -> bool:
    return {"unwanted_event", "probability"} <= positions.keys()


def parse(upload: Any, unit: OrgUnit, matrix: RiskMatrix, report: ImportReport) -> Parsed | None:
    """The assessment in a workbook, or None with the problems in `report`. Raises ServiceError
    when the file cannot be read or has no line of column headers."""
    from hms.core.errors import ServiceError

    lines = read_table(upload, suffixes=(".xlsx",))
    aliases = _aliases(matrix)
    at = next((i for i, (_n, cells) in enumerate(lines)
               if _is_header_line(match_headers(cells, aliases))), None)
    if at is None:
        raise ServiceError(_("No line of column headers was found: the rows need at least the "
                             "columns “%(event)s” and “%(probability)s”.") % {
            "event": TEXT_COLUMNS["unwanted_event"], "probability": TEXT_COLUMNS["probability"]})
    reader = _Reader(unit, matrix, report)
    kind, header, participants = _header_values(reader, lines[:at])
    rows: list[ParsedRow] = []
    for line, cells in rows_below(lines[at][1], lines[at + 1:], aliases, ()):
        _read_line(reader, rows, line, cells)
    return Parsed(kind, header, participants, rows) if report.ok else None


def _read_line(reader: _Reader, rows: list[ParsedRow], line: int, cells: dict[str, str]) -> None:
    number = cells.get("no", "").strip()
    continues = bool(rows) and number and number == str(rows[-1].values.get("_no"))
    only_measure = not any(value.strip() for key, value in cells.items()
                           if key not in (*MEASURE_KEYS, "no"))
    if not (continues and only_measure):
        values = _row_values(reader, line, cells)
        rows.append(ParsedRow(line, {**values, "_no": number}))
    measure = _measure(reader, line, cells)
    if measure is not None:
        rows[-1].measures.append(measure)


def row_data(parsed: ParsedRow) -> dict[str, Any]:
    return {k: v for k, v in parsed.values.items() if not k.startswith("_")}
