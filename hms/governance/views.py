from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from hms.accounts.types import AuthedRequest
from hms.core.documents import PDF, download, filename, render_pdf
from hms.core.errors import ServiceError
from hms.core.models import AuditEvent
from hms.core.requests import posted, save_through
from hms.core.roles import Action
from hms.governance import access, services
from hms.governance.digest import AWAITING_DAYS
from hms.governance.forms import AssessForm, DeclineForm, DelegationForm, GoalForm, VersionForm
from hms.governance.models import Delegation, Goal
from hms.measures.forms import MeasureForm
from hms.org import access as org_access
from hms.org.models import OrgUnit

DELEGATION_RELATED = ("task", "delegate", "delegated_by", "org_unit")



def _unit(request: AuthedRequest, pk: int) -> OrgUnit:
    """A unit whose goals and register the user may see; 404 for anyone else."""
    return org_access.access_unit_where(request.user, pk, access.may_see_governance)


def _allowed(allowed: bool) -> None:
    """Those who see the page but may not do this get 403."""
    if not allowed:
        raise PermissionDenied


def _year(request: AuthedRequest, name: str = "year") -> int:
    value = request.GET.get(name) or request.POST.get(name) or ""
    year = int(value) if value.isdigit() else 0
    return year if services.FIRST_YEAR <= year <= services.LAST_YEAR else timezone.localdate().year


def _goals_url(unit: OrgUnit | int, year: int, anchor: str = "") -> HttpResponseRedirect:
    pk = unit if isinstance(unit, int) else unit.pk
    return HttpResponseRedirect(reverse("governance:goals", args=[pk]) + f"?year={year}{anchor}")


# --- Goals -----------------------------------------------------------------------------------------


@require_safe
def goals(request: AuthedRequest, pk: int) -> HttpResponse:
    """The unit's goals for a year, each with its indicator, target and measures."""
    unit = _unit(request, pk)
    year = _year(request)
    in_unit = Goal.objects.filter(org_unit=unit)
    years = sorted({*in_unit.values_list("year", flat=True).distinct(), year,
                    timezone.localdate().year})
    return render(request, "governance/goals.html", {
        "unit": unit, "year": year, "years": years,
        "goals": in_unit.filter(year=year).prefetch_related("measures__responsible"),
        "copyable": in_unit.filter(year=year - 1).exclude(copies__year=year).count(),
        "may_edit": access.may_edit_goals(request.user, unit)})


