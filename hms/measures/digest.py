"""The measures section of the daily digest: open measures overdue or due soon, to the person
responsible."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from hms.measures.models import Measure, ReminderLog


class MeasureSection:
    template = "measures/email/digest.txt"

    def due(self, day: dt.date) -> dict[int, list[Any]]:
        grouped: dict[int, list[Any]] = {}
        measures = (Measure.objects.due_within(settings.HMS_DIGEST_DAYS_AHEAD, on=day)
                    .filter(responsible__isnull=False).exclude(reminders__day=day)
                    .select_related("org_unit").order_by("responsible_id", "deadline", "pk"))
        for measure in measures:
            grouped.setdefault(measure.responsible_id or 0, []).append(measure)
        return grouped

    def claim(self, recipient: Any, records: list[Any], day: dt.date) -> None:
        ReminderLog.objects.bulk_create(
            [ReminderLog(measure=m, recipient=recipient, day=day) for m in records])
