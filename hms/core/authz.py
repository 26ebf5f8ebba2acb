"""The one access layer.

Every view reaches a record through an `access_<thing>(user, pk, action)` function here, which returns it
or raises Http404 (the same answer for missing and forbidden), and every list through
`Model.objects.visible_to(user, action)`, whose filter is built here. Scope comes from active role
assignments: a unit, its subtree where the assignment says so, and for safety representatives the units
their safety area covers. Special rules (the responsible person, the plan owner) are predicates here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from hms.core.roles import (
    DEVIATION_CASE_ROLES,
    DEVIATION_STATISTICS_ROLES,
    PARTICIPANT_ACTIONS,
    PLAN_OWNER_ACTIONS,
    RESPONSIBLE_ACTIONS,
    ROLE_ACTIONS,
    SAFETY_AREA_ROLES,
    Action,
)

if TYPE_CHECKING:
    from hms.deviations.models import Attachment, Deviation
    from hms.measures.models import Measure
    from hms.meetings.models import Meeting
    from hms.org.models import OrgUnit, SafetyArea
    from hms.risk.models import RiskAssessment, RiskRow
    from hms.rounds.models import Round

_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Grant:
    """One active role held over one unit (with or without its subtree)."""

    role: str
    unit_id: int
    unit_path: str
    subtree: bool
    safety_area_id: int | None = None


@dataclass(frozen=True)
class Scope:
    """The units in which a user may take one action."""

    everything: bool = False
    unit_ids: frozenset[int] = frozenset()
    paths: tuple[str, ...] = ()
    safety_area_ids: frozenset[int] = frozenset()

    def unit_q(self, field: str = "org_unit") -> Q:
        """A filter on records whose unit (reached through `field`; "" for units) is in scope."""
        if self.everything:
            return Q()
        prefix = f"{field}__" if field else ""
        query = _NOTHING
        if self.unit_ids:
            query |= Q(**{f"{prefix}pk__in": sorted(self.unit_ids)})
        for path in self.paths:
            query |= Q(**{f"{prefix}path__startswith": path})
        return query

    def contains(self, unit: OrgUnit) -> bool:
        return (
            self.everything
            or unit.pk in self.unit_ids
            or any(unit.path.startswith(path) for path in self.paths)
        )

    def covers_subtree(self, unit: OrgUnit) -> bool:
        """Whether the unit and everything below it are in scope."""
        return self.everything or any(unit.path.startswith(path) for path in self.paths)


def require(allowed: bool) -> None:
    """For services: refuse the write (PermissionDenied) when the access layer says no."""
    if not allowed:
        raise PermissionDenied


def _is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def grants(user: Any) -> list[Grant]:
    """The user's active grants, read once per request (cached on the user object)."""
    if not _is_active_user(user):
        return []
    cached = getattr(user, "_hms_grants", None)
    if cached is None:
        cached = _load_grants(user)
        user._hms_grants = cached
    return cached


def _load_grants(user: Any) -> list[Grant]:
    from hms.org.models import RoleAssignment

    assignments = (
        RoleAssignment.objects.active()
        .filter(person=user)
        .select_related("org_unit")
        .prefetch_related("safety_area__units")
    )
    result: list[Grant] = []
    units: dict[int, OrgUnit] = {}
    for assignment in assignments:
        if assignment.role in SAFETY_AREA_ROLES and assignment.safety_area is not None:
            area = assignment.safety_area
            units.update((unit.pk, unit) for unit in area.units.all())
            result.extend(
                Grant(assignment.role, unit.pk, unit.path, False, area.pk)
                for unit in area.units.all()
            )
            continue
        unit = assignment.org_unit
        units[unit.pk] = unit
        result.append(Grant(assignment.role, unit.pk, unit.path, assignment.covers_subtree))
    user._hms_units = sorted(units.values(), key=lambda unit: (unit.depth, unit.path))
    return result


def my_units(user: Any) -> list[OrgUnit]:
    """The units the user holds a role in, the highest first: read with the grants, no query."""
    grants(user)
    return getattr(user, "_hms_units", [])


def scope(user: Any, action: str) -> Scope:
    """Where the user may take `action` under the role → action table."""
    return _scope_of(user, lambda grant: action in ROLE_ACTIONS[grant.role])


def role_scope(user: Any, roles: frozenset[str]) -> Scope:
    """Where the user holds one of `roles` (for modules with rules of their own)."""
    return _scope_of(user, lambda grant: grant.role in roles)


