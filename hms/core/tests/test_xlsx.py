"""The spreadsheet writer every export uses: what people typed stays text, the layout (styles,
widths, frozen panes) survives the write-only sheet, and a download streams from a file."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from hms.core import xlsx


def _read_back(book):
    return load_workbook(io.BytesIO(xlsx.as_bytes(book))).active


def test_it_keeps_formulas_and_error_codes_as_text_and_other_values_typed():
    book = xlsx.workbook()
    sheet = xlsx.add_sheet(book, "Sheet")
    xlsx.write_row(sheet, ['=HYPERLINK("http://evil")', "#N/A", "#1 priority", 12000,
                           dt.date(2030, 1, 31), None, "plain"])
    cells = next(_read_back(book).iter_rows(min_row=1, max_row=1))
    assert [cell.value for cell in cells[:5]] == [
        '=HYPERLINK("http://evil")', "#N/A", "#1 priority", 12000, dt.datetime(2030, 1, 31)]
    assert [cell.data_type for cell in cells[:3]] == ["s", "s", "s"]
    assert cells[5].value is None and cells[6].value == "plain"


def test_it_styles_titles_headers_and_labels_and_keeps_widths_and_frozen_panes():
    book = xlsx.workbook()
    sheet = xlsx.add_sheet(book, "A title longer than the thirty-one characters Excel allows",
                           widths=(30, 12), freeze="C3")
    xlsx.write_row(sheet, ["=Title"], xlsx.Style.TITLE)
    xlsx.write_row(sheet, ["Label", "value"], xlsx.Style.LABEL)
    xlsx.write_row(sheet, ["One", "Two"], xlsx.Style.WRAPPED_HEADER)
    read = _read_back(book)
    assert read.title == "A title longer than the thirty-"
    assert read["A1"].font.b and read["A1"].font.sz == 14 and read["A1"].data_type == "s"
    assert read["A2"].font.b and not read["B2"].font.b
    assert read["B3"].font.b and read["B3"].alignment.wrap_text
    assert read.column_dimensions["A"].width == 30 and read.column_dimensions["B"].width == 12
    assert read.freeze_panes == "C3"


def test_a_download_streams_the_workbook_as_an_attachment():
    book = xlsx.workbook()
    xlsx.write_row(xlsx.add_sheet(book, "Sheet"), ["cell"])
    response = xlsx.download(book, "plan.xlsx")
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="plan.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = response.getvalue()
    assert int(response["Content-Length"]) == len(body)
    assert load_workbook(io.BytesIO(body)).active["A1"].value == "cell"


def test_control_characters_pasted_into_a_record_do_not_break_the_export():
    book = xlsx.workbook()
    sheet = xlsx.add_sheet(book, "Plan")
    xlsx.write_row(sheet, ["Line\x0bbreak from Word", "bell\x07", "tab\tand\nnewline stay"])
    values = next(load_workbook(io.BytesIO(xlsx.as_bytes(book))).active.iter_rows(values_only=True))
    assert values == ("Line break from Word", "bell ", "tab\tand\nnewline stay")
