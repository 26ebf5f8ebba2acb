"""What the meetings, and the work with the safety representative, say about the points (issue 16):
point 4, fixed leader–safety representative meetings ("leader_safety_rep_meetings"), and point 3,
the safety representative takes part in the unit's risk assessments, HSE rounds and leader–safety
representative meetings ("safety_rep_involved"). Points 6 and 11, what the safety representative
raised and the measures found with them, are in `hms.meetings.points_together`.

A unit's safety representatives for a year are those who held the role of safety representative or
deputy (the deputy acts for the area when the representative cannot) at some time in the year up to
the day judged, for a safety area the unit owns or one that covers it (`SafetyArea.units`); for a
round or a meeting of a safety area, that area's representatives too. Records are the unit's own
(org_unit = the unit), not its sub-units'."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from hms.core.roles import SAFETY_AREA_ROLES
from hms.measures.models import Origin
from hms.measures.points import made_in_year
from hms.meetings.models import Attendee, Kind, Meeting, Status
from hms.org.models import RoleAssignment
from hms.points.catalogue import Point
from hms.points.evidence import (
    MAX_RECORD_LINKS,
    Evidence,
    Link,
    State,
    Text,
    Units,
    Year,
    graded,
    moment_after,
    safety_areas,
    url_for,
)
from hms.risk.points import assessments_of
from hms.rounds.points import walked_rounds

NO_REP = Text(gettext_noop("No safety representative is registered for the unit: it owns no safety "
                           "area and no safety area covers it."))
NO_REP_OWNED = Text(gettext_noop("No safety representative is registered for the unit's safety "
                                 "areas."))


def register_link(unit_pk: int) -> Link:
    return Link(Text(gettext_noop("Have the safety representative of the unit's safety areas "
                                  "registered")), url_for("org:unit", args=[unit_pk]))


# --- The safety representatives of the units -------------------------------------------------------


@dataclass
class Reps:
    """The safety areas the units own and those covering them, and each area's representatives
    (and deputies) in the year."""

    owned: dict[int, list[dict[str, Any]]]
    covering: dict[int, set[int]]
    by_area: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    @property
    def people(self) -> list[int]:
        """Every representative of the areas read, in order (to narrow a query before the
        records are read)."""
        return sorted(set().union(*self.by_area.values()))

    def of_unit(self, unit_pk: int) -> set[int]:
        areas = {area["pk"] for area in self.owned[unit_pk]} | self.covering[unit_pk]
        return set().union(*(self.by_area[area] for area in areas))

    def for_record(self, unit_pk: int, area_id: int | None) -> set[int]:
        """The representatives of the unit, and of the record's safety area."""
        return self.of_unit(unit_pk) | (self.by_area[area_id] if area_id else set())

    def missing_for(self, unit_pk: int) -> tuple[Evidence | None, list[Text], list[Link]]:
        """For a unit no safety representative is registered for: not applicable when it owns no
        safety area and none covers it; else the figure and link saying one is to be registered."""
        if self.of_unit(unit_pk):
            return None, [], []
        if not self.owned[unit_pk] and not self.covering[unit_pk]:
            return Evidence(State.NOT_APPLICABLE, (NO_REP,)), [], []
        return None, [NO_REP_OWNED], [register_link(unit_pk)]


def in_year(year: Year) -> Q:
    """Role assignments in force at some time from the year's first day to the day judged."""
    return ((Q(valid_from__isnull=True) | Q(valid_from__lte=year.on))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=year.first_day)))


def read_reps(units: Units, year: Year) -> Reps:
    """Two queries, once for the units and year whichever rule asks first: the areas the units
    own or that cover them (`safety_areas`), and the representatives of these areas and of every
    area owned in the subtree (the areas of the units' rounds and meetings)."""
    return units.remember(("meetings.reps", year), lambda: _read_reps(units, year))


def _read_reps(units: Units, year: Year) -> Reps:
    areas = safety_areas(units)
    reps = Reps(areas.owned, areas.covering)
    for held in (RoleAssignment.objects.filter(in_year(year),
                                               safety_area__in=sorted(areas.below | areas.covering_ids),
                                               role__in=SAFETY_AREA_ROLES)
                 .values("safety_area_id", "person_id")):
        reps.by_area[held["safety_area_id"]].add(held["person_id"])
    return reps


