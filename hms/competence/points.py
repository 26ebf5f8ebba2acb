"""What the training records say about the points (issue 16): point 12, the trainings required of
the unit's people are on record and valid ("competence"), and point 13, the unit has a trained
deviation handler and closes its deviations within their deadline ("deviations"; it lives here
because it needs the training records, and competence may read the deviations, not the other
way round).

A unit's people are those holding an active role in the unit itself on the day judged; their
needs are the gap table's (`gaps`), counted per unit. A record counts when it was completed by
the day judged and is valid on it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, FilteredRelation, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_noop

from hms.competence.gaps import unit_shares
from hms.competence.models import Requirement
from hms.core.roles import Role
from hms.deviations.models import OPEN_STATUSES, Deviation, Status
from hms.org.models import OrgUnit, RoleAssignment
from hms.points.catalogue import Point
from hms.points.evidence import Evidence, Link, State, Text, Units, Year, bilingual, share_state, url_for


def percent(part: int, whole: int) -> int:
    """The share in whole percent, rounded down: 899 of 1000 is 89 %, never a 90 % that is not met."""
    return 100 * part // whole if whole else 0


def person_name(first_name: str, last_name: str, username: str) -> str:
    return f"{first_name} {last_name}".strip() or username


# --- Point 12: competence --------------------------------------------------------------------------


def competence_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """The required trainings of each unit's people (a need per person and course, as the gap
    table has them) that are on record and valid on the day judged, against `min_trained_share`:
    met at or above it, partly met with some, not met with none, not applicable when the unit's
    people need no training. One query."""
    needed = float(point.thresholds.get("min_trained_share", 0.9))
    held = units.filter(RoleAssignment.objects.active(year.on))
    shares = unit_shares(held, year.on)
    return {unit.pk: _competence(unit.pk, *shares.get(unit.pk, (0, 0)), needed)
            for unit in units.members}


def _competence(unit_pk: int, required: int, valid: int, needed: float) -> Evidence:
    overview = url_for("competence:overview", args=[unit_pk])
    if not required:
        return Evidence(State.NOT_APPLICABLE, (Text(gettext_noop(
            "No training is required of the unit's people by the training requirements.")),))
    state = share_state(valid, required, needed)
    figures = (Text(gettext_noop("Required trainings of the unit's people on record and valid: "
                                 "%(valid)s of %(required)s (%(share)s %%, at least %(needed)s %% "
                                 "asked for)."),
                    {"valid": valid, "required": required, "share": percent(valid, required),
                     "needed": round(100 * needed)}),)
    records = (Link(Text(gettext_noop("The unit's training overview")), overview),)
    missing = () if state == State.MET else (
        Link(Text(gettext_noop("Close the training gaps of the unit's people")),
             overview + "?only_gaps=on"),)
    return Evidence(state, figures, records, missing)


# --- Point 13: deviations --------------------------------------------------------------------------


@dataclass
class _Handling:
    """A unit's deviation handlers (name → trained?) and how its deviations met their deadline."""

    handlers: dict[int, tuple[str, bool]] = field(default_factory=dict)  # person pk → name, trained
    closed: int = 0  # closed this year, with a deadline
    on_time: int = 0  # of them, closed by the end of the deadline day
    late_open: int = 0  # open on the day judged, past their deadline


def deviations_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """Met when a deviation handler (the role, held in the unit or over it from a unit above) is
    named and one of them has the training the requirements ask of the role (when they ask for
    none, the training cannot be checked and a named handler suffices), and at least
    `min_on_time_share` of the unit's deviations closed this year were closed by the end of
    their deadline day, the open ones past their deadline counted as late (none to count is
    fine). Not met with no handler and no deviation closed in time; else partly met. Three
    queries: the courses asked of the role, the handlers with their valid records, the
    deviations."""
    needed = float(point.thresholds.get("min_on_time_share", 0.9))
    courses = _handler_courses()
    found: dict[int, _Handling] = defaultdict(_Handling)
    for unit_pk, handlers in _handlers_by_unit(units, year.on, set(courses)).items():
        found[unit_pk].handlers = handlers
    for counts in _deadline_counts(units, year):
        handling = found[counts["org_unit_id"]]
        handling.closed, handling.on_time = counts["closed"], counts["on_time"]
        handling.late_open = counts["late_open"]
    return {unit.pk: _deviations(unit.pk, found[unit.pk], courses, needed) for unit in units.members}


