"""What every spreadsheet export shares: a write-only workbook whose rows go to disk as they are
written (time and memory grow with the rows, never faster), cells where what people typed stays
text, dates as date cells shown dd.mm.yyyy (times in local time), an autofilter over each table,
and a download streamed from a temporary file instead of built whole in memory."""

from __future__ import annotations

import copy
import datetime as dt
import enum
import io
import re
import tempfile
import weakref
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse
from django.utils import timezone

from hms.core.documents import XLSX


class Style(enum.Enum):
    TITLE = "title"  # large and bold
    HEADER = "header"  # bold
    WRAPPED_HEADER = "wrapped header"  # bold, wrapped, at the top of the cell
    LABEL = "label"  # the first cell bold: a label and its value


def workbook() -> Any:
    from openpyxl import Workbook

    return Workbook(write_only=True)


def add_sheet(book: Any, title: str, *, widths: Sequence[float] = (), freeze: str = "") -> Any:
    """A sheet with its column widths (from column A on) and frozen panes, which a write-only
    sheet takes only before its first row."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title[:31])
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if freeze:
        sheet.freeze_panes = freeze
    return sheet


DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"

# Rows written so far, per sheet: a write-only sheet does not count them, and a table's autofilter
# reaches down to the last one.
_rows_written: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


def write_row(sheet: Any, values: Iterable[Any], style: Style | None = None) -> None:
    """Append one row. Text is stored as text, never as a formula a spreadsheet would run."""
    sheet.append([_cell(sheet, value, style if style is not Style.LABEL or index == 0 else None)
                  for index, value in enumerate(values)])
    _rows_written[sheet] = _rows_written.get(sheet, 0) + 1


def write_header(sheet: Any, labels: Sequence[str], style: Style = Style.HEADER) -> None:
    """Append the header row of the sheet's table (one a sheet): its autofilter covers the header
    and every row written below it, set when the workbook is saved (`_close_tables`)."""
    from openpyxl.utils import get_column_letter

    write_row(sheet, labels, style)
    row = _rows_written[sheet]
    sheet.auto_filter.ref = f"A{row}:{get_column_letter(max(1, len(labels)))}{row}"


# Control characters a workbook cannot hold (a vertical tab pasted from a word processor): openpyxl
# refuses the whole export for one of them, so each is written as a space.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(sheet: Any, value: Any, style: Style | None) -> Any:
    if value == "" and style is None:
        return None  # an empty cell, not an empty string: no XML written for it
    if isinstance(value, str):
        value = _NOT_IN_XML.sub(" ", value)
    text = _would_not_stay_text(value)
    number_format = _date_format(value)
    if style is None and not text and not number_format:
        return value  # the sheet writes plain values through one reused cell: the fast path
    if style is None and number_format:
        return _date_cell(sheet, value, number_format)
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    cell = WriteOnlyCell(sheet)
    if number_format:  # before the value, which would otherwise take openpyxl's own date format
        cell.number_format = number_format
        value = _naive_local(value)
    cell.value = value
    if text:
        cell.data_type = "s"
    if style is not None:
        cell.font = Font(bold=True, size=14 if style is Style.TITLE else None)
    if style is Style.WRAPPED_HEADER:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


# Per sheet, the style of its date cells and of its datetime cells: made once and copied to each
# such cell (setting `number_format` on every cell costs the plan export a sixth of its time).
_date_styles: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def _date_cell(sheet: Any, value: dt.date, number_format: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    styles = _date_styles.setdefault(sheet, {})
    if number_format not in styles:
        model = WriteOnlyCell(sheet)
        model.number_format = number_format
        styles[number_format] = model._style
    cell = WriteOnlyCell(sheet, _naive_local(value))
    cell._style = copy.copy(styles[number_format])
    return cell


def _date_format(value: Any) -> str:
    """The number format of a date or datetime cell; "" for any other value."""
    if not isinstance(value, dt.date):  # most cells: one check
        return ""
    return DATETIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT


def _naive_local(value: dt.date) -> dt.date:
    """A workbook holds no time zones: an instant is written as the local time it shows."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _would_not_stay_text(value: Any) -> bool:
    """Whether openpyxl would store the string as something else: a formula or an error code."""
    if not isinstance(value, str) or value[:1] not in ("=", "#"):
        return False
    from openpyxl.cell.cell import ERROR_CODES

    return value.startswith("=") or value in ERROR_CODES


def _close_tables(book: Any) -> None:
    """Stretch each table's autofilter from its header row down to the sheet's last row. A
    write-only sheet writes the filter after its rows, when the workbook is saved, so it may still
    be set once every row is written."""
    from openpyxl.utils import get_column_letter, range_boundaries

    for sheet in book.worksheets:
        if sheet.auto_filter.ref:
            first, header, last, _row = range_boundaries(sheet.auto_filter.ref)
            sheet.auto_filter.ref = (f"{get_column_letter(first)}{header}:{get_column_letter(last)}"
                                     f"{max(header, _rows_written.get(sheet, header))}")


def as_bytes(book: Any) -> bytes:
    """The workbook in memory, for the small ones (a page of statistics, one assessment)."""
    buffer = io.BytesIO()
    _close_tables(book)
    book.save(buffer)
    return buffer.getvalue()


def download(book: Any, filename: str) -> FileResponse:
    """The workbook as an attachment, streamed from a temporary file that goes away when the
    response is closed: a university-sized export is never whole in memory."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    _close_tables(book)
    book.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
