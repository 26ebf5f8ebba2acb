"""The permission battery for every governance view. Unit A has a goal for this year and a task
delegated to its employee, awaiting acceptance. The unit's people with a role that sees its records
see the goals and the register; its leader and HSE coordinator edit goals; only its leader
delegates and revokes; only the delegate answers; others who see are refused (403); outsiders and
students get 404."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hms.core.tests.battery import PERSONAS, ViewCase, allow, battery_tests
from hms.governance.tests.factories import delegation, goal, task

VIEWERS = ("employee", "safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader",
           "admin")
EDITORS = ("coordinator", "leader", "admin")
MANAGERS = ("leader", "admin")


def refused(allowed: tuple[str, ...]) -> dict[str, int]:
    """Those who see the records but may not do this: 403."""
    return {persona: 403 for persona in VIEWERS if persona not in allowed}


def only(allowed: tuple[str, ...], status: int = 200) -> dict[str, Any]:
    return {**allow(*allowed, status=status), **refused(allowed)}


def with_records(cast: Any) -> dict[str, Any]:
    return {"goal": goal(cast), "delegation": delegation(cast)}


def unit_a(cast: Any) -> list[Any]:
    return [cast.unit_a.pk]


def the_goal(cast: Any) -> list[Any]:
    return [cast.goal.pk]


def the_delegation(cast: Any) -> list[Any]:
    return [cast.delegation.pk]


def a_goal(cast: Any) -> dict[str, Any]:
    return {"year": timezone.localdate().year, "title": "Safe labs", "indicator": "Injuries",
            "version": cast.goal.version}


def a_delegation(cast: Any) -> dict[str, Any]:
    return {"task": task("ppe").pk, "delegate": cast.lab_leader.pk,
            "valid_from": timezone.localdate().isoformat()}


def version(cast: Any) -> dict[str, Any]:
    return {"version": cast.delegation.version, "reason": "Away"}


NO_POST = {"*": 405}
CASES = [
    ViewCase("governance:goals", args=unit_a, setup=with_records, get=allow(*VIEWERS), post=NO_POST),
    ViewCase("governance:goal_create", args=unit_a, setup=with_records, get=only(EDITORS),
             post=only(EDITORS, 302), data=a_goal),
    ViewCase("governance:start_year", args=unit_a, setup=with_records, get=NO_POST,
             post=only(EDITORS, 302), data=lambda c: {"year": timezone.localdate().year + 1}),
    ViewCase("governance:goal_edit", args=the_goal, setup=with_records, get=only(EDITORS),
             post=only(EDITORS, 302), data=a_goal),
    ViewCase("governance:goal_assess", args=the_goal, setup=with_records, get=only(EDITORS),
             post=only(EDITORS, 302),
             data=lambda c: {"version": c.goal.version, "status": "achieved", "comment": ""}),
    ViewCase("governance:goal_measure", args=the_goal, setup=with_records, get=only(EDITORS),
             post=only(EDITORS, 302), data=lambda c: {"title": "Train all", "priority": 2}),
    ViewCase("governance:register", args=unit_a, setup=with_records, get=allow(*VIEWERS),
             post=NO_POST),
    ViewCase("governance:register_pdf", args=unit_a, setup=with_records, get=allow(*VIEWERS),
             post=NO_POST),
    ViewCase("governance:delegation_create", args=unit_a, setup=with_records, get=only(MANAGERS),
             post=only(MANAGERS, 302), data=a_delegation),
    ViewCase("governance:delegation", args=the_delegation, setup=with_records,
             get=allow(*VIEWERS), post=NO_POST),
    ViewCase("governance:accept", args=the_delegation, setup=with_records, get=NO_POST,
             post=only(("employee",), 302), data=version),
    ViewCase("governance:decline", args=the_delegation, setup=with_records, get=NO_POST,
             post=only(("employee",), 302), data=version),
    ViewCase("governance:revoke", args=the_delegation, setup=with_records, get=NO_POST,
             post=only(MANAGERS, 302), data=version),
    ViewCase("governance:mine", get=allow(*PERSONAS), post=NO_POST),
]

test_governance_views = battery_tests(CASES)
