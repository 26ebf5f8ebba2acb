"""The training needs of many people in one SQL statement, for `gaps.gap_table` and `gaps.tally`.

A need is a (person, course) pair: a role assignment falls under a requirement of the course whose
role is empty or its own and whose lab condition holds (the assignment's unit covered by a
high-risk safety area), or a task the course is required for is delegated to the person (accepted,
in force, in one of the assignments' units). Each pair gets the person's record of the course that
lasts longest (no expiry first, then the latest expiry, then the latest completion) and its
standing. The statement is built once per table from the role assignments' and delegations' own
querysets (their SQL and parameters), and the database filters, counts, orders and pages it: the
ORM would build one subquery per course and row, and compiling those costs more than running them.
Plain SQL that SQLite (3.25+, window functions) and PostgreSQL both run.

Every value goes to the database as a parameter: the only text formatted into the statements is
table names from the models and SQL that the ORM compiled (with its own parameters)."""
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from hms.accounts.models import User
from hms.competence.models import Course, Requirement, TrainingRecord
from hms.governance.models import Delegation
from hms.org.models import RiskLevel, RoleAssignment, SafetyArea

_ORDER = "last_name, first_name, person_id, course_order, course_code"


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _sql_of(queryset: QuerySet[Any]) -> tuple[str, list[Any]]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def _pairs(assignments: QuerySet[RoleAssignment], delegations: QuerySet[Any],
           role: str, *, by_unit: bool = False) -> tuple[str, list[Any]]:
    """SELECT person_id, course_id of every need (a role filter leaves out the delegated tasks,
    which no role asks for). `by_unit` adds the unit the need comes from (unit_id): the
    assignment's, or the delegation's where the delegate holds one of the assignments there."""
    held_sql, held_params = _sql_of(assignments.order_by().values("pk"))
    labs = (f"SELECT su.orgunit_id FROM {_table(SafetyArea.units.through)} su "
            f"JOIN {_table(SafetyArea)} sa ON sa.id = su.safetyarea_id WHERE sa.risk_level = %s")
    unit = ", ra.org_unit_id AS unit_id" if by_unit else ""
    sql = (f"SELECT ra.person_id AS person_id, rq.course_id AS course_id{unit} "
           f"FROM {_table(RoleAssignment)} ra JOIN {_table(Requirement)} rq "
           "ON rq.task_id IS NULL AND (rq.role = '' OR rq.role = ra.role) "
           f"WHERE ra.id IN ({held_sql}) AND (rq.lab_work = %s OR ra.org_unit_id IN ({labs}))")
    params = [*held_params, False, RiskLevel.HIGH]
    if role:
        return f"{sql} AND ra.role = %s", [*params, role]
    tasks_sql, tasks_params = _sql_of(delegations.order_by().values("pk"))
    sql += (f" UNION SELECT d.delegate_id, rq.course_id{', d.org_unit_id' if by_unit else ''} "
            f"FROM {_table(Delegation)} d "
            f"JOIN {_table(Requirement)} rq ON rq.task_id = d.task_id WHERE d.id IN ({tasks_sql})")
    params += tasks_params
    if by_unit:
        sql += (f" AND EXISTS (SELECT 1 FROM {_table(RoleAssignment)} da WHERE da.id IN ({held_sql}) "
                "AND da.person_id = d.delegate_id AND da.org_unit_id = d.org_unit_id)")
        params += held_params
    return sql, params


def unit_counts(assignments: QuerySet[RoleAssignment], delegations: QuerySet[Any],
                on: dt.date) -> dict[int, tuple[int, int]]:
    """unit pk → (the needs of the people holding `assignments` there, how many of them have a
    record completed by `on` that is valid on `on`: "valid" or "expiring" in the gap table): one
    statement. A person with roles in two units needs a course in each that asks for it."""
    pairs_sql, params = _pairs(assignments, delegations, "", by_unit=True)
    valid = (f"EXISTS (SELECT 1 FROM {_table(TrainingRecord)} tr WHERE tr.person_id = n.person_id "
             "AND tr.course_id = n.course_id AND tr.completed_on <= %s "
             "AND (tr.expires_on IS NULL OR tr.expires_on >= %s))")
    sql = (f"SELECT n.unit_id, COUNT(*), SUM(CASE WHEN {valid} THEN 1 ELSE 0 END) "
           f"FROM ({pairs_sql}) n GROUP BY n.unit_id")  # UNION: each need once
    with connection.cursor() as cursor:
        cursor.execute(sql, [on, on, *params])  # the SELECT's two come first
        return {int(unit): (int(needs), int(held or 0)) for unit, needs, held in cursor.fetchall()}


