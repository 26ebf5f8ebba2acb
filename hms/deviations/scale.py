"""The deviations of the university-scale dataset for bench/: a handler for each department and
cases over the last 24 months in every status, most in the bench faculty."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.utils import timezone

from hms.accounts.models import User
from hms.core.roles import Role
from hms.core.seeding import BATCH, ScaleRun, ScaleSpec
from hms.deviations.models import CauseCategory, Deviation, DeviationType, Status
from hms.org.models import RoleAssignment, UnitKind
from hms.org.scale import Node, Plan, areas_by_unit

# (type code, weight, titles): near misses and dangerous conditions are most of what is reported.
DEVIATION_KINDS = [
    ("near_miss", 30, ["Nesten sklidd på vått gulv i korridoren", "Gassflaske sto usikret i labben",
                       "Glassvare falt ned fra hylla", "Nesten kjørt på av truck ved varemottaket"]),
    ("dangerous_condition", 26, ["Avtrekksskap gir alarm for lav luftmengde", "Nødutgang sperret av paller",
                                 "Løs kabel over gangvei", "Øyeskylleflaske har gått ut på dato"]),
    ("improvement", 12, ["Forslag: bedre merking av avfallsdunker", "Forslag: egen sone for alenearbeid",
                         "Forslag: sjekkliste for nyansatte i verkstedet"]),
    ("personal_injury", 9, ["Kuttskade ved oppvask av glassutstyr", "Forbrenning fra varmeplate",
                            "Klemskade i dør til kjølerom"]),
    ("material_damage", 8, ["Vannlekkasje fra kjølevann", "Sentrifuge skadet etter ubalanse",
                            "Strømbrudd ødela prøver i fryser"]),
    ("rule_breach", 6, ["Arbeid i labben uten vernebriller", "Kjemikalier lagret utenfor skap"]),
    ("fire", 4, ["Røykutvikling fra varmeskap", "Brannalarm utløst av damp fra autoklav"]),
    ("environmental", 3, ["Søl av løsemiddel i sluk", "Utslipp fra avtrekk etter feil i renseanlegg"]),
    ("violence", 2, ["Truende oppførsel fra besøkende i resepsjonen"]),
]
DEVIATION_MONTHS = 24
# Status weights by the case's age in days: new cases are mostly open, old ones mostly closed.
DEVIATION_STATUSES = [
    (14, {Status.REPORTED: 45, Status.ACCEPTED: 25, Status.UNDER_TREATMENT: 20,
          Status.MEASURES_DONE: 4, Status.REJECTED: 4, Status.CLOSED: 2}),
    (90, {Status.REPORTED: 6, Status.ACCEPTED: 12, Status.UNDER_TREATMENT: 25,
          Status.MEASURES_DONE: 12, Status.REJECTED: 6, Status.CLOSED: 39}),
    (10**6, {Status.REPORTED: 1, Status.ACCEPTED: 2, Status.UNDER_TREATMENT: 5,
             Status.MEASURES_DONE: 4, Status.REJECTED: 8, Status.CLOSED: 80}),
]
DEVIATION_WEIGHT: dict[str, float] = {UnitKind.UNIVERSITY: 0.5, UnitKind.FACULTY: 1.0,
                                      UnitKind.DEPARTMENT: 4.0, UnitKind.SECTION: 2.0}
ANONYMOUS_SHARE = 0.08
CONSEQUENCE_WEIGHTS = [45, 30, 15, 7, 3]  # levels 1–5


def save_handlers(plan: Plan, rng: random.Random) -> dict[str, User]:
    """A deviation handler for each department (one of its staff, over its subtree), as the line
    manager delegates it; unit code → handler for the department and its sections."""
    handlers: dict[str, User] = {}
    assignments = []
    for department in plan.departments:
        staff = plan.staff[department.node.code][1:]  # the first is the leader
        if not staff:
            continue
        person = rng.choice(staff)
        assignments.append(RoleAssignment(person_id=person.pk, org_unit=department.node.saved,
                                          role=Role.DEVIATION_HANDLER, covers_subtree=True))
        for node in (department.node, *department.sections):
            handlers[node.code] = person
    RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    return handlers


class DeviationFactory:
    """Unsaved cases reported over the last 24 months, in every status, with handler, deadline,
    assessment and closing consistent with the status."""

    def __init__(self, plan: Plan, rng: random.Random, handlers: dict[str, User]) -> None:
        self.plan, self.rng, self.handlers = plan, rng, handlers
        self.now = timezone.now()
        types = {kind.code: kind for kind in DeviationType.objects.all()}
        self.kinds = [(types[code], titles) for code, _weight, titles in DEVIATION_KINDS if code in types]
        self.kind_weights = [weight for code, weight, _titles in DEVIATION_KINDS if code in types]
        self.area_of = areas_by_unit(plan)
        self.causes = list(CauseCategory.values)

    def __call__(self, node: Node) -> Deviation:
        rng = self.rng
        reported = self.now - dt.timedelta(seconds=rng.randint(60, DEVIATION_MONTHS * 30 * 86400))
        kind, titles = rng.choices(self.kinds, self.kind_weights)[0]
        anonymous = rng.random() < ANONYMOUS_SHARE
        areas = self.area_of.get(node.code, [])
        case = Deviation(
            org_unit=node.saved, deviation_type=kind, title=rng.choice(titles),
            description="Beskrivelse av hendelsen, hva som skjedde og hvem som var til stede.",
            occurred_at=reported - dt.timedelta(minutes=rng.randint(5, 3 * 24 * 60)), reported_at=reported,
            reporter=None if anonymous else rng.choice(self.plan.staff[node.code]), anonymous=anonymous,
            via_public_form=anonymous and rng.random() < 0.3, last_activity_at=reported,
            safety_area=rng.choice(areas) if areas and rng.random() < 0.7 else None,
            location=f"Bygg {node.code.upper()}, rom {rng.randint(100, 399)}" if rng.random() < 0.6 else "",
            status=self._status((self.now - reported).days))
        if case.status != Status.REPORTED:
            self._handle(case, node)
        return case

    def _status(self, age: int) -> str:
        weights = next(table for limit, table in DEVIATION_STATUSES if age < limit)
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def _handler(self, node: Node) -> User:
        handler = self.handlers.get(node.code)
        return handler if handler is not None and self.rng.random() < 0.8 else self.plan.leaders[node.code]

    def _handle(self, case: Deviation, node: Node) -> None:
        rng, reported = self.rng, case.reported_at
        case.handler = self._handler(node)
        if case.status == Status.REJECTED:
            case.reject_reason = "Meldt som byggfeil: sendt til e-vaktmester."
            case.last_activity_at = min(self.now, reported + dt.timedelta(hours=rng.randint(1, 240)))
            return
        accepted = min(self.now, reported + dt.timedelta(hours=rng.randint(1, 240)))
        case.accepted_at = case.last_activity_at = accepted
        days = rng.choice((14, 30, 30, 60, 90))
        case.close_deadline = timezone.localdate(accepted) + dt.timedelta(days=days)
        if rng.random() < 0.75:
            self._assess(case)
        if case.status == Status.CLOSED:
            self._close(case, accepted)
        elif case.status in (Status.UNDER_TREATMENT, Status.MEASURES_DONE):
            case.last_activity_at = min(self.now, accepted + dt.timedelta(days=rng.randint(0, 40)))

    def _assess(self, case: Deviation) -> None:
        rng = self.rng
        actual = rng.choices(range(1, 6), CONSEQUENCE_WEIGHTS)[0]
        case.actual_consequence = actual
        case.potential_consequence = min(5, actual + rng.choice((0, 0, 1, 1, 2)))
        case.cause_categories = rng.sample(self.causes, rng.randint(1, 2))
        case.serious_injury = case.deviation_type.is_injury and actual >= 4
        if case.deviation_type.is_injury and rng.random() < 0.8:
            case.injury_report_filed_on = timezone.localdate(case.accepted_at)

    def _close(self, case: Deviation, accepted: dt.datetime) -> None:
        """Most close in a few weeks, some take months; three in four meet their deadline."""
        rng = self.rng
        took = dt.timedelta(hours=1 + int(rng.expovariate(1 / (24 * 25))))
        closed = min(accepted + took, self.now - dt.timedelta(minutes=rng.randint(1, 600)))
        case.closed_at = case.last_activity_at = max(closed, accepted)
        case.conclusion = "Tiltak gjennomført og kontrollert."
        case.learning = "Rutinen er oppdatert og gjennomgått på allmøtet."


@contextlib.contextmanager
def reported_at_as_given() -> Iterator[None]:
    """bulk_create stamps `reported_at` (auto_now_add) with now; the seed spreads it over 24 months."""
    reported_at = Deviation._meta.get_field("reported_at")
    assert isinstance(reported_at, models.DateTimeField)
    reported_at.auto_now_add = False
    try:
        yield
    finally:
        reported_at.auto_now_add = True


def _save_cases(make: DeviationFactory, nodes: list[Node], count: int) -> int:
    weights = [DEVIATION_WEIGHT.get(node.kind, 1.0) for node in nodes]
    units = make.rng.choices(nodes, weights, k=count)
    chunk = BATCH * 5
    with reported_at_as_given():
        for start in range(0, len(units), chunk):
            Deviation.objects.bulk_create([make(node) for node in units[start:start + chunk]],
                                          batch_size=BATCH)
    return len(units)


def save_deviations(plan: Plan, spec: ScaleSpec, rng: random.Random) -> str:
    """Handlers for the departments, then the bench faculty's cases and the rest of the university's."""
    handlers = save_handlers(plan, rng)
    make = DeviationFactory(plan, rng, handlers)
    inside = list(plan.faculties[0].walk())
    codes = {node.code for node in inside}
    made = _save_cases(make, inside, spec.deviations)
    other = _save_cases(make, [node for node in plan.root.walk() if node.code not in codes],
                        spec.other_deviations)
    return (f"{made + other} deviations ({made} in the bench faculty), "
            f"{len(set(map(id, handlers.values())))} handlers")



def seed_scale(run: ScaleRun) -> None:
    run.timed("deviations", lambda: save_deviations(run.plan, run.spec, run.rng))


def bench_targets(found: dict[str, Any]) -> dict[str, Any]:
    cases = Deviation.objects.filter(org_unit__path__startswith=found["faculty_path"])
    return {"faculty_deviations": cases.count(), "faculty_open_deviations": cases.open().count(),
            "faculty_overdue_deviations": cases.overdue().count()}
