"""The action plan of the university-scale dataset for bench/: measures in every status over
every unit, weighted to faculties and departments, and the bench employee's own twenty."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hms.accounts.models import User
from hms.core.seeding import BATCH, ScaleRun, ScaleSpec
from hms.measures.demo import MEASURE_TITLES, ORIGIN_NOTES
from hms.measures.models import Measure, Origin, Priority, Status
from hms.org.models import UnitKind
from hms.org.scale import EMPLOYEE, Node, Plan, areas_by_unit

EMPLOYEE_MEASURES = 20
STATUS_WEIGHTS = {Status.OPEN: 30, Status.IN_PROGRESS: 20, Status.DONE: 15, Status.VERIFIED: 25,
                  Status.CANCELLED: 10}
MEASURE_WEIGHT: dict[str, float] = {UnitKind.UNIVERSITY: 2.0, UnitKind.FACULTY: 4.0, UnitKind.DEPARTMENT: 4.0,
                  UnitKind.SECTION: 1.5}


class MeasureFactory:
    """Unsaved measures with every status, deadlines around today and a responsible from the unit."""

    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan, self.rng = plan, rng
        self.today = timezone.localdate()
        self.statuses = list(STATUS_WEIGHTS)
        self.status_weights = list(STATUS_WEIGHTS.values())
        self.area_of = areas_by_unit(plan)

    def __call__(self, node: Node, status: str | None = None,
                 responsible: User | None = None) -> Measure:
        rng = self.rng
        status = status or rng.choices(self.statuses, self.status_weights)[0]
        staff = self.plan.staff[node.code]
        if responsible is None and rng.random() > 0.03:
            responsible = rng.choice(staff)
        areas = self.area_of.get(node.code, [])
        title, origin = rng.choice(MEASURE_TITLES), rng.choice(Origin.values)
        measure = Measure(
            org_unit=node.saved, title=title, origin=origin,
            description=ORIGIN_NOTES[origin] if rng.random() < 0.5 else "",
            responsible=responsible, priority=rng.choice(Priority.values), status=status,
            safety_area=rng.choice(areas) if areas and rng.random() < 0.6 else None,
            cost_estimate=rng.choice([None, None, 2500, 18000, 120000]),
            created_by=self.plan.leaders[node.code],
        )
        self._dates(measure)
        return measure

    def _dates(self, measure: Measure) -> None:
        rng, today = self.rng, self.today
        if rng.random() < 0.02:
            measure.deadline = None
        elif measure.status in (Status.OPEN, Status.IN_PROGRESS):
            measure.deadline = today + dt.timedelta(days=rng.randint(-120, 240))
        else:
            measure.deadline = today + dt.timedelta(days=rng.randint(-365, 60))
        if measure.status in (Status.DONE, Status.VERIFIED):
            base = min(measure.deadline or today, today)
            measure.done_date = base - dt.timedelta(days=rng.randint(0, 30))
            if measure.status == Status.VERIFIED:
                measure.effect_note = "Virker etter hensikten."
        if measure.status == Status.CANCELLED:
            measure.cancel_reason = "Erstattet av et annet tiltak."


def _measure_units(plan: Plan, count: int, rng: random.Random) -> list[Node]:
    nodes = list(plan.root.walk())
    weights = [MEASURE_WEIGHT.get(node.kind, 1.0) for node in nodes]
    return rng.choices(nodes, weights, k=count)


def save_measures(plan: Plan, spec: ScaleSpec, rng: random.Random) -> int:
    """Measures in chunks (memory stays flat); the bench employee is responsible for 20 of them."""
    make = MeasureFactory(plan, rng)
    # The bench employee is in no unit's staff list, so their measures are exactly these.
    assert plan.bench_department is not None and plan.bench_employee is not None
    bench_statuses = [Status.OPEN, Status.OPEN, Status.IN_PROGRESS, Status.DONE, Status.VERIFIED]
    own = [make(plan.bench_department.node, status=bench_statuses[i % len(bench_statuses)],
                responsible=plan.bench_employee) for i in range(min(EMPLOYEE_MEASURES, spec.measures))]
    Measure.objects.bulk_create(own, batch_size=BATCH)
    nodes = _measure_units(plan, spec.measures - len(own), rng)
    chunk = BATCH * 5
    for start in range(0, len(nodes), chunk):
        Measure.objects.bulk_create([make(node) for node in nodes[start:start + chunk]],
                                    batch_size=BATCH)
    return len(own) + len(nodes)


def seed_scale(run: ScaleRun) -> None:
    run.timed("measures", lambda: save_measures(run.plan, run.spec, run.rng))


def bench_targets(found: dict[str, Any]) -> dict[str, Any]:
    """The bench faculty's plan and the bench employee's open measures."""
    in_faculty = Measure.objects.filter(org_unit__path__startswith=found["faculty_path"])
    return {"faculty_measures": in_faculty.count(),
            "employee_open_measures": Measure.objects.open().filter(responsible__username=EMPLOYEE).count()}
