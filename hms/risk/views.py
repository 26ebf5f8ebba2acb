from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from hms.accounts.types import AuthedRequest
from hms.core import prepared
from hms.core.documents import PDF, XLSX, download
from hms.core.errors import RecordGone, ServiceError, StaleEdit
from hms.core.lists import filtered_page, page_query, render_list, wants_subtree
from hms.core.models import AuditEvent
from hms.core.requests import save_through
from hms.core.roles import Action
from hms.measures.forms import MeasureForm
from hms.org import access as org_access
from hms.org.models import OrgUnit, RoleAssignment
from hms.risk import access, documents, heatmap, services, spreadsheet
from hms.risk.diff import differences
from hms.risk.forms import AssessmentFilter, AssessmentForm, ImportForm, RowForm, StatusForm
from hms.risk.models import (
    STATUSES_BEFORE_APPROVAL,
    AssessmentKind,
    AssessmentStatus,
    RiskAssessment,
    RiskMatrix,
    RiskRow,
)

PAGE_SIZE = 50


def _unit(request: AuthedRequest, pk: int, action: str = Action.VIEW) -> OrgUnit:
    """A unit whose assessments the user may see (or act on); 404 otherwise."""
    return org_access.access_unit_where(request.user, pk, org_access.in_unit_scope(action))


# --- Lists and heat maps -------------------------------------------------------------------------


LIST_ORDER = ("org_unit__path", "-created_at", "-pk")


def _with_counts(page_of_assessments: Any) -> list[RiskAssessment]:
    """One page of a list, with its colour counts. The list is counted and paged without joining
    the rows (a unit may have thousands of assessments); only the page's assessments are
    annotated, in the same query that picks them (the page's ids as a subquery)."""
    return list(RiskAssessment.objects.filter(pk__in=page_of_assessments.values("pk"))
                .with_counts().select_related("org_unit").order_by(*LIST_ORDER))


