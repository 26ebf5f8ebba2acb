from __future__ import annotations

from typing import Any

from hms.core.tests.battery import ViewCase, allow, battery_tests
from hms.measures.models import Measure

VIEWERS = ("employee", "safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader",
           "admin")
CREATORS = ("safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader", "admin")
EDITORS = ("coordinator", "leader", "admin")


def with_measure(cast: Any) -> dict[str, Any]:
    measure = Measure.objects.create(org_unit=cast.unit_a, title="Fume hood",
                                     responsible=cast.employee, created_by=cast.leader)
    return {"measure": measure}


def measure_data(cast: Any) -> dict[str, Any]:
    return {"title": "New guard rail", "priority": 2, "deadline": "2030-01-31",
            "responsible": cast.employee.pk, "version": 1}


def unit_a(cast: Any) -> list[Any]:
    return [cast.unit_a.pk]


def the_measure(cast: Any) -> list[Any]:
    return [cast.measure.pk]


CASES = [
    ViewCase("measures:mine", get=allow("*"), post={"*": 405}),
    ViewCase("measures:plan", args=unit_a, get=allow(*VIEWERS), post={"*": 405}),
    ViewCase("measures:export_xlsx", args=unit_a, get=allow(*VIEWERS), post={"*": 405}),
    ViewCase("measures:export_pdf", args=unit_a, get=allow(*VIEWERS), post={"*": 405}),
    ViewCase("measures:create", args=unit_a, get=allow(*CREATORS),
             post=allow(*CREATORS, status=302), data=measure_data),
    ViewCase("measures:set_owner", args=unit_a, get={"*": 405},
             post=allow("leader", "admin", status=302),
             data=lambda c: {"owner": c.employee.pk}),
    ViewCase("measures:detail", args=the_measure, setup=with_measure, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("measures:edit", args=the_measure, setup=with_measure, get=allow(*EDITORS),
             post=allow(*EDITORS, status=302), data=measure_data),
    ViewCase("measures:transition", args=the_measure, setup=with_measure, get={"*": 405},
             post={**allow("employee", "coordinator", "leader", "admin", status=302),
                   **dict.fromkeys(("safety_rep", "deputy", "handler", "lab_leader"), 403)},
             data=lambda c: {"to": "in_progress", "version": 1}),
]

test_measure_views = battery_tests(CASES)
