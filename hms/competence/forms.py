from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hms.accounts.models import User
from hms.competence.models import Course, TrainingRecord
from hms.core.roles import Role
from hms.measures.forms import DateInput
from hms.org.models import OrgUnit, RoleAssignment


class CourseField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class TrainingForm(forms.ModelForm):
    """A training completed by a person; the expiry comes from the course unless given."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    person = PersonField(label=_("Person"), queryset=User.objects.none())
    course = CourseField(label=_("Course"), queryset=Course.objects.all())

    class Meta:
        model = TrainingRecord
        fields = ["person", "course", "completed_on", "expires_on", "note"]
        widgets = {"completed_on": DateInput(), "expires_on": DateInput()}

    def __init__(self, *args: Any, unit: OrgUnit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["person"]
            if not self.is_bound:
                self.initial["version"] = self.instance.version
        else:
            held = RoleAssignment.objects.active().filter(org_unit=unit).values("person")
            self.fields["person"].queryset = (  # type: ignore[attr-defined]
                User.objects.filter(pk__in=held).order_by("last_name", "first_name", "username"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))


def _course_choices() -> list[tuple[str, Any]]:
    return [("", _("All courses")), *((c.code, c.name) for c in Course.objects.all())]


class GapFilter(forms.Form):
    """The gap overview's filters (a GET form: everything optional)."""

    only_gaps = forms.BooleanField(label=_("Only gaps"), required=False)
    course = forms.ChoiceField(label=_("Course"), required=False, choices=_course_choices)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All roles")), *Role.choices])
    subtree = forms.BooleanField(label=_("Include sub-units"), required=False)
