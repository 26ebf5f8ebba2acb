from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hms.accounts.types import AuthedRequest
from hms.core.documents import PDF, download, filename, render_pdf
from hms.core.errors import ServiceError, StaleEdit
from hms.core.models import AuditEvent
from hms.core.requests import posted, posted_version, save_through
from hms.core.roles import Action
from hms.measures.forms import MeasureForm
from hms.meetings import access, agenda, completion, feed, services
from hms.meetings.forms import (
    CompleteForm,
    DecisionForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    PlanForm,
)
from hms.meetings.models import LEADER_VO_MINIMUM, Kind, Meeting, Status
from hms.org import access as org_access
from hms.org.models import OrgUnit


def _editable(request: AuthedRequest, pk: int) -> Meeting:
    """A meeting the user may write in; 404 if they may not see it, 403 if they only see it."""
    meeting = access.access_meeting(request.user, pk, Action.VIEW)
    if not access.can_meeting(request.user, Action.EDIT, meeting):
        raise PermissionDenied
    return meeting


def _back(meeting: Meeting, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("meetings:detail", args=[meeting.pk]) + anchor)


def _planning_unit(request: AuthedRequest, pk: int) -> OrgUnit:
    return org_access.access_unit_where(request.user, pk, org_access.may_plan_in_unit)


# --- The unit's meetings ---------------------------------------------------------------------------


