"""What a unit learns from its cases: counts by type, consequence, status and month, a trend chart,
time to close, and open and overdue cases; with an Excel export (the PDF is a template).

The period is the last `months` calendar months up to and including the current one, in the
installation's time zone (Europe/Oslo), so a case reported at 00:30 on 1 March in Oslo counts in
March. Open and overdue cases are counted as they stand today, whenever they were reported.

Every figure comes from a fixed number of aggregate queries, whatever the number of cases: the
month buckets are conditional counts over month boundaries computed here (no per-row date
functions in the database); only time to close reads one row per case closed in the period.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import statistics as pystats
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hms.core.documents import as_text_not_formula
from hms.deviations.forms import CONSEQUENCE_CHOICES
from hms.deviations.models import OPEN_STATUSES, Deviation, DeviationType, Status

MAX_MONTHS = 36
CONSEQUENCE_LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Bucket:
    """One line of a table of counts; `share` is its percentage of the table's total."""

    label: str
    count: int
    share: float = 0.0


@dataclass(frozen=True)
class Month:
    start: dt.date  # the first day of the month
    count: int      # cases reported in it


@dataclass(frozen=True)
class Bar:
    """One month's bar of the trend chart, in SVG user units."""

    month: dt.date
    count: int
    x: float
    y: float
    width: float
    height: float
    centre: float   # x of the labels under and above the bar
    value_y: float  # y of the count above the bar


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    """A bar chart of cases reported per month, drawn server-side as SVG (see _chart)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    baseline: int
    bars: list[Bar]
    ticks: list[Tick]

    @property
    def month_y(self) -> int:
        return self.baseline + 13

    @property
    def year_y(self) -> int:
        return self.baseline + 26

    @property
    def tick_x(self) -> int:
        return self.left - 4


@dataclass(frozen=True)
class ConsequenceRow:
    label: str
    actual: int
    potential: int


@dataclass(frozen=True)
class Statistics:
    today: dt.date
    since: dt.date              # first day of the period
    until: dt.date              # last day of the period (the end of the current month)
    months: list[Month]
    by_type: list[Bucket]
    by_status: list[Bucket]     # cases reported in the period, by their status now
    consequences: list[ConsequenceRow]
    all_time: int               # every case of the unit, whenever reported
    open: int                   # open now, whenever reported
    overdue: int                # open and past the closing deadline today
    closed: int                 # closed in the period
    median_days: float | None   # reported → closed, for the cases closed in the period
    mean_days: float | None
    closed_with_deadline: int
    closed_within_deadline: int

    @property
    def total(self) -> int:
        """Cases reported in the period."""
        return sum(month.count for month in self.months)

    @property
    def within_deadline_share(self) -> float | None:
        """Percentage of the cases closed in the period with a deadline that met it."""
        if not self.closed_with_deadline:
            return None
        return 100 * self.closed_within_deadline / self.closed_with_deadline

    @property
    def chart(self) -> Chart:
        return _chart(self.months)

    @property
    def by_actual(self) -> list[Bucket]:
        return [Bucket(row.label, row.actual) for row in self.consequences]

    @property
    def by_potential(self) -> list[Bucket]:
        return [Bucket(row.label, row.potential) for row in self.consequences]


# --- Computing -------------------------------------------------------------------------------------


def compute(cases: QuerySet[Deviation], *, today: dt.date, months: int = 12) -> Statistics:
    """The statistics of `cases` (already limited to what the viewer may count) for the last
    `months` months up to `today`."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be from 1 to {MAX_MONTHS}")
    cases = cases.order_by()
    starts = month_starts(today, months)
    bounds = [_midnight(day) for day in [*starts, _next_month(starts[-1])]]
    period = cases.filter(reported_at__gte=bounds[0], reported_at__lt=bounds[-1])
    figures = _figures(cases, bounds, today)
    by_type, by_status = _types_and_statuses(period)
    closing = _closing(cases.filter(status=Status.CLOSED, closed_at__gte=bounds[0],
                                    closed_at__lt=bounds[-1]))
    return Statistics(
        today=today, since=starts[0], until=_next_month(starts[-1]) - dt.timedelta(days=1),
        months=[Month(start, figures[f"m{i}"]) for i, start in enumerate(starts)],
        by_type=by_type, by_status=by_status, consequences=_consequences(period),
        all_time=figures["all"], open=figures["open"], overdue=figures["overdue"], **closing)


