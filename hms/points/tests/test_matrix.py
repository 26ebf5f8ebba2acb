"""The roll-up (issue 16, item 5) and the documents: the matrix of a subtree with its totals,
filtered, sorted by worst, against the year before, its queries not growing with the units; the
XLSX of the matrix and the PDF of a unit's overview read back, their figures those of the page."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from hms.org.models import OrgUnit
from hms.points.evidence import State
from hms.points.matrix import matrix, with_figures
from hms.points.overview import unit_overview
from hms.points.tests.conftest import english_client

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def test_the_matrix_of_a_faculty_holds_its_units_in_tree_order_with_totals(cast: Any, point_1: Any):
    point_1({"f": State.MET, "a": State.PARTLY, "a1": State.NOT_APPLICABLE})
    found = matrix(cast.faculty_f, THIS_YEAR)
    assert [row.unit.code for row in found.rows] == ["f", "a", "a1"]
    assert [cell.state for cell in (row.cells[0] for row in found.rows)] == [
        State.MET, State.PARTLY, State.NOT_APPLICABLE]
    total = found.totals[0]
    assert (total.met, total.counted) == (1, 2)  # not applicable is not counted
    assert (total.met_before, total.counted_before) == (1, 2)  # last year computed the same way


def test_the_matrix_filters_by_point_and_state_and_sorts_worst_first(cast: Any, point_1: Any):
    point_1({"f": State.MET, "a": State.NOT_MET, "a1": State.PARTLY})
    partly = matrix(cast.faculty_f, THIS_YEAR, point=1, state="partly")
    assert [row.unit.code for row in partly.rows] == ["a1"]
    assert matrix(cast.faculty_f, THIS_YEAR, sort="worst").rows[0].unit.code == "a"


def test_the_matrix_queries_do_not_grow_with_the_units(cast: Any):
    matrix(cast.faculty_f, THIS_YEAR)  # warm the content types and the catalogue
    with CaptureQueriesContext(connection) as small:
        matrix(cast.faculty_f, THIS_YEAR)
    for index in range(6):
        OrgUnit.objects.add_child(OrgUnit.objects.get(pk=cast.unit_a.pk),
                                  {"code": f"x{index}", "name": f"Section X{index}", "kind": "section"})
    root = OrgUnit.objects.get(pk=cast.root.pk)
    with CaptureQueriesContext(connection) as large:
        found = matrix(root, THIS_YEAR)
    assert len(found.rows) == 12
    assert len(large.captured_queries) == len(small.captured_queries)


def page_states(html: str) -> list[list[str]]:
    """The states of the matrix's cells as the page says them to a screen reader, row by row."""
    body = html[html.index('class="points-matrix"'):]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", body, re.S)
    return [re.findall(r'<span class="visually-hidden">([^<]+)</span></td>', row) for row in rows]


@pytest.mark.parametrize("live_units", [100, 2], ids=["computed now", "from the daily run"])
def test_the_workbook_holds_the_matrix_of_the_page(cast: Any, point_1: Any, settings: Any, live_units: int):
    from hms.points.digest import daily_run

    settings.HMS_POINTS_LIVE_UNITS = live_units  # faculty F has 3 units
    point_1({"f": State.MET, "a": State.PARTLY})
    daily_run(timezone.localdate())
    client = english_client(cast.coordinator)
    page = client.get(reverse("points:matrix", args=[cast.faculty_f.pk]))
    download = client.get(reverse("points:matrix_xlsx", args=[cast.faculty_f.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    states, figures, totals = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets)
    assert [row[2:] for row in states[1:]] == [tuple(row) for row in page_states(page.content.decode())]
    assert states[1][:3] == ("f", "Faculty F", "Met") and states[2][2] == "Partly met"
    assert figures[20][:6] == ("a", "Department A", 1, "Own HSE goals", "Partly met", "Goals of a")
    assert totals[1][:4] == (1, "Own HSE goals", 1, 3)
    assert download["Content-Disposition"].endswith(f'hse-points-f-{THIS_YEAR}.xlsx"')


def test_the_pdf_of_the_overview_holds_the_figures_of_the_page(cast: Any, point_1: Any):
    point_1({"a": State.PARTLY})
    response = english_client(cast.leader).get(reverse("points:overview_pdf", args=[cast.unit_a.pk]))
    with translation.override("en"):
        rows = unit_overview(cast.unit_a, THIS_YEAR)
        expected = [str(figure) for row in rows for figure in row.evidence.figures]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = flattened(text)
    assert all(flattened(words) in flat for words in ("Own HSE goals", "Partly met", "Goals of a"))
    for figure in expected:
        assert flattened(figure)[:40] in flat


def flattened(text: str) -> str:
    """Text without what a PDF reader may add or move: spaces, line breaks (after a hyphen too)
    and the gaps of letter-spaced words."""
    return re.sub(r"[\s-]+", "", text)


def test_a_large_subtree_reads_the_open_year_from_the_daily_run(cast: Any, point_1: Any, settings: Any):
    from hms.points.digest import daily_run

    settings.HMS_POINTS_LIVE_UNITS = 2  # faculty F has 3 units: read from the daily run
    point_1({"a": State.MET})
    daily_run(timezone.localdate())
    point_1({"a": State.NOT_MET})  # the records change after the run
    found = matrix(cast.faculty_f, THIS_YEAR)
    assert found.as_of == timezone.localdate()
    row_a = next(row for row in found.rows if row.unit.code == "a")
    assert found.stored and row_a.cells[0].state == State.MET and row_a.cells[0].figures == ()
    cell = with_figures(found, [row_a])[0].cells[0]  # the workbook's rows: their figures read
    assert cell.state == State.MET and [str(text) for text in cell.figures] == ["Goals of a"]
    assert cell.records == ()  # the matrix reads no links to records
    assert unit_overview(cast.unit_a, THIS_YEAR)[0].evidence.state == State.NOT_MET  # a unit: now
    settings.HMS_POINTS_LIVE_UNITS = 100
    live = matrix(cast.faculty_f, THIS_YEAR)
    assert live.as_of is None
    assert next(row for row in live.rows if row.unit.code == "a").cells[0].state == State.NOT_MET
