from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hms.accounts.types import AuthedRequest
from hms.core.documents import PDF, download, filename, inline_file, render_pdf
from hms.core.errors import ServiceError, StaleEdit
from hms.core.models import AuditEvent
from hms.core.requests import posted, posted_version
from hms.core.roles import Action
from hms.measures.forms import MeasureForm
from hms.org import access as org_access
from hms.org.models import OrgUnit
from hms.rounds import access, findings, pack, planning, services, signing
from hms.rounds.forms import (
    AnswerForm,
    FindingDeviationForm,
    FindingForm,
    PhotoForm,
    RoundForm,
    ScoreForm,
    SummaryForm,
    SurveyForm,
)
from hms.rounds.models import TRANSITIONS, Answer, ChecklistItem, Round, Status


def _unit(request: AuthedRequest, pk: int, action: str = Action.VIEW) -> OrgUnit:
    return org_access.access_unit_where(request.user, pk, org_access.in_unit_scope(action))


def _editable(request: AuthedRequest, pk: int) -> Round:
    """A round the user may walk and summarise; 404 for anyone else, also for those who only see
    it (the walk, the summary and the plan's edit page are pages they may not open, issue 14)."""
    round_ = access.access_round(request.user, pk, Action.VIEW)
    if not access.can_round(request.user, Action.EDIT, round_):
        raise Http404
    return round_


def _back(round_: Round, view: str = "rounds:detail", anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(view, args=[round_.pk]) + anchor)


# --- Planning --------------------------------------------------------------------------------------


@require_safe
def plan(request: AuthedRequest, pk: int) -> HttpResponse:
    """Per safety area: the last round, the next due, overdue; and the unit's rounds."""
    unit = _unit(request, pk)
    today = timezone.localdate()
    rounds = (Round.objects.visible_to(request.user).filter(org_unit__path__startswith=unit.path)
              .select_related("safety_area", "org_unit").annotate(finding_count=Count("findings"))
              .order_by("-planned_on", "-pk"))
    area = request.GET.get("area")
    if area and area.isdigit():
        rounds = rounds.filter(safety_area_id=int(area))
    # a safety representative plans the rounds of the areas they sign for (issue 14)
    plannable = set(access.round_areas(request.user, unit).values_list("pk", flat=True))
    return render(request, "rounds/plan.html", {
        "unit": unit, "today": today, "plans": planning.area_plans(unit, today),
        "rounds": rounds[:100], "plannable": plannable,
        "may_create": bool(plannable) or access.plans_unit_wide(request.user, unit)})


