"""The action plan as an Excel workbook and as a PDF: at once for a unit, from the task worker for a
faculty or the university (`core.prepared`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Choices, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hms.core import prepared, xlsx
from hms.core.documents import PDF, XLSX, filename, render_pdf
from hms.core.roles import Action
from hms.measures.forms import MeasureFilter
from hms.measures.models import Measure, Origin, Priority, Status
from hms.org import access as org_access
from hms.org.models import OrgUnit

# Exports join a measure's unit and responsible person rather than prefetch them: a prefetch of
# thousands of people is one OR term per person on SQLite (Django 5.2), past the depth its parser
# accepts. They read only the fields they show: building whole measures, units and people is most
# of a large export's time.
_RELATED = ("org_unit", "responsible")
_FIELDS = ("title", "description", "origin", "deadline", "priority", "cost_estimate", "status",
           "done_date", "effect_note", "org_unit__code", "org_unit__name", "responsible__first_name",
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
        (_("Unit code"), lambda m: m.org_unit.code),
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


WIDTHS = (10, 24, 40, 50, 20, 24, 12, 10, 14, 16, 10, 12, 40)


def plan_measures(user: Any, unit: OrgUnit, query: QueryDict) -> tuple[MeasureFilter, Any]:
    """The plan's measures as the page shows them to the user under its filters (`query`): the
    unit's with its sub-units unless `scope=unit`."""
    measures = Measure.objects.in_plan(user, unit, subtree=query.get("scope") != "unit")
    measure_filter = MeasureFilter(query or None, queryset=measures, unit=unit)
    return measure_filter, measure_filter.qs


def plan_title(unit: OrgUnit) -> str:
    return _("HSE action plan: %(unit)s") % {"unit": unit.name}


def plan_filename(unit: OrgUnit, suffix: str) -> str:
    return filename(_("action-plan"), unit.code, suffix=suffix)


def plan_workbook(title: str, measures: QuerySet[Measure], progress: prepared.Progress | None = None,
                  total: int = 0) -> Any:
    """The plan as a workbook, written row by row: its time and memory grow with the number of
    measures, never faster. `progress(done, total)` hears of each chunk written."""
    book = xlsx.workbook()
    sheet = xlsx.add_sheet(book, _("Action plan"), widths=WIDTHS, freeze="A5")
    columns = _columns()
    xlsx.write_row(sheet, [title], xlsx.Style.TITLE)
    xlsx.write_row(sheet, [_("Exported %(time)s") % {
        "time": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")}])
    xlsx.write_row(sheet, [])
    xlsx.write_header(sheet, [label for label, _getter in columns])
    for done, measure in enumerate(_rows(measures).iterator(chunk_size=_CHUNK), start=1):
        xlsx.write_row(sheet, [getter(measure) for _label, getter in columns])
        if progress is not None and done % _CHUNK == 0:
            progress(done, total)
    return book


def plan_pdf(title: str, measures: QuerySet[Measure]) -> bytes:
    """The plan as a PDF (the caller keeps it within HMS_PDF_MAX_ROWS)."""
    return render_pdf("measures/plan_pdf.html", {
        "title": title, "measures": list(_rows(measures)), "generated": timezone.localtime()})


# --- Made by the task worker: a plan past HMS_DIRECT_EXPORT_ROWS (XLSX) or HMS_DIRECT_PDF_ROWS ----


def _unit_of(user: Any, params: dict[str, Any]) -> OrgUnit | None:
    try:
        return org_access.access_unit_where(user, params["unit"], org_access.in_unit_scope(Action.VIEW))
    except Http404:
        return None


def _plan_of(user: Any, params: dict[str, Any]) -> tuple[OrgUnit, Any]:
    unit = _unit_of(user, params)
    if unit is None:
        raise Http404
    return unit, plan_measures(user, unit, QueryDict(params["query"]))[1]


def _make_xlsx(user: Any, params: dict[str, Any], progress: prepared.Progress) -> prepared.Made:
    unit, measures = _plan_of(user, params)
    total = measures.count()
    book = plan_workbook(plan_title(unit), measures, progress, total)
    progress(total, total)
    return prepared.Made(xlsx.as_bytes(book), plan_filename(unit, "xlsx"), XLSX)


def _make_pdf(user: Any, params: dict[str, Any], progress: prepared.Progress) -> prepared.Made:
    unit, measures = _plan_of(user, params)
    progress(0, 1)
    content = plan_pdf(plan_title(unit), measures)
    progress(1, 1)
    return prepared.Made(content, plan_filename(unit, "pdf"), PDF)


def _may_see_plan(user: Any, params: dict[str, Any]) -> bool:
    return _unit_of(user, params) is not None


PLAN_XLSX = prepared.register(prepared.Maker("measures.plan_xlsx", _may_see_plan, _make_xlsx))
PLAN_PDF = prepared.register(prepared.Maker("measures.plan_pdf", _may_see_plan, _make_pdf))