def _scope_of(user: Any, counts: Callable[[Grant], bool]) -> Scope:
    if not _is_active_user(user):
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    allowed = [grant for grant in grants(user) if counts(grant)]
    return Scope(
        unit_ids=frozenset(g.unit_id for g in allowed if not g.subtree),
        paths=tuple(sorted({g.unit_path for g in allowed if g.subtree})),
        safety_area_ids=frozenset(g.safety_area_id for g in allowed if g.safety_area_id),
    )


def is_org_admin(user: Any) -> bool:
    """Org administrators maintain the unit tree and import people: superusers."""
    return _is_active_user(user) and bool(user.is_superuser)


# --- Units ---------------------------------------------------------------------------------------


def can_in_unit(user: Any, action: str, unit: OrgUnit) -> bool:
    return scope(user, action).contains(unit) or (
        action in PLAN_OWNER_ACTIONS and unit.plan_owner_id is not None
        and unit.plan_owner_id == getattr(user, "pk", None)
    )


def unit_q(user: Any, action: str) -> Q:
    """Units are a directory: every signed-in person may view any unit's page. Other actions
    (seeing the people list, creating measures there, managing it) need a role in scope."""
    if not _is_active_user(user):
        return _NOTHING
    action_scope = scope(user, action)
    if action == Action.VIEW or action_scope.everything:
        return Q()
    query = action_scope.unit_q("")
    if action in PLAN_OWNER_ACTIONS:
        query |= Q(plan_owner=user)
    return query


def access_unit(user: Any, pk: Any, action: str) -> OrgUnit:
    from hms.org.models import OrgUnit

    return _one_or_404(OrgUnit.objects.visible_to(user, action), pk)


def access_unit_where(user: Any, pk: Any, allowed: Callable[[Any, OrgUnit], bool]) -> OrgUnit:
    """A unit whose page of some module the user may open: `allowed(user, unit)` is that module's
    rule (`may_plan_in_unit`, `may_see_training` …); 404 for anyone else."""
    unit = access_unit(user, pk, Action.VIEW)
    if not allowed(user, unit):
        raise Http404
    return unit


def may_see_role_holders(user: Any, unit: OrgUnit) -> bool:
    """Whether the unit's page names its public role holders (PUBLIC_ROLES, issue 12): for every
    signed-in person, or with HMS_SHOW_ROLE_HOLDERS=unit only for those who may see the unit's
    people and those with any role in the unit or below it (its students too)."""
    if settings.HMS_SHOW_ROLE_HOLDERS == "all":
        return _is_active_user(user)
    return can_in_unit(user, Action.VIEW, unit) or any(
        grant.unit_path.startswith(unit.path) for grant in grants(user))


def in_unit_scope(action: str) -> Callable[[Any, OrgUnit], bool]:
    """The rule "may take `action` in the unit", for `access_unit_where`."""
    return lambda user, unit: can_in_unit(user, action, unit)


def holds(action: str) -> Callable[[Any, OrgUnit], bool]:
    """The rule "a role held in the unit gives `action`" (no plan-owner or participant extras),
    for the modules whose unit pages follow the role table alone."""
    return lambda user, unit: scope(user, action).contains(unit)


# The modules' unit rules that are a role's reach alone:
# the occupational health service's log, read by the unit's employees too and written by CREATE;
may_read_health_log = holds(Action.VIEW)
may_log_involvement = holds(Action.CREATE)
# the unit's BHT contact, goals (set, edit, assess) and training records: leaders and coordinators;
may_edit_health_contact = holds(Action.EDIT)
may_edit_goals = holds(Action.EDIT)
may_record_training = holds(Action.EDIT)
# the unit's goals and delegation register, seen by its employees too (not its students).
may_see_governance = holds(Action.VIEW)


# --- Measures ------------------------------------------------------------------------------------


def _in_scope_or(user: Any, action: str, predicates: Callable[[Scope], Q]) -> Q:
    """Records whose unit is in the user's scope for the action, or that the record-specific
    `predicates` (given that scope) let through. Nothing for anonymous or inactive users."""
    if not _is_active_user(user):
        return _NOTHING
    action_scope = scope(user, action)
    if action_scope.everything:
        return Q()
    return action_scope.unit_q("org_unit") | predicates(action_scope)


def measure_q(user: Any, action: str) -> Q:
    return _in_scope_or(user, action, lambda action_scope: _measure_predicates(user, action, action_scope))