@require_safe
def unit_meetings(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = org_access.access_unit_where(request.user, pk, org_access.in_unit_scope(Action.VIEW))
    year = _year(request)
    meetings = (Meeting.objects.visible_to(request.user).filter(org_unit__path__startswith=unit.path)
                .select_related("org_unit", "safety_area"))
    now = timezone.now()
    held_with_vo = Meeting.objects.filter(org_unit=unit, kind=Kind.LEADER_VO).held_in(year).count()
    return render(request, "meetings/unit_meetings.html", {
        "unit": unit, "year": year, "this_year": timezone.localdate().year,
        "upcoming": meetings.filter(status=Status.PLANNED, starts_at__gte=now).order_by("starts_at")[:50],
        "past": meetings.filter(starts_at__year=year).exclude(status=Status.PLANNED, starts_at__gte=now)
        .order_by("-starts_at")[:100],
        "held_with_vo": held_with_vo, "minimum": LEADER_VO_MINIMUM,
        "may_plan": org_access.may_plan_in_unit(request.user, unit)})


def _year(request: AuthedRequest) -> int:
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() else timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def create(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _planning_unit(request, pk)
    form = PlanForm(posted(request), unit=unit, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():  # the form offers only the unit's areas
        return HttpResponseRedirect(_plan(request, unit, form))
    return render(request, "meetings/meeting_form.html", {
        "form": form, "unit": unit, "completion_note": completion.plan_note(request.user, unit)})


def _plan(request: AuthedRequest, unit: OrgUnit, form: PlanForm) -> str:
    data, invitations = form.meeting_data(), form.invitations()
    interval = form.cleaned_data["repeat"]
    if interval:
        series = services.plan_series(actor=request.user, org_unit=unit, data=data,
                                      invitations=invitations, interval=interval,
                                      count=form.cleaned_data["count"])
        messages.success(request, _("%(count)d meetings were planned.") % {"count": series.count})
        return reverse("meetings:unit", args=[unit.pk])
    meeting = services.plan_meeting(actor=request.user, org_unit=unit, data=data,
                                    invitations=invitations)
    messages.success(request, _("The meeting was planned. Now set its agenda."))
    return reverse("meetings:detail", args=[meeting.pk])


def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _editable(request, pk)
    if not access.may_run_meeting(request.user, meeting):
        raise PermissionDenied
    form = MeetingForm(posted(request), unit=meeting.org_unit,
                       initial=MeetingForm.initial_for(meeting))
    current = None
    if request.method == "POST" and form.is_valid():
        saved, current = save_through(form, lambda: services.edit_meeting(
            actor=request.user, meeting=meeting, version=form.cleaned_data.get("version") or 0,
            data=form.meeting_data()))
        if saved:
            messages.success(request, _("The meeting was saved."))
            return _back(meeting)
    return render(request, "meetings/meeting_form.html", {
        "form": form, "unit": meeting.org_unit, "meeting": meeting, "current": current})


# --- One meeting -----------------------------------------------------------------------------------


@require_safe
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, access.access_meeting(request.user, pk, Action.VIEW))


def _detail_page(request: AuthedRequest, meeting: Meeting, complete_form: CompleteForm | None = None,
                 status: int = 200) -> HttpResponse:
    writing = access.can_meeting(request.user, Action.EDIT, meeting) and meeting.is_open
    running = writing and access.may_run_meeting(request.user, meeting)
    items = list(meeting.items.select_related("raised_by").order_by("position", "pk"))
    return render(request, "meetings/meeting_detail.html", status=status, context={
        "meeting": meeting, "writing": writing, "running": running,
        "completion_note": completion.note(meeting) if meeting.is_open and not running else "",
        "attendees": meeting.attendees.select_related("person"),
        "decisions": meeting.decisions.select_related("item", "measure"),
        "suggestions": agenda.suggestions(request.user, meeting, items) if writing else [],
        "item_form": ItemForm(), "decision_form": DecisionForm(meeting=meeting, items=items),
        "complete_form": complete_form or CompleteForm(initial={"version": meeting.version,
                                                                "summary": meeting.summary}),
        "agenda": [(item, MinutesForm(initial={"version": item.version, "minutes": item.minutes},
                                      prefix=f"item-{item.pk}")) for item in items],
        "history": AuditEvent.objects.for_object(meeting).select_related("actor")[:50]})


@require_POST
def add_item(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _editable(request, pk)
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what the item is about (at most 300 characters)."))
        return _back(meeting, "#agenda")
    try:
        services.add_item(actor=request.user, meeting=meeting, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The item was put on the agenda."))
    return _back(meeting, "#agenda")


@require_POST
def add_suggestions(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _editable(request, pk)
    try:
        added = services.add_suggestions(actor=request.user, meeting=meeting,
                                         keys=request.POST.getlist("suggestion"))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)d items were put on the agenda.") % {"count": added})
    return _back(meeting, "#agenda")


@require_POST
def item_minutes(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access.access_agenda_item(request.user, pk, Action.VIEW)
    meeting = _editable(request, item.meeting_id)
    form = MinutesForm(request.POST, prefix=f"item-{item.pk}")
    if not form.is_valid():
        messages.error(request, _("The minutes of an item can be at most 10,000 characters."))
        return _back(meeting, f"#item-{item.pk}")
    try:
        services.save_minutes(actor=request.user, item=item, version=form.cleaned_data["version"],
                              minutes=form.cleaned_data["minutes"])
    except StaleEdit as stale:
        return _minutes_refused(request, meeting, item, form, stale)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The minutes of the item were saved."))
    return _back(meeting, f"#item-{item.pk}")


def _minutes_refused(request: AuthedRequest, meeting: Meeting, item: Any, form: MinutesForm,
                     stale: StaleEdit) -> HttpResponse:
    """Show what the other person wrote beside what this person typed, so neither is lost."""
    return render(request, "meetings/minutes_conflict.html", {
        "meeting": meeting, "item": item, "message": stale.message, "current": stale.current,
        "form": MinutesForm(initial={"version": stale.current.version,
                                     "minutes": form.cleaned_data["minutes"]},
                            prefix=f"item-{item.pk}")}, status=409)


@require_POST
def attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _editable(request, pk)
    present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
    try:
        services.record_attendance(actor=request.user, meeting=meeting, present=present)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Attendance was saved."))
    return _back(meeting, "#attendance")


@require_POST
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _editable(request, pk)
    form = DecisionForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Write what was decided (at most 2,000 characters)."))
        return _back(meeting, "#decisions")
    try:
        decision = services.decide(actor=request.user, meeting=meeting,
                                   text=form.cleaned_data["text"], item=form.cleaned_data["item"])
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(meeting, "#decisions")
    if form.cleaned_data["to_plan"]:
        return HttpResponseRedirect(reverse("meetings:decision_measure", args=[decision.pk]))
    messages.success(request, _("The decision was recorded."))
    return _back(meeting, f"#decision-{decision.pk}")


def decision_measure(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = access.access_decision(request.user, pk, Action.VIEW)
    meeting = _editable(request, decision.meeting_id)
    form = MeasureForm(posted(request), unit=meeting.org_unit,
                       initial={"title": decision.text[:200], "safety_area": meeting.safety_area_id,
                                "description": _("Decided in “%(meeting)s”.") % {"meeting": meeting}})
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_measure(actor=request.user, decision=decision, data=form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The measure was added to the action plan."))
            return _back(meeting, f"#decision-{decision.pk}")
    return render(request, "meetings/decision_measure.html", {
        "form": form, "decision": decision, "meeting": meeting,
        "cancel_url": reverse("meetings:detail", args=[meeting.pk]) + f"#decision-{decision.pk}"})


@require_POST
def complete(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _editable(request, pk)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The summary can be at most 10,000 characters."))
        return _back(meeting, "#complete")
    try:
        services.complete_minutes(actor=request.user, meeting=meeting,
                                  version=form.cleaned_data["version"],
                                  summary=form.cleaned_data["summary"])
    except StaleEdit as stale:
        return _complete_refused(request, stale, form.cleaned_data["summary"])
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(meeting, "#complete")
    messages.success(request, _("The minutes are complete."))
    return _back(meeting)


def _complete_refused(request: AuthedRequest, stale: StaleEdit, summary: str) -> HttpResponse:
    """The meeting changed since the page was loaded (an item, a decision, attendance): the page
    as it is now, with the summary as typed and the version now saved, to look over and send."""
    fresh = stale.current
    refused = CompleteForm({"version": fresh.version, "summary": summary})
    refused.is_valid()
    refused.add_error(None, stale.message)
    return _detail_page(request, fresh, refused, status=409)


@require_POST
def cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _editable(request, pk)
    try:
        services.cancel_meeting(actor=request.user, meeting=meeting, version=posted_version(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The meeting was cancelled."))
    return _back(meeting)


@require_safe
def minutes_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk, Action.VIEW)
    content = render_pdf("meetings/minutes_pdf.html", {
        "meeting": meeting, "generated": timezone.localtime(),
        "attendees": meeting.attendees.select_related("person"),
        "items": meeting.items.select_related("raised_by").order_by("position", "pk"),
        "decisions": meeting.decisions.select_related("item", "measure__responsible")})
    day = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}"
    return download(content, PDF, filename(_("minutes"), meeting.title, day, suffix="pdf"))


# --- The calendar feed -----------------------------------------------------------------------------


def calendar(request: AuthedRequest) -> HttpResponse:
    """The address of the person's own feed, to paste into a calendar program; POST renews it."""
    if request.method == "POST":
        services.renew_calendar_feed(actor=request.user)
        messages.success(request, _("The calendar has a new address. The old one no longer works."))
        return HttpResponseRedirect(reverse("meetings:calendar"))
    subscription = services.calendar_feed(actor=request.user)
    address = request.build_absolute_uri(reverse("meetings:feed", args=[subscription.token]))
    return render(request, "meetings/calendar.html", {"address": address})


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, for the person whose secret address it is."""
    person = access.feed_owner(token)
    response = HttpResponse(feed.ical(person, request.build_absolute_uri("/")),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hms.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
