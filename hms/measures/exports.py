"""The action plan as an Excel workbook and as a PDF."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hms.core.documents import as_text_not_formula, render_pdf
from hms.measures.models import Measure


def _columns() -> list[tuple[str, Any]]:
    return [
        (_("Unit"), lambda m: m.org_unit.name),
        (_("Measure"), lambda m: m.title),
        (_("Description"), lambda m: m.description),
        (_("Origin"), lambda m: m.get_origin_display()),
        (_("Responsible"), lambda m: str(m.responsible or "")),
        (_("Deadline"), lambda m: m.deadline),
        (_("Priority"), lambda m: m.get_priority_display()),
        (_("Cost estimate (NOK)"), lambda m: int(m.cost_estimate) if m.cost_estimate is not None
         else None),
        (_("Status"), lambda m: m.get_status_display()),
        (_("Overdue"), lambda m: _("Yes") if m.is_overdue else ""),
        (_("Done date"), lambda m: m.done_date),
        (_("Effect check"), lambda m: m.effect_note),
    ]


def plan_xlsx(title: str, measures: Iterable[Measure]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Action plan")[:31]
    columns = _columns()
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Exported %(time)s") % {"time": date_format(timezone.localtime(),
                                                                  "SHORT_DATETIME_FORMAT")}])
    sheet.append([])
    sheet.append([label for label, _getter in columns])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for measure in measures:
        sheet.append([getter(measure) for _label, getter in columns])
        as_text_not_formula(sheet[sheet.max_row])
    for letter, width in zip("ABCDEFGHIJKL", (24, 40, 50, 20, 24, 12, 10, 14, 16, 10, 12, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PDF_MAX_ROWS = 5000


def plan_pdf(title: str, measures: QuerySet[Measure]) -> bytes:
    """The plan as a PDF; past PDF_MAX_ROWS rows it says so and points to the Excel export."""
    return render_pdf("measures/plan_pdf.html", {
        "title": title, "measures": list(measures[:PDF_MAX_ROWS]), "total": measures.count(),
        "generated": timezone.localtime()})
