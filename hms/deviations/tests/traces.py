"""Reading back everything a request left in the database, to look for traces of a person."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

from hms.accounts.models import User

# Tables outside the report: the sign-in session (which knows the person is signed in, not what
# they did) and the cache.
UNRELATED_TABLES = frozenset({"django_session", "hms_cache"})


def every_row(skip: frozenset[str] = UNRELATED_TABLES) -> set[tuple]:
    """Every row of every table in the database but `skip`, as (table, (column, value), …)."""
    rows: set[tuple] = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in skip:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            columns = [column[0] for column in cursor.description]
            rows |= {(table, *zip(columns, row, strict=True)) for row in cursor.fetchall()}
    return rows


def user_columns() -> set[tuple[str, str]]:
    """(table, column) of every column that points at a person."""
    return {(model._meta.db_table, field.column) for model in apps.get_models()
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is User} | {("accounts_user", "id")}


def traces(rows: set[tuple], person: User, marks: tuple[str, ...]) -> list[tuple[str, str]]:
    """(table, column) of each value in `rows` that points at `person` or contains one of
    `marks` (text that would identify them)."""
    pointers = user_columns()
    return [(row[0], column) for row in rows for column, value in row[1:]
            if ((row[0], column) in pointers and value == person.pk)
            or any(mark in _text(value) for mark in marks)]


def _text(value: object) -> str:
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("latin-1")
    return value if isinstance(value, str) else str(value)
