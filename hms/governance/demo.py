"""HSE goals and delegated tasks for the demo university: every department had goals last year
(assessed at year end) and started this year from them, with a new goal and measures serving
it; its leader has delegated tasks from the catalogue, most accepted, one awaiting acceptance, one
declined, one ending soon and one expired."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hms.core.seeding import DemoUniversity
from hms.governance import services
from hms.governance.models import Delegation, DelegationTask, Goal, GoalStatus

LAST_YEAR_GOALS = [
    ("Alle nyansatte får HMS-opplæring innen første arbeidsmåned",
     "Andel nyansatte med registrert HMS-introduksjon innen 30 dager", "100 %",
     GoalStatus.PARTLY, "Opplæringen ble gitt til 17 av 20. Rutinen med fadder innføres."),
    ("Avvik behandles innen fristen",
     "Andel avvik lukket innen fristen", "Minst 90 %", GoalStatus.ACHIEVED,
     "94 % av avvikene ble lukket innen fristen."),
    ("Færre belastningsplager ved kontorarbeid",
     "Antall meldte belastningsplager", "Under 5 i året", GoalStatus.NOT_ACHIEVED,
     "Sju meldte plager. Ergonomigjennomgang av alle kontorer i år."),
]
NEW_GOAL = ("Alle laboratorier har oppdatert stoffkartotek",
            "Andel laboratorier med gjennomgått stoffkartotek siste 12 måneder", "100 %")
NEW_MEASURE = "Gjennomgå stoffkartoteket for alle laboratorier"


def build_governance_demo(units: list[tuple[Any, Any, Any, list[Any]]]) -> None:
    """`units`: (unit, leader, safety representative, staff members) of each department."""
    tasks = {task.code: task for task in DelegationTask.objects.filter(active=True)}
    for unit, leader, rep, staff in units:
        _goals(unit, leader, staff)
        people = [person for person in [rep, *staff] if person is not None and person != leader]
        if people:
            _delegations(unit, leader, people, tasks)


def _goals(unit: Any, leader: Any, staff: list[Any]) -> None:
    year = timezone.localdate().year
    for title, indicator, target, status, comment in LAST_YEAR_GOALS:
        goal = services.create_goal(actor=leader, org_unit=unit, data={
            "year": year - 1, "title": title, "indicator": indicator, "target": target})
        services.assess_goal(actor=leader, goal=goal, status=status, comment=comment,
                             version=goal.version)
    services.start_year_from_previous(actor=leader, org_unit=unit, year=year)
    title, indicator, target = NEW_GOAL
    goal = services.create_goal(actor=leader, org_unit=unit, data={
        "year": year, "title": title, "indicator": indicator, "target": target})
    services.add_goal_measure(actor=leader, goal=goal, data={
        "title": NEW_MEASURE, "responsible": staff[0] if staff else None,
        "deadline": dt.date(year, 11, 30)})
    plan = list(unit.measures.exclude(pk__in=goal.measures.values("pk"))[:2])
    first = Goal.objects.filter(org_unit=unit, year=year).order_by("pk").first()
    if first is not None and plan:
        services.update_goal(actor=leader, goal=first, data={}, measures=plan, version=first.version)


def _delegations(unit: Any, leader: Any, people: list[Any], tasks: dict[str, Any]) -> None:
    today = timezone.localdate()

    def person(index: int) -> Any:
        return people[index % len(people)]

    def delegate(code: str, who: Any, scope: str, days: int | None = None) -> Delegation:
        return services.delegate_task(actor=leader, org_unit=unit, data={
            "task": tasks.get(code), "task_text": "" if code in tasks else code, "scope": scope,
            "delegate": who, "valid_from": today - dt.timedelta(days=200),
            "valid_to": today + dt.timedelta(days=days) if days is not None else None})

    def accept(delegation: Delegation) -> Delegation:
        return services.answer_delegation(actor=delegation.delegate, delegation=delegation,
                                          accept=True, version=delegation.version)

    accept(delegate("hse_rounds", person(0), "Alle verneområdene ved instituttet, sammen med "
                    "verneombudet.", days=300))
    accept(delegate("first_aid", person(1), "Førstehjelpsskap og øyeskyllestasjoner i 2. etasje.",
                    days=20))
    accept(delegate("action_plan", person(2), "Handlingsplanen for instituttet; status til "
                    "ledermøtet hver måned."))
    delegate("chemical_register", person(3), "Stoffkartoteket for laboratoriene i 3. etasje.",
             days=365)
    declined = delegate("fire_warden", person(4), "Branninstruktør for vestfløyen.", days=365)
    services.answer_delegation(actor=declined.delegate, delegation=declined, accept=False,
                               reason="Jeg er på forskningsopphold i høst. Spør gjerne igjen i "
                                      "januar.", version=declined.version)
    expired = accept(delegate("Kontaktperson for strålevern", person(5), "Røntgendiffraktometeret "
                              "i kjelleren.", days=100))
    Delegation.objects.filter(pk=expired.pk).update(valid_from=today - dt.timedelta(days=400),
                                                    valid_to=today - dt.timedelta(days=10))


def seed_demo(university: DemoUniversity) -> None:
    build_governance_demo(university.owners())
