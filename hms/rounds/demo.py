"""HSE rounds for the demo university: every department's first safety area had a round that is
closed (its findings in the action plan), some long enough ago that a high-risk area is overdue;
in chemistry, whose logins are printed, the lab's next round is planned with questionnaire
answers in, and another area's round is walked and waits for its summary."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hms.core.seeding import DemoUniversity
from hms.rounds import services
from hms.rounds.models import ChecklistTemplate, Result, Round

KIND_BY_RISK = {"high": ("laboratory", "fire"), "normal": ("office", "ergonomics")}


def _templates(area: Any) -> list[ChecklistTemplate]:
    return list(ChecklistTemplate.objects.current().filter(code__in=KIND_BY_RISK[area.risk_level]))


def _plan(unit: Any, area: Any, leader: Any, rep: Any, day: dt.date) -> Round:
    return services.plan_round(actor=leader, org_unit=unit, participants=[rep],
                               templates=_templates(area),
                               data={"safety_area": area, "planned_on": day,
                                     "themes": "Kjemikalielagring og rømningsveier"})


def _walk(round_: Round, rep: Any, rng: random.Random, not_ok: int) -> Round:
    items = [item for template in round_.templates.all() for item in template.items.all()]
    bad = set(rng.sample(range(len(items)), min(not_ok, len(items))))
    for index, item in enumerate(items):
        services.save_answer(actor=rep, round_=round_, item=item, version=None,
                             result=Result.NOT_OK if index in bad else Result.OK,
                             comment="Må følges opp." if index in bad else "")
    round_.refresh_from_db()
    round_ = services.move(actor=rep, round_=round_, to="prepared", version=round_.version)
    return services.move(actor=rep, round_=round_, to="conducted", version=round_.version)


def _summarise_and_close(round_: Round, leader: Any, rep: Any, responsible: Any) -> Round:
    for finding in round_.findings.all():
        services.score_finding(actor=leader, finding=finding, probability=3, consequence=2)
        services.finding_measure(actor=leader, finding=finding, data={
            "title": f"Utbedre: {finding.title[:150]}", "responsible": responsible,
            "deadline": timezone.localdate() + dt.timedelta(days=60)})
    round_.refresh_from_db()
    round_ = services.summarise(actor=leader, round_=round_, new_assessment_needed=False,
                                summary="Gjennomgått med verneombudet. Tiltakene er lagt inn i "
                                        "handlingsplanen.", version=round_.version)
    round_ = services.sign(actor=leader, round_=round_, as_role="leader", version=round_.version)
    round_ = services.sign(actor=rep, round_=round_, as_role="safety_rep", version=round_.version)
    round_ = services.move(actor=leader, round_=round_, to="summarised", version=round_.version)
    return services.move(actor=leader, round_=round_, to="closed", version=round_.version)


def build_round_demo(departments: list[tuple[Any, Any, Any, Any, list[Any]]],
                     chemistry_code: str) -> None:
    """`departments`: (unit, leader, safety rep, a staff member, safety areas) of each."""
    rng = random.Random(2026)
    today = timezone.localdate()
    for index, (unit, leader, rep, staff, areas) in enumerate(departments):
        if not areas:
            continue
        area = areas[0]
        days_ago = (90, 250, 420)[index % 3]
        past = _walk(_plan(unit, area, leader, rep, today - dt.timedelta(days=days_ago)), rep, rng, 2)
        Round.objects.filter(pk=past.pk).update(conducted_on=today - dt.timedelta(days=days_ago))
        _summarise_and_close(Round.objects.get(pk=past.pk), leader, rep, staff)
        if unit.code == chemistry_code:
            _chemistry(unit, leader, rep, areas, rng, today)


def _chemistry(unit: Any, leader: Any, rep: Any, areas: list[Any], rng: random.Random,
               today: dt.date) -> None:
    upcoming = _plan(unit, areas[0], leader, rep, today + dt.timedelta(days=12))
    from hms.org.models import RoleAssignment

    employees = [a.person for a in RoleAssignment.objects.filter(org_unit=unit, role="employee")
                 .select_related("person")[:4]]
    for person in employees:
        services.answer_survey(actor=person, round_=upcoming, comment="", answers={
            "workplace": rng.randint(2, 5), "indoor": rng.randint(1, 4), "safe": rng.randint(3, 5),
            "emergency": rng.randint(2, 5), "workload": rng.randint(1, 4)})
    if len(areas) > 1:
        _walk(_plan(unit, areas[1], leader, rep, today - dt.timedelta(days=2)), rep, rng, 3)


def seed_demo(university: DemoUniversity) -> None:
    build_round_demo([(d.unit, d.leader, d.safety_rep, d.staff[0], d.areas)
                      for d in university.departments], university.showcase)
