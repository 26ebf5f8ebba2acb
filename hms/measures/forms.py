from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hms.accounts.models import User
from hms.core.roles import Role
from hms.measures.models import Measure, Origin, Status
from hms.org.models import OrgUnit, RoleAssignment, SafetyArea

NAME_FIELDS = ("id", "username", "first_name", "last_name", "language", "is_active")


def _people(assignments: Any) -> Any:
    return (User.objects.filter(is_active=True, pk__in=assignments.values("person"))
            .only(*NAME_FIELDS).order_by("last_name", "first_name"))


def staff_of(unit: OrgUnit) -> Any:
    """Who may be made responsible for a measure: staff (not students) with an active role in the
    unit, in a unit above it, or below it."""
    assignments = RoleAssignment.objects.active().exclude(role=Role.STUDENT).filter(
        Q(org_unit__path__in=unit.ancestor_paths()) | Q(org_unit__path__startswith=unit.path)
    )
    return _people(assignments)


def plan_owner_candidates(unit: OrgUnit) -> Any:
    """Who may follow up a unit's plan: staff holding a role over the unit itself (directly, or
    from above with its subtree), a short list even for a faculty."""
    return _people(RoleAssignment.objects.active().over(unit).exclude(role=Role.STUDENT))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MeasureForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = ["title", "description", "safety_area", "responsible", "deadline", "priority",
                  "cost_estimate"]
        widgets = {
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "cost_estimate": forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        responsible = staff_of(unit)
        if self.instance.responsible_id:
            responsible = responsible | User.objects.filter(pk=self.instance.responsible_id)
        self.fields["responsible"].queryset = responsible.distinct()  # type: ignore[attr-defined]
        areas = SafetyArea.objects.filter(units__path__in=[unit.path, *unit.ancestor_paths()])
        self.fields["safety_area"].queryset = areas.distinct()  # type: ignore[attr-defined]
        self.fields["title"].widget.attrs["maxlength"] = 200
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2}))
    done_date = forms.DateField(required=False, widget=DateInput())


class PlanOwnerForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                   label=_("Follow-up owner"))

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = plan_owner_candidates(unit)  # type: ignore[attr-defined]


OVERDUE_CHOICES = [("yes", _("Overdue only"))]


class MeasureFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"),
                                                 widget=forms.CheckboxSelectMultiple)
    responsible = django_filters.ModelChoiceFilter(queryset=User.objects.none(),
                                                   label=_("Responsible"),
                                                   empty_label=_("Anyone"))
    origin = django_filters.ChoiceFilter(choices=Origin.choices, label=_("Origin"),
                                         empty_label=_("All origins"))
    overdue = django_filters.ChoiceFilter(choices=OVERDUE_CHOICES, label=_("Overdue"),
                                          method="filter_overdue", empty_label=_("All"))
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("deadline", "deadline"), ("priority", "priority"), ("title", "title"),
                ("status", "status"), ("org_unit__name", "unit")),
        field_labels={"deadline": _("Deadline"), "priority": _("Priority"), "title": _("Measure"),
                      "status": _("Status"), "org_unit__name": _("Unit")},
        empty_label=_("Deadline (default)"),
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = Measure
        fields = ["status", "responsible", "origin", "overdue"]

    def __init__(self, *args: Any, unit: OrgUnit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if unit is not None:
            # People responsible in the unit itself: a short list even for a faculty. Anyone
            # further down is found by name in the text search.
            in_unit = Measure.objects.filter(org_unit=unit)
            self.filters["responsible"].queryset = User.objects.filter(
                pk__in=in_unit.values("responsible")).only(*NAME_FIELDS).order_by(
                "last_name", "first_name")

    def filter_overdue(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.overdue() if value == "yes" else queryset

    def filter_text(self, queryset: Any, name: str, value: str) -> Any:
        """Words in the title or description, or the responsible person's name."""
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value)
            | Q(responsible__first_name__icontains=value) | Q(responsible__last_name__icontains=value)
            | Q(responsible__username__iexact=value))
