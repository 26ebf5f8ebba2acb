"""The spreadsheet writer every export uses: what people typed stays text, the layout (styles,
widths, frozen panes) survives the write-only sheet, and a download streams from a file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

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


def test_dates_and_times_are_date_cells_shown_day_first_and_times_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Oslo"
    book = xlsx.workbook()
    sheet = xlsx.add_sheet(book, "Sheet")
    noon_utc = dt.datetime(2030, 6, 1, 10, 30, tzinfo=dt.UTC)
    xlsx.write_row(sheet, [dt.date(2030, 1, 31), noon_utc, dt.datetime(2030, 1, 2, 8, 0), 7])
    cells = next(_read_back(book).iter_rows(min_row=1, max_row=1))
    assert [cell.number_format for cell in cells[:3]] == [
        "dd.mm.yyyy", "dd.mm.yyyy hh:mm", "dd.mm.yyyy hh:mm"]
    assert [cell.is_date for cell in cells] == [True, True, True, False]
    assert cells[1].value == dt.datetime(2030, 6, 1, 12, 30)  # summer time in Oslo
    assert cells[3].number_format == "General"


def test_a_table_gets_an_autofilter_from_its_header_row_to_its_last_row():
    book = xlsx.workbook()
    plan = xlsx.add_sheet(book, "Plan")
    xlsx.write_row(plan, ["Title"], xlsx.Style.TITLE)
    xlsx.write_row(plan, [])
    xlsx.write_header(plan, ["Unit", "Measure", "Deadline"])
    for number in range(5):
        xlsx.write_row(plan, ["A", f"Measure {number}", dt.date(2030, 1, 1)])
    empty = xlsx.add_sheet(book, "Empty")
    xlsx.write_header(empty, ["Type", "Count"], xlsx.Style.WRAPPED_HEADER)
    xlsx.write_row(xlsx.add_sheet(book, "Summary"), ["No table here"])
    read = load_workbook(io.BytesIO(xlsx.as_bytes(book)))
    assert read["Plan"].auto_filter.ref == "A3:C8"
    assert read["Empty"].auto_filter.ref == "A1:B1"
    assert read["Summary"].auto_filter.ref is None


def test_a_downloaded_workbook_has_its_autofilter_too():
    book = xlsx.workbook()
    sheet = xlsx.add_sheet(book, "Sheet")
    xlsx.write_header(sheet, ["One"])
    xlsx.write_row(sheet, ["cell"])
    body = xlsx.download(book, "plan.xlsx").getvalue()
    assert load_workbook(io.BytesIO(body)).active.auto_filter.ref == "A1:A2"


def test_a_sheet_may_carry_a_bar_chart_of_its_table():
    book = xlsx.workbook()
    xlsx.write_row(xlsx.add_sheet(book, "Summary"), ["No chart here"])
    sheet = xlsx.add_sheet(book, "By month")
    xlsx.write_header(sheet, ["Month", "Reported"])
    for month, count in (("2030-01", 3), ("2030-02", 5)):
        xlsx.write_row(sheet, [month, count])
    xlsx.add_bar_chart(sheet, "Cases per month", values_column=2, first_row=1, last_row=3, anchor="D2")
    read = load_workbook(io.BytesIO(xlsx.as_bytes(book)))
    assert not read["Summary"]._charts
    (chart,) = read["By month"]._charts
    series = chart.series[0]
    assert series.val.numRef.f == "'By month'!$B$2:$B$3" and series.cat.strRef.f == "'By month'!$A$2:$A$3"
    assert chart.title.tx.rich.p[0].r[0].t == "Cases per month"


def test_sheet_names_are_made_valid_and_unique():
    book = xlsx.workbook()
    for title in ("Plan: 2030/31", "Plan: 2030/31", "[x]"):
        xlsx.write_row(xlsx.add_sheet(book, title), ["cell"])
    assert load_workbook(io.BytesIO(xlsx.as_bytes(book))).sheetnames == [
        "Plan  2030 31", "Plan  2030 31 2", "x"]


def test_an_empty_workbook_still_opens_and_booleans_and_decimals_are_typed():
    assert load_workbook(io.BytesIO(xlsx.as_bytes(xlsx.workbook()))).sheetnames == ["Sheet"]
    book = xlsx.workbook()
    xlsx.write_row(xlsx.add_sheet(book, "Sheet"), [True, Decimal("12.50"), 1.25, object.__name__])
    assert next(load_workbook(io.BytesIO(xlsx.as_bytes(book))).active.iter_rows(values_only=True)) == (
        True, 12.5, 1.25, "object")
