"""Who must have which training, and where each stands: a role assignment falls under every
requirement whose role matches and whose lab condition holds (its unit is covered by a high-risk
safety area), a delegated HSE task under the requirements naming it; a person needs each course
once, however many roles ask for it.

Each rule is written twice, side by side: in Python for one person's needs (`needs_of`: the home
card, my training, the digest) and in SQL for a unit's or a subtree's (`gap_table`, `tally`),
which the database filters, orders, pages and counts. A test holds the two to the same answers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from hms.competence.models import Course, Requirement, TrainingRecord
from hms.competence.needs_sql import NeedQuery, NeedRows, unit_counts
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


def _warn_until(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=settings.HMS_TRAINING_WARN_DAYS)


def standing(record: TrainingRecord | None, today: dt.date) -> str:
    if record is None:
        return Standing.MISSING
    if record.expires_on is None:
        return Standing.VALID
    if record.expires_on < today:
        return Standing.EXPIRED
    if record.expires_on <= _warn_until(today):
        return Standing.EXPIRING
    return Standing.VALID


def _standing_sql(today: dt.date) -> Case:
    """`standing` of a record, in SQL (a missing record is the caller's Coalesce)."""
    return Case(When(expires_on__isnull=True, then=Value(Standing.VALID)),
                When(expires_on__lt=today, then=Value(Standing.EXPIRED)),
                When(expires_on__lte=_warn_until(today), then=Value(Standing.EXPIRING)),
                default=Value(Standing.VALID), output_field=models.CharField())


def _lasts_longest(record: TrainingRecord) -> tuple[bool, dt.date, dt.date]:
    return (record.expires_on is None, record.expires_on or dt.date.max, record.completed_on)


# `_lasts_longest` as an ordering, best first: no expiry, then the latest expiry and completion.
LASTS_LONGEST = (F("expires_on").desc(nulls_first=True), F("completed_on").desc())


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


def _lab_cover() -> QuerySet[Any]:
    """The units a high-risk safety area covers: their people work in labs or workshops."""
    return SafetyArea.units.through.objects.filter(safetyarea__risk_level=RiskLevel.HIGH)


def _applying(requirements: QuerySet[Requirement]) -> QuerySet[Requirement]:
    """Those of the requirements that the role assignment of the enclosing query falls under:
    `Requirement.applies` in SQL."""
    in_lab = Exists(_lab_cover().filter(orgunit=OuterRef(OuterRef("org_unit"))))
    return requirements.filter(Q(role="") | Q(role=OuterRef("role"))).filter(
        Q(lab_work=False) | Q(in_lab))


def _delegated(assignments: QuerySet[RoleAssignment], today: dt.date) -> QuerySet[Any]:
    """The accepted delegations in force of HSE tasks to the people holding `assignments`, in
    their units: those whose task a requirement names ask for its course."""
    from hms.governance.models import Delegation, DelegationStatus

    return Delegation.objects.in_force(today).filter(
        status=DelegationStatus.ACCEPTED, delegate__in=assignments.values("person"),
        org_unit__in=assignments.values("org_unit"))


def needs_of(assignments: QuerySet[RoleAssignment], today: dt.date) -> list[Need]:
    """The needs of the people holding `assignments` (active role assignments), sorted by person
    and course."""
    requirements = list(Requirement.objects.select_related("course"))
    found = reasons_of(assignments, requirements, today)
    records = best_records(assignments.values("person"), {r.course_id for r in requirements})
    for key, need in found.items():
        need.record = records.get(key)
        need.standing = standing(need.record, today)
    return sorted(found.values(), key=lambda n: (n.person.last_name, n.person.first_name,
                                                 n.person.pk, n.course.order, n.course.code))


def reasons_of(assignments: QuerySet[RoleAssignment], requirements: list[Requirement],
               today: dt.date) -> dict[tuple[int, int], Need]:
    """(person pk, course pk) → the need, with the roles and delegated tasks asking for it (no
    record yet): two queries, one when no requirement names a task."""
    found: dict[tuple[int, int], Need] = {}
    in_lab = Exists(_lab_cover().filter(orgunit=OuterRef("org_unit")))
    for assignment in assignments.select_related("person").annotate(in_lab=in_lab).order_by():
        for requirement in requirements:
            if requirement.applies(assignment.role, assignment.in_lab):
                key = (assignment.person_id, requirement.course_id)
                need = found.setdefault(key, Need(assignment.person, requirement.course))
                need.roles.add(assignment.role)
                need.unit_ids.add(assignment.org_unit_id)
    _add_task_needs(assignments, [r for r in requirements if r.task_id], today, found)
    return found


def _add_task_needs(assignments: QuerySet[RoleAssignment], requirements: list[Requirement],
                    today: dt.date, found: dict[tuple[int, int], Need]) -> None:
    """The needs that come from an HSE task delegated to the people holding `assignments` in
    those units: one query, and none when no requirement names a task."""
    if not requirements:
        return
    held = (_delegated(assignments, today).filter(task__in=[r.task_id for r in requirements])
            .select_related("delegate", "task").order_by("pk"))
    for delegation in held:
        for requirement in requirements:
            if requirement.task_id == delegation.task_id:
                need = found.setdefault((delegation.delegate_id, requirement.course_id),
                                        Need(delegation.delegate, requirement.course))
                need.tasks.add(delegation.title)
                need.unit_ids.add(delegation.org_unit_id)


def unit_assignments(unit: OrgUnit, *, subtree: bool, within: Any) -> QuerySet[RoleAssignment]:
    """The active roles held in the unit (and its sub-units), narrowed to the scope `within`. The
    units are a subquery of their own, so the database finds the roles through their unit's index
    instead of joining every role to its unit."""
    units = OrgUnit.objects.filter(path__startswith=unit.path) if subtree else OrgUnit.objects.filter(
        pk=unit.pk)
    return RoleAssignment.objects.active().filter(
        org_unit__in=units.filter(within.unit_q("")).values("pk"))


def counts(needs: list[Need]) -> dict[str, int]:
    tally = Counter(need.standing for need in needs)
    return {value: tally.get(value, 0) for value in Standing.values}


# The database's side: `needs_sql` holds the rules above as one SQL statement.


def _need_query(assignments: QuerySet[RoleAssignment], today: dt.date, **filters: Any) -> NeedQuery:
    return NeedQuery.of(assignments, _delegated(assignments, today).filter(
        task__training_requirements__isnull=False), today, _warn_until(today), **filters)


@dataclass
class GapTable:
    """The needs of the people holding `assignments` under the filters: `rows` is one statement,
    a row per (person, course) with the best record's dates and the standing, which the database
    counts, orders by person and course and pages (`needs_sql`); `needs()` turns some rows into
    needs with their reasons."""

    assignments: QuerySet[RoleAssignment]
    today: dt.date
    requirements: list[Requirement]
    rows: NeedRows  # people, each with the need's course, the best record's dates and standing
    only_gaps: bool = False
    narrowed: bool = False  # to one course or one role: a count the summary cannot give

    def summary(self) -> tuple[dict[str, int], int]:
        """The unit's counts per standing and its people with needs (unfiltered: the page's
        headline), one query; the rows' count comes with it where the filters allow (one
        query less for the page)."""
        counts, people = summary(self.assignments, self.today)
        if not self.narrowed:
            shown = GAPS if self.only_gaps else Standing.values
            self.rows.known_count = sum(counts[standing] for standing in shown)
        return counts, people

    def needs(self, rows: Iterable[Any]) -> list[Need]:
        """The rows as needs with their reasons: two queries (one without task requirements)."""
        rows = list(rows)
        held = self.assignments.filter(person__in={row.pk for row in rows})
        found = reasons_of(held, self.requirements, self.today)
        courses = {r.course_id: r.course for r in self.requirements}
        needs = []
        for row in rows:
            course = courses[row.need_course]
            need = found.get((row.pk, course.pk)) or Need(row, course)
            need.standing = row.standing
            need.record = TrainingRecord(person=need.person, course=course, completed_on=row.completed,
                                         expires_on=row.expires) if row.completed else None
            needs.append(need)
        return needs


def gap_table(assignments: QuerySet[RoleAssignment], today: dt.date, *, only_gaps: bool = False,
              course: str = "", role: str = "") -> GapTable:
    """The needs of the people holding `assignments`, only the gaps, of the course with the code
    `course`, or asked for by `role`: one query for the requirements; the rows one statement."""
    requirements = list(Requirement.objects.select_related("course").order_by(
        "course__order", "course__code", "pk"))
    query = _need_query(assignments, today, only_gaps=only_gaps, course=course, role=role)
    return GapTable(assignments, today, requirements, NeedRows(query), only_gaps=only_gaps,
                    narrowed=bool(course or role))


def tally(assignments: QuerySet[RoleAssignment], today: dt.date) -> dict[str, int]:
    """How many of the needs of the people holding `assignments` stand where: one query."""
    return summary(assignments, today)[0]


def summary(assignments: QuerySet[RoleAssignment], today: dt.date) -> tuple[dict[str, int], int]:
    """How many of the needs of the people holding `assignments` stand where, and how many people
    need some training: one query."""
    found, people = _need_query(assignments, today).summary()
    return {value: found.get(value, 0) for value in Standing.values}, people


def unit_shares(assignments: QuerySet[RoleAssignment], on: dt.date) -> dict[int, tuple[int, int]]:
    """unit pk → (the needs of the people holding `assignments` in the unit, how many of them are
    on record and valid on `on`), for every unit with a need: one query. The needs are the gap
    table's, counted per unit."""
    return unit_counts(assignments, _delegated(assignments, on).filter(
        task__training_requirements__isnull=False), on)