def _measure_predicates(user: Any, action: str, action_scope: Scope) -> Q:
    query = _NOTHING
    if action_scope.safety_area_ids:
        query |= Q(safety_area__in=sorted(action_scope.safety_area_ids))
    if action in PLAN_OWNER_ACTIONS:
        query |= Q(org_unit__plan_owner=user)
    if action in RESPONSIBLE_ACTIONS:
        query |= Q(responsible=user)
    return query


def q_below(records_q: Callable[[Any, str], Q], user: Any, action: str, unit: OrgUnit) -> Q:
    """`records_q(user, action)` (`measure_q`, `assessment_q` …), for records already narrowed to
    the unit's subtree: nothing more to filter when the user's scope covers that whole subtree
    (the common case, and the fast one)."""
    if _is_active_user(user) and scope(user, action).covers_subtree(unit):
        return Q()
    return records_q(user, action)


def access_measure(user: Any, pk: Any, action: str) -> Measure:
    from hms.measures.models import Measure

    return _one_or_404(Measure.objects.visible_to(user, action).select_related(
        "org_unit", "responsible", "safety_area", "created_by"), pk)


def can_measure(user: Any, action: str, measure: Measure) -> bool:
    """Whether the user may take `action` on a measure already in hand (no query for most users)."""
    if not _is_active_user(user):
        return False
    if scope(user, action).contains(measure.org_unit):
        return True
    if action in PLAN_OWNER_ACTIONS and measure.org_unit.plan_owner_id == user.pk:
        return True
    if action in RESPONSIBLE_ACTIONS and measure.responsible_id == user.pk:
        return True
    return bool(measure.safety_area_id and measure.safety_area_id in scope(user, action).safety_area_ids)


def _one_or_404(queryset: Any, pk: Any) -> Any:
    """The record, or 404: the same answer for missing, malformed and forbidden."""
    found = queryset.filter(pk=_int_or_404(pk)).first()
    if found is None:
        raise Http404
    return found


def _int_or_404(pk: Any) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


# --- Risk assessments ----------------------------------------------------------------------------


def assessment_q(user: Any, action: str) -> Q:
    """Assessments of units in scope, and those the user takes part in (to see and edit)."""
    return _in_scope_or(user, action, lambda _scope: _participant_q(user, action))


def _participant_q(user: Any, action: str) -> Q:
    from hms.risk.models import RiskAssessment

    if action not in PARTICIPANT_ACTIONS:
        return _NOTHING
    taking_part = RiskAssessment.participants.through.objects.filter(user=user)
    return Q(pk__in=taking_part.values("riskassessment"))


def access_assessment(user: Any, pk: Any, action: str) -> RiskAssessment:
    from hms.risk.models import RiskAssessment

    return _one_or_404(RiskAssessment.objects.filter(assessment_q(user, action))
                       .select_related("org_unit", "matrix", "responsible_leader"), pk)


def access_row(user: Any, pk: Any, action: str) -> RiskRow:
    """A row of an assessment the user may take `action` on."""
    from hms.risk.models import RiskAssessment, RiskRow

    assessments = RiskAssessment.objects.filter(assessment_q(user, action))
    return _one_or_404(RiskRow.objects.filter(assessment__in=assessments)
                       .select_related("assessment__org_unit", "assessment__matrix"), pk)


def can_assessment(user: Any, action: str, assessment: RiskAssessment) -> bool:
    if not _is_active_user(user):
        return False
    if scope(user, action).contains(assessment.org_unit):
        return True
    return action in PARTICIPANT_ACTIONS and assessment.participants.filter(pk=user.pk).exists()


# --- Deviations ----------------------------------------------------------------------------------


def deviation_q(user: Any, action: str) -> Q:
    """VIEW: the unit's cases for its leaders and case handlers, the safety area's for its safety
    representatives, and the reporter's own (an anonymous report has no reporter). Any other
    action (handling the case): leaders and case handlers only."""
    if not _is_active_user(user):
        return _NOTHING
    cases = role_scope(user, DEVIATION_CASE_ROLES)
    if cases.everything:
        return Q()
    query = cases.unit_q("org_unit")
    if action == Action.VIEW:
        areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
        if areas:
            query |= Q(safety_area__in=sorted(areas))
        query |= Q(reporter=user)
    return query


def access_deviation(user: Any, pk: Any, action: str) -> Deviation:
    from hms.deviations.models import Deviation

    return _one_or_404(Deviation.objects.filter(deviation_q(user, action)).select_related(
        "org_unit", "safety_area", "deviation_type", "handler", "reporter"), pk)


