"""The form of a confirmation by hand, and the filter of the matrix."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hms.points.evidence import State
from hms.points.models import ConfirmingRole, Verdict


class ConfirmForm(forms.Form):
    role = forms.ChoiceField(label=_("As"), choices=ConfirmingRole.choices, required=False)
    verdict = forms.ChoiceField(label=_("Your word"), choices=Verdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What you base it on, or where you disagree with the figures."))

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in ConfirmingRole.choices if value in roles]
        self.roles = roles
        if len(roles) == 1:
            field.initial = roles[0]
            field.widget = forms.HiddenInput()

    def clean_role(self) -> str:
        """One who holds a single role confirms in it without saying so."""
        return str(self.cleaned_data["role"] or (self.roles[0] if self.roles else ""))


class MatrixFilterForm(forms.Form):
    """The matrix's filter (shown by core/_list_filter.html): which year, which point in which
    state, and the order of the units."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    point = forms.TypedChoiceField(label=_("Point"), coerce=int, required=False, empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Any state")), *State.choices])
    sort = forms.ChoiceField(label=_("Order"), required=False,
                             choices=[("tree", _("As in the unit tree")), ("worst", _("Worst first"))])

    def __init__(self, *args: Any, years: list[int], points: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("year", [(year, str(year)) for year in years])
        self._choices("point", [("", _("Any point")),
                                *((point.number, f"{point.number}. {point.short}") for point in points)])

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