def _handlers_by_unit(units: Units, on: dt.date, courses: set[int]
                      ) -> dict[int, dict[int, tuple[str, bool]]]:
    """unit pk → its handlers (person pk → name, has a valid record of every course in
    `courses`), in order of name: those holding the role in the unit, and those holding it with
    its subtree in a unit above."""
    handlers = _handlers(units, on, courses)
    trained: dict[int, set[int]] = defaultdict(set)
    for row in handlers:
        if row.get("valid__course_id"):
            trained[row["person_id"]].add(row["valid__course_id"])
    own: dict[int, list[dict[str, Any]]] = defaultdict(list)
    covering: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in handlers:
        own[row["org_unit_id"]].append(row)
        if row["covers_subtree"]:
            covering[row["org_unit__path"]].append(row)
    found: dict[int, dict[int, tuple[str, bool]]] = {}
    for unit in units.members:
        rows = [*own[unit.pk], *(row for path in unit.ancestor_paths()[:-1] for row in covering[path])]
        found[unit.pk] = {row["person_id"]: (person_name(row["person__first_name"],
                                                         row["person__last_name"],
                                                         row["person__username"]),
                                             trained[row["person_id"]] >= courses)
                          for row in sorted(rows, key=lambda row: row["order"])}
    return found


def _handler_courses() -> dict[int, dict[str, str]]:
    """course pk → name (in both languages) of the courses required of every deviation handler."""
    return {row["course_id"]: bilingual(row["course__name_nb"], row["course__name_en"])
            for row in Requirement.objects.filter(role=Role.DEVIATION_HANDLER, task__isnull=True,
                                                  lab_work=False)
            .values("course_id", "course__name_nb", "course__name_en").order_by("course__order")}


def _handlers(units: Units, on: dt.date, courses: set[int]) -> list[dict[str, Any]]:
    """The active deviation handler roles over the units: held in one of them, or covering the
    subtree from a unit above one (the root's line); a row per course of `courses` the handler
    has a record of valid on `on` ("valid__course_id"), one with none when they have none."""
    line = Q(org_unit__path__in=units.root.ancestor_paths(), covers_subtree=True)
    own = (Q(org_unit=units.root) if len(units.members) == 1
           else Q(org_unit__path__startswith=units.root.path))
    reach = OrgUnit.objects.filter(Q(path__in=units.root.ancestor_paths()) | (
        Q() if len(units.members) == 1 else Q(path__startswith=units.root.path))).values("pk")
    held = (RoleAssignment.objects.active(on)
            .filter(role=Role.DEVIATION_HANDLER, org_unit__in=reach)  # by the unit's index first
            .filter(line | own))
    fields = ["person_id", "org_unit_id", "org_unit__path", "covers_subtree", "person__first_name",
              "person__last_name", "person__username"]
    if courses:
        held = held.annotate(valid=FilteredRelation("person__training_records", condition=Q(
            person__training_records__course__in=sorted(courses),
            person__training_records__completed_on__lte=on) & (
            Q(person__training_records__expires_on__isnull=True)
            | Q(person__training_records__expires_on__gte=on))))
        fields.append("valid__course_id")
    return [{**row, "order": order} for order, row in enumerate(  # by name, wherever held
        held.values(*fields).order_by("person__last_name", "person__first_name", "person_id"))]


