"""The training gaps as a workbook: made in the request while small, by the task worker past
HMS_DIRECT_EXPORT_ROWS (the maker "competence.gaps_xlsx", which builds it as the person sees the
gaps, with their filters)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import islice
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hms.competence import access, gaps
from hms.competence.forms import GapFilter
from hms.core import documents, prepared, xlsx
from hms.core.documents import XLSX
from hms.org.models import OrgUnit

CHUNK = 2000
MAKER = "competence.gaps_xlsx"


def gap_table(user: Any, unit: OrgUnit, query: Mapping[str, Any]) -> tuple[GapFilter, gaps.GapTable]:
    """The unit's needs as the user sees them under the filters in `query`, and the filter form."""
    form = GapFilter(query or None)
    data = form.cleaned_data if form.is_valid() else {}
    held = gaps.unit_assignments(unit, subtree=bool(data.get("subtree")),
                                 within=access.training_scope(user))
    return form, gaps.gap_table(held, timezone.localdate(), only_gaps=bool(data.get("only_gaps")),
                                course=data.get("course") or "", role=data.get("role") or "")


def filename(unit: OrgUnit) -> str:
    return documents.filename(_("training-gaps"), unit.code, suffix="xlsx")


def _chunks(table: gaps.GapTable) -> Iterator[list[gaps.Need]]:
    """The table's needs, CHUNK rows at a time: the rows read in one pass, their reasons found
    chunk by chunk."""
    rows = table.rows.iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        yield table.needs(chunk)


def workbook(unit: OrgUnit, table: gaps.GapTable, progress: prepared.Progress | None = None,
             total: int = 0) -> Any:
    """The needs as the page lists them, a row each: the person by name, the units where the
    need arises and the course, each as code and name, the standing and the record's dates."""
    book = xlsx.workbook()
    sheet = xlsx.add_sheet(book, _("Training"))
    xlsx.write_row(sheet, [f"{_('Training')}: {unit.name}"], xlsx.Style.TITLE)
    xlsx.write_header(sheet, [_("Person"), _("Username"), _("Unit code"), _("Unit"), _("Roles"),
                              _("Course code"), _("Course"), _("Status"), _("Completed"),
                              _("Expires")])
    done = 0
    for needs in _chunks(table):
        units = OrgUnit.objects.in_bulk({pk for need in needs for pk in need.unit_ids})
        for need in needs:
            where = [units[pk] for pk in sorted(need.unit_ids) if pk in units]
            xlsx.write_row(sheet, [need.person.get_full_name() or need.person.username,
                                   need.person.username, ", ".join(u.code for u in where),
                                   ", ".join(u.name for u in where), ", ".join(need.reasons()),
                                   need.course.code, need.course.name, need.get_standing_display(),
                                   need.record.completed_on if need.record else None,
                                   need.record.expires_on if need.record else None])
        done += len(needs)
        if progress:
            progress(done, total)
    return book


def _unit(params: dict[str, Any]) -> OrgUnit | None:
    return OrgUnit.objects.filter(pk=params.get("unit")).first()


def _allowed(user: Any, params: dict[str, Any]) -> bool:
    unit = _unit(params)
    return unit is not None and access.may_see_training(user, unit)


def _make(user: Any, params: dict[str, Any], progress: prepared.Progress) -> prepared.Made:
    unit = OrgUnit.objects.get(pk=params["unit"])  # allowed() found it just before
    _form, table = gap_table(user, unit, params.get("query", {}))
    book = workbook(unit, table, progress, table.rows.count())
    return prepared.Made(xlsx.as_bytes(book), filename(unit), XLSX)


prepared.register(prepared.Maker(key=MAKER, allowed=_allowed, make=_make))
