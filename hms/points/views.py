"""The pages of the points: a unit's overview for a year (and its PDF), confirming a point by
hand, and the matrix of a subtree (and its XLSX)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from hms.accounts.types import AuthedRequest
from hms.core.documents import PDF, download, filename, render_pdf
from hms.core.errors import ServiceError
from hms.core.lists import page_of, page_query, render_list
from hms.org import access as org_access
from hms.org.models import OrgUnit
from hms.points import access, exports, services
from hms.points.catalogue import FIRST_YEAR_EVER
from hms.points.evidence import State
from hms.points.forms import ConfirmForm, MatrixFilterForm
from hms.points.matrix import YEARS_CHARTED, Matrix, matrix, share_over_years, with_figures
from hms.points.overview import closing_day, counts, is_closed, points_of, unit_overview

MATRIX_PAGE = 100  # units a page of the matrix


def _unit(request: AuthedRequest, pk: int) -> OrgUnit:
    """A unit whose points the user may see; 404 for anyone else."""
    return org_access.access_unit_where(request.user, pk, access.may_see_points)


def _year(value: Any) -> int:
    """The year asked for: from the first catalogue's year to this one; this year otherwise."""
    this_year = timezone.localdate().year
    year = int(value) if str(value).isdigit() else 0
    return year if FIRST_YEAR_EVER <= year <= this_year else this_year


@require_safe
def unit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _overview(request, _unit(request, pk), _year(request.GET.get("year")))


def _overview(request: AuthedRequest, found: OrgUnit, year: int) -> HttpResponse:
    rows = unit_overview(found, year)
    closed = is_closed(year)
    return render(request, "points/unit.html", {
        "unit": found, "year": year, "counts": counts(row.evidence.state for row in rows), "closed": closed,
        "closes": closing_day(year), "rows": rows,
        "may_confirm": not closed and bool(access.confirming_roles(request.user, found)),
        "years": _years(timezone.localdate().year),
        "may_see_matrix": access.may_see_matrix(request.user, found),
    })


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: AuthedRequest, pk: int, year: int, number: int) -> HttpResponse:
    """A point's page for the leader's or the safety representative's word on it: its figures
    and the form; saved, back to the overview."""
    found = _unit(request, pk)
    roles = access.confirming_roles(request.user, found)
    if not roles:
        raise PermissionDenied  # they see the points, but do not confirm them
    open_year = _year(year) == year and not is_closed(year)
    rows = unit_overview(found, year, number) if number > 0 and open_year else []
    if not rows:
        raise Http404  # no such point, or a year that takes no more words
    form = ConfirmForm(request.POST or None, roles=roles, prefix=f"point{number}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.confirm(actor=request.user, unit=found, year=year, number=number,
                             role=data["role"], verdict=data["verdict"], comment=data["comment"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your word on point %(number)s was saved.") % {"number": number})
            url = reverse("points:unit", args=[found.pk])
            return HttpResponseRedirect(f"{url}?year={year}#point-{number}")
    return render(request, "points/confirm.html", {"unit": found, "year": year, "row": rows[0],
                                                   "form": form},
                  status=400 if form.is_bound else 200)


def _matrix_unit(request: AuthedRequest, pk: int) -> OrgUnit:
    return org_access.access_unit_where(request.user, pk, access.may_see_matrix)


def _matrix_of(request: AuthedRequest, root: OrgUnit) -> tuple[MatrixFilterForm, Matrix]:
    this_year = timezone.localdate().year
    year = _year(request.GET.get("year"))
    form = MatrixFilterForm(request.GET or None, years=_years(this_year), points=points_of(year),
                            initial={"year": year})
    options = form.cleaned_data if form.is_valid() else {}
    found = matrix(root, year, point=options.get("point") or 0, state=options.get("state") or "",
                   sort=options.get("sort") or "tree")
    return form, found


def _years(this_year: int) -> list[int]:
    return list(range(this_year, max(FIRST_YEAR_EVER, this_year - 5) - 1, -1))


@require_safe
def matrix_page(request: AuthedRequest, pk: int) -> HttpResponse:
    root = _matrix_unit(request, pk)
    form, found = _matrix_of(request, root)
    return render_list(request, "points/matrix.html", "matrix", {
        "unit": root, "matrix": found, "filter": SimpleNamespace(form=form, is_bound=form.is_bound),
        "page": page_of(request, found.rows, MATRIX_PAGE), "page_query": page_query(request),
        "shares": share_over_years(root, found.year, found.totals),
        "chart_years": list(range(found.year - YEARS_CHARTED + 1, found.year + 1)),
        "states": list(State)})


@require_safe
def matrix_xlsx(request: AuthedRequest, pk: int) -> FileResponse:
    root = _matrix_unit(request, pk)
    _form, found = _matrix_of(request, root)
    with_figures(found, found.rows)
    return exports.matrix_download(root, found)


@require_safe
def overview_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _unit(request, pk)
    year = _year(request.GET.get("year"))
    rows = unit_overview(found, year)
    content = render_pdf("points/overview_pdf.html", {
        "unit": found, "year": year, "rows": rows, "counts": counts(row.evidence.state for row in rows),
        "closed": is_closed(year), "generated": timezone.localtime()})
    return download(content, PDF, filename(_("hse-points"), found.code, year, suffix="pdf"))
