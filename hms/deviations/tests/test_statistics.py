from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from hms.deviations import statistics
from hms.deviations.models import Deviation, DeviationType, Status

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
UTC = dt.UTC
TODAY = dt.date(2026, 3, 15)
NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=OSLO)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(NOW, tick=False)
    return TODAY


def report(cast, when: dt.datetime, code: str = "near_miss", **fields) -> Deviation:
    """A case reported at `when` (reported_at is set on save, so the clock is moved there)."""
    values = {"org_unit": cast.unit_a, "deviation_type": DeviationType.objects.get(code=code),
              "title": "Spill in the lab", "description": "Acid on the bench.", "occurred_at": when,
              "reporter": cast.employee, **fields}
    with time_machine.travel(when, tick=False):
        return Deviation.objects.create(**values)


def closed(cast, reported: dt.datetime, days: float, deadline: dt.date | None = None,
           **fields) -> Deviation:
    return report(cast, reported, status=Status.CLOSED, close_deadline=deadline,
                  closed_at=reported + dt.timedelta(days=days), **fields)


def unit_stats(cast, months: int = 12) -> statistics.Statistics:
    with translation.override("en"):
        return statistics.compute(Deviation.objects.filter(org_unit=cast.unit_a), today=TODAY,
                                  months=months)


def login(user, language: str = "en") -> Client:
    user.language = language
    user.save()
    client = Client()
    client.force_login(user)
    return client


def page(cast) -> str:
    return reverse("deviations:statistics", args=[cast.unit_a.pk])


# --- compute ---------------------------------------------------------------------------------------


def test_it_counts_by_month_in_oslo_time_with_empty_months_shown(cast, today):
    # 23:30 UTC on 28 February is 00:30 on 1 March in Oslo (CET, +1).
    report(cast, dt.datetime(2026, 2, 28, 23, 30, tzinfo=UTC))
    report(cast, dt.datetime(2026, 2, 28, 22, 30, tzinfo=UTC))  # 23:30 on 28 February in Oslo
    # The start of the period in summer time (CEST, +2): 1 April 00:30 is in, 31 March 23:30 is not.
    report(cast, dt.datetime(2025, 3, 31, 22, 30, tzinfo=UTC))
    report(cast, dt.datetime(2025, 3, 31, 21, 30, tzinfo=UTC))
    report(cast, dt.datetime(2025, 11, 5, 10, 0, tzinfo=OSLO))
    report(cast, dt.datetime(2025, 11, 20, 10, 0, tzinfo=OSLO))
    stats = unit_stats(cast)
    assert [m.start for m in stats.months][:2] == [dt.date(2025, 4, 1), dt.date(2025, 5, 1)]
    assert len(stats.months) == 12 and stats.months[-1].start == dt.date(2026, 3, 1)
    counts = {m.start: m.count for m in stats.months if m.count}
    assert counts == {dt.date(2025, 4, 1): 1, dt.date(2025, 11, 1): 2, dt.date(2026, 2, 1): 1,
                      dt.date(2026, 3, 1): 1}
    assert sum(m.count == 0 for m in stats.months) == 8
    assert (stats.since, stats.until) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert stats.total == 5


