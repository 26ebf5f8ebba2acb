"""The demo builder makes goals for last and this year and delegations in every state."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hms.accounts.models import User
from hms.core.roles import Role
from hms.governance.demo import build_governance_demo
from hms.governance.models import Delegation, DelegationStatus, Goal, GoalStatus
from hms.org.models import RoleAssignment

pytestmark = pytest.mark.django_db


def test_the_demo_has_goals_for_two_years_and_delegations_in_every_state(cast, measure_factory):
    measure_factory()
    build_governance_demo([(cast.unit_a, cast.leader, cast.safety_rep,
                            [cast.employee, cast.lab_leader, cast.handler])])
    year = timezone.localdate().year
    assert set(Goal.objects.filter(year=year - 1).values_list("status", flat=True)) == {
        GoalStatus.ACHIEVED, GoalStatus.PARTLY, GoalStatus.NOT_ACHIEVED}
    this_year = Goal.objects.filter(year=year)
    assert this_year.count() == 4 and this_year.filter(copied_from__isnull=False).count() == 3
    assert all(goal.measures.exists() for goal in this_year.order_by("pk")[:1])
    assert this_year.filter(measures__origin="goal").exists()
    delegations = Delegation.objects.all()
    assert set(delegations.values_list("status", flat=True)) == {
        DelegationStatus.ACCEPTED, DelegationStatus.AWAITING, DelegationStatus.DECLINED}
    assert delegations.expired().count() == 1
    assert any(d.ends_soon() for d in delegations)
    assert not delegations.filter(delegate=cast.leader).exists()


def test_the_demo_skips_delegations_in_a_unit_with_only_its_leader(cast):
    lone = User.objects.create_user("lone", "lone@example.org", "pw")
    RoleAssignment.objects.create(person=lone, org_unit=cast.unit_b, role=Role.LEADER)
    build_governance_demo([(cast.unit_b, lone, None, [])])
    assert Goal.objects.filter(org_unit=cast.unit_b).count() == 7
    assert not Delegation.objects.exists()
