"""What the risk assessments say about the points (issue 16): point 7, the unit's overall risk
mapping is recent enough ("overall_mapping"), and point 8, detailed assessments are made where the
mapping asks for them and reviewed in time ("detailed_assessments").

Both judge the day `year.on` from the records as they stood then: an assessment counts from the day
it was approved until the day its revision was approved (an approved version is archived only
when its revision is approved), so a closed year is judged by what was in force at its end."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from hms.points.catalogue import Point
from hms.points.evidence import (
    MAX_RECORD_LINKS,
    Evidence,
    Link,
    State,
    Text,
    Units,
    Year,
    by_record,
    url_for,
)
from hms.risk.models import (
    STATUSES_BEFORE_APPROVAL,
    AssessmentKind,
    AssessmentStatus,
    RiskAssessment,
    RiskRow,
)
from hms.risk.services import years_later

WAS_APPROVED = (AssessmentStatus.APPROVED, AssessmentStatus.ARCHIVED)


def assessments_of(units: Units) -> list[dict[str, Any]]:
    """One query, once for the units whichever rule asks first: every risk assessment of the
    units, and the detailed ones made below them (which may detail a row of their mappings),
    oldest first, each with the set of its participants ("people"). The rules judge a day from
    them (`in_force`, the day they were made)."""
    return units.remember("risk.assessments", lambda: _read_assessments(units))


def _read_assessments(units: Units) -> list[dict[str, Any]]:
    every: QuerySet[Any] = RiskAssessment.objects.all()
    rows = (every.filter(_of_or_detailing(units))
            .values("pk", "org_unit_id", "kind", "status", "title", "created_at", "approved_at",
                    "assessed_on", "review_due", "revision_of_id", "mapping_row__assessment_id",
                    "mapping_row__assessment__org_unit_id", "mapping_row__position", "participants")
            .order_by("created_at", "pk"))
    return by_record(rows, ("participants",))


def _of_or_detailing(units: Units) -> Q:
    """The units' assessments, and the detailed ones made below them (a detailed assessment
    details a row of the mapping of its own unit or of a unit above it: the form offers no other)."""
    below = Q(org_unit__path__startswith=units.root.path)
    if len(units.members) > 1:
        return below  # the subtree's own
    return below & (Q(org_unit=units.root) | Q(mapping_row__isnull=False))


def in_force(assessments: list[dict[str, Any]], end: dt.datetime) -> list[dict[str, Any]]:
    """The assessments in force just before `end`: approved before it and not yet replaced by a
    revision approved before it (a revision is of the same unit, so among them)."""
    replaced = {record["revision_of_id"] for record in assessments
                if record["revision_of_id"] and _approved_before(record, end)}
    return [record for record in assessments if record["status"] in WAS_APPROVED
            and _approved_before(record, end) and record["pk"] not in replaced]


def _approved_before(record: dict[str, Any], end: dt.datetime) -> bool:
    return record["approved_at"] is not None and record["approved_at"] < end


# --- Point 7: the overall risk mapping -------------------------------------------------------------


@dataclass
class _Mappings:
    """A unit's overall mappings as of the day judged: the last approved, and one under way."""

    approved: dict[str, Any] | None = None
    under_way: dict[str, Any] | None = None


def overall_mapping_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """Met while the last approved overall mapping is at most `max_age_years` old on the day judged
    (approved 2 March 2025: met up to and including 2 March 2027); partly met when it is older, or
    there is none, but one is under way (draft, in review, under revision); else not met. From
    `assessments_of`."""
    years = int(point.thresholds.get("max_age_years", 2))
    end = year.end
    found: dict[int, _Mappings] = defaultdict(_Mappings)
    members = set(units.ids)
    mappings = [record for record in assessments_of(units)
                if record["kind"] == AssessmentKind.OVERALL and record["org_unit_id"] in members
                and (record["created_at"] < end or _approved_before(record, end))]
    for mapping in mappings:
        held = found[mapping["org_unit_id"]]
        approved_at = mapping["approved_at"]
        if mapping["status"] in WAS_APPROVED and approved_at is not None and approved_at < end:
            if held.approved is None or approved_at >= held.approved["approved_at"]:
                held.approved = mapping
        elif mapping["status"] in STATUSES_BEFORE_APPROVAL or (approved_at and approved_at >= end):
            held.under_way = mapping  # the latest made wins, being last
    return {unit.pk: _mapping_evidence(unit.pk, found[unit.pk], years, year.on)
            for unit in units.members}


