"""The permission battery for every view of the occupational health service. Unit A's log is read
by its VIEW scope and written by its CREATE scope (writers who only read get 403); its contact is
set by its editors (the leader, the faculty's coordinator); the entry, recorded by the leader, is
edited by the editors."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hms.core.tests.battery import ViewCase, allow, battery_tests
from hms.health.tests.factories import UNIVERSITY, entry

READERS = ("employee", "safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader",
           "admin")
WRITERS = ("safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader", "admin")
EDITORS = ("coordinator", "leader", "admin")
ONLY_READ = {persona: 403 for persona in READERS if persona not in WRITERS}
ONLY_WRITE = {persona: 403 for persona in READERS if persona not in EDITORS}


def unit_a(cast: Any) -> list[Any]:
    return [cast.unit_a.pk]


def with_entry(cast: Any) -> dict[str, Any]:
    return {"entry": entry(cast)}


def an_entry(cast: Any) -> dict[str, Any]:
    version = {"version": cast.entry.version} if "entry" in cast.__dict__ else {}
    return {"date": timezone.localdate().isoformat(), "kind": "meeting", "description": "LAMU",
            **version}


CASES = [
    ViewCase("health:unit", args=unit_a, get=allow(*READERS), post={"*": 405}),
    ViewCase("health:add", args=unit_a, get={"*": 405},
             post={**allow(*WRITERS, status=302), **ONLY_READ}, data=an_entry),
    ViewCase("health:contact", args=unit_a, get=allow(*EDITORS),
             post=allow(*EDITORS, status=302), data=lambda c: UNIVERSITY),
    ViewCase("health:remove_contact", args=unit_a, get={"*": 405},
             post=allow(*EDITORS, status=302)),  # nothing to remove: refused, back to the form
    ViewCase("health:edit", args=lambda c: [c.entry.pk], setup=with_entry,
             get={**allow(*EDITORS), **ONLY_WRITE}, post={**allow(*EDITORS, status=302), **ONLY_WRITE},
             data=an_entry),
]

test_health_views = battery_tests(CASES)
