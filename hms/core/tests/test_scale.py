from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from hms.accounts.models import User
from hms.core import seeding
from hms.core.roles import Role
from hms.deviations.models import Deviation, Status
from hms.measures.models import Measure
from hms.org.models import OrgUnit, RoleAssignment

pytestmark = pytest.mark.django_db


def test_the_scale_seed_builds_a_consistent_deterministic_tree(capsys):
    call_command("seed_scale", "--tier", "tiny")
    problems = OrgUnit.objects.find_problems()
    assert all(not found for found in problems), problems
    first = list(Measure.objects.order_by("pk").values_list("title", "org_unit__code")[:50])
    cases = list(Deviation.objects.order_by("pk").values_list("title", "org_unit__code", "status")[:50])
    units, people = OrgUnit.objects.count(), User.objects.count()
    assert units >= 20 and people >= 500 and Measure.objects.count() >= 1000
    assert User.objects.filter(username="bench_faculty_leader").exists()
    call_command("seed_scale", "--tier", "tiny", "--force")
    assert list(Measure.objects.order_by("pk").values_list("title", "org_unit__code")[:50]) == first
    assert list(Deviation.objects.order_by("pk").values_list(
        "title", "org_unit__code", "status")[:50]) == cases
    assert (OrgUnit.objects.count(), User.objects.count()) == (units, people)


def test_the_scale_seed_has_deviations_in_every_status_over_24_months(capsys):
    call_command("seed_scale", "--tier", "tiny")
    spec = seeding.TIERS["tiny"]
    targets = seeding.bench_targets()
    assert Deviation.objects.count() == spec.deviations + spec.other_deviations
    assert targets["faculty_deviations"] == spec.deviations
    assert 0 < targets["faculty_overdue_deviations"] < targets["faculty_open_deviations"]
    assert set(Deviation.objects.values_list("status", flat=True)) == set(Status.values)
    now = timezone.now()
    oldest = Deviation.objects.order_by("reported_at").values_list("reported_at", flat=True)[0]
    assert now - dt.timedelta(days=24 * 31) < oldest < now - dt.timedelta(days=20 * 30)
    months = {(d.year, d.month) for d in Deviation.objects.values_list("reported_at", flat=True)}
    assert len(months) >= 22
    types = dict(Deviation.objects.values_list("deviation_type__code").annotate(n=Count("pk")))
    assert max(types, key=types.__getitem__) in ("near_miss", "dangerous_condition")
    anonymous = Deviation.objects.filter(anonymous=True)
    assert anonymous.exists() and not anonymous.filter(reporter__isnull=False).exists()
    closed = Deviation.objects.filter(status=Status.CLOSED)
    assert not closed.filter(closed_at__isnull=True).exists()
    assert not closed.filter(handler__isnull=True).exists()
    assert all(c.reported_at <= c.accepted_at <= c.closed_at <= now for c in closed)
    assert not Deviation.objects.filter(status=Status.REPORTED, close_deadline__isnull=False).exists()
    assert not Deviation.objects.exclude(status=Status.CLOSED).filter(closed_at__isnull=False).exists()
    handlers = RoleAssignment.objects.filter(role=Role.DEVIATION_HANDLER).values("person")
    assert Deviation.objects.filter(handler__in=handlers).exists()


def test_the_scale_seed_has_meetings_goals_delegations_and_training(capsys):
    from hms.competence.models import TrainingRecord
    from hms.governance.models import Delegation, Goal
    from hms.meetings.models import Meeting

    call_command("seed_scale", "--tier", "tiny")
    targets = seeding.bench_targets()
    coming = Meeting.objects.get(pk=targets["meeting_pk"])
    assert coming.status == "planned" and coming.starts_at > timezone.now()
    assert targets["department_meetings"] == 8 and targets["feed_token"]
    held = Meeting.objects.filter(status="held")
    assert held.exists() and not held.filter(starts_at__gt=timezone.now()).exists()
    assert not held.filter(decisions__isnull=True).exists()
    assert Goal.objects.filter(year=timezone.localdate().year).exists()
    assert {"accepted", "awaiting", "declined"} == set(Delegation.objects.values_list("status", flat=True))
    today = timezone.localdate()
    assert TrainingRecord.objects.filter(expires_on__lt=today).exists()
    assert TrainingRecord.objects.filter(expires_on__gte=today).exists()
    before = (Meeting.objects.count(), Delegation.objects.count(), TrainingRecord.objects.count())
    call_command("seed_scale", "--tier", "tiny", "--force")  # wipes the governance records first
    assert (Meeting.objects.count(), Delegation.objects.count(),
            TrainingRecord.objects.count()) == before


def test_force_replaces_the_demo_university_and_keeps_the_reference_data():
    from hms.deviations.models import DeviationType
    from hms.risk.models import RiskMatrix
    from hms.rounds.models import ChecklistTemplate, Round

    call_command("load_risk_matrix")
    call_command("seed_demo")
    assert Round.objects.exists()  # rounds protect their safety areas: the wipe must go first
    kept = (RiskMatrix.objects.count(), DeviationType.objects.count(), ChecklistTemplate.objects.count())
    call_command("seed_scale", "--tier", "tiny", "--force", "--no-check")
    assert not Round.objects.exists() and not User.objects.filter(username="leader").exists()
    assert User.objects.filter(username="bench_faculty_leader").exists()
    assert (RiskMatrix.objects.count(), DeviationType.objects.count(),
            ChecklistTemplate.objects.count()) == kept