def month_starts(today: dt.date, months: int) -> list[dt.date]:
    """The first days of the last `months` months, oldest first, ending with today's month."""
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


def _figures(cases: QuerySet[Deviation], bounds: list[dt.datetime], today: dt.date) -> dict[str, int]:
    """All counts that are one number each, in one query: every case, open, overdue (as
    Deviation.objects.overdue has it), and one count per month of the period."""
    open_q = Q(status__in=OPEN_STATUSES)
    months = {f"m{i}": Count("pk", filter=Q(reported_at__gte=start, reported_at__lt=end))
              for i, (start, end) in enumerate(itertools.pairwise(bounds))}
    return cases.aggregate(all=Count("pk"), open=Count("pk", filter=open_q),
                           overdue=Count("pk", filter=open_q & Q(close_deadline__lt=today)), **months)


def _types_and_statuses(period: QuerySet[Deviation]) -> tuple[list[Bucket], list[Bucket]]:
    """Every type in use (and any retired one with cases), and every status, with zeros."""
    by_type: Counter[int] = Counter()
    by_status: Counter[str] = Counter()
    groups = period.values("deviation_type", "status").annotate(n=Count("pk"))
    for type_id, status, count in groups.values_list("deviation_type", "status", "n"):
        by_type[type_id] += count
        by_status[status] += count
    total = sum(by_type.values())
    types = [kind for kind in DeviationType.objects.order_by("order", "code")
             if kind.active or by_type[kind.pk]]
    return ([_bucket(kind.name, by_type[kind.pk], total) for kind in types],
            [_bucket(str(label), by_status[value], total) for value, label in Status.choices])


def _bucket(label: str, count: int, total: int) -> Bucket:
    return Bucket(label, count, 100 * count / total if total else 0.0)


def _consequences(period: QuerySet[Deviation]) -> list[ConsequenceRow]:
    """Actual and potential consequence, levels 1–5 and not assessed, from one grouped query."""
    actual: Counter[int | None] = Counter()
    potential: Counter[int | None] = Counter()
    rows = period.values("actual_consequence", "potential_consequence").annotate(n=Count("pk"))
    for row in rows.values_list("actual_consequence", "potential_consequence", "n"):
        actual[row[0]] += row[2]
        potential[row[1]] += row[2]
    labels: dict[Any, str] = {value: str(label) for value, label in CONSEQUENCE_CHOICES if value}
    levels: list[int | None] = [*CONSEQUENCE_LEVELS, None]
    return [ConsequenceRow(labels[level] if level is not None else _("Not assessed"),
                           _assessed(actual, level), _assessed(potential, level)) for level in levels]


def _assessed(counts: Counter[int | None], level: int | None) -> int:
    """Counts of a level; "not assessed" also holds any value off the 1–5 scale."""
    if level is not None:
        return counts[level]
    return sum(n for value, n in counts.items() if value not in CONSEQUENCE_LEVELS)


def _closing(closed: QuerySet[Deviation]) -> dict[str, Any]:
    """Time to close and deadlines met, for the cases closed in the period."""
    days: list[float] = []
    with_deadline = within = 0
    local = timezone.get_default_timezone()
    for reported, closed_at, deadline in closed.values_list("reported_at", "closed_at",
                                                            "close_deadline"):
        assert closed_at is not None  # the filter asks for closed_at in the period
        days.append((closed_at - reported).total_seconds() / 86400)
        if deadline is not None:
            with_deadline += 1
            within += timezone.localdate(closed_at, local) <= deadline
    return {"closed": len(days), "median_days": pystats.median(days) if days else None,
            "mean_days": pystats.fmean(days) if days else None,
            "closed_with_deadline": with_deadline, "closed_within_deadline": within}