def can_deviation(user: Any, action: str, deviation: Deviation) -> bool:
    """Whether the user may take `action` on a case already in hand (no query)."""
    if not _is_active_user(user):
        return False
    if role_scope(user, DEVIATION_CASE_ROLES).contains(deviation.org_unit):
        return True
    if action != Action.VIEW:
        return False
    if deviation.reporter_id is not None and deviation.reporter_id == user.pk:
        return True
    areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
    return bool(deviation.safety_area_id and deviation.safety_area_id in areas)


def follows_deviation(user: Any, deviation: Deviation) -> bool:
    """Whether the user follows the whole case (its handling, measures and history): its leaders
    and case handlers, and the safety representatives of its area. A reporter sees what they
    reported and where the case stands."""
    if not _is_active_user(user):
        return False
    if role_scope(user, DEVIATION_CASE_ROLES).contains(deviation.org_unit):
        return True
    areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
    return bool(deviation.safety_area_id and deviation.safety_area_id in areas)


def access_attachment(user: Any, pk: Any) -> Attachment:
    """A photo or file of a case the user may see."""
    from hms.deviations.models import Attachment, Deviation

    cases = Deviation.objects.filter(deviation_q(user, Action.VIEW))
    return _one_or_404(Attachment.objects.filter(deviation__in=cases), pk)


def may_manage_public_link(user: Any, area: SafetyArea) -> bool:
    """The public report form of a safety area (and its poster): the leaders and case handlers of
    the area's unit, and the area's safety representatives."""
    return role_scope(user, DEVIATION_CASE_ROLES).contains(area.org_unit) or (
        area.pk in role_scope(user, SAFETY_AREA_ROLES).safety_area_ids)


def access_poster_area(user: Any, pk: Any) -> SafetyArea:
    from hms.org.models import SafetyArea

    area = _one_or_404(SafetyArea.objects.select_related("org_unit"), pk)
    if not may_manage_public_link(user, area):
        raise Http404
    return area


def may_read_injury_details(user: Any, deviation: Deviation) -> bool:
    """Who was injured, and how: the unit's case handlers and leaders only."""
    return _is_active_user(user) and role_scope(user, DEVIATION_CASE_ROLES).contains(
        deviation.org_unit)


def may_handle_in_unit(user: Any, unit: OrgUnit) -> bool:
    return role_scope(user, DEVIATION_CASE_ROLES).contains(unit)


def may_list_deviations(user: Any, unit: OrgUnit) -> bool:
    """The unit's list of cases: its leaders and case handlers, and the safety representatives of
    areas covering it (who see their area's cases in it)."""
    return role_scope(user, DEVIATION_CASE_ROLES | SAFETY_AREA_ROLES).contains(unit)


def deviation_statistics_scope(user: Any) -> Scope:
    """Where the user may see counts of cases (no names, no texts)."""
    return role_scope(user, DEVIATION_STATISTICS_ROLES)


# --- HSE rounds ----------------------------------------------------------------------------------


def round_q(user: Any, action: str) -> Q:
    """Rounds of units in scope for the action, of the safety areas the user represents, and those
    the user takes part in (to see them and walk them)."""
    return _in_scope_or(user, action, lambda action_scope: _round_predicates(user, action))


def _round_predicates(user: Any, action: str) -> Q:
    from hms.rounds.models import Round

    query = _NOTHING
    areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
    if areas:
        query |= Q(safety_area__in=sorted(areas))
    if action in PARTICIPANT_ACTIONS:
        taking_part = Round.participants.through.objects.filter(user=user)
        query |= Q(pk__in=taking_part.values("round"))
    return query


def access_round(user: Any, pk: Any, action: str) -> Round:
    from hms.rounds.models import Round

    return _one_or_404(Round.objects.filter(round_q(user, action)).select_related(
        "org_unit", "safety_area"), pk)


def represents_area(user: Any, safety_area_id: int | None) -> bool:
    """Whether the user is the safety representative (or deputy) of the area."""
    return bool(safety_area_id) and safety_area_id in role_scope(user, SAFETY_AREA_ROLES).safety_area_ids


def can_round(user: Any, action: str, round_: Round) -> bool:
    """VIEW and EDIT (walk, summarise): the unit's scope for the action, the area's safety
    representatives and the participants."""
    if not _is_active_user(user):
        return False
    if scope(user, action).contains(round_.org_unit) or represents_area(user, round_.safety_area_id):
        return True
    return action in PARTICIPANT_ACTIONS and round_.participants.filter(pk=user.pk).exists()


