"""The points' section of the daily digest. Each day the open year's points are computed for the
whole tree (every rule once over it, as for the matrix) and compared with what the last run found
(PointState): a point that was met and is not any more is told that day to the unit's leader and
to the safety representatives of its own safety areas. From HMS_POINTS_DUE_DAYS days before the
year ends, a point still not met or only partly met is told to them once that year. Only points
the records compute are told; the mail names the unit, the point and its state, nobody else. The
day's states and evidence of every point are kept (PointState): the matrix of a subtree larger
than HMS_POINTS_LIVE_UNITS reads them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from hms.core.roles import SAFETY_AREA_ROLES, Role
from hms.org.models import OrgUnit, RoleAssignment
from hms.points.catalogue import Point
from hms.points.evidence import Evidence, State, Units, Year, evidence_for
from hms.points.models import PointReminder, PointState
from hms.points.overview import points_of

TURNED, DUE = "turned", "due"
WANTING = (State.NOT_MET, State.PARTLY)


@dataclass
class Notice:
    """One point of one unit for the mail (the template reads it)."""

    unit: OrgUnit
    point: Point
    reason: str
    state: State
    year: int

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.unit.pk, self.point.number, self.reason)


class PointSection:
    template = "points/email/digest.txt"

    def due(self, day: dt.date) -> dict[int, list[Notice]]:
        return _to_recipients(daily_run(day), day)

    def claim(self, recipient: Any, records: list[Notice], day: dt.date) -> None:
        PointReminder.objects.bulk_create([
            PointReminder(org_unit=notice.unit, year=notice.year, number=notice.point.number,
                          reason=notice.reason, recipient=recipient, day=day) for notice in records])


def daily_run(day: dt.date) -> list[Notice]:
    """Compute the open year's points over the whole tree, note the states and evidence, and
    return what is to be told."""
    points = points_of(day.year)
    found: dict[int, dict[int, Evidence]] = defaultdict(dict)
    units: dict[int, OrgUnit] = {}
    for root in OrgUnit.objects.get_root_nodes():
        tree = Units.subtree(root)
        units.update((unit.pk, unit) for unit in tree.members)
        for number, per_unit in evidence_for(tree, Year(day.year, day), points).items():
            found[number].update(per_unit)
    by_number = {point.number: point for point in points}
    return [Notice(units[pk], by_number[number], reason, State(found[number][pk].state), day.year)
            for pk, number, reason in _reasons(found, day) if by_number[number].computed]


def _reasons(found: dict[int, dict[int, Evidence]], day: dt.date) -> list[tuple[int, int, str]]:
    """(unit pk, point number, reason) of what to tell; the day's states and evidence are noted
    for the next run and for the matrix of large subtrees."""
    seen = {(state.org_unit_id, state.number): state
            for state in PointState.objects.filter(year=day.year)}
    near_end = (dt.date(day.year, 12, 31) - day).days <= settings.HMS_POINTS_DUE_DAYS
    reasons, known, new = [], [], []
    for number, per_unit in found.items():
        for pk, evidence in per_unit.items():
            before = seen.get((pk, number))
            if before is not None and before.state == State.MET and evidence.state in WANTING:
                reasons.append((pk, number, TURNED))
            elif near_end and evidence.state in WANTING:
                reasons.append((pk, number, DUE))
            values = {"state": str(evidence.state), "evidence": evidence.as_json(), "seen_on": day}
            if before is None:
                new.append(PointState(org_unit_id=pk, year=day.year, number=number, **values))
            else:
                for name, value in values.items():
                    setattr(before, name, value)
                known.append(before)
    PointState.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    PointState.objects.bulk_update(known, ["state", "evidence", "seen_on"], batch_size=2000)
    return reasons


def _to_recipients(notices: list[Notice], day: dt.date) -> dict[int, list[Notice]]:
    """The notices by the pk of each leader of the unit (held on the unit itself) and each safety
    representative of the areas it owns, leaving out what they were told already (a due point
    once a year, a turned one once a day)."""
    unit_ids = sorted({notice.unit.pk for notice in notices})
    people: dict[int, set[int]] = defaultdict(set)
    active = RoleAssignment.objects.active(day)
    for unit_id, person_id in active.filter(role=Role.LEADER, org_unit_id__in=unit_ids).values_list(
            "org_unit_id", "person_id"):
        people[unit_id].add(person_id)
    for unit_id, person_id in active.filter(role__in=sorted(SAFETY_AREA_ROLES),
                                            safety_area__org_unit_id__in=unit_ids).values_list(
            "safety_area__org_unit_id", "person_id"):
        people[unit_id].add(person_id)
    told = set(PointReminder.objects.filter(year=day.year, reason=DUE).values_list(
        "org_unit_id", "number", "reason", "recipient_id"))
    told |= set(PointReminder.objects.filter(day=day).values_list(
        "org_unit_id", "number", "reason", "recipient_id"))
    grouped: dict[int, list[Notice]] = defaultdict(list)
    for notice in sorted(notices, key=lambda n: (n.unit.path, n.point.number)):
        for person in sorted(people[notice.unit.pk]):
            if (*notice.key, person) not in told:
                grouped[person].append(notice)
    return dict(grouped)
