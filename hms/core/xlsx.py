"""What every spreadsheet export shares: a workbook whose rows are written as XML to a temporary
file as they come (time and memory grow with the rows, never faster: 100,000 measures in about a
second and a half of writing), text always stored as text (never a formula a spreadsheet would
run), dates as date cells shown dd.mm.yyyy (times in local time), an autofilter over each table, a
bar chart where a sheet asks for one, and a download streamed from a temporary file instead of
built whole in memory.

The format is Office Open XML (ECMA-376) as Excel, LibreOffice and openpyxl read it: one sheet a
part, strings inline in their cells, six fixed cell styles. The tests read every export back with
openpyxl."""

from __future__ import annotations

import datetime as dt
import enum
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from django.http import FileResponse
from django.utils import timezone

from hms.core.documents import XLSX


class Style(enum.Enum):
    TITLE = "title"  # large and bold
    HEADER = "header"  # bold
    WRAPPED_HEADER = "wrapped header"  # bold, wrapped, at the top of the cell
    LABEL = "label"  # the first cell bold: a label and its value


DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
# The cell styles of styles.xml, by their index there.
_STYLE_INDEX = {None: 0, Style.TITLE: 1, Style.HEADER: 2, Style.WRAPPED_HEADER: 3}
_DATE, _DATETIME = 4, 5
_EPOCH = dt.datetime(1899, 12, 30)
# Control characters a workbook cannot hold (a vertical tab pasted from a word processor): each is
# written as a space.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def column_letter(index: int) -> str:
    """The letters of a column, counted from 1 (1 → A, 27 → AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = [column_letter(index) for index in range(1, 16385)]


@dataclass
class Chart:
    """A bar chart of one column of a sheet's table against its first column."""

    title: str
    values_column: int
    first_row: int
    last_row: int
    anchor: str


@dataclass
class Sheet:
    title: str
    widths: Sequence[float]
    freeze: str
    # closed when the workbook is saved
    rows: IO[str] = field(default_factory=lambda: tempfile.TemporaryFile("w+", encoding="utf-8"))  # noqa: SIM115
    written: int = 0  # rows so far
    width: int = 0  # the widest row so far
    table: tuple[int, int] | None = None  # the header row of its table and its width
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Workbook:
    sheets: list[Sheet] = field(default_factory=list)


def workbook() -> Workbook:
    return Workbook()


def add_sheet(book: Workbook, title: str, *, widths: Sequence[float] = (), freeze: str = "") -> Sheet:
    """A sheet with its column widths (from column A on) and frozen panes (the cell below and
    right of what stays in view, "A5")."""
    name = _NOT_IN_SHEET_NAME.sub(" ", title)[:31].strip("' ") or "Sheet"
    taken = {sheet.title.lower() for sheet in book.sheets}
    unique, number = name, 1
    while unique.lower() in taken:
        number += 1
        unique = f"{name[:31 - len(str(number)) - 1]} {number}"
    sheet = Sheet(unique, tuple(widths), freeze)
    book.sheets.append(sheet)
    return sheet


def write_row(sheet: Sheet, values: Iterable[Any], style: Style | None = None) -> None:
    """Append one row. Text is stored as text, never as a formula a spreadsheet would run."""
    sheet.written += 1
    row = sheet.written
    cells = []
    count = 0
    for count, value in enumerate(values, start=1):
        cell_style = style if style is not Style.LABEL or count == 1 else None
        cells.append(_cell(f"{_LETTERS[count - 1]}{row}", value, cell_style))
    sheet.width = max(sheet.width, count)
    sheet.rows.write(f'<row r="{row}">{"".join(cells)}</row>')


def write_header(sheet: Sheet, labels: Sequence[str], style: Style = Style.HEADER) -> None:
    """Append the header row of the sheet's table (one a sheet): its autofilter covers the header
    and every row written below it."""
    write_row(sheet, labels, style)
    sheet.table = (sheet.written, max(1, len(labels)))


def add_bar_chart(sheet: Sheet, title: str, *, values_column: int, first_row: int, last_row: int,
                  anchor: str) -> None:
    """A bar chart of `values_column` (its header in `first_row`, its values below it down to
    `last_row`) against the categories of column A, placed with its top left at `anchor`."""
    sheet.charts.append(Chart(title, values_column, first_row, last_row, anchor))