def _deadline_counts(units: Units, year: Year) -> Any:
    """Per unit: deviations closed from the year's first day to the day judged with a deadline,
    those closed by the end of their deadline day (local time), and those open on the day judged
    (reported by then, not closed by then) past their deadline."""
    start = year.start
    end = year.end
    closed = Q(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end,
               close_deadline__isnull=False)
    late_open = (Q(reported_at__lt=end, close_deadline__lt=year.on)
                 & (Q(status__in=OPEN_STATUSES) | Q(status=Status.CLOSED, closed_at__gte=end)))
    return (units.filter(Deviation.objects.filter(closed | late_open))
            .annotate(closed_day=TruncDate("closed_at", tzinfo=timezone.get_current_timezone()))
            .values("org_unit_id").order_by("org_unit_id")
            .annotate(closed=Count("pk", filter=closed),
                      on_time=Count("pk", filter=closed & Q(closed_day__lte=F("close_deadline"))),
                      late_open=Count("pk", filter=late_open)))


def _deviations(unit_pk: int, handling: _Handling, courses: dict[int, dict[str, str]],
                needed: float) -> Evidence:
    named = bool(handling.handlers)
    trained = named and (not courses or any(ok for _name, ok in handling.handlers.values()))
    counted = handling.closed + handling.late_open
    on_time_ok = counted == 0 or handling.on_time >= needed * counted
    figures = [*_handler_figures(handling, courses), *_deadline_figures(handling, counted, needed)]
    if trained and on_time_ok:
        state = State.MET
    elif not named and handling.on_time == 0:
        state = State.NOT_MET
    else:
        state = State.PARTLY
    records = (Link(Text(gettext_noop("The unit's deviation statistics")),
                    url_for("deviations:statistics", args=[unit_pk])),)
    missing: list[Link] = []
    if not named:
        missing.append(Link(Text(gettext_noop("Name a deviation handler for the unit")),
                            url_for("org:unit", args=[unit_pk])))
    elif not trained:
        missing.append(Link(Text(gettext_noop("Record the deviation handler's training")),
                            url_for("competence:overview", args=[unit_pk])
                            + f"?only_gaps=on&role={Role.DEVIATION_HANDLER}"))
    if not on_time_ok:
        page = url_for("deviations:list", args=[unit_pk]) + "?scope=unit"
        missing.append(Link(Text(gettext_noop("Close the deviations past their deadline")),
                            page + "&overdue=on") if handling.late_open else
                       Link(Text(gettext_noop("Close the deviations within their deadline")), page))
    return Evidence(state, tuple(figures), records, tuple(missing))


def _handler_figures(handling: _Handling, courses: dict[int, dict[str, str]]) -> list[Text]:
    if not handling.handlers:
        return [Text(gettext_noop("The unit has no named deviation handler."))]
    if not courses:
        return [*(Text(gettext_noop("Deviation handler: %(name)s."), {"name": name})
                  for name, _trained in handling.handlers.values()),
                Text(gettext_noop("The training requirements ask no course of deviation handlers, "
                                  "so the handler's training cannot be checked."))]
    course = bilingual(*(", ".join(name[code] for name in courses.values()) for code in ("nb", "en")))
    return [Text(gettext_noop("Deviation handler: %(name)s, trained."), {"name": name}) if trained
            else Text(gettext_noop("Deviation handler: %(name)s, without a valid record of "
                                   "%(course)s."), {"name": name, "course": course})
            for name, trained in handling.handlers.values()]


def _deadline_figures(handling: _Handling, counted: int, needed: float) -> list[Text]:
    if not counted:
        return [Text(gettext_noop("No deviation was closed this year, and none is open past its "
                                  "deadline."))]
    figures = [Text(gettext_noop("Closed within the deadline this year: %(on_time)s of %(counted)s "
                                 "(%(share)s %%, at least %(needed)s %% asked for)."),
                    {"on_time": handling.on_time, "counted": counted,
                     "share": percent(handling.on_time, counted), "needed": round(100 * needed)})]
    if handling.late_open:
        figures.append(Text(gettext_noop("Open past their deadline, counted as late: %(late)s."),
                            {"late": handling.late_open}))
    return figures
