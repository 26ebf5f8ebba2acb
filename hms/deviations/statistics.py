"""What a unit learns from its cases: counts by type, consequence, status and month, a trend chart,
time to close, and open and overdue cases; with an Excel export (the PDF is a template).

The period is the last `months` calendar months up to and including the current one, in the
installation's time zone (Europe/Oslo), so a case reported at 00:30 on 1 March in Oslo counts in
March. Open and overdue cases are counted as they stand today, whenever they were reported.

Every figure comes from a fixed number of queries, whatever the number of cases: the period's cases
are counted in one grouped pass (type × status × consequences, with a running count per month
boundary, the boundaries computed here, so no per-row date functions run in the database), open and
overdue cases through the status index, and only time to close reads one row per case closed in
the period.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import CharField, Count, FloatField, Func, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hms.core import xlsx
from hms.deviations.forms import CONSEQUENCE_CHOICES
from hms.deviations.models import OPEN_STATUSES, Deviation, DeviationType, Status

MAX_MONTHS = 36
CONSEQUENCE_LEVELS = (1, 2, 3, 4, 5)
ONE_DAY = dt.timedelta(days=1)


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


# --- Computing -------------------------------------------------------------------------------------


def compute(cases: QuerySet[Deviation], *, today: dt.date, months: int = 12) -> Statistics:
    """The statistics of `cases` (already limited to what the viewer may count) for the last
    `months` months up to `today`."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be from 1 to {MAX_MONTHS}")
    cases = cases.order_by()
    starts = month_starts(today, months)
    bounds = [_midnight(day) for day in [*starts, _next_month(starts[-1])]]
    tally = _tally(cases.filter(reported_at__gte=bounds[0], reported_at__lt=bounds[-1]), bounds)
    now = cases.filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(close_deadline__lt=today)))
    closing = _closing(cases.filter(status=Status.CLOSED, closed_at__gte=bounds[0],
                                    closed_at__lt=bounds[-1]))
    return Statistics(
        today=today, since=starts[0], until=_next_month(starts[-1]) - dt.timedelta(days=1),
        months=[Month(start, count) for start, count in zip(starts, tally.months, strict=True)],
        by_type=_by_type(tally), by_status=_by_status(tally), consequences=_consequences(tally),
        open=now["open"], overdue=now["overdue"], **closing)


def month_starts(today: dt.date, months: int) -> list[dt.date]:
    """The first days of the last `months` months, oldest first, ending with today's month."""
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


@dataclass
class Tally:
    """The period's cases counted by type, status, consequence and month of reporting."""

    months: list[int]
    types: Counter[int] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    actual: Counter[int | None] = field(default_factory=Counter)
    potential: Counter[int | None] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.months)


GROUPS = ("deviation_type", "status", "actual_consequence", "potential_consequence")


def _tally(period: QuerySet[Deviation], bounds: list[dt.datetime]) -> Tally:
    """One pass over the period: grouped by type, status and both consequences, each group
    counted per month. A month's count is the difference of two running counts ("reported before
    the end of this month" minus "before the end of the last one"), so each case is compared with
    one boundary per month, in the database, against instants worked out here in local time."""
    before = {f"before{i}": Count("pk", filter=Q(reported_at__lt=end)) for i, end in enumerate(bounds[1:])}
    tally = Tally(months=[0] * len(before))
    for row in period.values(*GROUPS).annotate(**before):
        running = [row[name] for name in before]
        for i, count in enumerate(running):
            tally.months[i] += count - (running[i - 1] if i else 0)
        n = running[-1]
        tally.types[row["deviation_type"]] += n
        tally.statuses[row["status"]] += n
        tally.actual[row["actual_consequence"]] += n
        tally.potential[row["potential_consequence"]] += n
    return tally


def _by_type(tally: Tally) -> list[Bucket]:
    """Every type in use, and any retired one with cases in the period, with zeros."""
    types = DeviationType.objects.order_by("order", "code")
    return [_bucket(kind.name, tally.types[kind.pk], tally.total) for kind in types
            if kind.active or tally.types[kind.pk]]


def _by_status(tally: Tally) -> list[Bucket]:
    return [_bucket(str(label), tally.statuses[value], tally.total) for value, label in Status.choices]


def _bucket(label: str, count: int, total: int) -> Bucket:
    return Bucket(label, count, 100 * count / total if total else 0.0)


def _consequences(tally: Tally) -> list[ConsequenceRow]:
    """Actual and potential consequence: levels 1–5, then not assessed."""
    labels: dict[Any, str] = {value: str(label) for value, label in CONSEQUENCE_CHOICES if value}
    levels: list[int | None] = [*CONSEQUENCE_LEVELS, None]
    return [ConsequenceRow(labels[level] if level is not None else _("Not assessed"),
                           _assessed(tally.actual, level), _assessed(tally.potential, level))
            for level in levels]


def _assessed(counts: Counter[int | None], level: int | None) -> int:
    """Counts of a level; "not assessed" also holds any value off the 1–5 scale."""
    if level is not None:
        return counts[level]
    return sum(n for value, n in counts.items() if value not in CONSEQUENCE_LEVELS)