def _mapping_evidence(unit_pk: int, held: _Mappings, years: int, on: dt.date) -> Evidence:
    figures: list[Text] = []
    records: list[Link] = []
    missing: list[Link] = []
    if held.approved is not None:
        approved = timezone.localdate(held.approved["approved_at"])
        due = years_later(approved, years)
        figures.append(Text(gettext_noop("Overall risk mapping approved %(approved)s, review due "
                                         "%(due)s."), {"approved": approved, "due": due}))
        records.append(_assessment_link(held.approved))
        if on <= due:
            return Evidence(State.MET, tuple(figures), tuple(records))
        figures.append(Text(gettext_noop("Its review was due %(due)s, and no newer overall risk "
                                         "mapping has been approved since."), {"due": due}))
    else:
        figures.append(Text(gettext_noop("The unit has no approved overall risk mapping.")))
    if held.under_way is None:
        missing.append(_revise(unit_pk, held.approved))
        return Evidence(State.NOT_MET, tuple(figures), tuple(records), tuple(missing))
    figures.append(Text(gettext_noop("An overall risk mapping is under way but not yet approved: "
                                     "%(title)s."), {"title": held.under_way["title"]}))
    records.append(_assessment_link(held.under_way))
    missing.append(Link(Text(gettext_noop("Finish and approve the overall risk mapping under way")),
                        url_for("risk:detail", args=[held.under_way["pk"]])))
    return Evidence(State.PARTLY, tuple(figures), tuple(records), tuple(missing))


def _assessment_link(assessment: dict[str, Any]) -> Link:
    return Link(Text(gettext_noop("Overall risk mapping: %(title)s"), {"title": assessment["title"]}),
                url_for("risk:detail", args=[assessment["pk"]]))


def _revise(unit_pk: int, approved: dict[str, Any] | None) -> Link:
    """Where the next mapping is made: a revision of the last one, or a new one."""
    if approved is not None:
        return Link(Text(gettext_noop("Revise the overall risk mapping and approve the revision")),
                    url_for("risk:detail", args=[approved["pk"]]))
    return Link(Text(gettext_noop("Make the unit's overall risk mapping")),
                url_for("risk:create", args=[unit_pk]))


# --- Point 8: detailed risk assessments ------------------------------------------------------------


@dataclass
class _Detailed:
    """What a unit's assessments in force say about detailed assessments."""

    any_in_force: bool = False
    approved: int = 0
    overdue: int = 0
    overdue_records: list[dict[str, Any]] = field(default_factory=list)
    flagged: int = 0
    uncovered: list[dict[str, Any]] = field(default_factory=list)


def detailed_assessments_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """Over the unit's assessments in force on the day judged: met when no detailed assessment is
    overdue for review (its review date passed; due on the day is not overdue) and every row of the
    overall mapping marked "needs a detailed assessment" has an approved detailed assessment in
    force; not met when every one of these is wanting; partly met in between. Not applicable when
    the unit has no assessment in force. The overall mapping's own review is point 7's. From
    `assessments_of`, and one query for the rows marked."""
    end = year.end
    members = set(units.ids)
    found: dict[int, _Detailed] = defaultdict(_Detailed)
    held_now = in_force(assessments_of(units), end)
    _count_in_force(found, [record for record in held_now if record["org_unit_id"] in members],
                    year.on)
    roots = _lineage(assessments_of(units), members)
    covered = {(roots.get(record["mapping_row__assessment_id"], record["mapping_row__assessment_id"]),
                record["mapping_row__position"]) for record in held_now
               if record["kind"] == AssessmentKind.DETAILED
               and record["mapping_row__assessment__org_unit_id"] in members}
    mappings = [record["pk"] for record in held_now if record["kind"] == AssessmentKind.OVERALL
                and record["org_unit_id"] in members]
    for row in _flagged_rows(mappings):
        held = found[row["assessment__org_unit_id"]]
        held.flagged += 1
        if (roots.get(row["assessment_id"], row["assessment_id"]), row["position"]) not in covered:
            held.uncovered.append(row)
    return {unit.pk: _detailed_evidence(unit.pk, found[unit.pk]) for unit in units.members}


