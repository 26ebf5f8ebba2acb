from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    KIND_UNITS = "units"
    KIND_PEOPLE = "people"
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(KIND_UNITS, _("Units")), (KIND_PEOPLE, _("People and their roles"))],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
