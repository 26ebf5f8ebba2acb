from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hms.risk.matrix import validate_definition
from hms.risk.models import RiskMatrix


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