def present_at(units: Units, year: Year) -> dict[int, set[int]]:
    """One query, once for the units and year whichever rule asks first: who (with an account)
    was present at each of the units' leader–safety representative meetings held in the year up
    to the day judged, and at each meeting whose decision made one of the units' measures of the
    year (`made_in_year`)."""
    return units.remember(("meetings.present", year), lambda: _read_present(units, year))


def _read_present(units: Units, year: Year) -> dict[int, set[int]]:
    decided = Meeting.objects.filter(
        decisions__measure__in=made_in_year(units, year).filter(origin=Origin.MEETING))
    present: dict[int, set[int]] = defaultdict(set)
    for row in (Attendee.objects.filter(Q(meeting__in=held_meetings(units, year).values("pk"))
                                        | Q(meeting__in=decided.values("pk")),
                                        present=True, person__isnull=False)
                .values("meeting_id", "person_id")):
        present[row["meeting_id"]].add(row["person_id"])
    return present


def held_meetings(units: Units, year: Year) -> QuerySet[Any]:
    """The units' leader–safety representative meetings held (minutes completed) from the year's
    first day to the day judged."""
    return units.filter(Meeting.objects.filter(
        kind=Kind.LEADER_VO, status=Status.HELD, starts_at__gte=year.start, starts_at__lt=year.end))


@dataclass
class YearMeetings:
    """The units' leader–safety representative meetings of the year: those held up to the day
    judged, newest first, and per unit how many are planned and not yet held this year."""

    held: list[dict[str, Any]] = field(default_factory=list)
    planned: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def year_meetings(units: Units, year: Year) -> YearMeetings:
    """One query, once for the units and year whichever rule asks first."""
    return units.remember(("meetings.year", year), lambda: _read_year_meetings(units, year))


def _read_year_meetings(units: Units, year: Year) -> YearMeetings:
    found = YearMeetings()
    for row in (units.filter(Meeting.objects.filter(
            kind=Kind.LEADER_VO, status__in=(Status.HELD, Status.PLANNED), starts_at__gte=year.start,
            starts_at__lt=moment_after(year.last_day)))
            .values("pk", "org_unit_id", "title", "starts_at", "safety_area_id", "status")
            .order_by("-starts_at", "-pk")):
        if row["status"] == Status.PLANNED:
            found.planned[row["org_unit_id"]] += 1
        elif row["starts_at"] < year.end:
            found.held.append(row)
    return found


def meeting_link(meeting: dict[str, Any]) -> Link:
    return Link(Text(gettext_noop("Leader–safety representative meeting held %(day)s: %(title)s"),
                     {"day": timezone.localdate(meeting["starts_at"]), "title": meeting["title"]}),
                url_for("meetings:detail", args=[meeting["pk"]]))


# --- Point 4: fixed leader–safety representative meetings ------------------------------------------


@dataclass
class _Meetings:
    held: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    planned: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    present: dict[int, set[int]] = field(default_factory=dict)


def meetings_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """Leader–safety representative meetings held (minutes completed) this year up to the day
    judged, against `min_meetings`. Counted per safety area the unit owns (`count_per` "area", the
    default): a meeting counts for an area when it was held for that area or one of the area's
    representatives (or deputies) was present; met when every area has the minimum, partly met
    when the unit held any, else not met. Counted for the unit (`count_per` "unit", or a unit that
    owns no safety area): met at the minimum, partly met with fewer, not met with none. Not
    applicable for a unit that owns no safety area, has no safety representative covering it and
    held none. Four queries."""
    least = int(point.thresholds.get("min_meetings", 4))
    per_area = point.thresholds.get("count_per", "area") == "area"
    reps = read_reps(units, year)
    found = _Meetings()
    meetings = year_meetings(units, year)
    for meeting in meetings.held:
        found.held[meeting["org_unit_id"]].append(meeting)
    found.planned = meetings.planned
    found.present = present_at(units, year)
    return {unit.pk: _meeting_evidence(unit.pk, year.number, found, reps, least, per_area)
            for unit in units.members}


