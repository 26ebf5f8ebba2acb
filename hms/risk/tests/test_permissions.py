from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from hms.core.tests.battery import ViewCase, allow, battery_tests
from hms.risk import services
from hms.risk.models import AssessmentKind

VIEWERS = ("employee", "safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader",
           "admin")
CREATORS = ("safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader", "admin")
EDITORS = ("coordinator", "leader", "admin")
# May see the assessment but not change it: a refused step is 403, not 404.
ONLY_VIEWERS = {persona: 403 for persona in VIEWERS if persona not in EDITORS}


def with_matrix(cast: Any) -> dict[str, Any]:
    call_command("load_risk_matrix", stdout=io.StringIO())
    return {}


def with_assessment(cast: Any) -> dict[str, Any]:
    with_matrix(cast)
    assessment = services.create_assessment(actor=cast.leader, org_unit=cast.unit_a,
                                            kind=AssessmentKind.DETAILED, data={"title": "Lab"})
    row = services.add_row(actor=cast.leader, assessment=assessment,
                           data={"unwanted_event": "Spill", "probability": 3,
                                 "consequences": {"people": 4}})
    return {"assessment": assessment, "row": row}


def unit_a(cast: Any) -> list[Any]:
    return [cast.unit_a.pk]


def the_assessment(cast: Any) -> list[Any]:
    return [cast.assessment.pk]


def the_row(cast: Any) -> list[Any]:
    return [cast.row.pk]


def row_data(cast: Any) -> dict[str, Any]:
    prefix = f"r{cast.row.pk}-"
    return {f"{prefix}version": 1, f"{prefix}hazard_type": "chemical",
            f"{prefix}unwanted_event": "Spill", f"{prefix}probability": 2, f"{prefix}c_people": 2}


CASES = [
    ViewCase("risk:list", args=unit_a, setup=with_matrix, get=allow(*VIEWERS), post={"*": 405}),
    ViewCase("risk:heatmap", args=unit_a, setup=with_assessment, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("risk:create", args=unit_a, setup=with_matrix, get=allow(*CREATORS),
             post=allow(*CREATORS, status=302),
             data=lambda c: {"kind": "detailed", "title": "Laser lab"}),
    ViewCase("risk:import", args=unit_a, setup=with_matrix, get=allow(*CREATORS),
             post=allow(*CREATORS)),
    ViewCase("risk:detail", args=the_assessment, setup=with_assessment, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("risk:edit", args=the_assessment, setup=with_assessment, get=allow(*EDITORS),
             post=allow(*EDITORS, status=302),
             data=lambda c: {"title": "Lab 2", "version": 1, "participants": [c.leader.pk]}),
    ViewCase("risk:step", args=the_assessment, setup=with_assessment, get={"*": 405},
             post={**allow(*EDITORS, status=302), **ONLY_VIEWERS},
             data=lambda c: {"step": "submit", "version": 1}),
    ViewCase("risk:add_row", args=the_assessment, setup=with_assessment, get={"*": 405},
             post=allow(*EDITORS, status=302)),
    ViewCase("risk:export_xlsx", args=the_assessment, setup=with_assessment, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("risk:export_pdf", args=the_assessment, setup=with_assessment, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("risk:save_row", args=the_row, setup=with_assessment, get={"*": 405},
             post=allow(*EDITORS, status=302), data=row_data),
    ViewCase("risk:delete_row", args=the_row, setup=with_assessment, get={"*": 405},
             post=allow(*EDITORS, status=302)),
    ViewCase("risk:row_measure", args=the_row, setup=with_assessment, get=allow(*EDITORS),
             post=allow(*EDITORS, status=302),
             data=lambda c: {"title": "Guard", "priority": 3, "responsible": c.employee.pk,
                             "deadline": "2030-01-31"}),
]

test_risk_views = battery_tests(CASES)
