from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hms.accounts.models import User
from hms.measures.forms import DateInput, staff_of
from hms.meetings.models import AgendaItem, Interval, Kind, Meeting
from hms.org.models import OrgUnit, SafetyArea


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(forms.Form):
    """When and where: the fields a planned meeting can still change."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    safety_area = forms.ModelChoiceField(
        label=_("Safety area"), required=False, queryset=SafetyArea.objects.none(),
        help_text=_("For a leader–safety representative meeting: the area whose representative takes part."))
    day = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput(), initial=dt.time(9, 0))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=600,
                                          initial=60)
    location = forms.CharField(label=_("Place"), max_length=200, required=False,
                               help_text=_("A room, or the address of a video meeting."))

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["safety_area"].queryset = SafetyArea.objects.filter(  # type: ignore[attr-defined]
            org_unit__path__startswith=unit.path).order_by("name")

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        local = timezone.localtime(meeting.starts_at)
        return {"version": meeting.version, "kind": meeting.kind, "title": meeting.title,
                "safety_area": meeting.safety_area_id, "day": local.date(),
                "time": local.time().replace(second=0, microsecond=0),
                "duration_minutes": meeting.duration_minutes, "location": meeting.location}

    def meeting_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        return {"kind": data["kind"], "title": data["title"], "safety_area": data["safety_area"],
                "starts_at": starts_at, "duration_minutes": data["duration_minutes"],
                "location": data["location"]}


class PlanForm(MeetingForm):
    """A new meeting, or a recurring series of them, and who is invited."""

    invited = forms.ModelMultipleChoiceField(
        label=_("Invited"), required=False, queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("You are invited yourself. Hold Ctrl (⌘ on a Mac) to choose several."))
    guests = forms.CharField(
        label=_("Guests without an account"), required=False, max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, e.g. a union representative."))
    health_service = forms.BooleanField(label=_("The occupational health service takes part"),
                                        required=False)
    repeat = forms.TypedChoiceField(
        label=_("Repeat"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Once")), *Interval.choices])
    count = forms.IntegerField(label=_("Number of meetings in the series"), min_value=2,
                               max_value=24, initial=4, required=False)

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["invited"].queryset = staff_of(unit)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("repeat") and not data.get("count"):
            self.add_error("count", _("Say how many meetings the series has (2 to 24)."))
        return data

    def invitations(self) -> dict[str, Any]:
        data = self.cleaned_data
        guests = [line.strip() for line in data["guests"].splitlines() if line.strip()]
        return {"invited": list(data["invited"]), "guests": guests,
                "health_service": data["health_service"]}


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    description = forms.CharField(label=_("Background"), required=False, max_length=5_000,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    minutes = forms.CharField(label=_("Minutes"), required=False, max_length=10_000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=2_000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    item = forms.ModelChoiceField(label=_("Agenda item"), required=False,
                                  queryset=AgendaItem.objects.none())
    to_plan = forms.BooleanField(label=_("This decision is a measure for the action plan"),
                                 required=False)

    def __init__(self, *args: Any, meeting: Meeting, items: list[AgendaItem] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["item"]
        field.queryset = meeting.items.all()
        if items is not None:  # the agenda in hand: its choices need no query
            field.choices = [("", field.empty_label), *((item.pk, item.title) for item in items)]


class CompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(label=_("Summary of the meeting"), required=False, max_length=10_000,
                              widget=forms.Textarea(attrs={"rows": 3}))