def _best() -> str:
    """Every (person, course)'s record lasting longest, of the people in `needs`."""
    return (f"SELECT person_id, course_id, completed_on, expires_on FROM (SELECT tr.person_id, "
            "tr.course_id, tr.completed_on, tr.expires_on, ROW_NUMBER() OVER (PARTITION BY "
            "tr.person_id, tr.course_id ORDER BY (CASE WHEN tr.expires_on IS NULL THEN 1 ELSE 0 END) "
            "DESC, tr.expires_on DESC, tr.completed_on DESC) AS pick "
            f"FROM {_table(TrainingRecord)} tr WHERE tr.person_id IN (SELECT person_id FROM needs)) "
            "ranked WHERE pick = 1")


@dataclass(frozen=True)
class NeedQuery:
    """The needs of the people holding `assignments`: `sql` selects one row per need with the
    person's names, the course's order and code, the best record's dates and the standing."""

    sql: str
    params: list[Any]

    @classmethod
    def of(cls, assignments: QuerySet[RoleAssignment], delegations: QuerySet[Any], today: dt.date,
           warn_until: dt.date, *, role: str = "", course: str = "", only_gaps: bool = False
           ) -> NeedQuery:
        pairs_sql, pairs_params = _pairs(assignments, delegations, role)
        sql = (f"WITH needs AS MATERIALIZED ({pairs_sql}), best AS ({_best()}) "
               "SELECT u.id AS person_id, u.first_name, u.last_name, u.username, "
               'c.id AS course_id, c."order" AS course_order, c.code AS course_code, '
               "b.completed_on, b.expires_on, CASE WHEN b.completed_on IS NULL THEN 'missing' "
               "WHEN b.expires_on IS NULL THEN 'valid' WHEN b.expires_on < %s THEN 'expired' "
               "WHEN b.expires_on <= %s THEN 'expiring' ELSE 'valid' END AS standing "
               f"FROM (SELECT DISTINCT person_id, course_id FROM needs) n "
               f"JOIN {_table(User)} u ON u.id = n.person_id "
               f"JOIN {_table(Course)} c ON c.id = n.course_id "
               "LEFT JOIN best b ON b.person_id = n.person_id AND b.course_id = n.course_id")
        params = [*pairs_params, today, warn_until]
        if course:
            sql, params = f"{sql} WHERE c.code = %s", [*params, course]
        if only_gaps:
            sql = f"SELECT * FROM ({sql}) needs_found WHERE standing IN ('missing', 'expired', 'expiring')"
        return cls(sql, params)

    def fetch(self, select: str, tail: str = "") -> list[tuple[Any, ...]]:
        """`SELECT {select} FROM` the needs `{tail}`."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {select} FROM ({self.sql}) found {tail}", self.params)
            return list(cursor.fetchall())

    def count(self) -> int:
        return int(self.fetch("COUNT(*)")[0][0])

    def summary(self) -> tuple[dict[str, int], int]:
        """How many needs stand where, and how many people have them: one statement, the needs
        found once."""
        with connection.cursor() as cursor:
            cursor.execute(f"WITH found AS ({self.sql}) SELECT standing, COUNT(*), "
                           "(SELECT COUNT(DISTINCT person_id) FROM found) FROM found "
                           "GROUP BY standing", self.params)
            rows = cursor.fetchall()
        return {standing: int(count) for standing, count, _people in rows}, int(rows[0][2]) if rows else 0


class NeedRows:
    """A NeedQuery's rows as a paginator and an export read them: counted, sliced and iterated by
    the database, in order of person and course; each row a User (not saved) carrying the need's
    course id and place (`need_rank`), standing and the best record's dates."""

    def __init__(self, query: NeedQuery) -> None:
        self.query = query
        self.known_count: int | None = None  # counted already (GapTable.summary)

    def count(self) -> int:
        return self.query.count() if self.known_count is None else self.known_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice | int) -> Any:
        if isinstance(window, int):
            return self[window:window + 1][0]
        start, stop = int(window.start or 0), window.stop
        if stop is None:
            raise ValueError("a page of needs has an end")
        page = f" LIMIT {int(stop) - start} OFFSET {start}"
        return [_row(values) for values in self.query.fetch("*", f"ORDER BY {_ORDER}{page}")]

    def __iter__(self) -> Iterator[User]:
        return self.iterator()

    def iterator(self, chunk_size: int = 2000) -> Iterator[User]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM ({self.query.sql}) found ORDER BY {_ORDER}", self.query.params)
            while chunk := cursor.fetchmany(chunk_size):
                yield from (_row(values) for values in chunk)


def _row(values: tuple[Any, ...]) -> User:
    person_id, first_name, last_name, username, course_id, order, code, completed, expires, \
        standing = values
    row = User(pk=person_id, first_name=first_name, last_name=last_name, username=username)
    row.need_course, row.standing = course_id, standing  # type: ignore[attr-defined]
    row.need_rank = (order, code)  # type: ignore[attr-defined]  # the course's place in the order
    row.completed, row.expires = _date(completed), _date(expires)  # type: ignore[attr-defined]
    return row


def _date(value: Any) -> dt.date | None:
    """A date as the database gives it (SQLite: text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
