"""What the unit's governance says about the points (issue 16): point 1, the unit has its own HSE
goals for the year, each measured by an indicator ("goals"), and point 2, a written overview of
the HSE tasks its leader has delegated, each accepted by the delegate ("delegations").

A delegation is judged as it stood on the day judged: in force then (its period covers the day,
made by then and not revoked by then), accepted when the delegate had accepted it by then."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from hms.governance.models import Delegation, DelegationStatus, Goal
from hms.points.catalogue import Point
from hms.points.evidence import MAX_RECORD_LINKS, Evidence, Link, State, Text, Units, Year, bilingual, url_for


def person_name(first_name: str, last_name: str, username: str) -> str:
    return f"{first_name} {last_name}".strip() or username


# --- Point 1: the unit's HSE goals -----------------------------------------------------------------


def goals_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """The unit's own goals for the year (Goal.year), against `min_goals`: met when there are at
    least that many and every one has an indicator; partly met when there are goals but fewer, or
    some without an indicator; not met when there is none. One query."""
    least = max(1, int(point.thresholds.get("min_goals", 1)))
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for goal in (units.filter(Goal.objects.filter(year=year.number))
                 .values("pk", "org_unit_id", "title", "indicator").order_by("pk")):
        found[goal["org_unit_id"]].append(goal)
    return {unit.pk: _goals(unit.pk, found[unit.pk], least, year.number) for unit in units.members}


def _goals(unit_pk: int, goals: list[dict[str, Any]], least: int, number: int) -> Evidence:
    page = url_for("governance:goals", args=[unit_pk]) + f"?year={number}"
    if not goals:
        return Evidence(State.NOT_MET, (Text(gettext_noop("The unit has no HSE goals for this year.")),),
                        missing=(Link(Text(gettext_noop("Set the unit's HSE goals for this year")),
                                      page),))
    unmeasured = [goal for goal in goals if not goal["indicator"].strip()]
    figures = [Text(gettext_noop("HSE goals for this year: %(goals)s, %(measured)s of them with an "
                                 "indicator."),
                    {"goals": len(goals), "measured": len(goals) - len(unmeasured)})]
    if least > 1:
        figures.append(Text(gettext_noop("At least %(least)s HSE goals are asked for."),
                            {"least": least}))
    shown = [*unmeasured, *(goal for goal in goals if goal not in unmeasured)][:MAX_RECORD_LINKS]
    records = tuple(_goal_link(goal, goal in unmeasured, page) for goal in shown)
    missing = []
    if len(goals) < least:
        missing.append(Link(Text(gettext_noop("Set more HSE goals for this year")), page))
    if unmeasured:
        missing.append(Link(Text(gettext_noop("Give every HSE goal an indicator")), page))
    state = State.PARTLY if missing else State.MET
    return Evidence(state, tuple(figures), records, tuple(missing))


def _goal_link(goal: dict[str, Any], unmeasured: bool, page: str) -> Link:
    text = (Text(gettext_noop("HSE goal without an indicator: %(title)s"), {"title": goal["title"]})
            if unmeasured else
            Text(gettext_noop("HSE goal: %(title)s (indicator: %(indicator)s)"),
                 {"title": goal["title"], "indicator": goal["indicator"].strip()}))
    return Link(text, f"{page}#goal-{goal['pk']}")


# --- Point 2: the delegation register --------------------------------------------------------------

ACCEPTED, AWAITING, DECLINED = "accepted", "awaiting", "declined"


@dataclass
class _Register:
    """A unit's delegations in force on the day judged, by how they stood then, and those
    declined this year whose task was not delegated again."""

    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {AWAITING: [], DECLINED: [], ACCEPTED: []})

    def count(self, standing: str) -> int:
        return len(self.rows[standing])


def delegations_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """Met when the unit has delegated HSE tasks in force on the day judged and the delegates have
    accepted every one; partly met when some await the delegate's answer, or a task was declined
    this year and not delegated again (to anyone, in force); not met when there is nothing in
    force and nothing declined. A revoked delegation is gone. One query."""
    on, end = year.on, year.end
    registers: dict[int, _Register] = defaultdict(_Register)
    rows = (units.filter(Delegation.objects.filter(valid_from__lte=on, created_at__lt=end))
            .exclude(valid_to__lt=on).exclude(revoked_at__lt=end)
            .values("pk", "org_unit_id", "task_id", "task__name_nb", "task__name_en", "task_text",
                    "status", "accepted_at", "answered_at", "delegate__first_name",
                    "delegate__last_name", "delegate__username")
            .order_by("-valid_from", "-pk"))
    by_unit: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_unit[row["org_unit_id"]].append(row)
    for unit_pk, held in by_unit.items():
        registers[unit_pk] = _register(held, year.first_day, end)
    return {unit.pk: _delegations(unit.pk, registers[unit.pk]) for unit in units.members}


def _standing(row: dict[str, Any], end: dt.datetime) -> str:
    if row["accepted_at"] is not None and row["accepted_at"] < end:
        return ACCEPTED
    answered = row["answered_at"] is not None and row["answered_at"] < end
    return DECLINED if row["status"] == DelegationStatus.DECLINED and answered else AWAITING


def _task_key(row: dict[str, Any]) -> tuple[Any, str]:
    return row["task_id"], row["task_text"].strip().casefold()


def _register(held: list[dict[str, Any]], first_day: dt.date, end: dt.datetime) -> _Register:
    start = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))
    register = _Register()
    standing = {row["pk"]: _standing(row, end) for row in held}
    delegated = {_task_key(row) for row in held if standing[row["pk"]] != DECLINED}
    for row in held:
        kind = standing[row["pk"]]
        if kind == DECLINED and (row["answered_at"] < start or _task_key(row) in delegated):
            continue  # declined before the year, or the task was delegated again
        register.rows[kind].append(row)
    return register


def _delegations(unit_pk: int, register: _Register) -> Evidence:
    page = url_for("governance:register", args=[unit_pk])
    accepted, awaiting, declined = (register.count(kind) for kind in (ACCEPTED, AWAITING, DECLINED))
    figures: list[Text] = []
    if accepted + awaiting:
        figures.append(Text(gettext_noop("Delegated HSE tasks in force: %(in_force)s, %(accepted)s "
                                         "of them accepted by the delegate."),
                            {"in_force": accepted + awaiting, "accepted": accepted}))
    else:
        figures.append(Text(gettext_noop("The unit has no delegated HSE tasks in force.")))
    if declined:
        figures.append(Text(gettext_noop("HSE tasks declined this year and not delegated again: "
                                         "%(declined)s."), {"declined": declined}))
    records = tuple(_delegation_link(row, kind) for kind in (AWAITING, DECLINED, ACCEPTED)
                    for row in register.rows[kind])[:MAX_RECORD_LINKS]
    if accepted and not awaiting and not declined:
        return Evidence(State.MET, tuple(figures), records)
    if not (accepted or awaiting or declined):
        return Evidence(State.NOT_MET, tuple(figures), records, (Link(Text(gettext_noop(
            "Delegate the unit's HSE tasks in writing")), url_for("governance:delegation_create",
                                                                  args=[unit_pk])),))
    missing = []
    if awaiting:
        missing.append(Link(Text(gettext_noop("Follow up the delegations awaiting the delegate's "
                                              "answer")), page))
    if declined:
        missing.append(Link(Text(gettext_noop("Delegate the declined HSE tasks to someone else")),
                            url_for("governance:delegation_create", args=[unit_pk])))
    return Evidence(State.PARTLY, tuple(figures), records, tuple(missing))


def _delegation_link(row: dict[str, Any], kind: str) -> Link:
    task = (bilingual(row["task__name_nb"], row["task__name_en"]) if row["task_id"]
            else row["task_text"])
    values = {"task": task, "person": person_name(row["delegate__first_name"],
                                                  row["delegate__last_name"],
                                                  row["delegate__username"])}
    text = {ACCEPTED: gettext_noop("Accepted by %(person)s: %(task)s"),
            AWAITING: gettext_noop("Awaiting the answer of %(person)s: %(task)s"),
            DECLINED: gettext_noop("Declined by %(person)s: %(task)s")}[kind]
    return Link(Text(text, values), url_for("governance:delegation", args=[row["pk"]]))
