"""The matrix as a workbook: the states of every unit and point, the figures behind each, and the
totals per point against the year before; the same matrix the page shows."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _

from hms.core import xlsx
from hms.core.documents import filename
from hms.org.models import OrgUnit
from hms.points.evidence import Evidence, State
from hms.points.matrix import Matrix


def matrix_download(root: OrgUnit, found: Matrix) -> FileResponse:
    book = xlsx.workbook()
    _states_sheet(book, found)
    _figures_sheet(book, found)
    _totals_sheet(book, found)
    return xlsx.download(book, filename(_("hse-points"), root.code, found.year, suffix="xlsx"))


def _label(evidence: Evidence) -> str:
    return str(State(evidence.state).label)


def _states_sheet(book: Any, found: Matrix) -> None:
    sheet = xlsx.add_sheet(book, _("Matrix %(year)s") % {"year": found.year},
                           widths=(12, 36, *([14] * len(found.points))), freeze="C2")
    xlsx.write_header(sheet, [_("Unit code"), _("Unit"), *(f"{point.number}. {point.short}"
                                                           for point in found.points)],
                      xlsx.Style.WRAPPED_HEADER)
    for row in found.rows:
        xlsx.write_row(sheet, [row.unit.code, row.unit.name, *map(_label, row.cells)])


def _figures_sheet(book: Any, found: Matrix) -> None:
    sheet = xlsx.add_sheet(book, _("Figures"), widths=(12, 36, 8, 36, 16, 70, 50), freeze="A2")
    xlsx.write_header(sheet, [_("Unit code"), _("Unit"), _("Point"), _("Characteristic"),
                              _("State"), _("Figures"), _("Next")])
    for row in found.rows:
        for point, evidence in zip(found.points, row.cells, strict=True):
            xlsx.write_row(sheet, [row.unit.code, row.unit.name, point.number, point.short,
                                   _label(evidence), "\n".join(map(str, evidence.figures)),
                                   "\n".join(str(link.text) for link in evidence.missing)])


def _totals_sheet(book: Any, found: Matrix) -> None:
    sheet = xlsx.add_sheet(book, _("Totals"), widths=(8, 40, 14, 14, 14, 14), freeze="A2")
    xlsx.write_header(sheet, [_("Point"), _("Characteristic"),
                              _("Units met %(year)s") % {"year": found.year},
                              _("Units counted %(year)s") % {"year": found.year},
                              _("Units met %(year)s") % {"year": found.year - 1},
                              _("Units counted %(year)s") % {"year": found.year - 1}])
    for total in found.totals:
        xlsx.write_row(sheet, [total.point.number, total.point.short, total.met, total.counted,
                               "" if total.met_before is None else total.met_before,
                               "" if total.counted_before is None else total.counted_before])