ClosingRows = tuple[Iterable[tuple[float, Any, Any]], Callable[[Any], Any]]


def _closing(closed: QuerySet[Deviation]) -> dict[str, Any]:
    """Time to close and deadlines met, for the cases closed in the period. A deadline is met when
    the case closed before the midnight (local time) that ends the deadline day; that instant is
    worked out once per deadline, not per case."""
    rows, end_of = _sqlite_rows(closed) if connections[closed.db].vendor == "sqlite" else _rows(closed)
    days: list[float] = []
    with_deadline = within = 0
    ends: dict[Any, Any] = {}
    for took, closed_at, deadline in rows:
        days.append(took)
        if deadline is not None:
            end = ends.get(deadline)
            if end is None:
                end = ends[deadline] = end_of(deadline)
            with_deadline += 1
            within += closed_at < end
    return {"closed": len(days), "median_days": pystats.median(days) if days else None,
            "mean_days": pystats.fmean(days) if days else None,
            "closed_with_deadline": with_deadline, "closed_within_deadline": within}


def _rows(closed: QuerySet[Deviation]) -> ClosingRows:
    """(days to close, closed_at, deadline) per case, and the instant that ends a deadline day."""
    rows = ((_days(reported, closed_at), closed_at, deadline) for reported, closed_at, deadline
            in closed.values_list("reported_at", "closed_at", "close_deadline"))
    return rows, lambda day: _midnight(day + ONE_DAY)


def _days(start: dt.datetime, end: dt.datetime | None) -> float:
    assert end is not None  # the filter asks for closed_at in the period
    return (end - start).total_seconds() / 86400


class JulianDay(Func):
    """SQLite's JULIANDAY(): days, with a fraction, since 4714 BC."""

    function = "JULIANDAY"
    output_field = FloatField()


def _sqlite_rows(closed: QuerySet[Deviation]) -> ClosingRows:
    """The same on SQLite, where datetimes are stored as ISO text in UTC: converting thousands of
    them to Python datetimes costs more than the query, so the database gives the days (JULIANDAY)
    and closed_at stays text, compared with the deadline's end written as Django writes datetimes
    there (which is how Django's own lookups compare them on SQLite)."""
    ops = connections[closed.db].ops
    rows = closed.values_list(JulianDay("closed_at") - JulianDay("reported_at"),
                              Cast("closed_at", CharField()), Cast("close_deadline", CharField()))
    return rows, lambda text: ops.adapt_datetimefield_value(
        _midnight(dt.date.fromisoformat(text) + ONE_DAY))


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


def _summary_rows(stats: Statistics) -> list[tuple[Any, ...]]:
    share = stats.within_deadline_share
    return [
        (_("Period"), stats.since, stats.until),
        (_("Reported in the period"), stats.total),
        (_("Closed in the period"), stats.closed),
        (_("Open now"), stats.open),
        (_("Overdue now"), stats.overdue),
        (_("Median days to close"), _round(stats.median_days)),
        (_("Mean days to close"), _round(stats.mean_days)),
        (_("Closed within the deadline (%)"), _round(share)),
        (_("Closed with a deadline"), stats.closed_with_deadline),
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _sheet(book: Any, title: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Any:
    sheet = xlsx.add_sheet(book, title, widths=(40,), freeze="A2")
    xlsx.write_header(sheet, header)
    for row in rows:
        xlsx.write_row(sheet, row)
    return sheet


def _month_sheet(book: Any, stats: Statistics) -> None:
    sheet = _sheet(book, _("By month"), [_("Month"), _("Reported")],
                   ((date_format(m.start, "Y-m"), m.count) for m in stats.months))
    xlsx.add_bar_chart(sheet, _("Cases reported per month"), values_column=2, first_row=1,
                       last_row=len(stats.months) + 1, anchor="D2")


def as_xlsx(unit: Any, stats: Statistics) -> bytes:
    """The statistics as a workbook: a summary sheet, then one sheet per table."""
    book = xlsx.workbook()
    summary = xlsx.add_sheet(book, _("Summary"), widths=(40, 24))
    xlsx.write_row(summary, [_("Deviation statistics: %(unit)s") % {"unit": unit.name}],
                   xlsx.Style.TITLE)
    xlsx.write_row(summary, [_("Exported %(time)s") % {
        "time": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")}])
    xlsx.write_row(summary, [])
    for row in _summary_rows(stats):
        xlsx.write_row(summary, row)
    _month_sheet(book, stats)
    _sheet(book, _("By type"), [_("Type"), _("Reported")],
           ((b.label, b.count) for b in stats.by_type))
    _sheet(book, _("By consequence"), [_("Consequence"), _("Actual"), _("Potential")],
           ((r.label, r.actual, r.potential) for r in stats.consequences))
    _sheet(book, _("By status"), [_("Status now"), _("Reported")],
           ((b.label, b.count) for b in stats.by_status))
    return xlsx.as_bytes(book)