def _count_in_force(found: dict[int, _Detailed], held_now: list[dict[str, Any]], on: dt.date) -> None:
    """Per unit: whether any is in force, the detailed ones, and those overdue for review (the
    longest overdue first)."""
    for record in held_now:
        held = found[record["org_unit_id"]]
        held.any_in_force = True
        if record["kind"] != AssessmentKind.DETAILED:
            continue
        held.approved += 1
        if record["review_due"] is not None and record["review_due"] < on:
            held.overdue += 1
            held.overdue_records.append(record)
    for held in found.values():
        held.overdue_records.sort(key=lambda record: (record["review_due"], record["pk"]))
        del held.overdue_records[MAX_RECORD_LINKS:]


def _lineage(assessments: list[dict[str, Any]], members: set[int]) -> dict[int, int]:
    """Each overall mapping of the units → the first version it revises: a revision copies the
    rows, so a detailed assessment made from a row of an earlier version details the same row."""
    parent = {record["pk"]: record["revision_of_id"] for record in assessments
              if record["kind"] == AssessmentKind.OVERALL and record["org_unit_id"] in members}

    def root(pk: int) -> int:
        seen = {pk}
        while parent.get(pk) is not None and parent[pk] not in seen:
            pk = parent[pk]
            seen.add(pk)
        return pk

    return {pk: root(pk) for pk in parent}


def _flagged_rows(mappings: list[int]) -> list[dict[str, Any]]:
    """The rows marked "needs a detailed assessment" of these overall mappings (those in force)."""
    rows: QuerySet[Any] = RiskRow.objects.filter(assessment_id__in=mappings, needs_detailed=True)
    return list(rows.values("pk", "position", "activity", "unwanted_event", "assessment_id",
                            "assessment__org_unit_id").order_by("assessment_id", "position", "pk"))


def _detailed_evidence(unit_pk: int, held: _Detailed) -> Evidence:
    if not held.any_in_force:
        return Evidence(State.NOT_APPLICABLE, (Text(gettext_noop(
            "The unit has no approved risk assessment, so nothing shows a need for a detailed "
            "one yet (the overall risk mapping is point 7).")),))
    uncovered = held.uncovered
    figures = [Text(gettext_noop("Detailed risk assessments in force: %(approved)s; overdue for "
                                 "review: %(overdue)s."),
                    {"approved": held.approved, "overdue": held.overdue})]
    if held.flagged:
        figures.append(Text(gettext_noop(
            "Rows of the overall risk mapping marked as needing a detailed assessment: "
            "%(flagged)s; without an approved detailed assessment: %(missing)s."),
            {"flagged": held.flagged, "missing": len(uncovered)}))
    else:
        figures.append(Text(gettext_noop("No row of the overall risk mapping is marked as needing a "
                                         "detailed assessment.")))
    wanting = held.overdue + len(uncovered)
    checked = held.approved + held.flagged
    state = State.MET if wanting == 0 else State.NOT_MET if wanting >= checked else State.PARTLY
    records = tuple(Link(Text(gettext_noop("Overdue for review since %(due)s: %(title)s"),
                              {"due": record["review_due"], "title": record["title"]}),
                         url_for("risk:detail", args=[record["pk"]]))
                    for record in held.overdue_records)
    return Evidence(state, tuple(figures), records, _detailed_missing(unit_pk, held, uncovered))


def _detailed_missing(unit_pk: int, held: _Detailed, uncovered: list[dict[str, Any]]) -> tuple[Link, ...]:
    missing = []
    if held.overdue:
        missing.append(Link(Text(gettext_noop("Review the detailed risk assessments overdue for "
                                              "review")),
                            url_for("risk:list", args=[unit_pk]) + "?scope=unit"))
    for row in uncovered[:MAX_RECORD_LINKS]:
        missing.append(Link(Text(gettext_noop("Make a detailed risk assessment of mapping row "
                                              "%(position)s: %(title)s"),
                                 {"position": row["position"],
                                  "title": row["activity"] or row["unwanted_event"]}),
                            url_for("risk:create", args=[unit_pk]) + f"?row={row['pk']}"))
    return tuple(missing)