def may_plan_in_unit(user: Any, unit: OrgUnit) -> bool:
    """Plan a round or a meeting in the unit: those who may create records there, and the safety
    representatives of its areas."""
    from hms.org.models import SafetyArea

    if can_in_unit(user, Action.CREATE, unit):
        return True
    areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
    return bool(areas) and SafetyArea.objects.filter(
        pk__in=sorted(areas), org_unit__path__startswith=unit.path).exists()


def may_sign_round_as_leader(user: Any, round_: Round) -> bool:
    from hms.core.roles import Role

    return _is_active_user(user) and role_scope(user, frozenset({Role.LEADER})).contains(
        round_.org_unit)


def access_finding(user: Any, pk: Any, action: str) -> Any:
    """A finding of a round the user may take `action` on (VIEW or EDIT)."""
    from hms.rounds.models import Finding, Round

    rounds = Round.objects.filter(round_q(user, action))
    return _one_or_404(Finding.objects.filter(round__in=rounds).select_related(
        "round__org_unit", "round__safety_area", "answer__item"), pk)


def access_round_photo(user: Any, pk: Any) -> Any:
    from hms.rounds.models import Round, RoundPhoto

    rounds = Round.objects.filter(round_q(user, "view"))
    return _one_or_404(RoundPhoto.objects.filter(round__in=rounds), pk)


# --- Meetings ------------------------------------------------------------------------------------


def meeting_q(user: Any, action: str) -> Q:
    """Meetings of units in scope for the action, of the safety areas the user represents, and
    those the user is invited to (to see them and write the agenda and minutes)."""
    return _in_scope_or(user, action, lambda _scope: _meeting_predicates(user, action))


def _meeting_predicates(user: Any, action: str) -> Q:
    from hms.meetings.models import Attendee

    query = _NOTHING
    areas = role_scope(user, SAFETY_AREA_ROLES).safety_area_ids
    if areas:
        query |= Q(safety_area__in=sorted(areas))
    if action in PARTICIPANT_ACTIONS:
        query |= Q(pk__in=Attendee.objects.filter(person=user).values("meeting"))
    return query


def access_meeting(user: Any, pk: Any, action: str) -> Meeting:
    from hms.meetings.models import Meeting

    return _one_or_404(Meeting.objects.filter(meeting_q(user, action)).select_related(
        "org_unit", "safety_area", "minutes_by"), pk)


def can_meeting(user: Any, action: str, meeting: Meeting) -> bool:
    """Whether the user may take `action` on a meeting already in hand."""
    if not _is_active_user(user):
        return False
    if scope(user, action).contains(meeting.org_unit) or represents_area(user, meeting.safety_area_id):
        return True
    return action in PARTICIPANT_ACTIONS and meeting.attendees.filter(person=user).exists()


def may_run_meeting(user: Any, meeting: Meeting) -> bool:
    """Move or cancel the meeting, take attendance and complete the minutes: the unit's editors
    and the area's safety representatives. Those invited write the agenda and minutes, no more."""
    return _is_active_user(user) and (scope(user, Action.EDIT).contains(meeting.org_unit)
                                      or represents_area(user, meeting.safety_area_id))


def access_agenda_item(user: Any, pk: Any, action: str) -> Any:
    from hms.meetings.models import AgendaItem, Meeting

    meetings = Meeting.objects.filter(meeting_q(user, action))
    return _one_or_404(AgendaItem.objects.filter(meeting__in=meetings).select_related(
        "meeting__org_unit"), pk)


def access_decision(user: Any, pk: Any, action: str) -> Any:
    from hms.meetings.models import Decision, Meeting

    meetings = Meeting.objects.filter(meeting_q(user, action))
    return _one_or_404(Decision.objects.filter(meeting__in=meetings).select_related(
        "meeting__org_unit", "meeting__safety_area", "item"), pk)


def feed_owner(token: str) -> Any:
    """The person whose calendar feed has this secret address: calendar programs cannot sign in,
    so the token is the key. 404 for an unknown token and for a person no longer active."""
    from hms.meetings.models import CalendarFeed

    feed = CalendarFeed.objects.filter(token=token).select_related("person").first()
    if feed is None or not feed.person.is_active:
        raise Http404
    return feed.person


# --- Occupational health service -----------------------------------------------------------------


