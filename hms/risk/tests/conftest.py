from __future__ import annotations

import pytest
from django.core.management import call_command

from hms.risk import services
from hms.risk.models import AssessmentKind


@pytest.fixture
def matrix(db):
    call_command("load_risk_matrix")


@pytest.fixture
def lab(cast, matrix):
    """A draft detailed assessment of a lab in department A, made by the safety representative
    with the leader taking part."""
    return services.create_assessment(
        actor=cast.safety_rep, org_unit=cast.unit_a, kind=AssessmentKind.DETAILED,
        data={"title": "Solvent lab", "trigger": "new_activity"}, participants=(cast.leader,))
