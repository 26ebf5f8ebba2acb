"""Seeding: the demo university that `./run` starts with (`seed_demo`) and the university-scale
dataset of bench/ (`seed_scale`). Each app seeds its own records: its AppConfig.ready() registers
its steps here with an order (lower first), and the drivers below run them. Core knows no app: the
records pass from step to step in the contexts below, typed `Any` where they are an app's models.

Both datasets are deterministic. Every random choice of a dataset comes from one seeded generator
that the steps share in their order, so the order is part of the data: change it and every record
after the change is different.

Demo (`DEMO`): org 10 (the administrator, the unit tree, the safety areas, then department by
department its people and, through `DEMO_DEPARTMENT`, its action plan from measures 20), risk 30,
deviations 40, rounds 50, governance 60, meetings 70, competence 80, health 90, org 100 (an outsider
and more employees), points 110 (freezing the closed years). Scale (`SCALE`): org 10, measures 20,
risk 30, deviations 40, meetings 60, governance 70, competence 80, points 110; each step's
`BENCH_TARGETS` names the records bench/ visits.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

BATCH = 2000  # rows per bulk_create of the scale dataset
DEMO_SEED = 2026

Step = TypeVar("Step")
Report = Callable[[str, float, str], None]


class Steps(Generic[Step]):
    """Named steps, run in their order (then by name); registering a name again replaces it."""

    def __init__(self) -> None:
        self._steps: dict[str, tuple[int, Step]] = {}

    def register(self, name: str, order: int, step: Step) -> None:
        self._steps[name] = (order, step)

    def ordered(self) -> list[Step]:
        named = sorted(self._steps.items(), key=lambda item: (item[1][0], item[0]))
        return [step for _name, (_order, step) in named]


# --- The demo university ------------------------------------------------------------------------


@dataclass
class DemoDepartment:
    """A department of the demo university with the people the org step gave it."""

    unit: Any
    leader: Any
    safety_rep: Any  # of its first safety area
    handler: Any     # its deviation handler
    staff: list[Any]  # its employees (the showcase's first is the login "employee")
    areas: list[Any]  # its safety areas

    @property
    def people(self) -> list[Any]:
        """The leader, the handler and the staff: who may be responsible for a measure."""
        return [self.leader, self.handler, *self.staff]


@dataclass
class DemoUniversity:
    """What the demo steps share: the generator, the administrator, the root unit, the showcase
    (the department whose logins `./run` prints) and the departments as they are staffed."""

    rng: random.Random = field(default_factory=lambda: random.Random(DEMO_SEED))
    admin: Any = None
    root: Any = None
    showcase: str = ""
    departments: list[DemoDepartment] = field(default_factory=list)
    people: Any = None  # the org app's person maker, for the steps that add people

    def staffed(self, department: DemoDepartment) -> None:
        """Called by the org step for each department once it has its people."""
        self.departments.append(department)
        for step in DEMO_DEPARTMENT.ordered():
            step(self, department)

    def owners(self) -> list[tuple[Any, Any, Any, list[Any]]]:
        """(unit, leader, safety representative, staff) of each department."""
        return [(d.unit, d.leader, d.safety_rep, d.staff) for d in self.departments]

    def department(self, code: str) -> DemoDepartment:
        return next(d for d in self.departments if d.unit.code == code)


DEMO: Steps[Callable[[DemoUniversity], None]] = Steps()
DEMO_DEPARTMENT: Steps[Callable[[DemoUniversity, DemoDepartment], None]] = Steps()


@transaction.atomic
def build_demo() -> None:
    university = DemoUniversity()
    for step in DEMO.ordered():
        step(university)


# --- The university-scale dataset ---------------------------------------------------------------


@dataclass(frozen=True)
class ScaleSpec:
    units: int = 600
    people: int = 50_000
    measures: int = 100_000
    seed: int = 2026
    assessments: int = 5_000        # risk assessments in the bench faculty (its subtree)
    other_assessments: int = 2_000  # spread over the rest of the university
    draft_rows: int = 200           # rows of the bench draft assessment
    deviations: int = 20_000        # deviations in the bench faculty (its subtree), over 24 months
    other_deviations: int = 4_000   # spread over the rest of the university

    @property
    def faculties(self) -> int:
        return min(8, max(2, self.units // 20))

    @property
    def departments(self) -> int:
        """About one in four units below the faculties is a department; the rest are sections."""
        return max(1, (self.units - 1 - self.faculties) // 4)


TIERS = {
    "tiny": ScaleSpec(units=20, people=500, measures=1_000, assessments=50, other_assessments=20,
                      draft_rows=20, deviations=200, other_deviations=50),
    "quick": ScaleSpec(units=60, people=5_000, measures=10_000, assessments=500,
                       other_assessments=200, draft_rows=50, deviations=2_000, other_deviations=400),
    "full": ScaleSpec(),
}


@dataclass
class ScaleRun:
    """What the scale steps share: the spec, its generator, and the org step's plan of the
    university (its units and the people of each, before and after they are saved)."""

    spec: ScaleSpec
    report: Report
    rng: random.Random = field(init=False)
    plan: Any = None

    def __post_init__(self) -> None:
        self.rng = random.Random(self.spec.seed)

    def timed(self, label: str, step: Callable[[], Any]) -> Any:
        """Run `step`, then report its label, time and result (a count or a summary)."""
        started = time.perf_counter()
        result = step()
        self.report(label, time.perf_counter() - started, "" if result is None else str(result))
        return result


SCALE: Steps[Callable[[ScaleRun], None]] = Steps()
# Each is given the targets found so far (the org step's bench faculty and department first).
BENCH_TARGETS: Steps[Callable[[dict[str, Any]], dict[str, Any]]] = Steps()
# Consistency checks after the build: problem name → ids of the records that have it.
CHECKS: Steps[Callable[[], dict[str, list[int]]]] = Steps()
# Models whose rows --force deletes besides the people (what hangs on them is deleted too), and
# reference data that records who loaded it: kept by --force, with that link emptied.
ROOTS: set[str] = set()
REFERENCE_DATA: set[str] = set()


def build_scale(spec: ScaleSpec, report: Report) -> None:
    """Build the dataset in one transaction; `report(step, seconds, detail)` is told as steps end."""
    run = ScaleRun(spec, report)
    with transaction.atomic():
        for step in SCALE.ordered():
            step(run)
    run.timed("analyze", analyze)


def bench_targets() -> dict[str, Any]:
    """The records bench/run.py visits, as the apps name them."""
    found: dict[str, Any] = {}
    for step in BENCH_TARGETS.ordered():
        found |= step(found)
    return found


def problems() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for check in CHECKS.ordered():
        found |= check()
    return found


def analyze() -> None:
    """Refresh the planner's statistics on PostgreSQL, which autovacuum would do minutes after a
    bulk load anyway. SQLite is left as a real install runs it: Django never runs ANALYZE there."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def records_of_people_and_units() -> list[type[models.Model]]:
    """Every table whose rows hang on a person or a unit (the `ROOTS`), directly or through
    another such table: what --force deletes. Reference data (the risk matrix, deviation types,
    checklists, courses, the task catalogue) stays."""
    linked: set[type[models.Model]] = {get_user_model(), *map(apps.get_model, sorted(ROOTS))}
    candidates = [model for model in apps.get_models(include_auto_created=True)
                  if model._meta.label not in REFERENCE_DATA]
    grew = True
    while grew:
        found = {model for model in candidates if model not in linked and any(
            field.related_model in linked for field in model._meta.concrete_fields if field.is_relation)}
        linked |= found
        grew = bool(found)
    return sorted(linked, key=lambda model: model._meta.db_table)


def wipe() -> None:
    """Delete everything that hangs on a person or a unit (for --force), the audit trail of the
    bench database included, in one transaction: one DELETE per table, in any order, since every
    foreign key is checked at commit (Django makes them deferred on both engines)."""
    quote = connection.ops.quote_name
    user = get_user_model()
    with transaction.atomic(), connection.cursor() as cursor:
        for label in sorted(REFERENCE_DATA):
            model = apps.get_model(label)
            for column in (f.column for f in model._meta.concrete_fields
                           if f.is_relation and f.related_model is user):
                cursor.execute(f"UPDATE {quote(model._meta.db_table)} "  # noqa: S608
                               f"SET {quote(column)} = NULL")
        for model in records_of_people_and_units():
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608
