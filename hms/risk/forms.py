from __future__ import annotations

import datetime as dt
import json
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hms.accounts.models import User
from hms.measures.forms import DateInput, plan_owner_candidates, staff_of
from hms.org.models import OrgUnit
from hms.risk.matrix import validate_definition
from hms.risk.models import (
    AssessmentKind,
    AssessmentStatus,
    Exposure,
    HazardType,
    RiskAssessment,
    RiskMatrix,
    RiskRow,
)
from hms.risk.widgets import RowCheckboxInput, RowHiddenInput, RowSelect, RowTextarea


class RiskMatrixForm(forms.ModelForm):
    """A new version, from an uploaded file or the JSON text (which starts as the version in use)."""

    upload = forms.FileField(label=_("From a file (.json)"), required=False)
    definition = forms.JSONField(label=_("Definition (JSON)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 30, "cols": 100}))

    class Meta:
        model = RiskMatrix
        fields = ["definition"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            try:
                data["definition"] = json.loads(upload.read().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise forms.ValidationError(_("The file is not valid JSON.")) from None
        if not data.get("definition"):
            raise forms.ValidationError(_("Give the definition as JSON text or as a file."))
        errors = validate_definition(data["definition"])
        if errors:
            raise forms.ValidationError(errors)
        return data


class AssessmentForm(forms.ModelForm):
    """The header of an assessment. The kind is chosen once, when it is made."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RiskAssessment
        fields = ["kind", "title", "scope", "trigger", "mapping_row", "responsible_leader",
                  "participants", "assessed_on"]
        widgets = {
            "kind": forms.RadioSelect,
            "scope": forms.Textarea(attrs={"rows": 3}),
            "assessed_on": DateInput(),
            "participants": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "scope": _("What the assessment covers: the activity, lab, experiment, field work, "
                       "purchase or change."),
            "participants": _("Hold Ctrl (⌘ on a Mac) to choose several. Include the safety "
                              "representative."),
            "mapping_row": _("For a detailed assessment: the row of the overall risk mapping it "
                             "looks at more closely."),
        }

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = staff_of(unit)
        chosen = self.instance.participants.values("pk") if self.instance.pk else []
        self.fields["participants"].queryset = (  # type: ignore[attr-defined]
            staff | User.objects.filter(pk__in=chosen)).distinct()
        self.fields["responsible_leader"].queryset = plan_owner_candidates(unit)  # type: ignore[attr-defined]
        self.fields["mapping_row"].queryset = RiskRow.objects.filter(  # type: ignore[attr-defined]
            assessment__org_unit__path__in=[unit.path, *unit.ancestor_paths()],
            assessment__kind=AssessmentKind.OVERALL,
            assessment__status=AssessmentStatus.APPROVED).select_related("assessment")
        self.fields["title"].widget.attrs["maxlength"] = 200
        if self.instance.pk:
            del self.fields["kind"]
            if not self.is_bound:
                self.initial["version"] = self.instance.version
        else:
            self.initial.setdefault("assessed_on", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mapping_row") and data.get("kind", self.instance.kind) == AssessmentKind.OVERALL:
            self.add_error("mapping_row", _("Only a detailed assessment details a mapping row."))
        return data


def _level_choices(levels: list[dict[str, Any]], letters: bool) -> list[tuple[str, str]]:
    text = RiskMatrix.text
    return [("", "–")] + [
        (str(level["value"]),
         f"{level.get('letter') if letters and level.get('letter') else level['value']} "
         f"{text(level['label'])}")
        for level in levels]


class RowCell(BoundField):
    """A cell of the row editor. The cells sit in table cells, so the form attribute ties each one
    to its row's form; it is added here, not to the widgets, so rows can share their fields."""

    form: RowForm

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        built = super().build_widget_attrs(attrs, widget)
        return {"form": self.form.html_form_id, **built} if self.form.html_form_id else built


def _row_fields(matrix: RiskMatrix) -> dict[str, forms.Field]:
    """A row's fields on the matrix, labels in the active language."""
    def text(label: Any, max_length: int) -> forms.CharField:
        return forms.CharField(label=label, required=False, max_length=max_length,
                               widget=RowTextarea(attrs={"rows": 2}))

    fields: dict[str, forms.Field] = {
        "version": forms.IntegerField(widget=RowHiddenInput),
        "hazard_type": forms.ChoiceField(label=_("hazard type"), choices=HazardType.choices,
                                         widget=RowSelect),
        "activity": text(_("activity"), 300),
        "unwanted_event": text(_("unwanted event"), 500),
        "cause": text(_("cause"), 5_000),
        "existing_measures": text(_("existing measures"), 5_000),
        "accept_reason": text(_("reason for accepting the risk"), 5_000),
        "exposure": forms.ChoiceField(label=_("exposure"), required=False,
                                      choices=[("", "–"), *Exposure.choices], widget=RowSelect),
        "needs_detailed": forms.BooleanField(label=_("needs a detailed assessment"),
                                             required=False, widget=RowCheckboxInput),
    }
    probabilities = _level_choices(matrix.definition["probability"], letters=False)
    consequences = _level_choices(matrix.definition["consequence"], letters=True)
    for stage in ("", "residual_"):
        fields[f"{stage}probability"] = forms.TypedChoiceField(
            label=_("probability after measures") if stage else _("probability"),
            choices=probabilities, coerce=int, empty_value=None, required=False, widget=RowSelect)
        for area in matrix.areas():
            fields[f"{stage}c_{area['code']}"] = forms.TypedChoiceField(
                label=RiskMatrix.text(area["label"]), choices=consequences, coerce=int,
                empty_value=None, required=False, widget=RowSelect)
    return fields


class RowForm(forms.Form):
    """One row of an assessment, as the in-place editor sends it. Fields are prefixed by the row,
    so every cell on the page has its own id. Its fields depend on the matrix (a consequence per
    area), so they are made per form, or once for all the forms of a page (`for_rows`)."""

    bound_field_class = RowCell

    def __init__(self, *args: Any, matrix: RiskMatrix,
                 fields: dict[str, forms.Field] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        self.html_form_id = ""  # the id of the row's <form>, which its cells name
        self.fields = _row_fields(matrix) if fields is None else fields

    @classmethod
    def for_row(cls, row: RiskRow, data: Any = None,
                fields: dict[str, forms.Field] | None = None) -> RowForm:
        initial: dict[str, Any] = {field: getattr(row, field) for field in (
            "version", "hazard_type", "activity", "unwanted_event", "cause", "existing_measures",
            "accept_reason", "exposure", "needs_detailed", "probability", "residual_probability")}
        for code, level in row.consequences.items():
            initial[f"c_{code}"] = level
        for code, level in row.residual_consequences.items():
            initial[f"residual_c_{code}"] = level
        form = cls(data, initial=initial, prefix=f"r{row.pk}", matrix=row.assessment.matrix,
                   fields=fields)
        form.html_form_id = f"f{row.pk}"
        return form

    @classmethod
    def for_rows(cls, rows: list[RiskRow]) -> list[RowForm]:
        """Unbound forms for rows of one assessment, sharing one set of fields (nothing changes
        a form's fields once made): the editor of a 200-row assessment makes 200 forms."""
        if not rows:
            return []
        fields = _row_fields(rows[0].assessment.matrix)
        return [cls.for_row(row, fields=fields) for row in rows]

    def row_data(self) -> dict[str, Any]:
        """The cleaned values in the shape the services take."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for stage in ("", "residual_"):
            data[f"{stage}consequences"] = {
                area["code"]: data.pop(f"{stage}c_{area['code']}") for area in self.matrix.areas()
                if data.get(f"{stage}c_{area['code']}")}
            for area in self.matrix.areas():
                data.pop(f"{stage}c_{area['code']}", None)
        return data


class StatusForm(forms.Form):
    STEPS = [("submit", "submit"), ("send_back", "send_back"), ("approve", "approve"),
             ("revise", "revise")]
    step = forms.ChoiceField(choices=STEPS)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"),
                           help_text=_("Laid out like the export: a header block, then one line "
                                       "per row. Column headers in bokmål or English, in any "
                                       "order."))


REVIEW_CHOICES = [("due", _("Review due soon or overdue")), ("overdue", _("Review overdue"))]


class AssessmentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AssessmentKind.choices, label=_("Kind"),
                                       empty_label=_("All kinds"))
    status = django_filters.MultipleChoiceFilter(choices=AssessmentStatus.choices,
                                                 label=_("Status"),
                                                 widget=forms.CheckboxSelectMultiple)
    review = django_filters.ChoiceFilter(choices=REVIEW_CHOICES, label=_("Review"),
                                         method="filter_review", empty_label=_("All"))
    red = django_filters.BooleanFilter(label=_("With red rows"), method="filter_red",
                                       widget=forms.CheckboxInput)
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = RiskAssessment
        fields = ["kind", "status"]

    def filter_review(self, queryset: Any, name: str, value: str) -> Any:
        today = timezone.localdate()
        if value == "overdue":
            return queryset.review_due(today - dt.timedelta(days=1))
        return queryset.review_due(today + dt.timedelta(days=settings.HMS_REVIEW_DAYS_AHEAD))

    def filter_red(self, queryset: Any, name: str, value: bool) -> Any:
        red_rows = RiskRow.objects.filter(assessment=OuterRef("pk"), colour="red")
        return queryset.filter(Exists(red_rows)) if value else queryset

    def filter_text(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(title__icontains=value) | Q(scope__icontains=value))