def _cell(ref: str, value: Any, style: Style | None) -> str:
    index = _STYLE_INDEX[Style.HEADER if style is Style.LABEL else style]  # a label's cell is bold
    styled = f' s="{index}"' if index else ""
    if value is None or value == "":
        return f'<c r="{ref}"{styled}/>' if index else ""
    if isinstance(value, str):
        text = escape(_NOT_IN_XML.sub(" ", value))
        return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        return f'<c r="{ref}" s="{_DATETIME}"><v>{_serial(_local(value))}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"{styled}><v>{value}</v></c>'
    return _cell(ref, str(value), style)


def _local(value: dt.datetime) -> dt.datetime:
    """A workbook holds no time zones: an instant is written as the local time it shows."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _serial(value: dt.datetime) -> str:
    days = (value - _EPOCH) / dt.timedelta(days=1)
    return f"{days:.10f}".rstrip("0").rstrip(".")


# --- The package -----------------------------------------------------------------------------------


def _save(book: Workbook, target: IO[bytes]) -> None:
    sheets = book.sheets or [add_sheet(book, "Sheet")]
    charted = [sheet for sheet in sheets if sheet.charts]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", _content_types(
            len(sheets), [n for n, sheet in enumerate(sheets, start=1) if sheet.charts],
            sum(len(sheet.charts) for sheet in charted)))
        package.writestr("_rels/.rels", _rels([("officeDocument", "xl/workbook.xml")]))
        package.writestr("xl/workbook.xml", _workbook_xml(sheets))
        package.writestr("xl/_rels/workbook.xml.rels", _rels(
            [*(("worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(sheets) + 1)),
             ("styles", "styles.xml")]))
        package.writestr("xl/styles.xml", _STYLES)
        chart_number = 0
        for number, sheet in enumerate(sheets, start=1):
            drawing = f"drawing{number}.xml" if sheet.charts else ""
            with package.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                _write_sheet(sheet, part, bool(drawing))
            if drawing:
                package.writestr(f"xl/worksheets/_rels/sheet{number}.xml.rels",
                                 _rels([("drawing", f"../drawings/{drawing}")]))
                first = chart_number + 1
                chart_number += len(sheet.charts)
                package.writestr(f"xl/drawings/{drawing}", _drawing_xml(sheet.charts))
                package.writestr(f"xl/drawings/_rels/{drawing}.rels", _rels(
                    [("chart", f"../charts/chart{n}.xml") for n in range(first, chart_number + 1)]))
                for n, chart in enumerate(sheet.charts, start=first):
                    package.writestr(f"xl/charts/chart{n}.xml", _chart_xml(sheet, chart))


def _write_sheet(sheet: Sheet, part: IO[bytes], has_drawing: bool) -> None:
    used = f"A1:{_LETTERS[max(sheet.width, 1) - 1]}{max(sheet.written, 1)}"
    part.write(f'{_XML}<worksheet {_NS} {_R_NS}><dimension ref="{used}"/>{_views(sheet.freeze)}'
               f"{_cols(sheet.widths)}<sheetData>".encode())
    sheet.rows.seek(0)
    while chunk := sheet.rows.read(1 << 20):
        part.write(chunk.encode())
    sheet.rows.close()
    tail = "</sheetData>"
    if sheet.table:
        tail += f'<autoFilter ref="{_table_ref(sheet)}"/>'
    if has_drawing:
        tail += '<drawing r:id="rId1"/>'
    part.write(f"{tail}</worksheet>".encode())


def _table_ref(sheet: Sheet) -> str:
    assert sheet.table is not None
    header, width = sheet.table
    return f"A{header}:{_LETTERS[width - 1]}{max(header, sheet.written)}"


def _views(freeze: str) -> str:
    if not freeze or freeze == "A1":
        return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", freeze).groups()  # type: ignore[union-attr]
    column = _LETTERS.index(letters)
    row = int(digits) - 1
    split = (f' xSplit="{column}"' if column else "") + (f' ySplit="{row}"' if row else "")
    pane = "bottomRight" if column and row else ("bottomLeft" if row else "topRight")
    return (f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{freeze}" '
            f'activePane="{pane}" state="frozen"/><selection pane="{pane}"/></sheetView></sheetViews>')


def _cols(widths: Sequence[float]) -> str:
    if not widths:
        return ""
    return "<cols>" + "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                              for n, width in enumerate(widths, start=1)) + "</cols>"


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _workbook_xml(sheets: list[Sheet]) -> str:
    entries = "".join(f'<sheet name={quoteattr(sheet.title)} sheetId="{n}" r:id="rId{n}"/>'
                      for n, sheet in enumerate(sheets, start=1))
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(_quoted(sheet.title))}!{_absolute(_table_ref(sheet))}</definedName>"
        for n, sheet in enumerate(sheets) if sheet.table)
    defined = f"<definedNames>{names}</definedNames>" if names else ""
    return f"{_XML}<workbook {_NS} {_R_NS}><sheets>{entries}</sheets>{defined}</workbook>"


def _absolute(ref: str) -> str:
    return re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref)


_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _rels(targets: list[tuple[str, str]]) -> str:
    entries = "".join(f'<Relationship Id="rId{n}" Type="{_TYPES}{kind}" Target="{target}"/>'
                      for n, (kind, target) in enumerate(targets, start=1))
    return (f"{_XML}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
            f"relationships\">{entries}</Relationships>")


_OFFICE = "application/vnd.openxmlformats-officedocument"


def _content_types(sheets: int, drawn: list[int], charts: int) -> str:
    overrides = [("/xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
                 ("/xl/styles.xml", "spreadsheetml.styles+xml"),
                 *((f"/xl/worksheets/sheet{n}.xml", "spreadsheetml.worksheet+xml")
                   for n in range(1, sheets + 1)),
                 *((f"/xl/charts/chart{n}.xml", "drawingml.chart+xml") for n in range(1, charts + 1))]
    drawings = "".join(f'<Override PartName="/xl/drawings/drawing{n}.xml" '
                       f'ContentType="{_OFFICE}.drawing+xml"/>' for n in drawn)
    return (f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{name}" ContentType="{_OFFICE}.{kind}"/>'
                      for name, kind in overrides)
            + drawings + "</Types>")


_STYLES = (
    f'{_XML}<styleSheet {_NS}>'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATETIME_FORMAT}"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')

_DRAWING_NS = ('xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')
_CHART_NS = 'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'


def _drawing_xml(charts: list[Chart]) -> str:
    anchors = []
    for n, chart in enumerate(charts, start=1):
        letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", chart.anchor).groups()  # type: ignore[union-attr]
        column, row = _LETTERS.index(letters), int(digits) - 1
        anchors.append(
            f"<xdr:oneCellAnchor><xdr:from><xdr:col>{column}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            '<xdr:ext cx="5400000" cy="2700000"/><xdr:graphicFrame macro="">'
            f'<xdr:nvGraphicFramePr><xdr:cNvPr id="{n + 1}" name="Chart {n}"/><xdr:cNvGraphicFramePr/>'
            '</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            f'<c:chart {_CHART_NS} {_R_NS} r:id="rId{n}"/></a:graphicData></a:graphic>'
            "</xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor>")
    return f'{_XML}<xdr:wsDr {_DRAWING_NS}>{"".join(anchors)}</xdr:wsDr>'


def _chart_xml(sheet: Sheet, chart: Chart) -> str:
    column = _LETTERS[chart.values_column - 1]
    name = escape(_quoted(sheet.title))
    series_name = f"{name}!${column}${chart.first_row}"
    categories = f"{name}!$A${chart.first_row + 1}:$A${chart.last_row}"
    values = f"{name}!${column}${chart.first_row + 1}:${column}${chart.last_row}"
    title = escape(chart.title)
    return (
        f'{_XML}<c:chartSpace {_CHART_NS} xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f"<c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{title}</a:t></a:r></a:p>"
        '</c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea>'
        '<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        f'<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>{series_name}</c:f>'
        f"</c:strRef></c:tx><c:cat><c:strRef><c:f>{categories}</c:f></c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>{values}</c:f></c:numRef></c:val></c:ser>"
        '<c:axId val="10"/><c:axId val="100"/></c:barChart>'
        '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:crossAx val="100"/></c:catAx>'
        '<c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:crossAx val="10"/></c:valAx>'
        '</c:plotArea><c:plotVisOnly val="1"/></c:chart></c:chartSpace>')


def as_bytes(book: Workbook) -> bytes:
    """The workbook in memory, for the small ones (a page of statistics, one assessment) and for
    the task worker, which stores what it made."""
    buffer = io.BytesIO()
    _save(book, buffer)
    return buffer.getvalue()


def download(book: Workbook, filename: str) -> FileResponse:
    """The workbook as an attachment, streamed from a temporary file that goes away when the
    response is closed: a university-sized export is never whole in memory."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    _save(book, file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
