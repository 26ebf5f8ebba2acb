from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from hms.accounts.types import AuthedRequest
from hms.core import ratelimit
from hms.core.documents import PDF, XLSX, download, filename, inline_file, render_pdf
from hms.core.errors import ServiceError, StaleEdit
from hms.core.lists import filtered_page, page_of, page_query, render_list, wants_subtree
from hms.core.models import AuditEvent
from hms.core.requests import posted
from hms.core.roles import Action
from hms.deviations import access, posters, services, statistics
from hms.deviations.forms import (
    AcceptForm,
    AssessForm,
    AttachForm,
    CloseForm,
    DeviationFilter,
    InjuryForm,
    NoticeForm,
    RejectForm,
    ReportForm,
    RiskLinkForm,
    TransferForm,
)
from hms.deviations.models import Deviation
from hms.measures.forms import MeasureForm
from hms.org import access as org_access
from hms.org.models import OrgUnit, SafetyArea

PAGE_SIZE = 50


# --- Reporting -------------------------------------------------------------------------------------


def report(request: AuthedRequest) -> HttpResponse:
    form = ReportForm(posted(request), request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            deviation, secret = services.report_deviation(
                actor=request.user, data=form.report_data(), uploads=form.cleaned_data["photos"],
                anonymous=form.cleaned_data["anonymous"], injury=form.injury())
        except ServiceError as error:
            form.add_error("photos", error.message)
        else:
            return _reported(request, deviation, secret)
    return render(request, "deviations/report_form.html", {"form": form})


def _reported(request: Any, deviation: Deviation, secret: str) -> HttpResponse:
    messages.success(request, _("Thank you. The report was sent."))
    if secret:
        return HttpResponseRedirect(reverse("deviations:receipt", args=[secret]) + "?new=1")
    return HttpResponseRedirect(reverse("deviations:detail", args=[deviation.pk]))


@login_not_required
def public_report(request: Any, token: str) -> HttpResponse:
    """The form behind a safety area's QR poster: for visitors and contractors without an
    account, always anonymous, limited per address."""
    link = services.public_link_for(token)
    if link is None:
        raise Http404
    area = link.safety_area
    form = ReportForm(posted(request), request.FILES or None, public_area=area)
    limited = False
    if request.method == "POST":
        limited = not ratelimit.allow(request, "public_report", settings.HMS_PUBLIC_REPORT_RATE)
        if limited:
            form.add_error(None, _("Too many reports from this network in a short time. Please "
                                   "wait a while, or tell the staff on site."))
    if request.method == "POST" and not limited and form.is_valid():
        try:
            deviation, secret = services.report_deviation(
                actor=request.user, data=form.report_data(), uploads=form.cleaned_data["photos"],
                public_link=link, injury=form.injury())
        except ServiceError as error:
            form.add_error("photos", error.message)
        else:
            return _reported(request, deviation, secret)
    response = render(request, "deviations/public_report.html",
                      {"form": form, "area": area, "locations": area.location_list()},
                      status=429 if limited else 200)
    return response


@login_not_required
@require_safe
def receipt(request: Any, secret: str) -> HttpResponse:
    """What the holder of a receipt link may know: the case's type, date and status."""
    deviation = services.case_for_receipt(secret)
    if deviation is None:
        raise Http404
    response = render(request, "deviations/receipt.html", {
        "deviation": deviation, "new": request.GET.get("new") == "1",
        "link": request.build_absolute_uri(reverse("deviations:receipt", args=[secret]))})
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    cases = (Deviation.objects.filter(reporter=request.user)
             .select_related("deviation_type", "org_unit").order_by("-reported_at", "-pk"))
    page = page_of(request, cases, PAGE_SIZE)
    return render(request, "deviations/mine.html", {"page": page, "page_query": ""})


# --- The unit's cases ------------------------------------------------------------------------------


@require_safe
def unit_list(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = org_access.access_unit(request.user, pk, Action.VIEW)
    if not access.may_list_deviations(request.user, unit):
        raise Http404
    cases = (Deviation.objects.in_unit(request.user, unit, subtree=wants_subtree(request.GET))
             .select_related("deviation_type", "org_unit", "handler").order_by("-reported_at", "-pk"))
    case_filter, page = filtered_page(request, DeviationFilter, cases, PAGE_SIZE)
    context = {"unit": unit, "filter": case_filter, "page": page,
               "page_query": page_query(request),
               "may_handle": access.may_handle_in_unit(request.user, unit),
               "areas": SafetyArea.objects.filter(units=unit).order_by("name")}
    return render_list(request, "deviations/deviation_list.html", "list", context)


@require_safe
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    deviation = access.access_deviation(request.user, pk, Action.VIEW)
    return render(request, "deviations/deviation_detail.html", _detail_context(request, deviation))


def _detail_context(request: AuthedRequest, deviation: Deviation, **forms: Any) -> dict[str, Any]:
    user = request.user
    handles = access.can_deviation(user, Action.EDIT, deviation)
    follows = access.follows_deviation(user, deviation)
    context: dict[str, Any] = {
        "deviation": deviation, "may_handle": handles, "follows_case": follows,
        "may_read_injury": access.may_read_injury_details(user, deviation),
        "attachments": list(deviation.attachments.all()),
        "measures": list(services.measures_of(deviation)) if follows else [],
        "risk_rows": list(deviation.risk_rows.select_related("assessment")) if follows else [],
        "steps": deviation.allowed_steps() if handles else {},
        "history": AuditEvent.objects.for_object(deviation).select_related("actor")
        if follows else [],
    }
    if handles:
        version = {"version": deviation.version}
        context.update({
            "accept_form": AcceptForm(initial={**version, "handler": user.pk}, deviation=deviation),
            "reject_form": RejectForm(initial=version), "transfer_form": TransferForm(initial=version),
            "assess_form": AssessForm(initial={**version, **_assessment_initial(deviation)}),
            "close_form": CloseForm(initial={**version, "conclusion": deviation.conclusion,
                                             "learning": deviation.learning}),
            "attach_form": AttachForm(),
        })
    context.update(forms)
    return context


def _assessment_initial(deviation: Deviation) -> dict[str, Any]:
    return {name: getattr(deviation, name) for name in services.ASSESSMENT_FIELDS}


# --- Handling --------------------------------------------------------------------------------------

STEP_FORMS = {"accept": AcceptForm, "reject": RejectForm, "transfer": TransferForm,
              "close": CloseForm}


@require_POST
def step(request: AuthedRequest, pk: int) -> HttpResponse:
    deviation = _handled(request, pk)
    name = request.POST.get("step", "")
    form_class = STEP_FORMS.get(name)
    form = (form_class(request.POST, deviation=deviation) if form_class is AcceptForm
            else form_class(request.POST) if form_class else None)
    if form is not None and not form.is_valid():
        messages.error(request, _("Nothing was saved: check the fields of “%(step)s”.") % {
            "step": STEP_LABELS.get(name, name)})
        return render(request, "deviations/deviation_detail.html",
                      _detail_context(request, deviation, **{f"{name}_form": form}), status=400)
    return _run_step(request, deviation, name, form.cleaned_data if form else request.POST)


STEP_LABELS = {"accept": gettext_lazy("Accept"), "reject": gettext_lazy("Reject"),
               "transfer": gettext_lazy("Transfer"), "close": gettext_lazy("Close")}


def _run_step(request: AuthedRequest, deviation: Deviation, name: str, data: Any) -> HttpResponse:
    actor = request.user
    try:
        version = int(data.get("version") or 0)
    except ValueError:
        version = 0
    actions = {
        "accept": lambda: services.accept(actor=actor, deviation=deviation, handler=data["handler"],
                                          close_deadline=data["close_deadline"], version=version),
        "reject": lambda: services.reject(actor=actor, deviation=deviation, reason=data["reason"],
                                          version=version),
        "transfer": lambda: services.transfer(actor=actor, deviation=deviation,
                                              to_unit=data["to_unit"], version=version),
        "close": lambda: services.close(actor=actor, deviation=deviation,
                                        conclusion=data["conclusion"], learning=data["learning"],
                                        version=version),
        "measures_done": lambda: services.mark_measures_done(actor=actor, deviation=deviation,
                                                             version=version),
        "reopen": lambda: services.reopen(actor=actor, deviation=deviation, version=version),
    }
    if name not in actions:
        return HttpResponse(status=400)
    try:
        fresh = actions[name]()
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(deviation)
    messages.success(request, _("Saved: the case is now “%(status)s”.") % {
        "status": fresh.get_status_display()})
    if name == "transfer" and not access.can_deviation(actor, Action.VIEW, fresh):
        return HttpResponseRedirect(reverse("deviations:list", args=[deviation.org_unit_id]))
    return _back(fresh)


def _back(deviation: Deviation, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("deviations:detail", args=[deviation.pk]) + anchor)


def _handled(request: AuthedRequest, pk: int) -> Deviation:
    """A case the user may handle; 404 for those who may not see it, 403 for those who only see."""
    deviation = access.access_deviation(request.user, pk, Action.VIEW)
    if not access.can_deviation(request.user, Action.EDIT, deviation):
        raise PermissionDenied
    return deviation


@require_POST
def assess(request: AuthedRequest, pk: int) -> HttpResponse:
    deviation = _handled(request, pk)
    form = AssessForm(request.POST)
    if not form.is_valid():
        return render(request, "deviations/deviation_detail.html",
                      _detail_context(request, deviation, assess_form=form), status=400)
    data = form.cleaned_data
    try:
        services.assess(actor=request.user, deviation=deviation, data=data,
                        version=data["version"])
    except StaleEdit as stale:
        messages.error(request, stale.message)
        return render(request, "deviations/deviation_detail.html",
                      _detail_context(request, stale.current, assess_form=form), status=409)
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(deviation)
    messages.success(request, _("The assessment was saved."))
    return _back(deviation, "#assess-h")


def add_measure(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new measure in the action plan, linked to the case."""
    deviation = _handled(request, pk)
    initial = {"title": deviation.title[:200], "safety_area": deviation.safety_area_id,
               "priority": 3 if deviation.high_potential else 2}
    form = MeasureForm(request.POST or None, unit=deviation.org_unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_measure(actor=request.user, deviation=deviation, data=form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The measure was added to the action plan."))
            return _back(deviation, "#measures-h")
    return render(request, "deviations/measure_form.html", {
        "form": form, "deviation": deviation, "unit": deviation.org_unit,
        "cancel_url": deviation.get_absolute_url()})


@require_POST
def notice(request: AuthedRequest, pk: int) -> HttpResponse:
    deviation = _handled(request, pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: give a valid time."))
        return _back(deviation)
    try:
        services.record_notice(actor=request.user, deviation=deviation,
                               notice=form.cleaned_data["notice"], at=form.cleaned_data["at"],
                               version=form.cleaned_data["version"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Recorded."))
    return _back(deviation)


def risk_links(request: AuthedRequest, pk: int) -> HttpResponse:
    """Which risk assessment rows covered (or missed) the event."""
    deviation = _handled(request, pk)
    form = RiskLinkForm(posted(request), deviation=deviation, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.link_risk_rows(actor=request.user, deviation=deviation,
                                rows=list(form.cleaned_data["rows"]))
        messages.success(request, _("The links to the risk assessment were saved."))
        return _back(deviation, "#risk-h")
    return render(request, "deviations/risk_links.html", {"form": form, "deviation": deviation})


@require_POST
def new_assessment(request: AuthedRequest, pk: int) -> HttpResponse:
    deviation = _handled(request, pk)
    as_draft = request.POST.get("make") == "draft"
    try:
        made = services.request_new_assessment(actor=request.user, deviation=deviation,
                                               as_draft=as_draft)
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(deviation)
    if as_draft:
        messages.success(request, _("A draft risk assessment was started from the case."))
        return HttpResponseRedirect(reverse("risk:detail", args=[made.pk]))
    messages.success(request, _("A measure to make a new risk assessment is in the action plan."))
    return _back(deviation, "#measures-h")


@require_POST
def attach(request: AuthedRequest, pk: int) -> HttpResponse:
    deviation = access.access_deviation(request.user, pk, Action.VIEW)
    form = AttachForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose one or more files to add."))
        return _back(deviation)
    try:
        services.add_attachments(actor=request.user, deviation=deviation,
                                 uploads=form.cleaned_data["photos"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The files were added."))
    return _back(deviation, "#files-h")


@require_safe
def attachment(request: AuthedRequest, pk: int) -> FileResponse:
    """A file of a case, to those who may see the case."""
    return inline_file(access.access_attachment(request.user, pk))


def injury(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who was injured and how: handlers and leaders only, and every read is audited."""
    deviation = access.access_deviation(request.user, pk, Action.VIEW)
    if not access.may_read_injury_details(request.user, deviation):
        raise Http404
    if request.method == "POST":
        form = InjuryForm(request.POST)
        if form.is_valid():
            services.set_injury_details(actor=request.user, deviation=deviation,
                                        **form.cleaned_data)
            messages.success(request, _("The injury details were saved."))
            return HttpResponseRedirect(reverse("deviations:injury", args=[deviation.pk]))
    else:
        details = services.read_injury_details(actor=request.user, deviation=deviation)
        form = InjuryForm(initial={"injured_person": getattr(details, "injured_person", ""),
                                   "health_details": getattr(details, "health_details", "")})
    return render(request, "deviations/injury.html", {"form": form, "deviation": deviation})


# --- Statistics ------------------------------------------------------------------------------------


def _statistics_unit(request: AuthedRequest, pk: int) -> tuple[OrgUnit, Any]:
    """The unit, and the cases of its subtree the user may count (not read)."""
    unit = org_access.access_unit(request.user, pk, Action.VIEW)
    if not access.deviation_statistics_scope(request.user).contains(unit):
        raise Http404
    scope_q = access.deviation_statistics_scope(request.user).unit_q("org_unit")
    cases = Deviation.objects.filter(org_unit__path__startswith=unit.path).filter(scope_q)
    return unit, cases


@require_safe
def statistics_page(request: AuthedRequest, pk: int) -> HttpResponse:
    unit, cases = _statistics_unit(request, pk)
    stats = statistics.compute(cases, today=timezone.localdate())
    return render(request, "deviations/statistics.html", {"unit": unit, "stats": stats})


def _statistics_filename(unit: OrgUnit, suffix: str) -> str:
    return filename(_("deviation-statistics"), unit.code, suffix=suffix)


@require_safe
def statistics_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    unit, cases = _statistics_unit(request, pk)
    stats = statistics.compute(cases, today=timezone.localdate())
    return download(statistics.as_xlsx(unit, stats), XLSX, _statistics_filename(unit, "xlsx"))


@require_safe
def statistics_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    unit, cases = _statistics_unit(request, pk)
    stats = statistics.compute(cases, today=timezone.localdate())
    content = render_pdf("deviations/statistics_pdf.html", {
        "unit": unit, "stats": stats, "generated": timezone.localtime()})
    return download(content, PDF, _statistics_filename(unit, "pdf"))


# --- Posters ---------------------------------------------------------------------------------------


@require_safe
def poster(request: AuthedRequest, pk: int) -> HttpResponse:
    """A printable poster with the QR code of the area's public report form."""
    area = access.access_poster_area(request.user, pk)
    link = services.public_link(actor=request.user, area=area)
    url = request.build_absolute_uri(link.get_absolute_url())
    content = render_pdf("deviations/poster_pdf.html", {
        "area": area, "url": url, "qr_svg": posters.qr_svg(url)})
    return download(content, PDF, filename(_("poster"), area.name, suffix="pdf"))


@require_POST
def renew_link(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new address for the area's public form: the printed posters stop working."""
    area = access.access_poster_area(request.user, pk)
    services.public_link(actor=request.user, area=area, renew=True)
    messages.success(request, _("The public form has a new address. Print the new poster: the old "
                                "one no longer works."))
    return HttpResponseRedirect(reverse("deviations:list", args=[area.org_unit_id]))