def _meeting_evidence(unit_pk: int, number: int, found: _Meetings, reps: Reps, least: int,
                      per_area: bool) -> Evidence:
    held, areas = found.held[unit_pk], reps.owned[unit_pk]
    if not areas and not held and not reps.of_unit(unit_pk):
        return Evidence(State.NOT_APPLICABLE, (NO_REP, Text(gettext_noop(
            "No leader–safety representative meetings are asked of a unit without a safety "
            "representative."))))
    page = url_for("meetings:unit", args=[unit_pk]) + f"?year={number}"
    if per_area and areas:
        state, figures, missing = _per_area(unit_pk, held, found.present, reps, least, page)
    else:
        figures = [Text(gettext_noop("The unit owns no safety area: its leader–safety "
                                     "representative meetings are counted for the unit as a "
                                     "whole."))] if per_area else []
        figures.append(Text(gettext_noop("Leader–safety representative meetings held this year: "
                                         "%(held)s of %(required)s."),
                            {"held": len(held), "required": least}))
        state = graded(len(held), least)
        missing = [] if state == State.MET else [
            Link(Text(gettext_noop("Hold the next leader–safety representative meeting")), page)]
    if found.planned[unit_pk]:
        figures.append(Text(gettext_noop("Leader–safety representative meetings planned this year "
                                         "and not yet held: %(planned)s."),
                            {"planned": found.planned[unit_pk]}))
    records = tuple(meeting_link(meeting) for meeting in held[:MAX_RECORD_LINKS])
    return Evidence(state, tuple(figures), records, tuple(missing[:MAX_RECORD_LINKS]))


def _per_area(unit_pk: int, held: list[dict[str, Any]], present: dict[int, set[int]], reps: Reps,
              least: int, page: str) -> tuple[State, list[Text], list[Link]]:
    figures = [Text(gettext_noop("Leader–safety representative meetings held this year: %(held)s."),
                    {"held": len(held)})]
    missing: list[Link] = []
    short = []
    for area in reps.owned[unit_pk]:
        people = reps.by_area[area["pk"]]
        count = sum(1 for meeting in held if meeting["safety_area_id"] == area["pk"]
                    or present.get(meeting["pk"], set()) & people)
        figures.append(Text(gettext_noop("Held with the safety representative of %(area)s: "
                                         "%(held)s of %(required)s."),
                            {"area": area["name"], "held": count, "required": least}))
        if not people:
            figures.append(Text(gettext_noop("No safety representative is registered for "
                                             "%(area)s."), {"area": area["name"]}))
        if count < least:
            short.append(area)
    for area in short:
        if not reps.by_area[area["pk"]]:
            missing.append(Link(Text(gettext_noop("Have the safety representative of %(area)s "
                                                  "registered"), {"area": area["name"]}),
                                url_for("org:unit", args=[unit_pk])))
        missing.append(Link(Text(gettext_noop("Hold the next leader–safety representative meeting "
                                              "with the safety representative of %(area)s"),
                                 {"area": area["name"]}), page))
    state = State.MET if not short else State.PARTLY if held else State.NOT_MET
    return state, figures, missing


# --- Point 3: the safety representative takes part -------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """One kind of record the safety representative should take part in, and its sentences."""

    took_part: str
    none: str
    with_rep: str
    without_rep: str
    invite: str
    page: str


ASSESSMENTS = _Kind(
    gettext_noop("The safety representative took part in %(with_rep)s of %(total)s risk assessments "
                 "of the unit dated this year."),
    gettext_noop("No risk assessment of the unit is dated this year."),
    gettext_noop("Risk assessment with the safety representative: %(title)s"),
    gettext_noop("Risk assessment without the safety representative: %(title)s"),
    gettext_noop("Make the unit's risk assessments with the safety representative"), "risk:list")
ROUNDS = _Kind(
    gettext_noop("The safety representative took part in %(with_rep)s of %(total)s HSE rounds the "
                 "unit walked this year."),
    gettext_noop("The unit walked no HSE round this year."),
    gettext_noop("HSE round in %(area)s, %(day)s, with the safety representative"),
    gettext_noop("HSE round in %(area)s, %(day)s, without the safety representative"),
    gettext_noop("Walk the unit's HSE rounds with the safety representative"), "rounds:plan")
MEETINGS = _Kind(
    gettext_noop("The safety representative was present at %(with_rep)s of %(total)s "
                 "leader–safety representative meetings held this year."),
    gettext_noop("The unit held no leader–safety representative meeting this year."),
    gettext_noop("Leader–safety representative meeting %(day)s with the safety representative "
                 "present: %(title)s"),
    gettext_noop("Leader–safety representative meeting %(day)s without the safety representative "
                 "present: %(title)s"),
    gettext_noop("Have the safety representative present at the leader–safety representative "
                 "meetings"), "meetings:unit")
