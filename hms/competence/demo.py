"""Training records for the demo university: most people have what their roles require, some
lab courses have expired or expire soon, a few trainings are missing, and the first unit's safety
representative still lacks the basic training (grunnopplæring), so the gap overview has a case."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hms.competence import gaps, services
from hms.core.dates import add_months
from hms.core.seeding import DemoUniversity
from hms.org.models import RoleAssignment

NOTES = ("Kurs hos HMS-avdelingen.", "Gjennomført digitalt.", "", "Kurs med praktisk øvelse.")


def _completed(need: gaps.Need, rng: random.Random, today: dt.date, expired: bool) -> dt.date:
    months = need.course.validity_months
    if months and expired:
        return add_months(today, -months) - dt.timedelta(days=rng.randint(10, 200))
    if months and rng.random() < 0.15:  # expires within the warning window
        return add_months(today, -months) + dt.timedelta(days=rng.randint(5, 40))
    return today - dt.timedelta(days=rng.randint(30, 600))


def _train(unit: Any, leader: Any, person: Any, rng: random.Random, skip: str = "") -> None:
    today = timezone.localdate()
    held = RoleAssignment.objects.active().filter(person=person, org_unit=unit)
    for need in gaps.needs_of(held, today):
        if need.course.code == skip or rng.random() < 0.1:
            continue  # missing
        services.record_training(actor=leader, org_unit=unit, data={
            "person": person, "course": need.course,
            "completed_on": _completed(need, rng, today, expired=rng.random() < 0.12),
            "note": rng.choice(NOTES)})


def build_competence_demo(units: list[tuple[Any, Any, Any, list[Any]]]) -> None:
    """`units`: (unit, leader, safety representative, staff) of each unit."""
    rng = random.Random(2026)
    for index, (unit, leader, rep, staff) in enumerate(units):
        _train(unit, leader, leader, rng)
        _train(unit, leader, rep, rng, skip="safety-rep-basic" if index == 0 else "")
        for person in staff:
            _train(unit, leader, person, rng)


def seed_demo(university: DemoUniversity) -> None:
    build_competence_demo(university.owners())
