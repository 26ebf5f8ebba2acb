"""Who must have which training, and where each stands: a role assignment falls under every
requirement whose role matches and whose lab condition holds (its unit is covered by a high-risk
safety area); a person needs each course once, however many roles ask for it. The computation
runs in a fixed number of queries, whatever the number of people."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from hms.competence.models import Course, Requirement, TrainingRecord
from hms.org.models import OrgUnit, RiskLevel, RoleAssignment, SafetyArea


class Standing(models.TextChoices):
    MISSING = "missing", _("Missing")
    EXPIRED = "expired", _("Expired")
    EXPIRING = "expiring", _("Expires soon")
    VALID = "valid", _("Valid")


GAPS = (Standing.MISSING, Standing.EXPIRED, Standing.EXPIRING)


@dataclass
class Need:
    """One course a person must have, why (the roles asking for it), and their best record."""

    person: Any
    course: Course
    roles: set[str] = field(default_factory=set)
    tasks: set[str] = field(default_factory=set)  # names of the delegated tasks asking for it
    unit_ids: set[int] = field(default_factory=set)
    record: TrainingRecord | None = None
    standing: str = Standing.MISSING

    @property
    def is_gap(self) -> bool:
        return self.standing in GAPS

    def get_standing_display(self) -> str:
        return str(Standing(self.standing).label)

    def reasons(self) -> list[str]:
        """Why the person needs the course: the roles and the delegated tasks asking for it."""
        from hms.core.roles import Role

        return [str(Role(role).label) for role in sorted(self.roles)] + sorted(self.tasks)


def standing(record: TrainingRecord | None, today: dt.date) -> str:
    if record is None:
        return Standing.MISSING
    if record.expires_on is None:
        return Standing.VALID
    if record.expires_on < today:
        return Standing.EXPIRED
    if record.expires_on <= today + dt.timedelta(days=settings.HMS_TRAINING_WARN_DAYS):
        return Standing.EXPIRING
    return Standing.VALID


def _lasts_longest(record: TrainingRecord) -> tuple[bool, dt.date, dt.date]:
    return (record.expires_on is None, record.expires_on or dt.date.max, record.completed_on)


def best_records(people: Any, course_ids: set[int] | None = None
                 ) -> dict[tuple[int, int], TrainingRecord]:
    """(person pk, course pk) → the record that lasts longest (a newer one supersedes an older
    one). `people`: pks or a values query; `course_ids`: None for every course."""
    best: dict[tuple[int, int], TrainingRecord] = {}
    found = TrainingRecord.objects.filter(person__in=people).select_related("course")
    if course_ids is not None:
        found = found.filter(course__in=sorted(course_ids))
    for record in found:
        key = (record.person_id, record.course_id)
        if key not in best or _lasts_longest(record) > _lasts_longest(best[key]):
            best[key] = record
    return best


def _in_lab() -> Exists:
    """Whether a role assignment's unit is covered by a high-risk safety area: its people work in
    labs or workshops."""
    covered = SafetyArea.units.through.objects.filter(
        orgunit=OuterRef("org_unit"), safetyarea__risk_level=RiskLevel.HIGH)
    return Exists(covered)


def needs_of(assignments: QuerySet[RoleAssignment], today: dt.date) -> list[Need]:
    """The needs of the people holding `assignments` (active role assignments), sorted by person
    and course."""
    requirements = list(Requirement.objects.select_related("course"))
    found: dict[tuple[int, int], Need] = {}
    for assignment in assignments.select_related("person").annotate(in_lab=_in_lab()).order_by():
        for requirement in requirements:
            if requirement.applies(assignment.role, assignment.in_lab):
                key = (assignment.person_id, requirement.course_id)
                need = found.setdefault(key, Need(assignment.person, requirement.course))
                need.roles.add(assignment.role)
                need.unit_ids.add(assignment.org_unit_id)
    _add_task_needs(assignments, [r for r in requirements if r.task_id], today, found)
    records = best_records(assignments.values("person"), {r.course_id for r in requirements})
    for key, need in found.items():
        need.record = records.get(key)
        need.standing = standing(need.record, today)
    return sorted(found.values(), key=lambda n: (n.person.last_name, n.person.first_name,
                                                 n.person.pk, n.course.order, n.course.code))


def _add_task_needs(assignments: QuerySet[RoleAssignment], requirements: list[Requirement],
                    today: dt.date, found: dict[tuple[int, int], Need]) -> None:
    """The needs of the people holding `assignments` that come from an HSE task delegated to them
    in those units (accepted and in force): one query, and none when no requirement names a task."""
    from hms.governance.models import Delegation, DelegationStatus

    if not requirements:
        return
    held = (Delegation.objects.in_force(today).filter(
        status=DelegationStatus.ACCEPTED, task__in=[r.task_id for r in requirements],
        delegate__in=assignments.values("person"), org_unit__in=assignments.values("org_unit"))
        .select_related("delegate", "task").order_by("pk"))
    for delegation in held:
        for requirement in requirements:
            if requirement.task_id == delegation.task_id:
                need = found.setdefault((delegation.delegate_id, requirement.course_id),
                                        Need(delegation.delegate, requirement.course))
                need.tasks.add(delegation.title)
                need.unit_ids.add(delegation.org_unit_id)


def unit_assignments(unit: OrgUnit, *, subtree: bool, within: Any) -> QuerySet[RoleAssignment]:
    """The active roles held in the unit (and its sub-units), narrowed to the scope `within`."""
    active = RoleAssignment.objects.active()
    held = active.filter(org_unit__path__startswith=unit.path) if subtree else active.filter(
        org_unit=unit)
    return held.filter(within.unit_q("org_unit"))


def counts(needs: list[Need]) -> dict[str, int]:
    tally = Counter(need.standing for need in needs)
    return {value: tally.get(value, 0) for value in Standing.values}
