"""The permission battery for every round view. The round is a walked laboratory round in unit A's
safety area, with the leader and the safety representative taking part: the unit's people with a
role there see it; its editors (leader, coordinator), the area's safety representatives and the
participants walk and summarise it. The walk, the summary, the plan's edit page and their posts
answer 404 to everyone else, those who see the round too, as every page one may not open does
(issue 14); only a signature the user may not give is refused (403)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hms.core.tests.battery import ViewCase, allow, battery_tests
from hms.deviations.models import DeviationType
from hms.deviations.tests.factories import photo
from hms.rounds import services
from hms.rounds.models import ChecklistTemplate
from hms.rounds.tests.factories import walked

VIEWERS = ("employee", "safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader",
           "admin")
EDITORS = ("safety_rep", "deputy", "coordinator", "leader", "admin")
PLANNERS = ("safety_rep", "deputy", "handler", "lab_leader", "coordinator", "leader", "admin")
ONLY_SEE = {persona: 404 for persona in VIEWERS if persona not in EDITORS}  # issue 14: not 403


def with_round(cast: Any) -> dict[str, Any]:
    round_ = walked(cast, not_ok=1)
    finding = round_.findings.get()
    picture = services.add_photo(actor=cast.safety_rep, round_=round_, upload=photo(),
                                 answer=finding.answer)
    round_.refresh_from_db()
    return {"round": round_, "finding": finding, "photo": picture}


def the_round(cast: Any) -> list[Any]:
    return [cast.round.pk]


def the_finding(cast: Any) -> list[Any]:
    return [cast.finding.pk]


def unit_a(cast: Any) -> list[Any]:
    return [cast.unit_a.pk]


def a_plan(cast: Any) -> dict[str, Any]:
    return {"safety_area": cast.area.pk, "planned_on": timezone.localdate().isoformat(),
            "templates": [ChecklistTemplate.objects.current().get(code="fire").pk]}


def survey_answers(cast: Any) -> dict[str, Any]:
    return {"workplace": 3, "indoor": 3, "safe": 3, "emergency": 3, "workload": 3}


CASES = [
    ViewCase("rounds:plan", args=unit_a, get=allow(*VIEWERS), post={"*": 405}),
    ViewCase("rounds:create", args=unit_a, get=allow(*PLANNERS),
             post=allow(*PLANNERS, status=302), data=a_plan),
    ViewCase("rounds:detail", args=the_round, setup=with_round, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("rounds:edit", args=the_round, setup=with_round, get={**allow(*EDITORS), **ONLY_SEE},
             post={**allow(*EDITORS), **ONLY_SEE}, data=a_plan),  # walked: the change is refused
    ViewCase("rounds:step", args=the_round, setup=with_round, get={"*": 405},
             post={**allow(*EDITORS, status=302), **ONLY_SEE},
             data=lambda c: {"to": "prepared", "version": c.round.version}),
    ViewCase("rounds:preparation", args=the_round, setup=with_round, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("rounds:preparation_pdf", args=the_round, setup=with_round, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("rounds:survey", args=the_round, setup=with_round, get=allow(*VIEWERS),
             post=allow(*VIEWERS), data=survey_answers),  # walked: the questionnaire is closed
    ViewCase("rounds:walk", args=the_round, setup=with_round, get={**allow(*EDITORS), **ONLY_SEE},
             post={"*": 405}),
    ViewCase("rounds:answer", args=lambda c: [c.round.pk, c.finding.answer.item_id],
             setup=with_round, get={"*": 405}, post={**allow(*EDITORS, status=302), **ONLY_SEE},
             data=lambda c: {"result": "ok", "comment": "", "version": c.finding.answer.version}),
    ViewCase("rounds:add_finding", args=the_round, setup=with_round, get={"*": 405},
             post={**allow(*EDITORS, status=302), **ONLY_SEE}, data=lambda c: {"title": "Cable"}),
    ViewCase("rounds:add_photo", args=the_round, setup=with_round, get={"*": 405},
             post={**allow(*EDITORS, status=302), **ONLY_SEE}),
    ViewCase("rounds:photo", args=lambda c: [c.photo.pk], setup=with_round, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("rounds:summary", args=the_round, setup=with_round, get={**allow(*EDITORS), **ONLY_SEE},
             post={**allow(*EDITORS, status=302), **ONLY_SEE},
             data=lambda c: {"version": c.round.version, "summary": "Agreed"}),
    ViewCase("rounds:sign", args=the_round, setup=with_round, get={"*": 405},
             post={**allow("leader", "admin", status=302), **ONLY_SEE,
                   "safety_rep": 403, "deputy": 403, "coordinator": 403},
             data=lambda c: {"as": "leader", "version": c.round.version}),
    ViewCase("rounds:new_assessment", args=the_round, setup=with_round, get={"*": 405},
             post={**allow(*EDITORS, status=302), **ONLY_SEE}),
    ViewCase("rounds:report_pdf", args=the_round, setup=with_round, get=allow(*VIEWERS),
             post={"*": 405}),
    ViewCase("rounds:score", args=the_finding, setup=with_round, get={"*": 405},
             post=allow(*EDITORS, status=302), data=lambda c: {"probability": 2, "consequence": 3}),
    ViewCase("rounds:finding_measure", args=the_finding, setup=with_round, get=allow(*EDITORS),
             post=allow(*EDITORS, status=302), data=lambda c: {"title": "Label it", "priority": 2}),
    ViewCase("rounds:finding_deviation", args=the_finding, setup=with_round, get={"*": 405},
             post=allow(*EDITORS, status=302),
             data=lambda c: {"deviation_type": DeviationType.objects.get(code="rule_breach").pk}),
]

test_round_views = battery_tests(CASES)