# --- The trend chart -------------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 360, 190
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 34, 6, 16, 34


def nice_step(peak: int, ticks: int = 4) -> int:
    """A round step (1, 2 or 5 times a power of ten) that divides 0..peak into about `ticks`."""
    rough = max(1.0, peak / ticks)
    power = 1
    while power * 10 <= rough:
        power *= 10
    return next(step * power for step in (1, 2, 5, 10) if step * power >= rough)


def _chart(months: list[Month]) -> Chart:
    peak = max((month.count for month in months), default=0)
    step = nice_step(peak)
    top_value = max(step, -(-peak // step) * step)
    baseline = CHART_HEIGHT - CHART_BOTTOM
    plot_height = baseline - CHART_TOP
    slot = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / max(1, len(months))
    bars = []
    for i, month in enumerate(months):
        height = plot_height * month.count / top_value
        x = CHART_LEFT + i * slot + slot * 0.15
        y = baseline - height
        bars.append(Bar(month.start, month.count, round(x, 1), round(y, 1), round(slot * 0.7, 1),
                        round(height, 1), round(x + slot * 0.35, 1), round(y - 3, 1)))
    ticks = [Tick(value, round(baseline - plot_height * value / top_value, 1))
             for value in range(0, top_value + 1, step)]
    return Chart(CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_WIDTH - CHART_RIGHT, CHART_TOP,
                 baseline, bars, ticks)


# --- Excel -----------------------------------------------------------------------------------------


def _summary_rows(stats: Statistics) -> list[tuple[str, Any]]:
    share = stats.within_deadline_share
    return [
        (_("Period"), f"{date_format(stats.since, 'SHORT_DATE_FORMAT')} – "
                      f"{date_format(stats.until, 'SHORT_DATE_FORMAT')}"),
        (_("Reported in the period"), stats.total),
        (_("Closed in the period"), stats.closed),
        (_("Open now"), stats.open),
        (_("Overdue now"), stats.overdue),
        (_("Median days to close"), _round(stats.median_days)),
        (_("Mean days to close"), _round(stats.mean_days)),
        (_("Closed within the deadline (%)"), _round(share)),
        (_("Closed with a deadline"), stats.closed_with_deadline),
        (_("All cases, whenever reported"), stats.all_time),
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _sheet(workbook: Any, title: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Any:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        as_text_not_formula(sheet[sheet.max_row])
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = "A2"
    return sheet


def _month_sheet(workbook: Any, stats: Statistics) -> None:
    from openpyxl.chart import BarChart, Reference

    sheet = _sheet(workbook, _("By month"), [_("Month"), _("Reported")],
                   ((date_format(m.start, "Y-m"), m.count) for m in stats.months))
    chart = BarChart()
    chart.title = _("Cases reported per month")
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=len(stats.months) + 1),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(stats.months) + 1))
    sheet.add_chart(chart, "D2")


def as_xlsx(unit: Any, stats: Statistics) -> bytes:
    """The statistics as a workbook: a summary sheet, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    summary.append([_("Deviation statistics: %(unit)s") % {"unit": unit.name}])
    summary["A1"].font = Font(bold=True, size=14)
    as_text_not_formula(summary[1])
    summary.append([_("Exported %(time)s") % {
        "time": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")}])
    summary.append([])
    for row in _summary_rows(stats):
        summary.append(list(row))
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 24
    _month_sheet(workbook, stats)
    _sheet(workbook, _("By type"), [_("Type"), _("Reported")],
           ((b.label, b.count) for b in stats.by_type))
    _sheet(workbook, _("By consequence"), [_("Consequence"), _("Actual"), _("Potential")],
           ((r.label, r.actual, r.potential) for r in stats.consequences))
    _sheet(workbook, _("By status"), [_("Status now"), _("Reported")],
           ((b.label, b.count) for b in stats.by_status))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
