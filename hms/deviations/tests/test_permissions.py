"""The permission battery for every deviation view. The case is the student's report in the safety
area of unit A, accepted by the handler: the unit's leaders and handlers handle it, the area's safety
representatives follow it, the student sees their own report, and nobody else sees it at all."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hms.core.tests.battery import ALL_PERSONAS, ViewCase, allow, battery_tests
from hms.deviations import services
from hms.deviations.tests.factories import accepted, deviation_type, photo

SIGNED_IN = tuple(p for p in ALL_PERSONAS if p != "anonymous")
HANDLERS = ("handler", "leader", "admin")
FOLLOWERS = (*HANDLERS, "safety_rep", "deputy")
VIEWERS = (*FOLLOWERS, "student")  # the student reported it
COUNTERS = (*FOLLOWERS, "coordinator")
# May see the case but not handle it: a refused step is 403, not 404.
ONLY_SEE = {persona: 403 for persona in VIEWERS if persona not in HANDLERS}


def with_case(cast: Any) -> dict[str, Any]:
    case = accepted(cast)
    services.add_attachments(actor=cast.handler, deviation=case, uploads=[photo()])
    case.refresh_from_db()
    _anonymous, secret = services.report_deviation(actor=cast.employee, anonymous=True, data={
        "org_unit": cast.unit_a, "deviation_type": deviation_type(), "title": "Tip",
        "description": "x", "occurred_at": timezone.now()})
    link = services.public_link(actor=cast.leader, area=cast.area)
    return {"case": case, "secret": secret, "token": link.token,
            "file": case.attachments.get()}


def the_case(cast: Any) -> list[Any]:
    return [cast.case.pk]


def unit_a(cast: Any) -> list[Any]:
    return [cast.unit_a.pk]


def the_area(cast: Any) -> list[Any]:
    return [cast.area.pk]


def a_report(cast: Any) -> dict[str, Any]:
    return {"deviation_type": deviation_type().pk, "title": "Loose cable", "description": "Trip",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "org_unit": cast.unit_a.pk}


def versioned(**extra: Any) -> Any:
    return lambda cast: {"version": cast.case.version, **extra}


CASES = [
    ViewCase("deviations:report", get=allow(*SIGNED_IN), post=allow(*SIGNED_IN, status=302),
             data=a_report),
    ViewCase("deviations:mine", get=allow(*SIGNED_IN), post={"*": 405}),
    ViewCase("deviations:receipt", args=lambda c: [c.secret], setup=with_case,
             get=allow(*SIGNED_IN), post={"*": 405}, anonymous={"get": 200, "post": 405}),
    ViewCase("deviations:public_report", args=lambda c: [c.token], setup=with_case,
             get=allow(*SIGNED_IN), post=allow(*SIGNED_IN, status=302), data=a_report,
             anonymous={"get": 200, "post": 302}),
    ViewCase("deviations:list", args=unit_a, setup=with_case, get=allow(*FOLLOWERS),
             post={"*": 405}),
    ViewCase("deviations:statistics", args=unit_a, setup=with_case, get=allow(*COUNTERS),
             post={"*": 405}),
    ViewCase("deviations:statistics_xlsx", args=unit_a, setup=with_case, get=allow(*COUNTERS),
             post={"*": 405}),
    ViewCase("deviations:statistics_pdf", args=unit_a, setup=with_case, get=allow(*COUNTERS),
             post={"*": 405}),
    ViewCase("deviations:poster", args=the_area, setup=with_case, get=allow(*FOLLOWERS),
             post={"*": 405}),
    ViewCase("deviations:renew_link", args=the_area, setup=with_case, get={"*": 405},
             post=allow(*FOLLOWERS, status=302)),
    ViewCase("deviations:detail", args=the_case, setup=with_case, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("deviations:step", args=the_case, setup=with_case, get={"*": 405},
             post={**allow(*HANDLERS, status=302), **ONLY_SEE},
             data=versioned(step="reject", reason="Wrong place")),
    ViewCase("deviations:assess", args=the_case, setup=with_case, get={"*": 405},
             post={**allow(*HANDLERS, status=302), **ONLY_SEE}, data=versioned(cause="Haste")),
    ViewCase("deviations:measure", args=the_case, setup=with_case,
             get={**allow(*HANDLERS), **ONLY_SEE}, post={**allow(*HANDLERS, status=302), **ONLY_SEE},
             data=lambda c: {"title": "Cable cover", "priority": 2, "responsible": c.employee.pk,
                             "deadline": "2030-01-31"}),
    ViewCase("deviations:notice", args=the_case, setup=with_case, get={"*": 405},
             post={**allow(*HANDLERS, status=302), **ONLY_SEE}, data=versioned(notice="police")),
    ViewCase("deviations:risk_links", args=the_case, setup=with_case,
             get={**allow(*HANDLERS), **ONLY_SEE}, post={**allow(*HANDLERS, status=302), **ONLY_SEE}),
    ViewCase("deviations:new_assessment", args=the_case, setup=with_case, get={"*": 405},
             post={**allow(*HANDLERS, status=302), **ONLY_SEE}, data=lambda c: {"make": "measure"}),
    ViewCase("deviations:attach", args=the_case, setup=with_case, get={"*": 405},
             post=allow(*VIEWERS, status=302)),
    ViewCase("deviations:attachment", args=lambda c: [c.file.pk], setup=with_case,
             get=allow(*VIEWERS), post={"*": 405}),
    ViewCase("deviations:injury", args=the_case, setup=with_case, get=allow(*HANDLERS),
             post=allow(*HANDLERS, status=302), data=lambda c: {"injured_person": "Kari"}),
]

test_deviation_views = battery_tests(CASES)

