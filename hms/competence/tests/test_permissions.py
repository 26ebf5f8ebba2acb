"""The permission battery for every competence view. Unit A's gap overview and records are for its
leader, the faculty's HSE coordinator, the lab leader and the area's safety representatives;
recording, correcting, deleting and importing for its editors (leader, coordinator). The record is
the employee's: the employee sees it (403 on the edit page), others who see the unit's records get
403 too, the rest 404. Everyone signed in has "my training" and the example file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hms.competence.tests.factories import course, record
from hms.core.tests.battery import ViewCase, allow, battery_tests

SEERS = ("safety_rep", "deputy", "lab_leader", "coordinator", "leader", "admin")
EDITORS = ("coordinator", "leader", "admin")
ONLY_SEE = {persona: 403 for persona in (*SEERS, "employee") if persona not in EDITORS}
EVERYONE = ("outsider", "student", "employee", "safety_rep", "deputy", "handler", "lab_leader",
            "coordinator", "leader", "admin")
DAY = timezone.localdate() - dt.timedelta(days=30)


def with_record(cast: Any) -> dict[str, Any]:
    return {"record": record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)}


def unit_a(cast: Any) -> list[Any]:
    return [cast.unit_a.pk]


def the_record(cast: Any) -> list[Any]:
    return [cast.record.pk]


def a_training(cast: Any) -> dict[str, Any]:
    return {"person": cast.employee.pk, "course": course("fire-safety").pk,
            "completed_on": DAY.isoformat()}


def a_correction(cast: Any) -> dict[str, Any]:
    return {"course": course("lab-safety").pk, "completed_on": DAY.isoformat(),
            "note": "Rettet", "version": cast.record.version}


def a_file(cast: Any) -> dict[str, Any]:
    return {"file": SimpleUploadedFile(
        "t.csv", b"person,course,completed\nemployee,fire-safety,2025-01-01\n")}


CASES = [
    ViewCase("competence:mine", get=allow(*EVERYONE), post={"*": 405}),
    ViewCase("competence:example", get=allow(*EVERYONE), post={"*": 405}),
    ViewCase("competence:overview", args=unit_a, get=allow(*SEERS), post={"*": 405}),
    ViewCase("competence:overview_xlsx", args=unit_a, get=allow(*SEERS), post={"*": 405}),
    ViewCase("competence:records", args=unit_a, setup=with_record, get=allow(*SEERS),
             post={"*": 405}),
    ViewCase("competence:create", args=unit_a, get=allow(*EDITORS),
             post=allow(*EDITORS, status=302), data=a_training),
    ViewCase("competence:import", args=unit_a, get=allow(*EDITORS), post=allow(*EDITORS),
             data=a_file),
    ViewCase("competence:edit", args=the_record, setup=with_record,
             get={**allow(*EDITORS), **ONLY_SEE}, post={**allow(*EDITORS, status=302), **ONLY_SEE},
             data=a_correction),
    ViewCase("competence:delete", args=the_record, setup=with_record, get={"*": 405},
             post={**allow(*EDITORS, status=302), **ONLY_SEE}),
]

test_competence_views = battery_tests(CASES)
