"""A person's calendar: the day each of their trainings expires (the current record of each
course; an older one a newer record supersedes is left out)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hms.competence.gaps import best_records
from hms.core.calendar import CalendarEntry


def entries(person: Any, since: dt.date) -> list[CalendarEntry]:
    records = sorted(best_records([person.pk]).values(), key=lambda r: (r.expires_on or since, r.pk))
    return [
        CalendarEntry(uid=f"training-{record.pk}",
                      title=_("Training expires: %(course)s") % {"course": record.course.name},
                      start=record.expires_on, url=reverse("competence:mine"),
                      description=_("Completed %(day)s. Renew it before it expires.")
                      % {"day": record.completed_on.strftime("%d.%m.%Y")})
        for record in records if record.expires_on is not None and record.expires_on >= since
    ]
