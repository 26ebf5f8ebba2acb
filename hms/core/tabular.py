"""Reading uploaded CSV and XLSX files into rows of text, with headers matched by alias."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from django.template.defaultfilters import filesizeformat
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


# An .xlsx is a zip of XML parts, only ever deflated or stored. Workbooks have a few dozen parts.
XLSX_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
MAX_XLSX_PARTS = 1000
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROW_TAG = f"{SHEET_NS}}}row"
# Room for a dozen text cells a row, with their shared strings and formats (Excel writes about
# eight tags a text cell); at the default 20,000 rows, openpyxl's trees stay within ~150 MB.
XML_TAGS_PER_ROW = 80
CHUNK_BYTES = 64 * 1024


def _unreadable_xlsx() -> ServiceError:
    return ServiceError(_("The file could not be read as an Excel workbook (.xlsx)."))


def _too_many_rows() -> ServiceError:
    return ServiceError(_("The file has more than %(limit)d rows. Split it into smaller files.")
                        % {"limit": settings.HMS_MAX_IMPORT_ROWS})


def _too_many_columns() -> ServiceError:
    return ServiceError(_("The file has more than %(limit)d columns. Remove the columns the "
                          "import does not use.") % {"limit": settings.HMS_MAX_IMPORT_COLUMNS})


def _too_many_tags() -> ServiceError:
    return ServiceError(_("The workbook holds more than an import reads (%(limit)d XML tags). "
                          "Split it into smaller files.")
                        % {"limit": settings.HMS_MAX_IMPORT_ROWS * XML_TAGS_PER_ROW})


def _measured_archive(data: bytes) -> zipfile.ZipFile:
    """The workbook's zip archive, once its table of contents shows that it unpacks to at most
    HMS_MAX_IMPORT_UNPACKED_BYTES in a few parts. Python's zipfile never inflates a part beyond
    the size the table declares (a part that would is refused by its checksum), so the sum of
    the declared sizes bounds what reading the workbook can unpack."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _unreadable_xlsx() from exc
    parts = archive.infolist()
    if len(parts) > MAX_XLSX_PARTS or any(p.compress_type not in XLSX_COMPRESSION for p in parts):
        raise _unreadable_xlsx()
    unpacked = sum(part.file_size for part in parts)
    if unpacked > settings.HMS_MAX_IMPORT_UNPACKED_BYTES:
        raise ServiceError(_("The workbook unpacks to %(size)s, more than the %(limit)s an "
                             "import may unpack. Split it into smaller files.") % {
            "size": filesizeformat(unpacked),
            "limit": filesizeformat(settings.HMS_MAX_IMPORT_UNPACKED_BYTES)})
    return archive


class _SheetCounter:
    """Counts a workbook's XML tags, its sheets' rows and each row's cells while the parts stream
    past, keeping nothing, and refuses at the first past the caps: the tags bound what openpyxl
    builds in memory (it reads the styles whole, and sizes each sheet by parsing it), the rows
    and cells what it builds a row at a time."""

    def __init__(self) -> None:
        self.tags = 0
        self._new_part()

    def _new_part(self) -> None:
        self.rows = self.cells = self.depth = 0
        self.row_depth = -1

    def feed(self, source: IO[bytes]) -> None:
        self._new_part()
        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        try:
            while chunk := source.read(CHUNK_BYTES):
                self.tags += chunk.count(b"<")  # before expat sees them: its work stays bounded
                if self.tags > settings.HMS_MAX_IMPORT_ROWS * XML_TAGS_PER_ROW:
                    raise _too_many_tags()
                parser.Parse(chunk, False)
        except expat.ExpatError:
            pass  # not XML, or broken: openpyxl refuses it if it is a part it reads

    def start(self, tag: str, _attributes: dict[str, str]) -> None:
        self.depth += 1
        if tag == ROW_TAG:
            self.rows += 1
            self.cells = 0
            self.row_depth = self.depth
            if self.rows > settings.HMS_MAX_IMPORT_ROWS:
                raise _too_many_rows()
        elif self.depth == self.row_depth + 1:  # openpyxl reads each element in a row as a cell
            self.cells += 1
            if self.cells > settings.HMS_MAX_IMPORT_COLUMNS:
                raise _too_many_columns()

    def end(self, _tag: str) -> None:
        if self.depth == self.row_depth:
            self.row_depth = -1
        self.depth -= 1


def _measure_parts(archive: zipfile.ZipFile) -> None:
    """Refuses a workbook with too much XML, or a sheet of too many rows or columns, before
    openpyxl reads it. Every part is counted, since the workbook, not a part's name, says which
    parts are sheets."""
    counter = _SheetCounter()
    try:
        for part in archive.infolist():
            with archive.open(part) as source:
                counter.feed(source)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # a part that lies
        raise _unreadable_xlsx() from exc


def _check_declared_size(sheet: Any) -> None:
    """The size the sheet declares (its used range), when it declares one."""
    if (sheet.max_row or 0) > settings.HMS_MAX_IMPORT_ROWS:
        raise _too_many_rows()
    if (sheet.max_column or 0) > settings.HMS_MAX_IMPORT_COLUMNS:
        raise _too_many_columns()


def _within_limits(rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The rows, refusing the file at the first row past HMS_MAX_IMPORT_ROWS or wider than
    HMS_MAX_IMPORT_COLUMNS, so that no more than the caps is ever read."""
    for count, row in enumerate(rows, start=1):
        if count > settings.HMS_MAX_IMPORT_ROWS:
            raise _too_many_rows()
        if len(row) > settings.HMS_MAX_IMPORT_COLUMNS:
            raise _too_many_columns()
        yield row


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _measure_parts(_measured_archive(data))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise _unreadable_xlsx() from exc
    try:
        sheet = workbook.worksheets[0]
        _check_declared_size(sheet)
        sheet.reset_dimensions()  # read the cells that are there, not a declared range
        return [[_cell_text(cell) for cell in row]
                for row in _within_limits(sheet.iter_rows(values_only=True))]
    except ServiceError:
        raise
    except Exception as exc:  # a part that lies about its size fails its checksum here
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()


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
    return [[cell.strip() for cell in row]
            for row in _within_limits(csv.reader(io.StringIO(text), dialect))]


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
