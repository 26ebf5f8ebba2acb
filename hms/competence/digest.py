"""The competence sections of the daily digest.

A person hears of each of their required trainings that has expired or expires within
HMS_TRAINING_WARN_DAYS days. A unit's leaders get a summary of the unit's missing, expired and
expiring trainings once some have expired or are expiring: trainings never taken are the gap
overview's news, not the digest's (a unit's first day in HMS would otherwise mail every leader).
Both come at most once a week (REMIND_EVERY_DAYS) per record and recipient, or per unit and
leader, until the gap is closed: often enough not to be forgotten, seldom enough that a daily
digest does not repeat the same news. A training no role requires any more is not reminded of."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from hms.competence import gaps
from hms.competence.models import TrainingReminder
from hms.core.roles import Role
from hms.org.models import OrgUnit, RoleAssignment

REMIND_EVERY_DAYS = 7


def _recent(day: dt.date) -> QuerySet[TrainingReminder]:
    return TrainingReminder.objects.filter(day__gt=day - dt.timedelta(days=REMIND_EVERY_DAYS))


class TrainingSection:
    template = "competence/email/digest.txt"

    def due(self, day: dt.date) -> dict[int, list[Any]]:
        sent = set(_recent(day).filter(record__isnull=False).values_list("record", "recipient"))
        grouped: dict[int, list[Any]] = {}
        for need in gaps.needs_of(RoleAssignment.objects.active(day), day):
            lapsing = need.standing in (gaps.Standing.EXPIRED, gaps.Standing.EXPIRING)
            if lapsing and need.record and (need.record.pk, need.person.pk) not in sent:
                grouped.setdefault(need.person.pk, []).append(need)
        return grouped

    def claim(self, recipient: Any, records: list[Any], day: dt.date) -> None:
        TrainingReminder.objects.bulk_create(
            [TrainingReminder(record=need.record, recipient=recipient, day=day) for need in records])


@dataclass
class UnitSummary:
    unit: OrgUnit
    missing: int
    expired: int
    expiring: int


class TrainingSummarySection:
    template = "competence/email/summary.txt"

    def due(self, day: dt.date) -> dict[int, list[Any]]:
        tally: dict[int, Counter[str]] = {}
        for need in gaps.needs_of(RoleAssignment.objects.active(day), day):
            for unit_id in need.unit_ids if need.is_gap else ():
                tally.setdefault(unit_id, Counter())[need.standing] += 1
        tally = {unit_id: found for unit_id, found in tally.items()
                 if found[gaps.Standing.EXPIRED] + found[gaps.Standing.EXPIRING]}
        sent = set(_recent(day).filter(org_unit__isnull=False).values_list("org_unit", "recipient"))
        leaders = (RoleAssignment.objects.active(day).filter(role=Role.LEADER, org_unit__in=list(tally))
                   .values_list("org_unit", "person").order_by("org_unit__path", "person"))
        units = OrgUnit.objects.in_bulk(list(tally))
        grouped: dict[int, list[Any]] = {}
        for unit_id, person_id in leaders:
            if (unit_id, person_id) not in sent:
                found = tally[unit_id]
                grouped.setdefault(person_id, []).append(UnitSummary(
                    units[unit_id], found[gaps.Standing.MISSING], found[gaps.Standing.EXPIRED],
                    found[gaps.Standing.EXPIRING]))
        return grouped

    def claim(self, recipient: Any, records: list[Any], day: dt.date) -> None:
        TrainingReminder.objects.bulk_create(
            [TrainingReminder(org_unit=summary.unit, recipient=recipient, day=day)
             for summary in records])
