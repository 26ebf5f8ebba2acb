"""The action plan as an Excel workbook and as a PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Choices, QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hms.core import xlsx
from hms.core.documents import render_pdf
from hms.measures.models import Measure, Origin, Priority, Status

# Exports join a measure's unit and responsible person rather than prefetch them: a prefetch of
# thousands of people is one OR term per person on SQLite (Django 5.2), past the depth its parser
# accepts. They read only the fields they show: building whole measures, units and people is most
# of a large export's time.
_RELATED = ("org_unit", "responsible")
_FIELDS = ("title", "description", "origin", "deadline", "priority", "cost_estimate", "status",
           "done_date", "effect_note", "org_unit__name", "responsible__first_name",
           "responsible__last_name", "responsible__username")
_CHUNK = 2000


def _rows(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    return measures.select_related(*_RELATED).only(*_FIELDS)


def _labels(choices: type[Choices]) -> dict[Any, str]:
    """Choice labels in the active language, translated once per export, not once per row."""
    return {value: str(label) for value, label in choices.choices}


def _columns() -> list[tuple[str, Callable[[Measure], Any]]]:
    origins, priorities, statuses = _labels(Origin), _labels(Priority), _labels(Status)
    overdue = _("Yes")
    return [
        (_("Unit"), lambda m: m.org_unit.name),
        (_("Measure"), lambda m: m.title),
        (_("Description"), lambda m: m.description),
        (_("Origin"), lambda m: origins.get(m.origin, m.origin)),
        (_("Responsible"), lambda m: str(m.responsible or "")),
        (_("Deadline"), lambda m: m.deadline),
        (_("Priority"), lambda m: priorities.get(m.priority, m.priority)),
        (_("Cost estimate (NOK)"), lambda m: int(m.cost_estimate) if m.cost_estimate is not None
         else None),
        (_("Status"), lambda m: statuses.get(m.status, m.status)),
        (_("Overdue"), lambda m: overdue if m.is_overdue else ""),
        (_("Done date"), lambda m: m.done_date),
        (_("Effect check"), lambda m: m.effect_note),
    ]


WIDTHS = (24, 40, 50, 20, 24, 12, 10, 14, 16, 10, 12, 40)


def plan_xlsx(title: str, measures: QuerySet[Measure], filename: str) -> FileResponse:
    """The plan as a workbook, written row by row and streamed: its time and memory grow with the
    number of measures, never faster."""
    book = xlsx.workbook()
    sheet = xlsx.add_sheet(book, _("Action plan"), widths=WIDTHS, freeze="A5")
    columns = _columns()
    xlsx.write_row(sheet, [title], xlsx.Style.TITLE)
    xlsx.write_row(sheet, [_("Exported %(time)s") % {
        "time": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")}])
    xlsx.write_row(sheet, [])
    xlsx.write_row(sheet, [label for label, _getter in columns], xlsx.Style.HEADER)
    for measure in _rows(measures).iterator(chunk_size=_CHUNK):
        xlsx.write_row(sheet, [getter(measure) for _label, getter in columns])
    return xlsx.download(book, filename)


PDF_MAX_ROWS = 5000


def plan_pdf(title: str, measures: QuerySet[Measure]) -> bytes:
    """The plan as a PDF; past PDF_MAX_ROWS rows it says so and points to the Excel export."""
    return render_pdf("measures/plan_pdf.html", {
        "title": title, "measures": list(_rows(measures)[:PDF_MAX_ROWS]), "total": measures.count(),
        "generated": timezone.localtime()})
