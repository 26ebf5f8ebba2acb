"""The training records of the university-scale dataset for bench/: most of what the roles and
lab work of each person require, some expired or expiring."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hms.competence.models import Requirement, TrainingRecord
from hms.core.seeding import BATCH, ScaleRun
from hms.org.models import RiskLevel, RoleAssignment, SafetyArea

TRAINED_SHARE = 0.75   # of the requirements a person falls under, on record
EXPIRED_SHARE = 0.1    # of those records, expired


def seed_scale(run: ScaleRun) -> None:
    run.timed("training records", lambda: _save_training(run.rng))


def _save_training(rng: random.Random) -> int:
    """Records for most of the requirements each person with a role falls under."""
    requirements = list(Requirement.objects.select_related("course"))
    lab_units = set(SafetyArea.units.through.objects.filter(
        safetyarea__risk_level=RiskLevel.HIGH).values_list("orgunit", flat=True))
    needed: dict[tuple[int, int], Any] = {}
    for person_id, role, unit_id in RoleAssignment.objects.values_list("person", "role", "org_unit"):
        for requirement in requirements:
            if requirement.applies(role, unit_id in lab_units):
                needed[(person_id, requirement.course_id)] = requirement.course
    records = [_record(person_id, course, rng) for (person_id, _c), course in sorted(
        needed.items(), key=lambda item: item[0]) if rng.random() < TRAINED_SHARE]
    TrainingRecord.objects.bulk_create(records, batch_size=BATCH)
    return len(records)


def _record(person_id: int, course: Any, rng: random.Random) -> TrainingRecord:
    today = timezone.localdate()
    months = course.validity_months or 60
    if rng.random() < EXPIRED_SHARE:
        completed = today - dt.timedelta(days=31 * months + rng.randint(5, 200))
    else:
        completed = today - dt.timedelta(days=rng.randint(10, 31 * months - 10))
    return TrainingRecord(person_id=person_id, course=course, completed_on=completed,
                          expires_on=course.expiry_from(completed), note="Fra kursregisteret")


def bench_targets(found: dict[str, Any]) -> dict[str, Any]:
    return {"department_training_records": TrainingRecord.objects.filter(
        person__role_assignments__org_unit=found["department_pk"]).distinct().count()}
