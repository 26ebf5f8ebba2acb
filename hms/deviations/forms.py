from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hms.accounts.models import User
from hms.core.roles import DEVIATION_CASE_ROLES
from hms.deviations.models import CauseCategory, Deviation, DeviationType, Status
from hms.measures.forms import DateInput
from hms.org import access as org_access
from hms.org.models import OrgUnit, RoleAssignment, SafetyArea
from hms.risk import access as risk_access

CONSEQUENCE_CHOICES = [("", "–"), (1, _("1 Very small")), (2, _("2 Small")), (3, _("3 Moderate")),
                       (4, _("4 Serious")), (5, _("5 Very serious"))]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """Any number of photos or files; they are checked and re-encoded by the service."""

    widget = MultipleFileInput(attrs={"accept": "image/*,application/pdf"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(PhotoField, self).clean(item, initial) for item in files]


class TypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class ReportForm(forms.Form):
    """The report: short enough for a phone in a minute. Unit and area come from the reporter."""

    deviation_type = TypeChoiceField(label=_("What kind of event?"), widget=forms.RadioSelect,
                                     queryset=DeviationType.objects.filter(active=True),
                                     empty_label=None)
    title = forms.CharField(label=_("In a few words"), max_length=200)
    occurred_at = forms.DateTimeField(label=_("When did it happen?"), widget=DateTimeInput())
    safety_area = forms.ModelChoiceField(
        label=_("Where (safety area)"), required=False, queryset=SafetyArea.objects.none(),
        widget=forms.Select(attrs={"data-filter": _("Search the safety areas")}))
    location = forms.CharField(label=_("Room or place"), max_length=200, required=False)
    description = forms.CharField(label=_("What happened?"), max_length=10_000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    immediate_action = forms.CharField(label=_("What was done at once?"), max_length=5_000,
                                       required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotoField(label=_("Photos (optional)"), required=False,
                        help_text=_("JPEG, PNG, WebP, GIF or PDF, at most 10 files. Location and "
                                    "camera data are removed from photos."))
    serious_injury = forms.BooleanField(label=_("Someone was seriously injured or died"),
                                        required=False)
    injured_person = forms.CharField(label=_("Who was injured? (optional)"), max_length=200,
                                     required=False,
                                     help_text=_("Only the case handler and the leader see this."))
    health_details = forms.CharField(label=_("The injury (optional)"), max_length=5_000,
                                     required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=_("Only the case handler and the leader see this."))
    org_unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.all(),
                                      help_text=_("Your own unit, unless it happened in another."),
                                      widget=forms.Select(attrs={"data-filter": _("Search the units")}))
    anonymous = forms.BooleanField(
        label=_("Report anonymously"), required=False,
        help_text=_("Your name is then not stored anywhere. You get a private link to follow the "
                    "case instead."))

    def __init__(self, *args: Any, user: Any = None, public_area: SafetyArea | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        if public_area is not None:
            for name in ("safety_area", "org_unit", "anonymous"):
                del self.fields[name]
            self.fields["location"].widget.attrs["list"] = "locations"
            return
        units = _units_of(user)
        if units:
            self.initial.setdefault("org_unit", units[0].pk)
        self._offer_own_first(units)

    def _offer_own_first(self, units: list[OrgUnit]) -> None:
        """The unit and area lists start with the reporter's own (the only area preselected), then
        the whole university; no "---------"."""
        all_units, all_areas = OrgUnit.objects.order_by("path"), SafetyArea.objects.order_by("name")
        self.fields["org_unit"].queryset = all_units  # type: ignore[attr-defined]
        self.fields["safety_area"].queryset = all_areas  # type: ignore[attr-defined]
        areas = SafetyArea.objects.filter(units__in=units).distinct()
        if areas.count() == 1:
            self.initial.setdefault("safety_area", areas.first().pk)  # type: ignore[union-attr]
        self.fields["org_unit"].widget.choices = _own_first(
            units, all_units, (_("Your units"), _("All units")),
            None if units else _("Choose a unit…"))
        self.fields["safety_area"].widget.choices = _own_first(
            _areas_serving(units), all_areas, (_("Your safety areas"), _("All safety areas")),
            _("None, or I do not know"))

    def clean_occurred_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["occurred_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("The time cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area, unit = data.get("safety_area"), data.get("org_unit")
        if area is not None and unit is not None and not area.serves(unit):
            self.add_error("safety_area", _("This safety area is not one of the chosen unit's. "
                                            "Choose one of its areas, or none."))
        return data

    def report_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in (
            "deviation_type", "title", "occurred_at", "safety_area", "location", "description",
            "immediate_action", "serious_injury", "org_unit") if name in data}

    def injury(self) -> dict[str, str]:
        return {"injured_person": self.cleaned_data.get("injured_person", ""),
                "health_details": self.cleaned_data.get("health_details", "")}


def _units_of(user: Any) -> list[OrgUnit]:
    """The reporter's units, the closest first (an employee's department before a faculty)."""
    unit_ids = {grant.unit_id for grant in org_access.grants(user)}
    return list(OrgUnit.objects.filter(pk__in=unit_ids).order_by("-depth", "path"))


def _areas_serving(units: list[OrgUnit]) -> list[SafetyArea]:
    """The safety areas a report from any of the units can belong to (`SafetyArea.serving`)."""
    if not units:
        return []
    serving = Q(pk__in=SafetyArea.objects.serving(units[0]).values("pk"))
    for unit in units[1:]:
        serving |= Q(pk__in=SafetyArea.objects.serving(unit).values("pk"))
    return list(SafetyArea.objects.filter(serving).order_by("name"))


Choices = list[tuple[Any, Any]]


def _own_first(own: list[Any], everything: Any, groups: tuple[Any, Any],
               empty_label: Any) -> Choices:
    """The choices of a select: the person's own records first, then all the others, each in an
    option group; `empty_label` (when not None) is the first, empty, option."""
    own_ids = {item.pk for item in own}
    rest = [(item.pk, str(item)) for item in everything if item.pk not in own_ids]
    choices: Choices = [("", empty_label)] if empty_label is not None else []
    if not own:
        return choices + rest
    return [*choices, (groups[0], [(item.pk, str(item)) for item in own]), (groups[1], rest)]


def handlers_of(unit: OrgUnit) -> Any:
    """Who may handle the unit's cases: its leaders and case handlers (also those above it)."""
    held = RoleAssignment.objects.active().over(unit).filter(role__in=DEVIATION_CASE_ROLES)
    return User.objects.filter(pk__in=held.values("person"), is_active=True).order_by(
        "first_name", "last_name")


class AcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    handler = forms.ModelChoiceField(label=_("Case handler"), queryset=User.objects.none())
    close_deadline = forms.DateField(label=_("Closing deadline"), required=False,
                                     widget=DateInput(),
                                     help_text=_("Empty: the usual deadline from today."))

    def __init__(self, *args: Any, deviation: Deviation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers_of(deviation.org_unit)  # type: ignore[attr-defined]
        self.fields["handler"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]


class RejectForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=5_000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_unit = forms.ModelChoiceField(label=_("Transfer to unit"),
                                     queryset=OrgUnit.objects.order_by("path"))


class AssessForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    actual_consequence = forms.TypedChoiceField(
        label=_("Actual consequence"), choices=CONSEQUENCE_CHOICES, coerce=int, empty_value=None,
        required=False, help_text=_("On the consequence scale of the risk matrix (people)."))
    potential_consequence = forms.TypedChoiceField(
        label=_("Potential consequence"), choices=CONSEQUENCE_CHOICES, coerce=int,
        empty_value=None, required=False, help_text=_("How bad it could have been."))
    serious_injury = forms.BooleanField(label=_("Serious injury or death"), required=False)
    cause_categories = forms.MultipleChoiceField(label=_("Cause categories"),
                                                 choices=CauseCategory.choices, required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    cause = forms.CharField(label=_("Cause analysis"), max_length=10_000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Why did it happen? Ask why until you reach a cause the "
                                        "unit can do something about."))


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    conclusion = forms.CharField(label=_("Conclusion"), max_length=10_000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    learning = forms.CharField(label=_("What was learnt"), max_length=10_000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    notice = forms.ChoiceField(choices=[("authorities", "authorities"), ("police", "police"),
                                        ("injury_report", "injury_report")])
    at = forms.DateTimeField(label=_("When"), required=False, widget=DateTimeInput())


class InjuryForm(forms.Form):
    injured_person = forms.CharField(label=_("Injured person"), max_length=200, required=False)
    health_details = forms.CharField(label=_("Injury and health details"), max_length=5_000,
                                     required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AttachForm(forms.Form):
    photos = PhotoField(label=_("Add photos or files"))


class RiskLinkForm(forms.Form):
    rows: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Risk assessment rows"), required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, deviation: Deviation, user: Any, **kwargs: Any) -> None:
        from hms.risk.models import RiskAssessment, RiskRow

        super().__init__(*args, **kwargs)
        unit = deviation.org_unit
        assessments = RiskAssessment.objects.filter(
            risk_access.assessment_q(user, "view"),
            org_unit__path__in=[unit.path, *unit.ancestor_paths()]).exclude(status="archived")
        self.fields["rows"].queryset = (  # type: ignore[attr-defined]
            RiskRow.objects.filter(Q(assessment__in=assessments) | Q(deviations=deviation))
            .select_related("assessment").distinct().order_by("assessment__title", "position"))
        self.fields["rows"].label_from_instance = (  # type: ignore[attr-defined]
            lambda row: f"{row.assessment.title} · {row.position}. {row.unwanted_event or row.activity}")
        self.initial.setdefault("rows", [row.pk for row in deviation.risk_rows.all()])


class DeviationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"),
                                                 widget=forms.CheckboxSelectMultiple)
    deviation_type = django_filters.ModelChoiceFilter(
        queryset=DeviationType.objects.all(), label=_("Type"), empty_label=_("All types"))
    overdue = django_filters.BooleanFilter(label=_("Only overdue"), method="filter_overdue",
                                           widget=forms.CheckboxInput)
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = Deviation
        fields = ["status", "deviation_type"]

    def filter_overdue(self, queryset: Any, name: str, value: bool) -> Any:
        return queryset.overdue() if value else queryset

    def filter_text(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(location__icontains=value))
