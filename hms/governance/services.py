"""Every write to a unit's HSE goals and delegation register goes through here: goals set, edited,
linked to measures and assessed at year end, a new year started from last year's goals; tasks
delegated, accepted or declined by the delegate, and revoked by the leader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hms.core import audit, authz
from hms.core.concurrency import save_if_current
from hms.core.errors import ServiceError
from hms.core.notifications import notify
from hms.governance import access
from hms.governance.models import (
    TRANSITIONS,
    Delegation,
    DelegationStatus,
    Goal,
    GoalStatus,
    delegates_of,
)
from hms.measures import services as measure_services
from hms.measures.models import Measure, Origin

GOAL_FIELDS = ["year", "title", "indicator", "target"]
DELEGATION_FIELDS = ["task", "task_text", "scope", "delegate", "valid_from", "valid_to"]
FIRST_YEAR, LAST_YEAR = 2000, 2100



# --- Goals -----------------------------------------------------------------------------------------


def _goal_snapshot(goal: Goal) -> dict[str, Any]:
    return {**audit.snapshot(goal, Goal.AUDITED_FIELDS),
            "measures": sorted(str(m) for m in goal.measures.all())}


def _check_goal(org_unit: Any, data: dict[str, Any], measures: Iterable[Measure]) -> None:
    year = data.get("year")
    if "year" in data and not (isinstance(year, int) and FIRST_YEAR <= year <= LAST_YEAR):
        raise ServiceError(_("Give the year as four digits, e.g. %(year)d.") % {
            "year": timezone.localdate().year})
    if "title" in data and not str(data["title"]).strip():
        raise ServiceError(_("Say what the goal is."))
    foreign = [m.title for m in measures if m.org_unit_id != org_unit.pk]
    if foreign:
        raise ServiceError(_("Only measures of the unit's own action plan can serve its goals: "
                             "%(list)s") % {"list": "; ".join(foreign)})


def create_goal(*, actor: Any, org_unit: Any, data: dict[str, Any],
                measures: Iterable[Measure] = ()) -> Goal:
    authz.require(access.may_edit_goals(actor, org_unit))
    measures = list(measures)
    _check_goal(org_unit, {"year": None, "title": "", **data}, measures)
    with transaction.atomic():
        goal = Goal(org_unit=org_unit, created_by=actor,
                    **{name: data[name] for name in GOAL_FIELDS if name in data})
        goal.full_clean()
        goal.save()
        goal.measures.set(measures)
        audit.record(actor=actor, action="create", obj=goal, org_unit=org_unit,
                     after=_goal_snapshot(goal))
    return goal


def _fresh_goal(goal: Goal, version: int, values: dict[str, Any]) -> Goal:
    return save_if_current(
        Goal.objects.select_related("org_unit"), goal.pk, version, values,
        _("Someone else changed this goal while you were working on it. Nothing was saved: "
          "compare with what they saved below and try again."))


def update_goal(*, actor: Any, goal: Goal, data: dict[str, Any], measures: Iterable[Measure],
                version: int) -> Goal:
    authz.require(access.may_edit_goals(actor, goal.org_unit))
    measures = list(measures)
    _check_goal(goal.org_unit, data, measures)
    with transaction.atomic():
        before = _goal_snapshot(goal)
        fresh = _fresh_goal(goal, version, {name: data[name] for name in GOAL_FIELDS if name in data})
        fresh.measures.set(measures)
        audit.record(actor=actor, action="update", obj=fresh, org_unit=fresh.org_unit,
                     before=before, after=_goal_snapshot(fresh))
    return fresh


def assess_goal(*, actor: Any, goal: Goal, status: str, comment: str, version: int) -> Goal:
    """The status at year end; a goal not fully achieved says why."""
    authz.require(access.may_edit_goals(actor, goal.org_unit))
    if status not in GoalStatus.values:
        raise ServiceError(_("Choose whether the goal was achieved."))
    if status in (GoalStatus.PARTLY, GoalStatus.NOT_ACHIEVED) and not comment.strip():
        raise ServiceError(_("Say why the goal was not fully achieved, and what follows from it."))
    with transaction.atomic():
        before = _goal_snapshot(goal)
        fresh = _fresh_goal(goal, version, {"status": status, "status_comment": comment.strip()})
        audit.record(actor=actor, action="assess", obj=fresh, org_unit=fresh.org_unit,
                     before=before, after=_goal_snapshot(fresh))
    return fresh


def add_goal_measure(*, actor: Any, goal: Goal, data: dict[str, Any]) -> Measure:
    """A new measure in the unit's action plan, made for the goal and serving it."""
    authz.require(access.may_edit_goals(actor, goal.org_unit))
    with transaction.atomic():
        measure = measure_services.create_measure(actor=actor, org_unit=goal.org_unit, data=data,
                                                  origin=Origin.GOAL, origin_record=goal)
        goal.measures.add(measure)
        Goal.objects.filter(pk=goal.pk).update(version=F("version") + 1)
        audit.record(actor=actor, action="add_measure", obj=goal, org_unit=goal.org_unit,
                     after={"measure": str(measure)})
    return measure


def start_year_from_previous(*, actor: Any, org_unit: Any, year: int) -> list[Goal]:
    """Copies of the previous year's goals not copied yet (title, indicator, target; assessed
    afresh at the end of the new year). Running it again copies nothing more."""
    authz.require(access.may_edit_goals(actor, org_unit))
    with transaction.atomic():
        previous = (Goal.objects.select_for_update().filter(org_unit=org_unit, year=year - 1)
                    .exclude(copies__year=year, copies__org_unit=org_unit).order_by("pk"))
        copies = []
        for goal in previous:
            copy = Goal.objects.create(org_unit=org_unit, year=year, title=goal.title,
                                       indicator=goal.indicator, target=goal.target,
                                       copied_from=goal, created_by=actor)
            audit.record(actor=actor, action="copy", obj=copy, org_unit=org_unit,
                         after={**_goal_snapshot(copy), "copied_from": str(goal)})
            copies.append(copy)
    return copies


