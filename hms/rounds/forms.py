from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hms.accounts.models import User
from hms.deviations.models import DeviationType
from hms.measures.forms import DateInput, staff_of
from hms.org.models import OrgUnit, SafetyArea
from hms.rounds import access
from hms.rounds.models import Answer, ChecklistTemplate, Finding, Result, Round, SurveyQuestion

LEVELS = [("", "–"), *((str(n), str(n)) for n in range(1, 6))]


class TemplateChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class RoundForm(forms.ModelForm):
    """The plan of a round: where, when, who and which checklists."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    templates = TemplateChoiceField(label=_("Checklists"), widget=forms.CheckboxSelectMultiple,
                                    queryset=ChecklistTemplate.objects.current())

    class Meta:
        model = Round
        fields = ["safety_area", "planned_on", "participants", "other_participants", "themes",
                  "templates"]
        widgets = {"planned_on": DateInput(), "themes": forms.Textarea(attrs={"rows": 3}),
                   "participants": forms.SelectMultiple(attrs={"size": 8})}
        help_texts = {
            "participants": _("The leader (at least for planning and summary), the safety "
                              "representative (all of it), the HSE coordinator, the lab leader. "
                              "Hold Ctrl (⌘ on a Mac) to choose several."),
            "themes": _("What this round looks at especially, e.g. chemical storage or indoor "
                        "climate."),
        }

    def __init__(self, *args: Any, unit: OrgUnit, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = access.round_areas(user, unit)  # a safety representative: the areas they sign for
        if self.instance.pk:
            areas = areas | SafetyArea.objects.filter(pk=self.instance.safety_area_id)
        self.fields["safety_area"].queryset = areas.distinct().order_by("name")  # type: ignore[attr-defined]
        chosen = self.instance.participants.values("pk") if self.instance.pk else []
        self.fields["participants"].queryset = (  # type: ignore[attr-defined]
            staff_of(unit) | User.objects.filter(pk__in=chosen)).distinct()
        if self.instance.pk:
            self.initial.setdefault("templates", list(self.instance.templates.values_list("pk", flat=True)))
            if not self.is_bound:
                self.initial["version"] = self.instance.version

    def clean_templates(self) -> Any:
        templates = self.cleaned_data["templates"]
        if not templates:
            raise forms.ValidationError(_("Choose at least one checklist."))
        return templates


class AnswerForm(forms.Form):
    result = forms.ChoiceField(choices=[("", "–"), *Result.choices], required=False)
    comment = forms.CharField(max_length=5_000, required=False)
    version = forms.IntegerField(required=False)


class FindingForm(forms.Form):
    title = forms.CharField(label=_("What was found"), max_length=300)
    description = forms.CharField(label=_("Details"), max_length=5_000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class PhotoForm(forms.Form):
    """A photo of the round, of one of its answers or of one of its findings."""

    photo = forms.FileField(label=_("Photo"))
    answer = forms.ModelChoiceField(required=False, widget=forms.HiddenInput,
                                    queryset=Answer.objects.none())
    finding = forms.ModelChoiceField(required=False, widget=forms.HiddenInput,
                                     queryset=Finding.objects.none())

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].queryset = round_.answers.all()  # type: ignore[attr-defined]
        self.fields["finding"].queryset = round_.findings.all()  # type: ignore[attr-defined]


class ScoreForm(forms.Form):
    probability = forms.TypedChoiceField(label=_("Probability"), choices=LEVELS, coerce=int,
                                         empty_value=None, required=False)
    consequence = forms.TypedChoiceField(label=_("Consequence"), choices=LEVELS, coerce=int,
                                         empty_value=None, required=False)
    no_action_reason = forms.CharField(label=_("Or: why neither a measure nor a deviation is needed"),
                                       max_length=2_000, required=False,
                                       widget=forms.Textarea(attrs={"rows": 1}))


class FindingDeviationForm(forms.Form):
    deviation_type = forms.ModelChoiceField(
        label=_("Type of deviation"), empty_label=None,
        queryset=DeviationType.objects.filter(active=True))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deviation_type"].label_from_instance = lambda t: t.name  # type: ignore[attr-defined]
        self.initial.setdefault("deviation_type", DeviationType.objects.filter(
            code="rule_breach").values_list("pk", flat=True).first())


class SummaryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(label=_("Summary"), max_length=10_000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What the leader and the safety representative agreed, "
                                          "and what is most important to fix first."))
    new_assessment_needed = forms.BooleanField(label=_("A new risk assessment is needed"),
                                               required=False)


class SurveyForm(forms.Form):
    """The questionnaire: one 1–5 answer a question, and an optional comment."""

    comment = forms.CharField(label=_("Anything else the round should look at?"), max_length=2_000,
                              required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = [(str(n), str(n)) for n in range(1, 6)]
        for code, label in SurveyQuestion.choices:
            self.fields[code] = forms.TypedChoiceField(label=label, choices=scale, coerce=int,
                                                       widget=forms.RadioSelect)
        self.order_fields([*SurveyQuestion.values, "comment"])

    def answers(self) -> dict[str, int]:
        return {code: self.cleaned_data[code] for code in SurveyQuestion.values}