def goal_create(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    _allowed(access.may_edit_goals(request.user, unit))
    form = GoalForm(posted(request), unit=unit, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal = services.create_goal(actor=request.user, org_unit=unit, data=data,
                                        measures=data["measures"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The goal was saved."))
            return HttpResponseRedirect(goal.get_absolute_url())
    return render(request, "governance/goal_form.html", {"form": form, "unit": unit})


def _editable_goal(request: AuthedRequest, pk: int) -> Goal:
    goal = access.access_goal(request.user, pk, Action.VIEW)
    _allowed(access.may_edit_goals(request.user, goal.org_unit))
    return goal


def goal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = _editable_goal(request, pk)
    # The form works on a copy, so the service still sees the values before the edit.
    form = GoalForm(posted(request), instance=copy.copy(goal), unit=goal.org_unit)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, current = save_through(form, lambda: services.update_goal(
            actor=request.user, goal=goal, data=data, measures=data["measures"],
            version=data.get("version") or 0))
        if saved:
            messages.success(request, _("The goal was saved."))
            return _goals_url(goal.org_unit_id, data["year"], f"#goal-{goal.pk}")
    return render(request, "governance/goal_form.html", {
        "form": form, "unit": goal.org_unit, "goal": goal, "current": current,
        "history": AuditEvent.objects.for_object(goal).select_related("actor")[:50]})


def goal_assess(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = _editable_goal(request, pk)
    form = AssessForm(posted(request), initial={"version": goal.version, "status": goal.status,
                                                 "comment": goal.status_comment})
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, current = save_through(form, lambda: services.assess_goal(
            actor=request.user, goal=goal, status=data["status"], comment=data["comment"],
            version=data["version"]))
        if saved:
            messages.success(request, _("The assessment was saved."))
            return HttpResponseRedirect(goal.get_absolute_url())
    return render(request, "governance/goal_assess.html",
                  {"form": form, "goal": goal, "current": current})


def goal_measure(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new measure in the action plan for the goal."""
    goal = _editable_goal(request, pk)
    form = MeasureForm(posted(request), unit=goal.org_unit)
    if request.method == "POST" and form.is_valid():
        services.add_goal_measure(actor=request.user, goal=goal, data=form.cleaned_data)
        messages.success(request, _("The measure was added to the action plan."))
        return HttpResponseRedirect(goal.get_absolute_url())
    return render(request, "governance/goal_measure.html", {"form": form, "goal": goal})


@require_POST
def start_year(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start the year from last year's goals."""
    unit = _unit(request, pk)
    _allowed(access.may_edit_goals(request.user, unit))
    year = _year(request)
    copies = services.start_year_from_previous(actor=request.user, org_unit=unit, year=year)
    if copies:
        messages.success(request, ngettext(
            "%(n)d goal was copied from %(last)d. Adjust it to this year.",
            "%(n)d goals were copied from %(last)d. Adjust them to this year.",
            len(copies)) % {"n": len(copies), "last": year - 1})
    else:
        messages.info(request, _("Every goal of %(last)d is already in %(year)d.") % {
            "last": year - 1, "year": year})
    return _goals_url(unit, year)


# --- The delegation register ---------------------------------------------------------------------


@require_safe
def register(request: AuthedRequest, pk: int) -> HttpResponse:
    """The unit's written overview of delegated HSE tasks: in force first, then expired."""
    unit = _unit(request, pk)
    show_all = request.GET.get("show") == "all"
    delegations = Delegation.objects.filter(org_unit=unit)
    if not show_all:
        delegations = delegations.current()
    return render(request, "governance/register.html", {
        "unit": unit, "show_all": show_all, "today": timezone.localdate(),
        "delegations": delegations.register_order().select_related(*DELEGATION_RELATED),
        "may_delegate": access.may_delegate(request.user, unit)})


@require_safe
def register_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    delegations = (Delegation.objects.filter(org_unit=unit).current().register_order()
                   .select_related(*DELEGATION_RELATED))
    content = render_pdf("governance/register_pdf.html", {
        "unit": unit, "delegations": delegations, "generated": timezone.localtime(),
        "today": timezone.localdate()})
    return download(content, PDF, filename(_("delegations"), unit.code, suffix="pdf"))


def delegation_create(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    _allowed(access.may_delegate(request.user, unit))
    form = DelegationForm(posted(request), unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            delegation = services.delegate_task(actor=request.user, org_unit=unit,
                                                data=form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The task is delegated. %(person)s is asked to accept it.")
                             % {"person": delegation.delegate})
            return HttpResponseRedirect(delegation.get_absolute_url())
    return render(request, "governance/delegation_form.html", {"form": form, "unit": unit})


@require_safe
def delegation(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.access_delegation(request.user, pk, Action.VIEW)
    may_answer = access.is_delegate(request.user, found) and found.is_awaiting and not found.is_expired()
    return render(request, "governance/delegation_detail.html", {
        "delegation": found, "today": timezone.localdate(), "may_answer": may_answer,
        "answer_note": "" if may_answer else _answer_note(request, found),
        "may_revoke": access.may_delegate(request.user, found.org_unit) and found.is_current,
        "may_see_register": access.may_see_governance(request.user, found.org_unit),
        "decline_form": DeclineForm(initial={"version": found.version}),
        "history": AuditEvent.objects.for_object(found).select_related("actor")[:50]})


def _answer_note(request: AuthedRequest, found: Delegation) -> str:
    """A delegation awaiting its answer, for anyone but a delegate who can give it: only the
    delegate answers, and has been told (issue 14); the delegate of one whose period ended
    reads whom to ask."""
    if not found.is_awaiting:
        return ""
    if access.is_delegate(request.user, found):
        return _("The period of this delegation ended before you answered: ask %(leader)s for a "
                 "new one if the task still applies.") % {
            "leader": found.delegated_by or _("the leader")}
    return _("Only %(person)s, to whom the task is delegated, can accept or decline it. They were "
             "told when it was delegated, and the daily e-mail reminds them after %(days)d days.") % {
        "person": found.delegate, "days": AWAITING_DAYS}


def _after(request: AuthedRequest, found: Delegation) -> HttpResponseRedirect:
    if request.POST.get("next") == "mine":
        return HttpResponseRedirect(reverse("governance:mine"))
    return HttpResponseRedirect(found.get_absolute_url())


def _answer(request: AuthedRequest, pk: int, accept: bool) -> HttpResponse:
    found = access.access_delegation(request.user, pk, Action.VIEW)
    _allowed(access.is_delegate(request.user, found))
    form = DeclineForm(request.POST) if not accept else VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you decline the task, so the leader can find a "
                                  "solution.") if not accept else _("Nothing was changed: "
                                                                    "reload the page and try again."))
        return _after(request, found)
    try:
        services.answer_delegation(actor=request.user, delegation=found, accept=accept,
                                   reason=form.cleaned_data.get("reason", ""),
                                   version=form.cleaned_data["version"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You accepted the task. Thank you.") if accept
                         else _("You declined the task. The leader is told."))
    return _after(request, found)


@require_POST
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, accept=True)


@require_POST
def decline(request: AuthedRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, accept=False)


@require_POST
def revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.access_delegation(request.user, pk, Action.VIEW)
    _allowed(access.may_delegate(request.user, found.org_unit))
    form = VersionForm(request.POST)
    try:
        services.revoke_delegation(actor=request.user, delegation=found,
                                   version=form.cleaned_data["version"] if form.is_valid() else 0)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delegation was revoked. %(person)s is told.") % {
            "person": found.delegate})
    return _after(request, found)


@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    """Tasks delegated to me: those awaiting my answer first."""
    delegations = (Delegation.objects.filter(delegate=request.user).register_order()
                   .select_related(*DELEGATION_RELATED))
    show_all = request.GET.get("show") == "all"
    if not show_all:
        delegations = delegations.current()
    return render(request, "governance/mine.html", {
        "delegations": delegations, "show_all": show_all, "today": timezone.localdate()})