def test_the_months_run_across_a_new_year_and_are_bounded():
    assert statistics.month_starts(dt.date(2026, 2, 10), 3) == [
        dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert statistics.month_starts(dt.date(2026, 12, 31), 1) == [dt.date(2026, 12, 1)]
    with pytest.raises(ValueError):
        statistics.compute(Deviation.objects.none(), today=TODAY, months=0)
    with pytest.raises(ValueError):
        statistics.compute(Deviation.objects.none(), today=TODAY, months=statistics.MAX_MONTHS + 1)


def test_it_counts_every_type_and_status_including_zero(cast, today):
    march = dt.datetime(2026, 3, 2, 9, 0, tzinfo=OSLO)
    for code in ("near_miss", "near_miss", "dangerous_condition", "fire"):
        report(cast, march, code)
    report(cast, march, "fire", status=Status.REJECTED)
    report(cast, dt.datetime(2024, 1, 1, 9, 0, tzinfo=OSLO), "violence")  # before the period
    stats = unit_stats(cast)
    by_type = {b.label: b.count for b in stats.by_type}
    assert len(by_type) == DeviationType.objects.filter(active=True).count() == 9
    assert by_type["Near miss"] == 2 and by_type["Dangerous condition or observation"] == 1
    assert by_type["Fire or near-fire"] == 2 and by_type["Violence or threats"] == 0
    assert stats.by_type[0].label == "Personal injury"  # in the types' order
    assert [b.share for b in stats.by_type if b.label == "Near miss"] == [40.0]
    by_status = {b.label: b.count for b in stats.by_status}
    assert by_status == {"Reported": 4, "Rejected": 1, "Accepted": 0, "Under treatment": 0,
                         "Measures done": 0, "Closed": 0}


def test_a_retired_type_is_listed_only_while_it_has_cases(cast, today):
    DeviationType.objects.filter(code="violence").update(active=False)
    assert "Violence or threats" not in {b.label for b in unit_stats(cast).by_type}
    report(cast, dt.datetime(2026, 3, 2, 9, 0, tzinfo=OSLO), "violence")
    assert {b.label: b.count for b in unit_stats(cast).by_type}["Violence or threats"] == 1


def test_it_counts_actual_and_potential_consequence_with_not_assessed(cast, today):
    march = dt.datetime(2026, 3, 2, 9, 0, tzinfo=OSLO)
    report(cast, march, actual_consequence=2, potential_consequence=4)
    report(cast, march, actual_consequence=2, potential_consequence=5)
    report(cast, march, potential_consequence=4)
    report(cast, march)
    rows = {r.label: (r.actual, r.potential) for r in unit_stats(cast).consequences}
    assert list(rows) == ["1 Very small", "2 Small", "3 Moderate", "4 Serious", "5 Very serious",
                          "Not assessed"]
    assert rows == {"1 Very small": (0, 0), "2 Small": (2, 0), "3 Moderate": (0, 0),
                    "4 Serious": (0, 2), "5 Very serious": (0, 1), "Not assessed": (2, 1)}


def test_it_gives_the_median_and_mean_time_to_close_and_deadlines_met(cast, today):
    start = dt.datetime(2026, 1, 10, 9, 0, tzinfo=OSLO)
    closed(cast, start, 2, deadline=dt.date(2026, 1, 20))       # met
    closed(cast, start, 4, deadline=dt.date(2026, 1, 12))       # missed
    closed(cast, start, 10)                                     # no deadline
    # Closed at 00:30 Oslo time on its deadline's next day (23:30 UTC on the deadline): missed.
    closed(cast, dt.datetime(2026, 2, 1, 23, 30, tzinfo=UTC), 1, deadline=dt.date(2026, 2, 2))
    # Closed before the period: it counts in neither the time to close nor the closed.
    closed(cast, dt.datetime(2024, 6, 1, 9, 0, tzinfo=OSLO), 30)
    # Reopened after closing: closed_at stays, but it is not closed now.
    report(cast, start, status=Status.UNDER_TREATMENT, closed_at=start + dt.timedelta(days=1))
    stats = unit_stats(cast)
    assert stats.closed == 4
    assert stats.median_days == pytest.approx(3.0)
    assert stats.mean_days == pytest.approx((2 + 4 + 10 + 1) / 4)
    assert (stats.closed_within_deadline, stats.closed_with_deadline) == (1, 3)
    assert stats.within_deadline_share == pytest.approx(100 / 3)


def test_time_to_close_is_empty_without_closed_cases(cast, today):
    report(cast, dt.datetime(2026, 3, 2, 9, 0, tzinfo=OSLO))
    stats = unit_stats(cast)
    assert (stats.closed, stats.median_days, stats.mean_days, stats.within_deadline_share) == (
        0, None, None, None)


def test_open_and_overdue_count_as_today_whenever_reported(cast, today):
    old = dt.datetime(2023, 5, 1, 9, 0, tzinfo=OSLO)
    report(cast, old, status=Status.ACCEPTED, close_deadline=TODAY - dt.timedelta(days=1))  # overdue
    report(cast, NOW, status=Status.UNDER_TREATMENT, close_deadline=dt.date(2026, 1, 1))  # overdue
    report(cast, NOW, status=Status.MEASURES_DONE, close_deadline=TODAY)  # due today: not overdue
    report(cast, NOW, status=Status.ACCEPTED)  # no deadline
    report(cast, NOW)  # reported, not yet accepted
    closed(cast, old, 3, deadline=dt.date(2023, 5, 2))  # late, but closed
    report(cast, NOW, status=Status.REJECTED, close_deadline=dt.date(2026, 1, 1))
    stats = unit_stats(cast)
    assert stats.open == 5
    assert stats.overdue == 2 == Deviation.objects.overdue(TODAY).count()


def test_the_chart_scales_its_bars_to_round_ticks(cast, today):
    report(cast, dt.datetime(2026, 3, 2, 9, 0, tzinfo=OSLO))
    for _ in range(6):
        report(cast, dt.datetime(2026, 1, 2, 9, 0, tzinfo=OSLO))
    chart = unit_stats(cast).chart
    assert [t.value for t in chart.ticks] == [0, 2, 4, 6]
    assert len(chart.bars) == 12
    tallest = max(chart.bars, key=lambda bar: bar.count)
    assert tallest.y == chart.top and tallest.y + tallest.height == chart.baseline
    assert chart.bars[-1].height == pytest.approx(tallest.height / 6, abs=0.1)
    assert all(bar.height == 0 for bar in chart.bars if not bar.count)
    assert [statistics.nice_step(n) for n in (0, 3, 9, 40, 130, 2001)] == [1, 1, 5, 10, 50, 1000]


# --- The page and its exports ---------------------------------------------------------------------


def some_cases(cast, n: int) -> None:
    codes = ["near_miss", "dangerous_condition", "fire", "improvement", "personal_injury"]
    for i in range(n):
        when = NOW - dt.timedelta(days=17 * i)
        if i % 3 == 0:
            closed(cast, when, i + 1, deadline=(when + dt.timedelta(days=5)).date(),
                   actual_consequence=1 + i % 5, potential_consequence=1 + (i + 2) % 5)
        else:
            report(cast, when, codes[i % len(codes)], status=Status.ACCEPTED,
                   close_deadline=TODAY - dt.timedelta(days=i - 5))


def test_the_page_shows_figures_chart_tables_and_links(cast, today):
    closed(cast, dt.datetime(2026, 1, 10, 9, 0, tzinfo=OSLO), 4, deadline=dt.date(2026, 1, 20))
    report(cast, dt.datetime(2026, 2, 28, 23, 30, tzinfo=UTC), "fire", status=Status.ACCEPTED,
           close_deadline=dt.date(2026, 3, 10))
    response = login(cast.leader).get(page(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="trend-chart"' in html and 'role="img"' in html
    assert "<title id=\"trend-title\">Cases reported per month</title>" in html
    assert "March 2026: 1" in html and "January 2026: 1" in html  # in the chart's description
    assert "<th scope=\"row\">February 2026</th><td class=\"num\">0</td>" in html
    assert "style=" not in html.split("<main", 1)[1] and "<style" not in html
    for name in ("deviations:statistics_xlsx", "deviations:statistics_pdf", "deviations:list"):
        assert f'href="{reverse(name, args=[cast.unit_a.pk])}"' in html
    assert "Fire or near-fire" in html and "Overdue now" in html


def test_the_page_renders_in_both_languages(cast, today):
    some_cases(cast, 5)
    for language, type_name in (("nb", "Nestenulykke"), ("en", "Near miss")):
        response = login(cast.leader, language).get(page(cast))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{language}">' in html and type_name in html
    with translation.override("en"):
        assert "Near miss" in login(cast.leader).get(page(cast)).content.decode()


def test_the_chart_numbers_are_not_localised_in_bokmal(cast, today):
    """A decimal comma would break the SVG coordinates."""
    some_cases(cast, 7)
    html = login(cast.leader, "nb").get(page(cast)).content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    coordinates = [part.split('"')[0] for part in svg.split(' x="')[1:]]
    assert coordinates and all("," not in value for value in coordinates)
    assert any("." in value for value in coordinates)


def count_page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_page_queries_do_not_grow_from_1_to_25_cases(cast, today):
    client = login(cast.leader)
    some_cases(cast, 1)
    count_page_queries(client, page(cast))
    few = count_page_queries(client, page(cast))
    some_cases(cast, 24)
    many = count_page_queries(client, page(cast))
    assert few == many, f"{few} queries with 1 case, {many} with 25"
    assert many <= 15


def test_the_statistics_are_only_for_those_who_may_count_the_units_cases(cast, today):
    for person in ("outsider", "employee", "student"):
        assert login(getattr(cast, person)).get(page(cast)).status_code == 404, person
    assert login(cast.coordinator).get(page(cast)).status_code == 200


def test_the_subtree_counts_only_what_the_viewer_may_count(cast, today):
    when = dt.datetime(2026, 3, 2, 9, 0, tzinfo=OSLO)
    report(cast, when)
    report(cast, when, org_unit=cast.section_a1)
    report(cast, when, org_unit=cast.unit_b)
    html = login(cast.coordinator).get(
        reverse("deviations:statistics", args=[cast.faculty_f.pk])).content.decode()
    assert "<th scope=\"row\">March 2026</th><td class=\"num\">2</td>" in html


def test_the_excel_export_holds_the_same_figures(cast, today):
    closed(cast, dt.datetime(2026, 1, 10, 9, 0, tzinfo=OSLO), 4, deadline=dt.date(2026, 1, 20),
           actual_consequence=3)
    closed(cast, dt.datetime(2026, 1, 10, 9, 0, tzinfo=OSLO), 6)
    report(cast, dt.datetime(2026, 2, 28, 23, 30, tzinfo=UTC), "fire", status=Status.ACCEPTED,
           close_deadline=dt.date(2026, 3, 10), title="=HYPERLINK(\"http://x\")")
    response = login(cast.leader).get(reverse("deviations:statistics_xlsx", args=[cast.unit_a.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="deviation-statistics-a.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "By month", "By type", "By consequence", "By status"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=4, values_only=True)}
    assert summary["Reported in the period"] == 3 and summary["Closed in the period"] == 2
    assert summary["Open now"] == 1 and summary["Overdue now"] == 1
    assert summary["Median days to close"] == 5.0 and summary["Closed within the deadline (%)"] == 100
    assert book["Summary"]["A1"].value == "Deviation statistics: Department A"
    period = book["Summary"]["B4"], book["Summary"]["C4"]
    assert [cell.value for cell in period] == [dt.datetime(2025, 4, 1), dt.datetime(2026, 3, 31)]
    assert {cell.number_format for cell in period} == {"dd.mm.yyyy"}
    assert book["Summary"].auto_filter.ref is None
    assert [book[name].auto_filter.ref for name in book.sheetnames[1:]] == [
        "A1:B13", "A1:B10", "A1:C7", f"A1:B{len(Status.choices) + 1}"]
    months = list(book["By month"].iter_rows(values_only=True))
    assert months[0] == ("Month", "Reported") and len(months) == 13
    assert months[-1] == ("2026-03", 1) and months[-3] == ("2026-01", 2)
    by_type = {row[0]: row[1] for row in book["By type"].iter_rows(min_row=2, values_only=True)}
    assert by_type["Fire or near-fire"] == 1 and by_type["Near miss"] == 2 and len(by_type) == 9
    consequence = list(book["By consequence"].iter_rows(min_row=2, values_only=True))
    assert consequence[2] == ("3 Moderate", 1, 0) and consequence[-1] == ("Not assessed", 2, 3)
    assert len(book["By month"]._charts) == 1


def test_the_pdf_export_holds_the_same_figures(cast, today):
    closed(cast, dt.datetime(2026, 1, 10, 9, 0, tzinfo=OSLO), 4, deadline=dt.date(2026, 1, 20))
    report(cast, dt.datetime(2026, 2, 28, 23, 30, tzinfo=UTC), "fire", status=Status.ACCEPTED,
           close_deadline=dt.date(2026, 3, 10))
    response = login(cast.leader).get(reverse("deviations:statistics_pdf", args=[cast.unit_a.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Deviation statistics: Department A" in text
    assert "Cases reported per month" in text and "Fire or near-fire" in text
    assert "Median days to close" in text and "4.0" in text
    assert "Overdue now" in text and "5 Very serious" in text


def test_the_sqlite_shortcut_gives_the_figures_of_the_general_path(cast, today, monkeypatch):
    """On SQLite the time to close is read as text and JULIANDAY; elsewhere as datetimes."""
    start = dt.datetime(2026, 1, 10, 9, 0, tzinfo=OSLO)
    for days in (0.5, 2, 4, 33.25):
        closed(cast, start, days, deadline=dt.date(2026, 1, 12))
    closed(cast, dt.datetime(2026, 2, 1, 23, 30, tzinfo=UTC), 1, deadline=dt.date(2026, 2, 2))
    closed(cast, dt.datetime(2026, 2, 1, 22, 30, tzinfo=UTC), 1, deadline=dt.date(2026, 2, 2))
    closed(cast, start, 3)
    shortcut = unit_stats(cast)
    monkeypatch.setattr(statistics, "_sqlite_rows", statistics._rows)
    general = unit_stats(cast)
    assert shortcut == general
    assert (general.closed, general.closed_with_deadline, general.closed_within_deadline) == (7, 6, 3)
    assert general.median_days == pytest.approx(2.0)


def test_a_unit_without_cases_gets_zeros_and_a_note(cast, today):
    report(cast, dt.datetime(2026, 3, 2, 9, 0, tzinfo=OSLO), org_unit=cast.unit_b)
    html = login(cast.leader).get(page(cast)).content.decode()
    assert "No cases were reported in the period, and none are open." in html
    assert html.count('height="0.0"') == 12 and "<td class=\"num\">0</td>" in html
