"""The deadlines of the open measures a person is responsible for, for their calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hms.core.calendar import CalendarEntry
from hms.measures.models import Measure


def entries(person: Any, since: dt.date) -> list[CalendarEntry]:
    measures = (Measure.objects.open().filter(responsible=person, deadline__gte=since)
                .select_related("org_unit").order_by("deadline", "pk"))
    return [CalendarEntry(uid=f"measure-{measure.pk}",
                          title=_("Deadline: %(title)s") % {"title": measure.title},
                          start=measure.deadline, url=reverse("measures:detail", args=[measure.pk]),
                          description=measure.org_unit.name)
            for measure in measures if measure.deadline is not None]
