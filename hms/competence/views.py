from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hms.accounts.types import AuthedRequest
from hms.competence import access, exports, gaps, services
from hms.competence.forms import ImportForm, TrainingForm
from hms.competence.models import TrainingRecord
from hms.core import prepared, xlsx
from hms.core.documents import download
from hms.core.errors import RecordGone, ServiceError, StaleEdit
from hms.core.lists import page_of
from hms.core.models import AuditEvent
from hms.core.requests import posted
from hms.core.roles import Action
from hms.core.tabular import oversized_import
from hms.org import access as org_access
from hms.org.models import OrgUnit, RoleAssignment

PAGE_SIZE = 50
EXAMPLE_CSV = ("person,course,completed,expires\n"
               "kari.nordmann@example.org,safety-rep-basic,2025-09-15,\n"
               "ola,HMS-introduksjon for laboratoriearbeid,01.02.2026,01.02.2029\n")



def _seeing(request: AuthedRequest, pk: int) -> OrgUnit:
    """A unit whose training the user may see (404 otherwise)."""
    return org_access.access_unit_where(request.user, pk, access.may_see_training)


def _recording(request: AuthedRequest, pk: int) -> OrgUnit:
    return org_access.access_unit_where(request.user, pk, access.may_record_training)


@require_safe
def overview(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who must have which training in the unit, and where each stands."""
    unit = _seeing(request, pk)
    form, table = exports.gap_table(request.user, unit, request.GET)
    counts, people = table.summary()
    page = page_of(request, table.rows, PAGE_SIZE)
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    return render(request, "competence/overview.html", {
        "unit": unit, "form": form, "page": page, "page_query": f"{query}&" if query else "",
        "needs": table.needs(page.object_list), "counts": counts, "people": people,
        "query": query, "may_record": access.may_record_training(request.user, unit),
        "warn_days": settings.HMS_TRAINING_WARN_DAYS})


@require_safe
def overview_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    """The shown needs as a workbook: streamed while small, made by the worker past
    HMS_DIRECT_EXPORT_ROWS rows (the count is one query)."""
    unit = _seeing(request, pk)
    _form, table = exports.gap_table(request.user, unit, request.GET)
    return prepared.direct_or_prepared(
        request, rows=table.rows.count(),
        direct=lambda: xlsx.download(exports.workbook(unit, table), exports.filename(unit)),
        maker=exports.MAKER, params={"unit": unit.pk, "query": request.GET.dict()},
        title=_("Training: %(unit)s") % {"unit": unit.name})


@require_safe
def records(request: AuthedRequest, pk: int) -> HttpResponse:
    """The training records of the unit's people."""
    unit = _seeing(request, pk)
    people = RoleAssignment.objects.active().filter(org_unit=unit).values("person")
    found = (TrainingRecord.objects.visible_to(request.user).filter(person__in=people)
             .select_related("person", "course").order_by("person__last_name",
                                                          "person__first_name", "-completed_on"))
    return render(request, "competence/records.html", {
        "unit": unit, "page": page_of(request, found, PAGE_SIZE),
        "page_query": "", "may_record": access.may_record_training(request.user, unit),
        "today": timezone.localdate()})


def create(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _recording(request, pk)
    form = TrainingForm(posted(request), unit=unit, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_training(actor=request.user, org_unit=unit, data=form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The training was recorded."))
            return HttpResponseRedirect(reverse("competence:overview", args=[unit.pk]))
    return render(request, "competence/record_form.html", {"form": form, "unit": unit})


def _initial(request: AuthedRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"completed_on": timezone.localdate()}
    for key in ("person", "course"):
        value = request.GET.get(key, "")
        if value.isdigit():
            initial[key] = int(value)
    return initial


def _editable(request: AuthedRequest, pk: int) -> TrainingRecord:
    """A record the user may correct; 404 if they may not see it, 403 if they only see it."""
    record = access.access_training_record(request.user, pk, Action.VIEW)
    if not access.training_editable_people(request.user, [record.person_id]):
        raise PermissionDenied
    return record


def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    record = _editable(request, pk)
    form = TrainingForm(posted(request), instance=copy.copy(record))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_training(actor=request.user, record=record, data=form.cleaned_data,
                                     version=form.cleaned_data.get("version") or 0)
        except StaleEdit as error:
            form.add_error(None, error.message)
            stale = error.current
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The training record was saved."))
            return HttpResponseRedirect(_after(record))
    return render(request, "competence/record_form.html", {
        "form": form, "record": record, "unit": record.org_unit, "stale": stale,
        "history": AuditEvent.objects.for_object(record).select_related("actor")[:50]})


def _after(record: TrainingRecord) -> str:
    if record.org_unit_id:
        return reverse("competence:records", args=[record.org_unit_id])
    return reverse("competence:mine")


@require_POST
def delete(request: AuthedRequest, pk: int) -> HttpResponse:
    record = _editable(request, pk)
    try:
        services.delete_training(actor=request.user, record=record)
    except RecordGone:
        messages.error(request, _("Someone else deleted this training record already."))
    else:
        messages.success(request, _("The training record was deleted."))
    return HttpResponseRedirect(_after(record))


def import_file(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _recording(request, pk)
    if refused := oversized_import(request):
        messages.error(request, refused)
        return HttpResponseRedirect(reverse("competence:import", args=[unit.pk]))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.import_trainings(actor=request.user, org_unit=unit,
                                               upload=form.cleaned_data["file"])
        except ServiceError as error:
            form.add_error("file", error.message)
        if report and report.ok:
            messages.success(request, _("Imported: %(created)d created, %(updated)d updated, "
                                        "%(unchanged)d unchanged.") % vars(report))
    return render(request, "competence/import.html", {"form": form, "report": report,
                                                      "unit": unit})


@require_safe
def example(request: AuthedRequest) -> HttpResponse:
    """A file to start an import from."""
    return download(EXAMPLE_CSV.encode("utf-8"), "text/csv; charset=utf-8", "training-example.csv")


@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    """What the signed-in person must have, what they have, and what expires."""
    today = timezone.localdate()
    needs = gaps.needs_of(RoleAssignment.objects.active().filter(person=request.user), today)
    own = TrainingRecord.objects.filter(person=request.user).select_related("course")
    return render(request, "competence/mine.html", {
        "needs": needs, "records": own, "today": today, "counts": gaps.counts(needs)})
