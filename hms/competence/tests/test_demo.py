"""The demo's training records, built on the test cast."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hms.competence import gaps
from hms.competence.demo import build_competence_demo
from hms.competence.models import TrainingRecord
from hms.org.models import RoleAssignment

pytestmark = pytest.mark.django_db


def test_the_demo_trains_most_people_and_leaves_the_first_safety_rep_without_basic_training(cast):
    staff = [cast.employee, cast.handler, cast.lab_leader, cast.student, cast.deputy]
    build_competence_demo([(cast.unit_a, cast.leader, cast.safety_rep, staff)])
    needs = gaps.needs_of(RoleAssignment.objects.active().filter(org_unit=cast.unit_a),
                          timezone.localdate())
    counts = gaps.counts(needs)
    assert counts["valid"] + counts["expiring"] >= len(needs) // 2
    assert counts["missing"] >= 1
    rep = {n.course.code: n.standing for n in needs if n.person == cast.safety_rep}
    assert rep["safety-rep-basic"] == gaps.Standing.MISSING
    assert TrainingRecord.objects.filter(recorded_by=cast.leader).count() >= 10
    assert all(r.note in {"Kurs hos HMS-avdelingen.", "Gjennomført digitalt.", "",
                          "Kurs med praktisk øvelse."} for r in TrainingRecord.objects.all())
