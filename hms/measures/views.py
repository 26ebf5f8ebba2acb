from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hms.accounts.types import AuthedRequest
from hms.core import prepared, xlsx
from hms.core.documents import PDF, download
from hms.core.errors import ServiceError, StaleEdit
from hms.core.lists import page_of, page_query, render_list
from hms.core.models import AuditEvent
from hms.core.roles import Action
from hms.measures import access, exports, services
from hms.measures.forms import MeasureFilter, MeasureForm, PlanOwnerForm, TransitionForm
from hms.measures.models import Measure, Status
from hms.org import access as org_access
from hms.org.models import OrgUnit

PAGE_SIZE = 50
# Lists fetch their page of measures alone and the related rows after: joining first would make a
# large plan join every row before sorting and cutting the page (exports join: exports.py).
LIST_RELATED = ("org_unit", "responsible")


def _plan_unit(request: AuthedRequest, pk: int) -> OrgUnit:
    """The unit whose plan is asked for: only those who may view its measures get it."""
    return org_access.access_unit_where(request.user, pk, org_access.in_unit_scope(Action.VIEW))


def _plan_queryset(request: AuthedRequest, unit: OrgUnit) -> tuple[MeasureFilter, Any]:
    return exports.plan_measures(request.user, unit, request.GET)


@require_safe
def plan(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _plan_unit(request, pk)
    measure_filter, measures = _plan_queryset(request, unit)
    page = page_of(request, measures.prefetch_related(*LIST_RELATED), PAGE_SIZE)
    context = {
        "unit": unit, "filter": measure_filter, "page": page,
        "may_create": org_access.can_in_unit(request.user, Action.CREATE, unit),
        "may_manage": org_access.scope(request.user, Action.MANAGE).contains(unit),
        "owner_form": PlanOwnerForm(unit=unit, initial={"owner": unit.plan_owner_id}),
        "querystring": request.GET.urlencode(),
        "page_query": page_query(request),
    }
    return render_list(request, "measures/plan.html", "plan-table", context)


@require_safe
def export_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    """The plan in Excel: at once for a unit's plan, from the task worker for a large one."""
    unit = _plan_unit(request, pk)
    _filter, measures = _plan_queryset(request, unit)
    title = exports.plan_title(unit)
    return prepared.direct_or_prepared(
        request, rows=measures.count(), maker=exports.PLAN_XLSX.key,
        direct=lambda: xlsx.download(exports.plan_workbook(title, measures),
                                     exports.plan_filename(unit, "xlsx")),
        params={"unit": unit.pk, "query": request.GET.urlencode()}, title=f"{title} (Excel)")


@require_safe
def export_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The plan as a PDF: at once while short, from the task worker while it fits in the renderer's
    memory (HMS_PDF_MAX_ROWS), and past that refused with the way to the Excel export."""
    unit = _plan_unit(request, pk)
    _filter, measures = _plan_queryset(request, unit)
    rows = measures.count()
    if rows > settings.HMS_PDF_MAX_ROWS:
        messages.error(request, _(
            "The plan holds %(n)s measures, more than one PDF can take (%(max)s). Export it to "
            "Excel, or narrow it with the filters first.") % {"n": rows, "max": settings.HMS_PDF_MAX_ROWS})
        return HttpResponseRedirect(f"{reverse('measures:plan', args=[unit.pk])}?{request.GET.urlencode()}")
    title = exports.plan_title(unit)
    return prepared.direct_or_prepared(
        request, rows=rows, limit=settings.HMS_DIRECT_PDF_ROWS, maker=exports.PLAN_PDF.key,
        direct=lambda: download(exports.plan_pdf(title, measures), PDF,
                                exports.plan_filename(unit, "pdf")),
        params={"unit": unit.pk, "query": request.GET.urlencode()}, title=f"{title} (PDF)")


@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    measures = (Measure.objects.visible_to(request.user, Action.VIEW)
                .filter(responsible=request.user).prefetch_related(*LIST_RELATED))
    show_all = request.GET.get("show") == "all"
    if not show_all:
        measures = measures.open()
    page = page_of(request, measures, PAGE_SIZE)
    return render(request, "measures/mine.html",
                  {"page": page, "show_all": show_all, "page_query": page_query(request)})


def create(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = org_access.access_unit(request.user, pk, Action.CREATE)
    form = MeasureForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.create_measure(actor=request.user, org_unit=unit,
                                              data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The measure was added to the action plan."))
            return HttpResponseRedirect(reverse("measures:detail", args=[measure.pk]))
    return render(request, "measures/measure_form.html", {"form": form, "unit": unit})


@require_safe
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = access.access_measure(request.user, pk, Action.VIEW)
    transitions = [
        (to, Status(to).label) for to, action in measure.allowed_transitions().items()
        if access.can_measure(request.user, action, measure)
    ]
    context = {
        "measure": measure,
        "transitions": transitions,
        "may_edit": access.can_measure(request.user, Action.EDIT, measure),
        "history": AuditEvent.objects.for_object(measure).select_related("actor")[:100],
        "origin_record": measure.origin_record if measure.origin_type_id else None,
    }
    return render(request, "measures/measure_detail.html", context)


def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = access.access_measure(request.user, pk, Action.EDIT)
    # The form works on a copy, so the service still sees the values before the edit.
    form = MeasureForm(request.POST or None, instance=copy.copy(measure),
                       unit=measure.org_unit)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_measure(actor=request.user, measure=measure, data=form.cleaned_data,
                                    version=form.cleaned_data.get("version") or 0)
        except StaleEdit as stale:
            current = stale.current
            form.add_error(None, stale.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The measure was saved."))
            return HttpResponseRedirect(reverse("measures:detail", args=[measure.pk]))
    return render(request, "measures/measure_form.html",
                  {"form": form, "unit": measure.org_unit, "measure": measure, "current": current})


@require_POST
def transition(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = access.access_measure(request.user, pk, Action.VIEW)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The status change was not understood. Nothing was changed."))
    else:
        try:
            services.transition_measure(
                actor=request.user, measure=measure, to=form.cleaned_data["to"],
                version=form.cleaned_data["version"], note=form.cleaned_data["note"],
                done_date=form.cleaned_data["done_date"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The status is now “%(status)s”.") % {
                "status": Status(form.cleaned_data["to"]).label})
    return HttpResponseRedirect(reverse("measures:detail", args=[measure.pk]))


@require_POST
def set_owner(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = org_access.access_unit(request.user, pk, Action.MANAGE)
    form = PlanOwnerForm(request.POST, unit=unit)
    if form.is_valid():
        services.set_plan_owner(actor=request.user, org_unit=unit, owner=form.cleaned_data["owner"])
        messages.success(request, _("The follow-up owner of the action plan was saved."))
    else:
        messages.error(request, _("Choose a person from the unit."))
    return HttpResponseRedirect(reverse("measures:plan", args=[unit.pk]))
