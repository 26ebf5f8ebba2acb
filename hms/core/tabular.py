"""Reading uploaded CSV and XLSX files into rows of text, with headers matched by alias."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from hms.core.errors import ServiceError


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message: Any) -> None:
        self.errors.append(RowError(row, column, str(message)))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ServiceError(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def read_table(upload: Any, suffixes: tuple[str, ...] = (".xlsx", ".csv", ".txt")
               ) -> list[tuple[int, list[str]]]:
    """The non-empty lines of an uploaded file as (line number in the file, cells as text).
    Raises ServiceError when the file is too large, of another type, or cannot be read."""
    if upload.size > settings.HMS_MAX_IMPORT_BYTES:
        raise ServiceError(_("The file is too large (at most %(mb)d MB).") % {
            "mb": settings.HMS_MAX_IMPORT_BYTES // (1024 * 1024)})
    name = (upload.name or "").lower()
    if not name.endswith(suffixes):
        raise ServiceError(_("Upload a .csv or .xlsx file.") if ".csv" in suffixes
                           else _("Upload an Excel file (.xlsx)."))
    data = upload.read()
    table = _read_xlsx(data) if name.endswith(".xlsx") else _read_csv(data)
    return [(number, row) for number, row in enumerate(table, start=1) if any(row)]


def read_rows(
    upload: Any, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    """The data rows of an uploaded file as (row number in the file, {column: text}).
    `columns` maps each column's key to the other headers it is known by (any language, any case).
    Raises ServiceError when the file cannot be read or lacks a required column."""
    numbered = read_table(upload)
    if len(numbered) < 2:
        raise ServiceError(_("The file has no rows below its header."))
    return rows_below(numbered[0][1], numbered[1:], columns, required)


def rows_below(header_line: list[str], lines: list[tuple[int, list[str]]],
               columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
               ) -> list[tuple[int, dict[str, str]]]:
    """The lines under a header line as {column key: text}, columns found by `columns`' aliases."""
    positions = match_headers(header_line, columns)
    missing = [key for key in required if key not in positions]
    if missing:
        raise ServiceError(_("The file lacks the column(s): %(columns)s. The first row must name "
                             "the columns.") % {"columns": ", ".join(missing)})
    return [
        (number, {key: (row[pos] if pos < len(row) else "") for key, pos in positions.items()})
        for number, row in lines
    ]


def match_headers(header_line: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Where each column is in a header line, matched by key or alias (any case)."""
    header = [cell.strip().lower() for cell in header_line]
    positions: dict[str, int] = {}
    for key, aliases in columns.items():
        found = [header.index(alias.lower()) for alias in (key, *aliases) if alias.lower() in header]
        if found:
            positions[key] = found[0]
    return positions


def parse_date(text: str) -> dt.date | None:
    """ISO (2026-03-01) or Norwegian (01.03.2026) dates; None for empty; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"", "0", "no", "nei", "false", "n"}:
        return False
    if value in {"1", "yes", "ja", "true", "y", "j", "x"}:
        return True
    raise ValueError(text)


def labels_in_every_language(label: Any) -> set[str]:
    """A translatable label as it reads in each of the product's languages, in lower case."""
    names = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(str(label).strip().lower())
    return names


def parse_choice(text: str, choices: Any) -> str | None:
    """A choice given by its code or by its label in any of the product's languages."""
    value = text.strip().lower()
    for code, label in choices.choices:
        if value == str(code).lower() or value in labels_in_every_language(label):
            return str(code)
    return None


def oversized_import(request: Any) -> str | None:
    """Why an upload is refused before Django reads it to a temporary file, or None when its size
    (with room for the form around the file) is within HMS_MAX_IMPORT_BYTES."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > settings.HMS_MAX_IMPORT_BYTES + 64 * 1024:
        return _("The file is too large (at most %(mb)d MB).") % {
            "mb": settings.HMS_MAX_IMPORT_BYTES // (1024 * 1024)}
    return None
