from __future__ import annotations

import pytest
from django.core.management import call_command

from hms.accounts.models import User
from hms.measures.models import Measure
from hms.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_the_scale_seed_builds_a_consistent_deterministic_tree(capsys):
    call_command("seed_scale", "--tier", "tiny")
    problems = OrgUnit.objects.find_problems()
    assert all(not found for found in problems), problems
    first = list(Measure.objects.order_by("pk").values_list("title", "org_unit__code")[:50])
    units, people = OrgUnit.objects.count(), User.objects.count()
    assert units >= 20 and people >= 500 and Measure.objects.count() >= 1000
    assert User.objects.filter(username="bench_faculty_leader").exists()
    call_command("seed_scale", "--tier", "tiny", "--force")
    assert list(Measure.objects.order_by("pk").values_list("title", "org_unit__code")[:50]) == first
    assert (OrgUnit.objects.count(), User.objects.count()) == (units, people)