KINDS = (ASSESSMENTS, ROUNDS, MEETINGS)

# unit pk → kind → (took part, the link's values, url) per record, newest first
_Record = tuple[bool, dict[str, Any], str]
_Found = dict[int, dict[_Kind, list[_Record]]]


def involved_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """Whether the unit's safety representative (or deputy) took part in its risk assessments dated
    this year up to the day judged (the assessment's date, else the day it was made; a participant),
    its HSE rounds walked then (a participant, or the representative signed), and its leader–safety
    representative meetings held then (present). Met when in every kind that has records the
    representative took part in at least one; partly met when in some kind; not met when in none;
    not applicable when the unit had none of these records. Six queries."""
    reps = read_reps(units, year)
    found: _Found = defaultdict(lambda: {kind: [] for kind in KINDS})
    for kind, records in ((ASSESSMENTS, _assessments(units, year)), (ROUNDS, _rounds(units, year)),
                          (MEETINGS, _meetings(units, year))):
        for record in records:
            unit_pk = record["org_unit_id"]
            took_part = bool(record["people"] & reps.for_record(unit_pk, record["area"]))
            found[unit_pk][kind].append((took_part, record["values"], record["url"]))
    return {unit.pk: _involved(unit.pk, found[unit.pk], reps) for unit in units.members}


def _assessments(units: Units, year: Year) -> list[dict[str, Any]]:
    """The units' risk assessments dated in the year up to the day judged (the assessment's date,
    else the day it was made), newest made first."""
    members = set(units.ids)

    def dated(record: dict[str, Any]) -> bool:
        if record["assessed_on"] is not None:
            return year.first_day <= record["assessed_on"] <= year.on
        return year.start <= record["created_at"] < year.end

    return [{**record, "area": None,
             "values": {"title": record["title"]}, "url": url_for("risk:detail", args=[record["pk"]])}
            for record in reversed(assessments_of(units))
            if record["org_unit_id"] in members and dated(record)]


def _rounds(units: Units, year: Year) -> list[dict[str, Any]]:
    members = set(units.ids)
    return [{**record, "area": record["safety_area_id"],
             "values": {"area": record["safety_area__name"], "day": record["conducted_on"]},
             "url": url_for("rounds:detail", args=[record["pk"]])}
            for record in walked_rounds(units, year) if record["org_unit_id"] in members]


def _meetings(units: Units, year: Year) -> list[dict[str, Any]]:
    present = present_at(units, year)
    return [{**row, "area": row["safety_area_id"], "people": present.get(row["pk"], set()),
             "values": {"title": row["title"], "day": timezone.localdate(row["starts_at"])},
             "url": url_for("meetings:detail", args=[row["pk"]])}
            for row in year_meetings(units, year).held]


def _involved(unit_pk: int, found: dict[_Kind, list[_Record]], reps: Reps) -> Evidence:
    kept = [kind for kind in KINDS if found[kind]]
    if not kept:
        return Evidence(State.NOT_APPLICABLE, (Text(gettext_noop(
            "The unit made no risk assessment, walked no HSE round and held no leader–safety "
            "representative meeting this year, so there was nothing to take the safety "
            "representative into.")),))
    figures = [Text(kind.took_part, {"with_rep": sum(took for took, _t, _u in found[kind]),
                                     "total": len(found[kind])}) if found[kind] else Text(kind.none)
               for kind in KINDS]
    joined = [kind for kind in kept if any(took for took, _t, _u in found[kind])]
    state = (State.MET if len(joined) == len(kept)
             else State.PARTLY if joined else State.NOT_MET)
    missing = [] if state == State.MET else [
        Link(Text(kind.invite), url_for(kind.page, args=[unit_pk])) for kind in kept
        if kind not in joined]
    if not reps.of_unit(unit_pk):
        figures.append(NO_REP if not reps.owned[unit_pk] and not reps.covering[unit_pk]
                       else NO_REP_OWNED)
        if state != State.MET:
            missing.append(register_link(unit_pk))
    records = sorted(((took, kind, values, url) for kind in kept
                      for took, values, url in found[kind]), key=lambda record: record[0])
    links = tuple(Link(Text(kind.with_rep if took else kind.without_rep, values), url)
                  for took, kind, values, url in records[:MAX_RECORD_LINKS])
    return Evidence(state, tuple(figures), links, tuple(missing))
