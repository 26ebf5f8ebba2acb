"""The agenda a meeting is offered from the unit's records: deviations reported since the last
meeting of its kind, overdue measures, risk reviews falling due, HSE rounds due, and the standing
items of a leader–safety representative meeting. Each suggestion is what the person planning may
see: the records come through the same access layer as their own pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import DateTimeField, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hms.deviations.models import Deviation
from hms.measures.models import Measure
from hms.meetings.models import AgendaItem, Kind, Meeting, Source, Status
from hms.risk.models import RiskAssessment
from hms.rounds import planning

# How far back a unit's first meeting of a kind looks for new deviations.
FIRST_MEETING_LOOKBACK_DAYS = 90
# Records of one kind offered at most (the newest or the most urgent first).
PER_SOURCE = 15
# Rounds due within this many days of the meeting are worth planning there.
ROUND_HORIZON_DAYS = 60


@dataclass(frozen=True)
class Suggestion:
    key: str          # "<source>:<pk>", or "standing:<n>"
    source: str
    title: str
    description: str
    record: Any = None
    url: str = ""


def standing_items(kind: str) -> list[tuple[str, str]]:
    """(title, background) of the items every meeting of the kind has."""
    items = [(_("Follow-up of the HSE action plan"),
              _("Measures done, delayed or in need of a new deadline."))]
    if kind == Kind.LEADER_VO:
        items.append((_("Matters from the safety representative"),
                      _("What the safety representative has seen or been told since last time.")))
    return items


def suggestions(user: Any, meeting: Meeting, on_agenda: list[AgendaItem]) -> list[Suggestion]:
    """What the agenda could take up, less what it already has (`on_agenda`)."""
    found = [*_standing(meeting), *_deviations(user, meeting), *_overdue_measures(user, meeting),
             *_reviews_due(user, meeting), *_rounds_due(meeting)]
    taken = _already_on_agenda(meeting, on_agenda)
    return [suggestion for suggestion in found if suggestion.key not in taken]


def _already_on_agenda(meeting: Meeting, on_agenda: list[AgendaItem]) -> set[str]:
    taken = set()
    standing = {title: f"standing:{n}" for n, (title, _bg) in enumerate(standing_items(meeting.kind))}
    for item in on_agenda:
        if item.source == Source.STANDING and item.title in standing:
            taken.add(standing[item.title])
        elif item.record_id is not None:
            taken.add(f"{item.source}:{item.record_id}")
    return taken


def _standing(meeting: Meeting) -> list[Suggestion]:
    return [Suggestion(f"standing:{n}", Source.STANDING, title, background)
            for n, (title, background) in enumerate(standing_items(meeting.kind))]


def _since(meeting: Meeting) -> Coalesce:
    """When the last meeting of the same kind in the unit was held before this one, or a while
    back: as an expression, so the deviations are found in the same query."""
    previous = (Meeting.objects.filter(org_unit=meeting.org_unit, kind=meeting.kind,
                                       status=Status.HELD, starts_at__lt=meeting.starts_at)
                .order_by("-starts_at").values("starts_at")[:1])
    fallback = meeting.starts_at - dt.timedelta(days=FIRST_MEETING_LOOKBACK_DAYS)
    return Coalesce(Subquery(previous), Value(fallback, output_field=DateTimeField()))


def _deviations(user: Any, meeting: Meeting) -> list[Suggestion]:
    cases = (Deviation.objects.in_unit(user, meeting.org_unit)
             .filter(reported_at__gte=_since(meeting))
             .select_related("deviation_type").order_by("-reported_at")[:PER_SOURCE])
    # The case's own title may name people: the agenda (which the unit's employees read) gets its
    # type and date, and the link to the case for those who may open it.
    return [Suggestion(f"{Source.DEVIATION}:{case.pk}", Source.DEVIATION,
                       _("Deviation: %(type)s, reported %(date)s") % {
                           "type": case.deviation_type,
                           "date": f"{timezone.localtime(case.reported_at):%d.%m.%Y}"},
                       _("Case no. %(number)s · %(status)s") % {
                           "number": case.pk, "status": case.get_status_display()},
                       case, case.get_absolute_url())
            for case in cases]


def _overdue_measures(user: Any, meeting: Meeting) -> list[Suggestion]:
    day = timezone.localtime(meeting.starts_at).date()
    measures = (Measure.objects.in_plan(user, meeting.org_unit).overdue(day)
                .select_related("responsible").order_by("deadline", "pk")[:PER_SOURCE])
    return [Suggestion(f"{Source.MEASURE}:{measure.pk}", Source.MEASURE, measure.title,
                       _("Deadline %(date)s · responsible: %(person)s") % {
                           "date": f"{measure.deadline:%d.%m.%Y}",
                           "person": measure.responsible or "–"},
                       measure, reverse("measures:detail", args=[measure.pk]))
            for measure in measures]


def _reviews_due(user: Any, meeting: Meeting) -> list[Suggestion]:
    by = timezone.localtime(meeting.starts_at).date() + dt.timedelta(days=settings.HMS_REVIEW_DAYS_AHEAD)
    assessments = (RiskAssessment.objects.in_unit(user, meeting.org_unit).review_due(by)
                   .order_by("review_due", "pk")[:PER_SOURCE])
    return [Suggestion(f"{Source.RISK_REVIEW}:{assessment.pk}", Source.RISK_REVIEW,
                       _("Review of the risk assessment “%(title)s”") % {"title": assessment.title},
                       _("Review due %(date)s") % {"date": f"{assessment.review_due:%d.%m.%Y}"},
                       assessment, reverse("risk:detail", args=[assessment.pk]))
            for assessment in assessments]


def _rounds_due(meeting: Meeting) -> list[Suggestion]:
    day = timezone.localtime(meeting.starts_at).date()
    horizon = day + dt.timedelta(days=ROUND_HORIZON_DAYS)
    plans = [plan for plan in planning.area_plans(meeting.org_unit, day)
             if plan.planned is None and plan.next_due <= horizon][:PER_SOURCE]
    return [Suggestion(f"{Source.ROUND}:{plan.area.pk}", Source.ROUND,
                       _("HSE round in %(area)s") % {"area": plan.area.name},
                       _("Due %(date)s; no round is planned.") % {"date": f"{plan.next_due:%d.%m.%Y}"},
                       plan.area)
            for plan in plans]


def item_fields(suggestion: Suggestion) -> dict[str, Any]:
    """The agenda item a suggestion becomes."""
    return {"title": suggestion.title[:300], "description": suggestion.description,
            "source": suggestion.source, "record": suggestion.record}


def next_position(meeting: Meeting) -> int:
    last = AgendaItem.objects.filter(meeting=meeting).order_by("-position").values_list(
        "position", flat=True).first()
    return (last or 0) + 1
