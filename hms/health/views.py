"""The occupational health service's pages: the unit's service page (its contact and the log of
when the service was involved), the contact form and the log entry form."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hms.accounts.types import AuthedRequest
from hms.core.errors import ServiceError
from hms.core.requests import posted_version, save_through
from hms.core.roles import Action
from hms.health import access, services
from hms.health.forms import ContactForm, InvolvementForm
from hms.health.lookup import contact_for, linkable_records, with_records
from hms.health.models import HealthServiceContact, Involvement, Kind
from hms.org import access as org_access
from hms.org.models import OrgUnit


def _readable_unit(request: AuthedRequest, pk: int) -> OrgUnit:
    """A unit whose log the user reads (its VIEW scope); 404 for everyone else."""
    return org_access.access_unit_where(request.user, pk, access.may_read_health_log)


def _to_unit(unit: OrgUnit) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("health:unit", args=[unit.pk]))


def _year(request: AuthedRequest, years: list[int]) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and int(value) in years else timezone.localdate().year


@require_safe
def unit(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _readable_unit(request, pk)
    form = None
    if access.may_log_involvement(request.user, unit):
        form = InvolvementForm(records=linkable_records(request.user, unit),
                               initial={"date": timezone.localdate()})
    return _unit_page(request, unit, form)


def _unit_page(request: AuthedRequest, unit: OrgUnit, form: InvolvementForm | None) -> HttpResponse:
    log = Involvement.objects.visible_to(request.user).filter(org_unit=unit)
    years = sorted({d.year for d in log.dates("date", "year")} | {timezone.localdate().year},
                   reverse=True)
    year = _year(request, years)
    entries = list(with_records(log.filter(date__year=year).select_related("recorded_by", "org_unit")))
    counts = dict(log.filter(date__year=year).values_list("kind").annotate(n=Count("pk")))
    user = request.user
    return render(request, "health/unit.html", {
        "unit": unit, "in_use": contact_for(unit), "years": years, "year": year,
        "entries": [(entry, access.can_edit_involvement(user, entry)) for entry in entries],
        "counts": [(label, counts[value]) for value, label in Kind.choices if value in counts],
        "may_edit_contact": access.may_edit_health_contact(user, unit), "form": form})


@require_POST
def add(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _readable_unit(request, pk)
    if not access.may_log_involvement(request.user, unit):
        raise PermissionDenied
    form = InvolvementForm(request.POST, records=linkable_records(request.user, unit))
    if form.is_valid():
        data = form.cleaned_data
        saved, _current = save_through(form, lambda: services.record_involvement(
            actor=request.user, org_unit=unit, kind=data["kind"], day=data["date"],
            description=data["description"], record=data["record"]))
        if saved:
            messages.success(request, _("The entry was added to the log."))
            return _to_unit(unit)
    return _unit_page(request, unit, form)


def contact(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = org_access.access_unit_where(request.user, pk, access.may_edit_health_contact)
    own = HealthServiceContact.objects.filter(org_unit=unit).first()
    form = ContactForm(request.POST or None, instance=copy.copy(own) if own else None)
    current = None
    if request.method == "POST" and form.is_valid():
        saved, current = save_through(form, lambda: services.set_contact(
            actor=request.user, org_unit=unit, data=form.cleaned_data,
            version=form.cleaned_data.get("version")))
        if saved:
            messages.success(request, _("The occupational health service contact was saved."))
            return _to_unit(unit)
    return render(request, "health/contact_form.html", {
        "unit": unit, "form": form, "own": own, "current": current,
        "inherited": None if own else contact_for(unit)})


@require_POST
def remove_contact(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = org_access.access_unit_where(request.user, pk, access.may_edit_health_contact)
    try:
        services.remove_contact(actor=request.user, org_unit=unit, version=posted_version(request))
    except ServiceError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("health:contact", args=[unit.pk]))
    messages.success(request, _("The unit's own contact was removed: it uses the one above it."))
    return _to_unit(unit)



def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.access_involvement(request.user, pk, Action.VIEW)
    if not access.can_edit_involvement(request.user, entry):
        raise PermissionDenied
    form = InvolvementForm(request.POST or None, entry=entry,
                           records=linkable_records(request.user, entry.org_unit))
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, current = save_through(form, lambda: services.update_involvement(
            actor=request.user, entry=entry, kind=data["kind"], day=data["date"],
            description=data["description"], record=data["record"],
            version=data.get("version") or 0))
        if saved:
            messages.success(request, _("The entry was saved."))
            return HttpResponseRedirect(reverse("health:unit", args=[entry.org_unit_id])
                                        + f"?year={data['date'].year}")
    return render(request, "health/entry_form.html", {"entry": entry, "unit": entry.org_unit,
                                                      "form": form, "current": current})
