from __future__ import annotations

from django.contrib import messages
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hms.accounts.types import AuthedRequest
from hms.core.cards import unit_cards, unit_flags
from hms.core.errors import ServiceError
from hms.core.links import url_for_pk
from hms.core.models import AuditEvent
from hms.core.roles import PUBLIC_ROLES, SAFETY_AREA_ROLES, Action, Role
from hms.core.tabular import oversized_import
from hms.org import access, services
from hms.org.forms import ImportForm
from hms.org.models import OrgUnit, RoleAssignment, SafetyArea, UnitKind


@require_safe
def tree(request: AuthedRequest) -> HttpResponse:
    units = list(OrgUnit.objects.visible_to(request.user, Action.VIEW).only(
        "id", "path", "depth", "numchild", "code", "name", "kind"
    ))
    unit_url = url_for_pk("org:unit")
    kinds = dict(UnitKind.choices)
    rows = [(unit, unit_url(unit.pk), kinds.get(unit.kind, "")) for unit in units]
    return render(request, "org/tree.html", {"rows": rows})


@require_safe
def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = access.access_unit(request.user, pk, Action.VIEW)
    may_see_people = access.can_in_unit(request.user, Action.VIEW, unit)
    show_role_holders = access.may_see_role_holders(request.user, unit)
    ancestors, children, student_count = _neighbourhood(unit, count_students=may_see_people)
    assignments = _assignments(unit)
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "children": children,
        "show_role_holders": show_role_holders,
        "key_people": sorted((a for a in assignments
                              if a.role in PUBLIC_ROLES and a.over_unit),  # type: ignore[attr-defined]
                             key=lambda a: PUBLIC_ROLES.index(a.role)) if show_role_holders else [],
        "people": [a for a in assignments
                   if a.role not in PUBLIC_ROLES and a.org_unit_id == unit.pk]
        if may_see_people else None,
        "areas": _areas(unit, assignments),
        "student_count": student_count,
        "may_see_plan": may_see_people,
        "cards": unit_cards(request.user, unit),
        **unit_flags(request.user, unit),  # may_see_deviations
        "history": AuditEvent.objects.for_object(unit).select_related("actor")[:50]
        if may_see_people else None,
    }
    return render(request, "org/unit_detail.html", context)


def _neighbourhood(unit: OrgUnit, *, count_students: bool) -> tuple[list[OrgUnit], list[OrgUnit], int | None]:
    """The units above (for the breadcrumb) and just below the unit, and, where the reader may see
    its people, how many students it has: one query."""
    below = Q(path__startswith=unit.path, depth=unit.depth + 1)
    found = OrgUnit.objects.filter(Q(path__in=unit.ancestor_paths()) | below).order_by("depth", "path")
    if count_students:
        students = RoleAssignment.objects.active().filter(org_unit=OuterRef("pk"), role=Role.STUDENT)
        found = found.annotate(students=Case(When(pk=unit.pk, then=Subquery(
            students.order_by().values("org_unit").annotate(n=Count("pk")).values("n"))),
            default=Value(0)))
    units = list(found)
    itself = next(u for u in units if u.pk == unit.pk)
    return ([u for u in units if u.depth < unit.depth], [u for u in units if u.depth > unit.depth],
            (getattr(itself, "students", None) or 0) if count_students else None)


def _assignments(unit: OrgUnit) -> list[RoleAssignment]:
    """The roles held over the unit (students are counted, not listed: a department has hundreds)
    and the safety representatives of the areas covering it, each marked `over_unit` or not."""
    active = RoleAssignment.objects.active()
    over = active.over(unit).values("pk")
    found = (active.filter(Q(pk__in=over) | Q(role__in=SAFETY_AREA_ROLES, safety_area__units=unit))
             .exclude(role=Role.STUDENT).select_related("person", "safety_area", "org_unit")
             .annotate(over_unit=Exists(over.filter(pk=OuterRef("pk"))))
             .distinct().order_by("role", "person__last_name"))
    return list(found)


def _areas(unit: OrgUnit, assignments: list[RoleAssignment]) -> list[SafetyArea]:
    """The safety areas covering the unit, each with its public role holders from `assignments`."""
    areas = list(SafetyArea.objects.filter(units=unit))
    for area in areas:
        area.active_assignments = [a for a in assignments  # type: ignore[attr-defined]
                                   if a.safety_area_id == area.pk and a.role in PUBLIC_ROLES]
    return areas


@require_safe
def switch_unit(request: AuthedRequest) -> HttpResponse:
    unit = access.access_unit(request.user, request.GET.get("unit"), Action.VIEW)
    return HttpResponseRedirect(reverse("org:unit", args=[unit.pk]))


def import_file(request: AuthedRequest) -> HttpResponse:
    if not access.is_org_admin(request.user):
        raise Http404
    if refused := oversized_import(request):
        messages.error(request, refused)
        return HttpResponseRedirect(reverse("org:import"))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        importer = (services.import_units if form.cleaned_data["kind"] == ImportForm.KIND_UNITS
                    else services.import_people)
        try:
            report = importer(actor=request.user, upload=form.cleaned_data["file"])
        except ServiceError as error:
            form.add_error("file", error.message)
        if report and report.ok:
            messages.success(request, _("Imported: %(created)d created, %(updated)d updated, "
                                        "%(unchanged)d unchanged.") % vars(report))
    return render(request, "org/import.html", {"form": form, "report": report})
