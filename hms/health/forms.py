from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hms.health.lookup import record_key
from hms.health.models import HealthServiceContact, Involvement, Kind
from hms.measures.forms import DateInput


class ContactForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    web = forms.URLField(label=_("web address"), required=False, max_length=300,
                         assume_scheme="https")

    class Meta:
        model = HealthServiceContact
        fields = HealthServiceContact.EDITABLE_FIELDS
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "booking": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class InvolvementForm(forms.Form):
    """An entry of the log. `records` are the groups of records it may concern (see
    `lookup.linkable_records`); a chosen one comes back as the record itself."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Kind.choices])
    description = forms.CharField(
        label=_("Description"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Involvement._meta.get_field("description").help_text)
    record = forms.ChoiceField(label=_("Concerns"), required=False,
                               help_text=_("The unit's risk assessment, HSE round or meeting it was "
                                           "part of, if any."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, records: list[tuple[Any, list[models.Model]]],
                 entry: Involvement | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.records = {record_key(r): r for _label, group in records for r in group}
        choices: list[Any] = [("", "—")]
        choices += [(label, [(record_key(r), str(r)) for r in group]) for label, group in records]
        if entry is not None and entry.record is not None and record_key(entry.record) not in self.records:
            self.records[record_key(entry.record)] = entry.record
            choices.append((record_key(entry.record), str(entry.record)))
        self.fields["record"].choices = choices  # type: ignore[attr-defined]
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if entry is not None and not self.is_bound:
            self.initial.update(date=entry.date, kind=entry.kind, description=entry.description,
                                version=entry.version,
                                record=record_key(entry.record) if entry.record else "")

    def clean_record(self) -> models.Model | None:
        key = self.cleaned_data.get("record")
        return self.records.get(key) if key else None
