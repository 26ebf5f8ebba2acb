"""The permission battery for every view of the points. Unit A's overview and its PDF are seen by
its own people (employee, safety representative and deputy, handler, lab leader, leader), by the
faculty's HSE coordinator above it and by the administrator; not by its students or an outsider.
The matrix of faculty F needs the points of every unit in it: the coordinator (over the faculty)
and the administrator. Only the leader and the area's safety representative or deputy confirm;
the others who see the points are refused (403), on the point's page of the form and its post."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hms.core.tests.battery import ViewCase, allow, battery_tests

SEE = ("employee", "safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader", "admin")
CONFIRM = ("leader", "safety_rep", "deputy")


def unit_a(cast: Any) -> list[Any]:
    return [cast.unit_a.pk]


def faculty_f(cast: Any) -> list[Any]:
    return [cast.faculty_f.pk]


def point_5(cast: Any) -> list[Any]:
    return [cast.unit_a.pk, timezone.localdate().year, 5]


NO_POST = {"*": 405}
CASES = [
    ViewCase("points:unit", unit_a, get=allow(*SEE), post=NO_POST),
    ViewCase("points:overview_pdf", unit_a, get=allow(*SEE), post=NO_POST),
    ViewCase("points:matrix", faculty_f, get=allow("coordinator", "admin"), post=NO_POST),
    ViewCase("points:matrix_xlsx", faculty_f, get=allow("coordinator", "admin"), post=NO_POST),
    ViewCase("points:confirm", point_5, get={**allow(*SEE, status=403), **dict.fromkeys(CONFIRM, 200)},
             post={**allow(*SEE, status=403), **dict.fromkeys(CONFIRM, 302)},
             data=lambda cast: {"point5-verdict": "confirmed", "point5-comment": "Seen at the meeting"}),
]

test_permission_battery = battery_tests(CASES)
