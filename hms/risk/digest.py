"""The risk section of the daily digest: approved assessments whose review falls due within
HMS_REVIEW_DAYS_AHEAD days or is overdue, to the responsible leader (or the unit's leaders when
none is named), once a week each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from hms.core.roles import Role
from hms.org.models import RoleAssignment
from hms.risk.models import EDITABLE_STATUSES, AssessmentStatus, ReviewReminder, RiskAssessment

REMIND_EVERY_DAYS = 7


class ReviewSection:
    template = "risk/email/digest.txt"

    def due(self, day: dt.date) -> dict[int, list[Any]]:
        grouped: dict[int, list[Any]] = {}
        recent = ReviewReminder.objects.filter(day__gt=day - dt.timedelta(days=REMIND_EVERY_DAYS))
        window = day + dt.timedelta(days=settings.HMS_REVIEW_DAYS_AHEAD)
        due = (RiskAssessment.objects.review_due(window)
               .exclude(pk__in=recent.values("assessment"))
               .exclude(revisions__status__in=(*EDITABLE_STATUSES, AssessmentStatus.IN_REVIEW))
               .select_related("org_unit")
               .order_by("review_due", "pk"))
        for assessment in due:
            for pk in self._recipients(assessment):
                grouped.setdefault(pk, []).append(assessment)
        return grouped

    @staticmethod
    def _recipients(assessment: RiskAssessment) -> list[int]:
        if assessment.responsible_leader_id:
            return [assessment.responsible_leader_id]
        leaders = RoleAssignment.objects.active().over(assessment.org_unit).filter(role=Role.LEADER)
        return sorted(set(leaders.values_list("person_id", flat=True)))

    def claim(self, recipient: Any, records: list[Any], day: dt.date) -> None:
        ReviewReminder.objects.bulk_create(
            [ReviewReminder(assessment=a, recipient=recipient, day=day) for a in records])
