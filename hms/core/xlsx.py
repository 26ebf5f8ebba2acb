"""What every spreadsheet export shares: a write-only workbook whose rows go to disk as they are
written (time and memory grow with the rows, never faster), cells where what people typed stays
text, and a download streamed from a temporary file instead of built whole in memory."""

from __future__ import annotations

import enum
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse

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


def write_row(sheet: Any, values: Iterable[Any], style: Style | None = None) -> None:
    """Append one row. Text is stored as text, never as a formula a spreadsheet would run."""
    sheet.append([_cell(sheet, value, style if style is not Style.LABEL or index == 0 else None)
                  for index, value in enumerate(values)])


# Control characters a workbook cannot hold (a vertical tab pasted from a word processor): openpyxl
# refuses the whole export for one of them, so each is written as a space.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(sheet: Any, value: Any, style: Style | None) -> Any:
    if value == "" and style is None:
        return None  # an empty cell, not an empty string: no XML written for it
    if isinstance(value, str):
        value = _NOT_IN_XML.sub(" ", value)
    text = _would_not_stay_text(value)
    if style is None and not text:
        return value  # the sheet writes plain values through one reused cell: the fast path
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    cell = WriteOnlyCell(sheet, value)
    if text:
        cell.data_type = "s"
    if style is not None:
        cell.font = Font(bold=True, size=14 if style is Style.TITLE else None)
    if style is Style.WRAPPED_HEADER:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _would_not_stay_text(value: Any) -> bool:
    """Whether openpyxl would store the string as something else: a formula or an error code."""
    if not isinstance(value, str) or value[:1] not in ("=", "#"):
        return False
    from openpyxl.cell.cell import ERROR_CODES

    return value.startswith("=") or value in ERROR_CODES


def as_bytes(book: Any) -> bytes:
    """The workbook in memory, for the small ones (a page of statistics, one assessment)."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(book: Any, filename: str) -> FileResponse:
    """The workbook as an attachment, streamed from a temporary file that goes away when the
    response is closed: a university-sized export is never whole in memory."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    book.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
