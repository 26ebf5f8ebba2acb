"""The demo: a university-wide service, one faculty with its own, and a few entries per unit."""

from __future__ import annotations

import pytest

from hms.health.demo import build_health_demo
from hms.health.lookup import contact_for
from hms.health.models import Involvement
from hms.rounds.tests.factories import lab_round

pytestmark = pytest.mark.django_db


def test_it_builds_the_services_and_the_logs(cast):
    round_ = lab_round(cast)
    build_health_demo(cast.root, [
        (cast.unit_a, cast.leader, cast.safety_rep, [cast.employee]),
        (cast.unit_b, cast.admin, None, [cast.outsider]),
    ])
    assert contact_for(cast.unit_a).source == cast.faculty_f
    assert contact_for(cast.unit_b).contact.service == "Fjordby bedriftshelsetjeneste"
    assert Involvement.objects.filter(org_unit=cast.unit_a).count() == 3
    assert Involvement.objects.filter(org_unit=cast.unit_b).count() == 4
    assert Involvement.objects.for_record(round_).exists()