@require_safe
def unit_list(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    assessments = (RiskAssessment.objects.in_unit(request.user, unit, subtree=wants_subtree(request.GET))
                   .order_by(*LIST_ORDER))
    assessment_filter, page = filtered_page(request, AssessmentFilter, assessments, PAGE_SIZE)
    page.object_list = _with_counts(page.object_list)
    context = {
        "unit": unit, "filter": assessment_filter, "page": page, "today": timezone.localdate(),
        "page_query": page_query(request),
        "may_create": org_access.can_in_unit(request.user, Action.CREATE, unit),
    }
    return render_list(request, "risk/assessment_list.html", "list", context)


@require_safe
def unit_heatmap(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every approved assessment of the unit and its sub-units, rows counted in one matrix."""
    unit = _unit(request, pk)
    matrix = RiskMatrix.objects.current()
    approved = RiskAssessment.objects.in_unit(request.user, unit).filter(
        status=AssessmentStatus.APPROVED)
    kind = request.GET.get("kind")
    if kind in AssessmentKind.values:
        approved = approved.filter(kind=kind)
    rows = RiskRow.objects.filter(assessment__in=approved.values("pk"))
    context: dict[str, Any] = {"unit": unit, "matrix": matrix, "kind": kind,
                               "assessment_count": approved.count()}
    if matrix is not None:
        context["before"], context["after"] = heatmap.before_and_after(matrix, rows)
    return render(request, "risk/unit_heatmap.html", context)


# --- Create, import, header ----------------------------------------------------------------------


def create(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.CREATE)
    initial = _initial_from_mapping_row(request, unit)
    form = AssessmentForm(request.POST or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.create_assessment(
                actor=request.user, org_unit=unit, kind=data["kind"], data=data,
                participants=tuple(data["participants"]))
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The risk assessment was created. Add its rows below."))
            return HttpResponseRedirect(reverse("risk:detail", args=[assessment.pk]))
    return render(request, "risk/assessment_form.html", _form_context(form, unit))


def _initial_from_mapping_row(request: AuthedRequest, unit: OrgUnit) -> dict[str, Any]:
    """A detailed assessment started from a mapping row flagged "needs a detailed assessment"."""
    if not request.GET.get("row"):
        return {}
    row = access.access_row(request.user, request.GET["row"], Action.VIEW)
    return {"kind": AssessmentKind.DETAILED, "mapping_row": row.pk,
            "title": row.activity or row.unwanted_event, "scope": row.unwanted_event}


def _form_context(form: AssessmentForm, unit: OrgUnit, **extra: Any) -> dict[str, Any]:
    """The form, and whether to warn that none of the unit's safety representatives takes part."""
    reps = [a.person for a in RoleAssignment.objects.safety_reps_of(unit).select_related("person")]
    chosen = {str(pk) for pk in form["participants"].value() or []}
    return {"form": form, "unit": unit, "safety_reps": reps,
            "reps_missing": bool(reps) and not any(str(rep.pk) in chosen for rep in reps), **extra}


def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = access.access_assessment(request.user, pk, Action.EDIT)
    unit = assessment.org_unit
    form = AssessmentForm(request.POST or None, instance=copy.copy(assessment), unit=unit)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, current = save_through(form, lambda: services.update_assessment(
            actor=request.user, assessment=assessment, data=data,
            version=data.get("version") or 0, participants=list(data["participants"])))
        if saved:
            messages.success(request, _("The assessment was saved."))
            return HttpResponseRedirect(reverse("risk:detail", args=[assessment.pk]))
    return render(request, "risk/assessment_form.html",
                  _form_context(form, unit, assessment=assessment, current=current))


def import_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.CREATE)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > settings.HMS_MAX_IMPORT_BYTES + 64 * 1024:
        messages.error(request, _("The file is too large (at most %(mb)d MB).")
                       % {"mb": settings.HMS_MAX_IMPORT_BYTES // (1024 * 1024)})
        return HttpResponseRedirect(reverse("risk:import", args=[unit.pk]))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            assessment, report = services.import_assessment(actor=request.user, org_unit=unit,
                                                            upload=form.cleaned_data["file"])
        except ServiceError as error:
            form.add_error("file", error.message)
        else:
            if assessment is not None:
                messages.success(request, _("Imported a draft assessment with %(n)d rows.") % {
                    "n": report.created})
                return HttpResponseRedirect(reverse("risk:detail", args=[assessment.pk]))
    return render(request, "risk/import.html", {"form": form, "report": report, "unit": unit})


# --- The assessment ------------------------------------------------------------------------------


def _workflow_steps(user: Any, assessment: RiskAssessment) -> list[tuple[str, str]]:
    status = assessment.status
    steps = []
    may_edit = access.can_assessment(user, Action.EDIT, assessment)
    if assessment.is_editable and may_edit:
        steps.append(("submit", _("Send for approval")))
    if status == AssessmentStatus.IN_REVIEW:
        if access.can_assessment(user, Action.MANAGE, assessment):
            steps.append(("approve", _("Approve")))
        if may_edit:
            steps.append(("send_back", _("Send back for changes")))
    if status == AssessmentStatus.APPROVED and may_edit:
        steps.append(("revise", _("Start a revision")))
    return steps


def _missing_safety_reps(assessment: RiskAssessment) -> list[Any]:
    """The unit's safety representatives when none of them takes part (the warning's subject)."""
    reps = [a.person for a in RoleAssignment.objects.safety_reps_of(assessment.org_unit)
            .select_related("person")]
    taking_part = set(assessment.participants.values_list("pk", flat=True))
    return [] if any(rep.pk in taking_part for rep in reps) else reps


@require_safe
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = access.access_assessment(request.user, pk, Action.VIEW)
    rows = assessment.rows_with_matrix()
    matrix = assessment.matrix
    may_edit = assessment.is_editable and access.can_assessment(request.user, Action.EDIT, assessment)
    measures = RiskRow.live_measures(rows)
    context = {
        "assessment": assessment, "unit": assessment.org_unit, "matrix": matrix,
        "rows": list(zip(rows, RowForm.for_rows(rows) if may_edit else [None] * len(rows),
                         [measures.get(row.pk, []) for row in rows], strict=True)),
        "may_edit": may_edit,
        "may_add_measure": assessment.status != AssessmentStatus.ARCHIVED
        and access.can_assessment(request.user, Action.EDIT, assessment),
        "steps": _workflow_steps(request.user, assessment),
        "problems": assessment.approval_problems(rows, measures)
        if assessment.status in STATUSES_BEFORE_APPROVAL else [],
        "before": heatmap.of_rows(matrix, rows), "after": heatmap.of_rows(matrix, rows, residual=True),
        "participants": assessment.participants.order_by("last_name", "first_name"),
        "missing_reps": _missing_safety_reps(assessment),
        "versions": _versions(assessment),
        "changes": _changes(assessment),
        "areas": matrix.areas(),
        "today": timezone.localdate(),
        "history": AuditEvent.objects.for_object(assessment).select_related("actor")[:100],
    }
    return render(request, "risk/assessment_detail.html", context)


def _changes(assessment: RiskAssessment) -> Any:
    """A live revision's differences from the approved version it started from."""
    previous = assessment.revision_of
    if previous is None or assessment.status == AssessmentStatus.ARCHIVED:
        return None
    return differences(previous, assessment)


def _versions(assessment: RiskAssessment) -> list[RiskAssessment]:
    """Every version of the assessment, newest first: the ones it revises and the ones revising it."""
    chain = [assessment]
    older = assessment.revision_of
    while older is not None:
        chain.append(older)
        older = older.revision_of
    newer = assessment.revisions.first()
    while newer is not None:
        chain.insert(0, newer)
        newer = newer.revisions.first()
    return chain if len(chain) > 1 else []


@require_POST
def step(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = access.access_assessment(request.user, pk, Action.VIEW)
    form = StatusForm(request.POST)
    target = assessment
    if not form.is_valid():
        messages.error(request, _("The step was not understood. Nothing was changed."))
    elif form.cleaned_data["version"] != assessment.version:
        messages.error(request, _("Someone else changed the assessment meanwhile. Look it over and "
                                  "try again."))
    else:
        take, done = STEPS[form.cleaned_data["step"]]
        try:
            target = take(actor=request.user, assessment=assessment)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, str(done))
    return HttpResponseRedirect(reverse("risk:detail", args=[target.pk]))


STEPS: dict[str, tuple[Any, Any]] = {
    "submit": (services.submit_for_review, gettext_lazy("The assessment was sent for approval.")),
    "send_back": (services.send_back, gettext_lazy("The assessment was sent back for changes.")),
    "approve": (services.approve_assessment, gettext_lazy("The assessment is approved.")),
    "revise": (services.start_revision,
               gettext_lazy("A revision was started from the approved version.")),
}


# --- Rows: the in-place editor talks JSON; without JavaScript the same URLs redirect -------------


def _wants_json(request: AuthedRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back_to_row(row_or_assessment: Any) -> HttpResponseRedirect:
    if isinstance(row_or_assessment, RiskRow):
        return HttpResponseRedirect(reverse("risk:detail", args=[row_or_assessment.assessment_id])
                                    + f"#row-{row_or_assessment.pk}")
    return HttpResponseRedirect(reverse("risk:detail", args=[row_or_assessment.pk]))


def _refused(request: AuthedRequest, row: RiskRow | RiskAssessment, message: Any, status: int = 400,
             **extra: Any) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"message": str(message), **extra}, status=status)
    messages.error(request, str(message))
    return _back_to_row(row)


def _computed_cells(row: RiskRow) -> dict[str, str]:
    context = {"row": row, "matrix": row.assessment.matrix}
    return {f"{name}-{row.pk}": render_to_string(f"risk/_row_{name}.html", context)
            for name in ("risk", "residual")}


@require_POST
def save_row(request: AuthedRequest, pk: int) -> HttpResponse:
    row = access.access_row(request.user, pk, Action.EDIT)
    form = RowForm.for_row(row, request.POST)
    if not form.is_valid():
        errors = {name: [str(e) for e in found] for name, found in form.errors.items()}
        return _refused(request, row, _("Not saved: %(problems)s") % {
            "problems": " ".join(" ".join(found) for found in errors.values())}, errors=errors)
    try:
        fresh = services.update_row(actor=request.user, row=row, data=form.row_data(),
                                    version=form.cleaned_data["version"])
    except StaleEdit as stale:
        return _refused(request, row, stale.message, status=409, version=stale.current.version,
                        theirs=_row_summary(RowForm.for_row(stale.current)))
    except RecordGone as gone:
        return _row_gone(request, row, form, gone.message)
    except ServiceError as error:
        return _refused(request, row, error.message)
    fresh.assessment = row.assessment
    if not _wants_json(request):
        messages.success(request, _("Row %(n)d was saved.") % {"n": fresh.position})
        return _back_to_row(fresh)
    return JsonResponse({"version": fresh.version, "cells": _computed_cells(fresh),
                         "message": _("Saved")})


def _row_gone(request: AuthedRequest, row: RiskRow, form: RowForm, message: Any) -> HttpResponse:
    """The row was removed while this person edited it: the editor keeps their text in the row
    (410 with the message); without JavaScript a page shows the message and what they typed."""
    if _wants_json(request):
        return JsonResponse({"message": str(message)}, status=410)
    return render(request, "risk/row_gone.html", {
        "message": message, "assessment": row.assessment,
        "typed": _row_summary(form, form.cleaned_data)}, status=410)


def _row_summary(form: RowForm, typed: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """A row's values as (label, value): what another person saved (the form's initial values),
    or what this person typed (`typed`, the form's cleaned data)."""
    values = form.initial if typed is None else typed
    summary = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        value = values.get(name)
        choices = dict(getattr(field, "choices", []) or [])
        shown = choices.get(str(value), choices.get(value, value)) if choices else value
        summary.append((capfirst(str(field.label)), "–" if shown in (None, "", False) else str(shown)))
    return summary


@require_POST
def add_row(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = access.access_assessment(request.user, pk, Action.EDIT)
    try:
        row = services.add_row(actor=request.user, assessment=assessment, data={})
    except ServiceError as error:
        if _wants_json(request):
            return JsonResponse({"message": str(error.message)}, status=400)
        messages.error(request, error.message)
        return _back_to_row(assessment)
    row.assessment = assessment
    if not _wants_json(request):
        return _back_to_row(row)
    html = render_to_string("risk/_row.html", {
        "row": row, "form": RowForm.for_row(row), "matrix": assessment.matrix,
        "areas": assessment.matrix.areas(), "assessment": assessment, "may_edit": True,
        "may_add_measure": True, "row_measures": []}, request=request)
    return JsonResponse({"html": html, "id": f"row-{row.pk}"})


@require_POST
def delete_row(request: AuthedRequest, pk: int) -> HttpResponse:
    row = access.access_row(request.user, pk, Action.EDIT)
    try:
        services.delete_row(actor=request.user, row=row)
    except RecordGone:
        return _refused(request, row.assessment, _("Someone else removed this row already."),
                        status=410)
    except ServiceError as error:
        return _refused(request, row, error.message)
    if _wants_json(request):
        return JsonResponse({"deleted": True})
    messages.success(request, _("Row %(n)d was removed.") % {"n": row.position})
    return _back_to_row(row.assessment)


def row_measure(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new measure in the action plan for one row, its priority from the row's colour."""
    row = access.access_row(request.user, pk, Action.EDIT)
    assessment = row.assessment
    initial = {"priority": services.PRIORITY_BY_COLOUR.get(row.colour, 2),
               "title": row.unwanted_event[:200]}
    form = MeasureForm(request.POST or None, unit=assessment.org_unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved, _current = save_through(form, lambda: services.add_row_measure(
            actor=request.user, row=row, data=form.cleaned_data))
        if saved:
            messages.success(request, _("The measure was added to the action plan."))
            return _back_to_row(row)
    return render(request, "risk/row_measure_form.html", {
        "form": form, "row": row, "assessment": assessment, "unit": assessment.org_unit,
        "cancel_url": reverse("risk:detail", args=[assessment.pk]) + f"#row-{row.pk}"})


# --- Exports -------------------------------------------------------------------------------------


@require_safe
def export_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = access.access_assessment(request.user, pk, Action.VIEW)
    rows = assessment.rows_with_matrix()
    content = spreadsheet.assessment_xlsx(assessment, rows, RiskRow.live_measures(rows))
    return download(content, XLSX, documents.filename(assessment, "xlsx"))


@require_safe
def export_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The assessment as a PDF: at once while it is short, from the task worker when long."""
    assessment = access.access_assessment(request.user, pk, Action.VIEW)
    return prepared.direct_or_prepared(
        request, rows=assessment.rows.count(), limit=settings.HMS_DIRECT_PDF_ROWS,
        direct=lambda: download(documents.assessment_pdf(assessment), PDF,
                                documents.filename(assessment, "pdf")),
        maker=documents.ASSESSMENT_PDF.key, params={"assessment": assessment.pk},
        title=_("Risk assessment: %(title)s (PDF)") % {"title": assessment.title})