def involvement_q(user: Any, action: str) -> Q:
    """The occupational health service's log of a unit follows the unit's roles: its VIEW scope
    (employees included) reads it, its CREATE scope writes it; entries about one person's health
    (PERSONAL_KINDS) only its EDIT scope reads."""
    from hms.health.models import PERSONAL_KINDS

    allowed = scope(user, action).unit_q("org_unit")
    editors = scope(user, Action.EDIT)
    if action != Action.VIEW or editors.everything:  # (Q() would combine as "no condition")
        return allowed
    return (allowed & ~Q(kind__in=PERSONAL_KINDS)) | editors.unit_q("org_unit")


def access_involvement(user: Any, pk: Any, action: str) -> Any:
    from hms.health.models import Involvement

    return _one_or_404(Involvement.objects.filter(involvement_q(user, action))
                       .select_related("org_unit", "recorded_by"), pk)








def can_edit_involvement(user: Any, entry: Any) -> bool:
    """An entry of the log: the unit's editors, and the one who recorded it while they still
    write the unit's log."""
    if scope(user, Action.EDIT).contains(entry.org_unit):
        return True
    return entry.recorded_by_id == getattr(user, "pk", None) and may_log_involvement(
        user, entry.org_unit)


# --- Governance ----------------------------------------------------------------------------------


def goal_q(user: Any, action: str) -> Q:
    """A unit's HSE goals: everyone whose role in the unit gives the action (to see them: its
    employees too, not its students)."""
    return _in_scope_or(user, action, lambda _scope: _NOTHING)


def access_goal(user: Any, pk: Any, action: str) -> Any:
    from hms.governance.models import Goal

    return _one_or_404(Goal.objects.filter(goal_q(user, action)).select_related("org_unit"), pk)




def delegation_q(user: Any, action: str) -> Q:
    """The unit's delegation register for those whose role in the unit gives the action; a
    delegation is always visible to its delegate."""
    return _in_scope_or(user, action,
                        lambda _scope: Q(delegate=user) if action == Action.VIEW else _NOTHING)


def access_delegation(user: Any, pk: Any, action: str) -> Any:
    from hms.governance.models import Delegation

    return _one_or_404(Delegation.objects.filter(delegation_q(user, action)).select_related(
        "org_unit", "task", "delegate", "delegated_by"), pk)


def may_delegate(user: Any, unit: OrgUnit) -> bool:
    """Delegate HSE tasks in the unit and revoke them: its leader (the responsibility stays with
    the leader, so nobody else hands tasks out)."""
    return scope(user, Action.MANAGE).contains(unit)


def is_delegate(user: Any, delegation: Any) -> bool:
    """Only the person a task was delegated to accepts or declines it."""
    return _is_active_user(user) and delegation.delegate_id == user.pk




# --- Competence ----------------------------------------------------------------------------------


def training_scope(user: Any) -> Scope:
    """Where the user sees training gaps and records: the units where they are a leader, an HSE
    coordinator or a lab leader, and those their safety areas cover."""
    from hms.core.roles import TRAINING_OVERVIEW_ROLES

    return role_scope(user, TRAINING_OVERVIEW_ROLES)


def training_record_q(user: Any, action: str) -> Q:
    """VIEW: the records of people with an active role in the user's training scope, and the
    user's own. EDIT (correct, delete): of people with an active role in the user's EDIT scope."""
    from hms.org.models import RoleAssignment

    if not _is_active_user(user):
        return _NOTHING
    units = training_scope(user) if action == Action.VIEW else scope(user, Action.EDIT)
    if units.everything:
        return Q()
    people = RoleAssignment.objects.active().filter(units.unit_q("org_unit")).values("person")
    query = Q(person__in=people)
    if action == Action.VIEW:
        query |= Q(person=user)
    return query


def access_training_record(user: Any, pk: Any, action: str) -> Any:
    from hms.competence.models import TrainingRecord

    return _one_or_404(TrainingRecord.objects.visible_to(user, action).select_related(
        "person", "course", "org_unit"), pk)


def may_see_training(user: Any, unit: OrgUnit) -> bool:
    return training_scope(user).contains(unit)




def training_editable_people(user: Any, person_ids: list[int]) -> set[int]:
    """Those of the people whose training the user may record: an active role in the user's EDIT
    scope (everyone, for a superuser)."""
    from hms.org.models import RoleAssignment

    edit = scope(user, Action.EDIT)
    if edit.everything:
        return set(person_ids)
    return set(RoleAssignment.objects.active().filter(edit.unit_q("org_unit"))
               .filter(person_id__in=person_ids).values_list("person_id", flat=True))