def create(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = org_access.access_unit_where(request.user, pk, access.may_plan_round)
    form = RoundForm(posted(request), unit=unit, user=request.user, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.plan_round(actor=request.user, org_unit=unit, data=data,
                                         participants=list(data["participants"]),
                                         templates=list(data["templates"]))
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The round is planned. Prepare it from the records."))
            return _back(round_)
    return render(request, "rounds/round_form.html", {
        "form": form, "unit": unit, "sign_note": signing.plan_note(request.user, unit)})


def _initial(request: AuthedRequest) -> dict[str, Any]:
    area = request.GET.get("area")
    return {"safety_area": int(area)} if area and area.isdigit() else {}


def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _editable(request, pk)
    form = RoundForm(posted(request), instance=copy.copy(round_), unit=round_.org_unit,
                     user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_plan(actor=request.user, round_=round_, data=data,
                                 participants=list(data["participants"]),
                                 templates=list(data["templates"]), version=data.get("version") or 0)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The plan was saved."))
            return _back(round_)
    return render(request, "rounds/round_form.html", {
        "form": form, "unit": round_.org_unit, "round": round_,
        "sign_note": signing.plan_note(request.user, round_.org_unit)})


@require_safe
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk, Action.VIEW)
    user = request.user
    survey = pack.survey_summary(round_, user)
    return render(request, "rounds/round_detail.html", {
        "round": round_, "may_edit": access.can_round(user, Action.EDIT, round_),
        "steps": [to for (frm, to) in TRANSITIONS if frm == round_.status],
        "participants": round_.participants.order_by("first_name", "last_name"),
        "templates": round_.templates.all(), "progress": pack.progress(round_),
        "findings": list(round_.findings.select_related("deviation")),
        "survey": survey,
        "may_answer_survey": round_.status in (Status.PLANNED, Status.PREPARED)
        and not survey["answered"],
        "history": AuditEvent.objects.for_object(round_).select_related("actor")[:50]})


@require_POST
def step(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _editable(request, pk)
    try:
        fresh = services.move(actor=request.user, round_=round_, to=request.POST.get("to", ""),
                              version=posted_version(request))
    except ValueError:
        return HttpResponse(status=400)
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(round_)
    messages.success(request, _("The round is now “%(status)s”.") % {
        "status": fresh.get_status_display()})
    return _back(fresh)



# --- Preparation -----------------------------------------------------------------------------------


@require_safe
def preparation(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk, Action.VIEW)
    return render(request, "rounds/pack.html", {"round": round_,
                                                "pack": pack.assemble(round_, request.user)})


@require_safe
def preparation_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk, Action.VIEW)
    content = render_pdf("rounds/pack_pdf.html", {"round": round_, "generated": timezone.localtime(),
                                                  "pack": pack.assemble(round_, request.user)})
    return download(content, PDF, _filename(round_, _("preparation"), "pdf"))


def _filename(round_: Round, what: str, suffix: str) -> str:
    return filename(what, round_.safety_area.name, f"{round_.planned_on:%Y-%m-%d}", suffix=suffix)


def survey(request: AuthedRequest, pk: int) -> HttpResponse:
    """The short questionnaire to the area's employees before the round."""
    round_ = access.access_round(request.user, pk, Action.VIEW)
    form = SurveyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_survey(actor=request.user, round_=round_, answers=form.answers(),
                                   comment=form.cleaned_data["comment"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you. Only the sum of all answers is shown, and only "
                                        "once at least three have answered."))
            return _back(round_)
    return render(request, "rounds/survey.html", {"round": round_, "form": form})


# --- The walk --------------------------------------------------------------------------------------


@require_safe
def walk(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _editable(request, pk)
    checklists = pack.checklists(round_)
    return render(request, "rounds/walk.html", {
        "round": round_, "checklists": checklists, "progress": pack.progress_of(checklists),
        "finding_form": FindingForm(), "photo_form": PhotoForm(round_=round_),
        "free_findings": round_.findings.filter(answer=None).prefetch_related("photos")})


@require_POST
def save_answer(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    """One answer, as the walk page sends it (JSON when asked, a redirect without JavaScript)."""
    round_ = _editable(request, pk)
    item = ChecklistItem.objects.filter(pk=item_pk, template__rounds=round_).first()
    form = AnswerForm(request.POST)
    if item is None or not form.is_valid():
        return _answer_refused(request, round_, _("The answer could not be read."), status=400)
    data = form.cleaned_data
    try:
        answer = services.save_answer(actor=request.user, round_=round_, item=item,
                                      result=data["result"], comment=data["comment"],
                                      version=data["version"])
    except StaleEdit as stale:
        return _answer_refused(request, round_, stale.message, status=409, current=stale.current)
    except ServiceError as error:
        return _answer_refused(request, round_, error.message, status=400)
    if _wants_json(request):
        return JsonResponse(_answer_json(answer))
    return _back(round_, "rounds:walk", f"#item-{item.pk}")


def _wants_json(request: AuthedRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _answer_json(answer: Answer) -> dict[str, Any]:
    return {"id": answer.pk, "version": answer.version, "result": answer.result, "comment": answer.comment,
            "finding": answer.result == "not_ok",
            "by": str(answer.answered_by or ""), "at": timezone.localtime(answer.answered_at).isoformat()}


def _answer_refused(request: AuthedRequest, round_: Round, message: Any, status: int,
                    current: Answer | None = None) -> HttpResponse:
    if _wants_json(request):
        body: dict[str, Any] = {"error": str(message)}
        if current is not None:
            body["current"] = _answer_json(current)
        return JsonResponse(body, status=status)
    messages.error(request, message)
    return _back(round_, "rounds:walk")


@require_POST
def add_finding(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _editable(request, pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            services.add_finding(actor=request.user, round_=round_, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The finding was added."))
    else:
        messages.error(request, _("Say what was found."))
    view = "rounds:summary" if request.POST.get("back") == "summary" else "rounds:walk"
    return _back(round_, view, "#findings")


@require_POST
def add_photo(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _editable(request, pk)
    form = PhotoForm(request.POST, request.FILES, round_=round_)
    if not form.is_valid():
        refused = _("The photo belongs to an answer or finding this round does not have.")
        messages.error(request, _("Choose a photo.") if "photo" in form.errors else refused)
        return _back(round_, "rounds:walk")
    answer, finding = form.cleaned_data["answer"], form.cleaned_data["finding"]
    try:
        services.add_photo(actor=request.user, round_=round_, upload=form.cleaned_data["photo"],
                           answer=answer, finding=finding)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The photo was added."))
    anchor = f"#item-{answer.item_id}" if answer else "#findings"
    return _back(round_, "rounds:walk", anchor)


@require_safe
def photo(request: AuthedRequest, pk: int) -> FileResponse:
    return inline_file(access.access_round_photo(request.user, pk))


# --- Summary ---------------------------------------------------------------------------------------


def summary(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _editable(request, pk)
    form = SummaryForm(posted(request), initial={
        "version": round_.version, "summary": round_.summary,
        "new_assessment_needed": round_.new_assessment_needed})
    if request.method == "POST" and form.is_valid():
        try:
            services.summarise(actor=request.user, round_=round_,
                               summary=form.cleaned_data["summary"],
                               new_assessment_needed=form.cleaned_data["new_assessment_needed"],
                               version=form.cleaned_data["version"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The summary was saved."))
            return _back(round_, "rounds:summary")
    return render(request, "rounds/summary.html", {
        "round": round_, "form": form, "findings": pack.findings_for_summary(round_),
        "deviation_form": FindingDeviationForm(), "finding_form": FindingForm(),
        "may_sign_leader": access.may_sign_round_as_leader(request.user, round_),
        "may_sign_rep": org_access.represents_area(request.user, round_.safety_area_id),
        "sign_notes": signing.notes_for(request.user, round_)})


@require_POST
def score(request: AuthedRequest, pk: int) -> HttpResponse:
    finding = access.access_finding(request.user, pk, Action.EDIT)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Probability and consequence are levels from 1 to 5."))
    else:
        try:
            services.score_finding(actor=request.user, finding=finding, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
    return _back(finding.round, "rounds:summary", f"#finding-{finding.pk}")


def finding_measure(request: AuthedRequest, pk: int) -> HttpResponse:
    finding = access.access_finding(request.user, pk, Action.EDIT)
    round_ = finding.round
    form = MeasureForm(posted(request), unit=round_.org_unit)
    if not form.is_bound:  # a task from what was found, with someone responsible for it
        form.initial = findings.measure_initial(finding, form.fields["responsible"].queryset)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_measure(actor=request.user, finding=finding, data=form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The measure was added to the action plan."))
            return _back(round_, "rounds:summary", f"#finding-{finding.pk}")
    return render(request, "rounds/finding_measure.html", {
        "form": form, "finding": finding, "round": round_,
        "cancel_url": reverse("rounds:summary", args=[round_.pk]) + f"#finding-{finding.pk}"})


@require_POST
def finding_deviation(request: AuthedRequest, pk: int) -> HttpResponse:
    finding = access.access_finding(request.user, pk, Action.EDIT)
    form = FindingDeviationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the type of deviation."))
    else:
        try:
            services.finding_deviation(actor=request.user, finding=finding,
                                       deviation_type=form.cleaned_data["deviation_type"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The finding is registered as a deviation."))
    return _back(finding.round, "rounds:summary", f"#finding-{finding.pk}")


@require_POST
def sign(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _editable(request, pk)
    try:
        services.sign(actor=request.user, round_=round_, as_role=request.POST.get("as", ""),
                      version=posted_version(request))
    except PermissionDenied:
        return HttpResponse(status=403)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Signed."))
    return _back(round_, "rounds:summary", "#sign")


@require_POST
def new_assessment(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _editable(request, pk)
    as_draft = request.POST.get("make") != "measure"
    try:
        made = services.start_assessment(actor=request.user, round_=round_, as_draft=as_draft)
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(round_, "rounds:summary")
    if not as_draft:
        messages.success(request, _("A measure to make a new risk assessment is in the action plan."))
        return _back(round_, "rounds:summary")
    messages.success(request, _("A draft risk assessment was started from the round."))
    return HttpResponseRedirect(reverse("risk:detail", args=[made.pk]))


@require_safe
def report_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The round's report: participants, answers, photos, findings, measures and signatures."""
    round_ = access.access_round(request.user, pk, Action.VIEW)
    content = render_pdf("rounds/report_pdf.html", {
        "round": round_, "generated": timezone.localtime(),
        "participants": round_.participants.order_by("first_name", "last_name"),
        "checklists": pack.checklists(round_), "findings": pack.findings_for_summary(round_),
        "photos": pack.photo_data(round_)})
    return download(content, PDF, _filename(round_, _("hse-round"), "pdf"))
