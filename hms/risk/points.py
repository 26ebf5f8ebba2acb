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

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_noop

from hms.points.catalogue import Point
from hms.points.evidence import MAX_RECORD_LINKS, Evidence, Link, State, Text, Units, Year, url_for
from hms.risk.models import (
    STATUSES_BEFORE_APPROVAL,
    AssessmentKind,
    AssessmentStatus,
    RiskAssessment,
    RiskRow,
)
from hms.risk.services import years_later

WAS_APPROVED = (AssessmentStatus.APPROVED, AssessmentStatus.ARCHIVED)


def in_force_q(end: dt.datetime, prefix: str = "") -> Q:
    """Assessments in force just before `end`: approved before it and not yet replaced by a
    revision approved before it. `prefix` reaches the assessment from a related model."""
    replaced = RiskAssessment.objects.filter(revision_of=OuterRef(f"{prefix}pk"), approved_at__lt=end)
    return (Q(**{f"{prefix}status__in": WAS_APPROVED, f"{prefix}approved_at__lt": end})
            & ~Q(Exists(replaced)))


# --- Point 7: the overall risk mapping -------------------------------------------------------------


@dataclass
class _Mappings:
    """A unit's overall mappings as of the day judged: the last approved, and one under way."""

    approved: dict[str, Any] | None = None
    under_way: dict[str, Any] | None = None


def overall_mapping_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """Met while the last approved overall mapping is at most `max_age_years` old on the day judged
    (approved 2 March 2025: met up to and including 2 March 2027); partly met when it is older, or
    there is none, but one is under way (draft, in review, under revision); else not met. One query."""
    years = int(point.thresholds.get("max_age_years", 2))
    end = year.end
    found: dict[int, _Mappings] = defaultdict(_Mappings)
    made = Q(created_at__lt=end) | Q(approved_at__lt=end)
    mappings = (units.filter(RiskAssessment.objects.filter(made, kind=AssessmentKind.OVERALL))
                .values("pk", "org_unit_id", "title", "status", "approved_at")
                .order_by("created_at", "pk"))
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
    the unit has no assessment in force. The overall mapping's own review is point 7's. Five
    queries."""
    end = year.end
    found: dict[int, _Detailed] = defaultdict(_Detailed)
    in_force = units.filter(RiskAssessment.objects.filter(in_force_q(end)))
    _count_in_force(found, in_force, year.on)
    for record in _first_overdue(in_force, year.on):
        found[record["org_unit_id"]].overdue_records.append(record)
    roots = _lineage(units)
    covered = _covered_rows(units, end, roots)
    for row in _flagged_rows(units, end):
        held = found[row["assessment__org_unit_id"]]
        held.flagged += 1
        if (roots.get(row["assessment_id"], row["assessment_id"]), row["position"]) not in covered:
            held.uncovered.append(row)
    return {unit.pk: _detailed_evidence(unit.pk, found[unit.pk]) for unit in units.members}


def _count_in_force(found: dict[int, _Detailed], in_force: QuerySet[RiskAssessment],
                    on: dt.date) -> None:
    detailed = Q(kind=AssessmentKind.DETAILED)
    for counts in (in_force.order_by().values("org_unit_id")
                   .annotate(total=Count("pk"), approved=Count("pk", filter=detailed),
                             overdue=Count("pk", filter=detailed & Q(review_due__lt=on)))):
        held = found[counts["org_unit_id"]]
        held.any_in_force = counts["total"] > 0
        held.approved, held.overdue = counts["approved"], counts["overdue"]


def _first_overdue(in_force: QuerySet[RiskAssessment], on: dt.date) -> list[dict[str, Any]]:
    """The first overdue detailed assessments of each unit, the longest overdue first."""
    ranked = (in_force.filter(kind=AssessmentKind.DETAILED, review_due__lt=on)
              .annotate(rank=Window(RowNumber(), partition_by=[F("org_unit_id")],
                                    order_by=[F("review_due").asc(), F("pk").asc()]))
              .filter(rank__lte=MAX_RECORD_LINKS))
    return list(ranked.values("pk", "org_unit_id", "title", "review_due").order_by("review_due", "pk"))


def _lineage(units: Units) -> dict[int, int]:
    """Each overall mapping of the units → the first version it revises: a revision copies the
    rows, so a detailed assessment made from a row of an earlier version details the same row."""
    parent = dict(units.filter(RiskAssessment.objects.filter(kind=AssessmentKind.OVERALL))
                  .values_list("pk", "revision_of_id"))

    def root(pk: int) -> int:
        seen = {pk}
        while parent.get(pk) is not None and parent[pk] not in seen:
            pk = parent[pk]
            seen.add(pk)
        return pk

    return {pk: root(pk) for pk in parent}


def _covered_rows(units: Units, end: dt.datetime, roots: dict[int, int]) -> set[tuple[int, int]]:
    """(first version of the mapping, row position) of every row an approved detailed assessment
    in force details."""
    detailed = units.filter(RiskAssessment.objects.filter(
        in_force_q(end), kind=AssessmentKind.DETAILED, mapping_row__isnull=False),
        "mapping_row__assessment__org_unit")
    return {(roots.get(mapping, mapping), position) for mapping, position in
            detailed.values_list("mapping_row__assessment_id", "mapping_row__position").distinct()}


def _flagged_rows(units: Units, end: dt.datetime) -> list[dict[str, Any]]:
    """The rows marked "needs a detailed assessment" of the overall mappings in force."""
    return list(units.filter(RiskRow.objects.filter(in_force_q(end, "assessment__"), needs_detailed=True,
                                                assessment__kind=AssessmentKind.OVERALL),
                         "assessment__org_unit")
            .values("pk", "position", "activity", "unwanted_event", "assessment_id",
                    "assessment__org_unit_id")
            .order_by("assessment_id", "position", "pk"))


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
