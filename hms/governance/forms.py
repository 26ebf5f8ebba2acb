from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hms.governance.models import Delegation, DelegationTask, Goal, GoalStatus, delegates_of
from hms.measures.forms import DateInput
from hms.measures.models import Measure, Status
from hms.org.models import OrgUnit


class GoalForm(forms.ModelForm):
    """A goal, its indicator and target, and the measures of the unit's plan that serve it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["year", "title", "indicator", "target", "measures"]
        widgets = {"year": forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
                   "measures": forms.CheckboxSelectMultiple}
        help_texts = {"measures": _("Measures of the unit's action plan that work towards the "
                                    "goal. A new measure for the goal can be added from the "
                                    "goal list.")}

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.instance.measures.values("pk") if self.instance.pk else []
        field = self.fields["measures"]
        field.queryset = (Measure.objects.filter(org_unit=unit).exclude(  # type: ignore[attr-defined]
            status=Status.CANCELLED) | Measure.objects.filter(pk__in=chosen)).distinct().order_by("title")
        field.label_from_instance = lambda m: f"{m.title} ({m.get_status_display()})"  # type: ignore[attr-defined]
        self.fields["title"].widget.attrs["maxlength"] = 200
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class AssessForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status at year end"), choices=GoalStatus.choices,
                               widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), max_length=5_000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("How the indicator ended up against the target, and what "
                                          "follows from it for next year."))


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class DelegationForm(forms.ModelForm):
    """A task from the catalogue or a task of one's own, delegated to one of the unit's people."""

    task = TaskChoiceField(label=_("Task"), required=False, empty_label=_("Another task (name it below)"),
                           queryset=DelegationTask.objects.filter(active=True))

    class Meta:
        model = Delegation
        fields = ["task", "task_text", "scope", "delegate", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput(),
                   "scope": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"delegate": {"invalid_choice": _(
            "Choose one of the unit's people: tasks are delegated to people with a role in the "
            "unit or its sub-units.")}}
        help_texts = {
            "task_text": _("Only when the task is not in the list."),
            "scope": _("What exactly the task covers: which lab, building or group, and what "
                       "authority and resources come with it."),
            "delegate": _("People with a role in the unit or its sub-units."),
            "valid_to": _("Leave empty for a delegation until further notice."),
        }

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegates_of(unit)  # type: ignore[attr-defined]
        self.fields["task_text"].widget.attrs["maxlength"] = 200
        self.initial.setdefault("valid_from", timezone.localdate())


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeclineForm(VersionForm):
    reason = forms.CharField(label=_("Why you decline"), max_length=2_000,
                             widget=forms.Textarea(attrs={"rows": 2}))