# --- Delegations -----------------------------------------------------------------------------------


def _check_delegation(actor: Any, org_unit: Any, data: dict[str, Any]) -> None:
    task, text = data.get("task"), str(data.get("task_text") or "").strip()
    if (task is None) == (not text):
        raise ServiceError(_("Choose a task from the list or name another task (one of them)."))
    delegate = data.get("delegate")
    if delegate is None or delegate == actor:
        raise ServiceError(_("Choose the person the task is delegated to (someone other than "
                             "yourself: the HSE responsibility stays with you anyway)."))
    if not delegates_of(org_unit).filter(pk=delegate.pk).exists():
        raise ServiceError(_("%(person)s holds no role in %(unit)s or its sub-units: tasks are "
                             "delegated to the unit's own people.") % {
            "person": delegate, "unit": org_unit.name})
    start, end = data.get("valid_from"), data.get("valid_to")
    if not isinstance(start, dt.date):
        raise ServiceError(_("Say from which day the delegation applies."))
    if end is not None and end < max(start, timezone.localdate()):
        raise ServiceError(_("The end date has to be after the start date, and not in the past."))


def delegate_task(*, actor: Any, org_unit: Any, data: dict[str, Any]) -> Delegation:
    """The leader delegates a task to one of the unit's people, who is asked to accept it."""
    authz.require(access.may_delegate(actor, org_unit))
    _check_delegation(actor, org_unit, data)
    with transaction.atomic():
        delegation = Delegation(org_unit=org_unit, delegated_by=actor,
                                **{name: data.get(name) for name in DELEGATION_FIELDS})
        delegation.task_text = (delegation.task_text or "").strip()
        delegation.scope = (delegation.scope or "").strip()
        delegation.full_clean()
        delegation.save()
        audit.record(actor=actor, action="create", obj=delegation, org_unit=org_unit,
                     after=audit.snapshot(delegation, Delegation.AUDITED_FIELDS))
        _tell(delegation.delegate, delegation, "delegated")
    return delegation


def _tell(person: Any, delegation: Delegation, what: str) -> None:
    """Notify the delegate or the leader, in their own language."""
    if person is None:
        return
    with translation.override(person.language):
        values = {"task": delegation.title, "unit": delegation.org_unit.name,
                  "person": str(delegation.delegate)}
        messages = {
            "delegated": _("You have been delegated the HSE task “%(task)s” in %(unit)s. "
                           "Please accept or decline it."),
            "accepted": _("%(person)s accepted the HSE task “%(task)s” in %(unit)s."),
            "declined": _("%(person)s declined the HSE task “%(task)s” in %(unit)s."),
            "revoked": _("The HSE task “%(task)s” in %(unit)s delegated to you was revoked."),
        }
        notify(person, messages[what] % values, reverse("governance:delegation",
                                                        args=[delegation.pk]))


def _step(delegation: Delegation, to: str) -> None:
    if (delegation.status, to) not in TRANSITIONS:
        raise ServiceError(_("A delegation that is “%(status)s” cannot become “%(to)s”.") % {
            "status": delegation.get_status_display(), "to": DelegationStatus(to).label})


def _move(actor: Any, delegation: Delegation, version: int, values: dict[str, Any]) -> Delegation:
    before = audit.snapshot(delegation, Delegation.AUDITED_FIELDS)
    fresh = save_if_current(
        Delegation.objects.select_related("org_unit", "task", "delegate", "delegated_by"),
        delegation.pk, version, values,
        _("The delegation changed while you were looking at it. Nothing was saved: look at it as "
          "it is now and try again."))
    audit.record(actor=actor, action=f"status:{values['status']}", obj=fresh,
                 org_unit=fresh.org_unit, before=before,
                 after=audit.snapshot(fresh, Delegation.AUDITED_FIELDS))
    return fresh


def answer_delegation(*, actor: Any, delegation: Delegation, accept: bool, reason: str = "",
                      version: int) -> Delegation:
    """The delegate accepts the task (recorded with the time), or declines it with a reason."""
    authz.require(access.is_delegate(actor, delegation))
    to = DelegationStatus.ACCEPTED if accept else DelegationStatus.DECLINED
    _step(delegation, to)
    if delegation.is_expired():
        raise ServiceError(_("The period of this delegation has ended: ask the leader for a new "
                             "one."))
    if not accept and not reason.strip():
        raise ServiceError(_("Say why you decline the task, so the leader can find a solution."))
    now = timezone.now()
    values: dict[str, Any] = {"status": to, "answered_at": now}
    values.update({"accepted_at": now} if accept else {"decline_reason": reason.strip()})
    with transaction.atomic():
        fresh = _move(actor, delegation, version, values)
        _tell(fresh.delegated_by, fresh, "accepted" if accept else "declined")
    return fresh


def revoke_delegation(*, actor: Any, delegation: Delegation, version: int) -> Delegation:
    """The leader ends a delegation before its time (or takes back one not yet answered)."""
    authz.require(access.may_delegate(actor, delegation.org_unit))
    _step(delegation, DelegationStatus.REVOKED)
    with transaction.atomic():
        fresh = _move(actor, delegation, version, {"status": DelegationStatus.REVOKED,
                                                   "revoked_at": timezone.now()})
        _tell(fresh.delegate, fresh, "revoked")
    return fresh
