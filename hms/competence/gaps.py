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
from django.db.models import Case, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hms.accounts.models import User
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


# The database's side. A need is found from a role assignment: the person holding it needs the
# course if one of the course's requirements applies to it, or if a task the course is required
# for is delegated to them. The course is a constant (a course's pk) or, where the courses are an
# enclosing query, a reference to it (OuterRef) as the role assignments' query sees it.


def _deeper(course: Any) -> Any:
    """The course as a query one level deeper sees it."""
    return OuterRef(course) if isinstance(course, OuterRef) else course


def _needing(assignments: QuerySet[RoleAssignment], today: dt.date, course: Any,
             role: str = "") -> QuerySet[RoleAssignment]:
    """Those of `assignments` whose person needs the course (None: any course) through the role
    (only `role`, when given) or an HSE task delegated to them in one of the assignments' units."""
    required = Requirement.objects.filter(task=None)
    tasks = _delegated(assignments, today).filter(delegate=OuterRef("person"),
                                                  task__training_requirements__isnull=False)
    if course is not None:
        required = required.filter(course=_deeper(course))
        tasks = tasks.filter(task__training_requirements__course=_deeper(course))
    by_role = Q(Exists(_applying(required)))
    if role:
        return assignments.filter(by_role, role=role)
    return assignments.filter(by_role | Q(Exists(tasks)))


def _best(person: Any, course: Any) -> QuerySet[TrainingRecord]:
    """The person's records of the course, the one lasting longest first."""
    return TrainingRecord.objects.filter(person=person, course=course).order_by(*LASTS_LONGEST)


def _standing_of(best: QuerySet[TrainingRecord], today: dt.date) -> Coalesce:
    found = best.annotate(standing=_standing_sql(today)).values("standing")[:1]
    return Coalesce(Subquery(found), Value(Standing.MISSING), output_field=models.CharField())


@dataclass
class GapTable:
    """The needs of the people holding `assignments` under the filters: `rows` is one query of
    people, one row per (person, course) with the best record's dates and the standing, which
    the database orders by person and course and pages; `needs()` turns some rows into needs."""

    assignments: QuerySet[RoleAssignment]
    today: dt.date
    requirements: list[Requirement]
    rows: QuerySet[Any]  # people, annotated with the need's course, dates and standing

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
    `course`, or asked for by `role`: one query for the requirements, one union of one part per
    course for the rows."""
    requirements = list(Requirement.objects.select_related("course").order_by(
        "course__order", "course__code", "pk"))
    courses = list({r.course_id: r.course for r in requirements}.values())
    parts = [_part(assignments, today, found, rank, role, only_gaps)
             for rank, found in enumerate(courses) if not course or found.code == course]
    rows = (parts[0].union(*parts[1:], all=True).order_by("last_name", "first_name", "id",
                                                          "need_rank")
            if parts else User.objects.none())
    return GapTable(assignments, today, requirements, rows)


def _part(assignments: QuerySet[RoleAssignment], today: dt.date, course: Course, rank: int,
          role: str, only_gaps: bool) -> QuerySet[Any]:
    """The rows of one course: the people needing it, their best record's dates and standing."""
    best = _best(OuterRef("pk"), course.pk)
    needing = _needing(assignments, today, course.pk, role).values("person")
    found = User.objects.filter(pk__in=needing).order_by().annotate(
        need_course=Value(course.pk), need_rank=Value(rank),
        completed=Subquery(best.values("completed_on")[:1]),
        expires=Subquery(best.values("expires_on")[:1]), standing=_standing_of(best, today))
    if only_gaps:
        found = found.filter(standing__in=GAPS)
    return found.only("first_name", "last_name", "username")


def tally(assignments: QuerySet[RoleAssignment], today: dt.date) -> dict[str, int]:
    """How many of the needs of the people holding `assignments` stand where: one query, a row per
    course of the catalogue with a count of people per standing."""
    def count(value: str) -> Subquery:
        needing = _needing(assignments, today, OuterRef("pk")).annotate(
            standing=_standing_of(_best(OuterRef("person"), OuterRef(OuterRef("pk"))), today))
        people = Func("person", function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
        return Subquery(needing.filter(standing=value).order_by().annotate(n=people).values("n"),
                        output_field=models.IntegerField())

    required = Course.objects.filter(Exists(Requirement.objects.filter(course=OuterRef("pk"))))
    found = required.order_by().values_list(*(count(value) for value in Standing.values))
    totals = [sum(column) for column in zip(*found, strict=True)] or [0] * len(Standing.values)
    return dict(zip(Standing.values, totals, strict=True))


def people_needing(assignments: QuerySet[RoleAssignment], today: dt.date) -> int:
    """How many of the people holding `assignments` need some training: one query."""
    return _needing(assignments, today, None).values("person").distinct().count()
