"""What the records say of the safety representative's own part (issue 16): point 6, the safety
representative drives the work, by what they raised this year ("safety_rep_active"), and point 11,
the measures are found together, by the measures whose origin involved them ("measures_together").
Who the unit's safety representatives are, and the records read, as in `hms.meetings.points`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from hms.deviations.models import Deviation
from hms.measures.models import Origin
from hms.measures.points import made_in_year, plan_counts
from hms.meetings.models import AgendaItem, Kind, Status
from hms.meetings.points import Reps, present_at, read_reps
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
    graded,
    moment_after,
    url_for,
)
from hms.risk.models import RiskRow
from hms.rounds.models import Round
from hms.rounds.points import walked_rounds

# --- Point 6: the safety representative drives the work --------------------------------------------


@dataclass
class _Raised:
    """What a unit's safety representatives raised, as links, by kind."""

    deviations: list[Link] = field(default_factory=list)
    items: list[Link] = field(default_factory=list)
    findings: int = 0
    rounds: list[Link] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.deviations) + len(self.items) + self.findings


def active_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """What the unit's safety representatives (or deputies) raised this year up to the day judged:
    the unit's deviations one of them reported (not anonymously), agenda items of the unit's
    meetings this year (not cancelled) that one of them put on or that are marked as raised by the
    safety representative, and the findings recorded on the unit's HSE rounds walked with one of them
    (a participant, or the representative signed). Met at `min_items` or more, partly met with
    fewer, not met with none; not applicable for a unit that owns no safety area and that no
    safety area covers, when nothing was raised. Five queries."""
    least = int(point.thresholds.get("min_items", 1))
    reps = read_reps(units, year)
    raised: dict[int, _Raised] = defaultdict(_Raised)
    _read_deviations(units, year, reps, raised)
    _read_items(units, year, reps, raised)
    _read_findings(units, year, reps, raised)
    return {unit.pk: _active(unit.pk, year.number, raised[unit.pk], reps, least)
            for unit in units.members}


def _read_deviations(units: Units, year: Year, reps: Reps, raised: dict[int, _Raised]) -> None:
    for row in (units.filter(Deviation.objects.filter(
            reported_at__gte=year.start, reported_at__lt=year.end,
            reporter_id__in=reps.people))
            .values("pk", "org_unit_id", "safety_area_id", "reporter_id", "title")
            .order_by("-reported_at", "-pk")):
        if row["reporter_id"] in reps.for_record(row["org_unit_id"], row["safety_area_id"]):
            raised[row["org_unit_id"]].deviations.append(Link(
                Text(gettext_noop("Deviation reported by the safety representative: %(title)s"),
                     {"title": row["title"]}), url_for("deviations:detail", args=[row["pk"]])))


def _read_items(units: Units, year: Year, reps: Reps, raised: dict[int, _Raised]) -> None:
    items = (units.filter(AgendaItem.objects.filter(
        meeting__starts_at__gte=year.start,
        meeting__starts_at__lt=moment_after(year.last_day)), "meeting__org_unit")
        .exclude(meeting__status=Status.CANCELLED)
        .filter(Q(raised_by_safety_rep=True) | Q(raised_by_id__in=reps.people)))
    for row in (items.values("pk", "title", "raised_by_id", "raised_by_safety_rep", "meeting_id",
                             "meeting__org_unit_id", "meeting__safety_area_id", "meeting__title")
                .order_by("-meeting__starts_at", "position", "pk")):
        unit_pk = row["meeting__org_unit_id"]
        if row["raised_by_safety_rep"] or row["raised_by_id"] in reps.for_record(
                unit_pk, row["meeting__safety_area_id"]):
            raised[unit_pk].items.append(Link(
                Text(gettext_noop("Agenda item from the safety representative: %(title)s (%(meeting)s)"),
                     {"title": row["title"], "meeting": row["meeting__title"]}),
                url_for("meetings:detail", args=[row["meeting_id"]])))


def _read_findings(units: Units, year: Year, reps: Reps, raised: dict[int, _Raised]) -> None:
    members = set(units.ids)
    for record in walked_rounds(units, year):
        unit_pk = record["org_unit_id"]
        found = record["findings"]
        if (unit_pk not in members or not found
                or not record["people"] & reps.for_record(unit_pk, record["safety_area_id"])):
            continue
        raised[unit_pk].findings += found
        raised[unit_pk].rounds.append(Link(
            Text(gettext_noop("Findings on the HSE round in %(area)s, %(day)s, walked with the "
                              "safety representative: %(findings)s"),
                 {"area": record["safety_area__name"], "day": record["conducted_on"],
                  "findings": found}), url_for("rounds:detail", args=[record["pk"]])))


def _active(unit_pk: int, number: int, raised: _Raised, reps: Reps, least: int) -> Evidence:
    absent, figures, missing = reps.missing_for(unit_pk)
    if absent is not None and not raised.total:
        return absent
    figures = [Text(gettext_noop("Items the safety representative raised this year: %(items)s (at "
                                 "least %(least)s asked for)."),
                    {"items": raised.total, "least": least}),
               Text(gettext_noop("Deviations reported by the safety representative: %(count)s."),
                    {"count": len(raised.deviations)}),
               Text(gettext_noop("Agenda items the safety representative raised in the unit's "
                                 "meetings: %(count)s."), {"count": len(raised.items)}),
               Text(gettext_noop("Findings recorded on HSE rounds walked with the safety "
                                 "representative: %(count)s."), {"count": raised.findings}),
               *figures]
    state = graded(raised.total, least)
    if state != State.MET:
        missing.insert(0, Link(Text(gettext_noop(
            "Ask the safety representative to raise what they see at the next leader–safety "
            "representative meeting")), url_for("meetings:unit", args=[unit_pk]) + f"?year={number}"))
    else:
        missing = []
    records = (raised.deviations + raised.items + raised.rounds)[:MAX_RECORD_LINKS]
    return Evidence(state, tuple(figures), tuple(records), tuple(missing))


# --- Point 11: measures found together -------------------------------------------------------------

ROUNDS, MEETINGS, ASSESSMENTS = "rounds", "meetings", "assessments"
MEASURE_LINKS = {
    ROUNDS: gettext_noop("Measure from an HSE round with the safety representative: %(title)s"),
    MEETINGS: gettext_noop("Measure from a meeting with the safety representative: %(title)s"),
    ASSESSMENTS: gettext_noop("Measure from a risk assessment with the safety representative: "
                              "%(title)s"),
}


@dataclass
class _Origins:
    """Who took part in the records the measures came from."""

    finding_round: dict[int, int] = field(default_factory=dict)
    rounds: dict[int, dict[str, Any]] = field(default_factory=dict)
    rows: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    present: dict[int, set[int]] = field(default_factory=dict)


@dataclass
class _Together:
    measures: int = 0
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys((ROUNDS, MEETINGS, ASSESSMENTS), 0))
    links: list[Link] = field(default_factory=list)  # the first MAX_RECORD_LINKS

    @property
    def together(self) -> int:
        return sum(self.found.values())

    def add(self, kind: str, row: dict[str, Any]) -> None:
        self.found[kind] += 1
        if len(self.links) < MAX_RECORD_LINKS:
            self.links.append(Link(Text(MEASURE_LINKS[kind], {"title": row["title"]}),
                                   url_for("measures:detail", args=[row["pk"]])))


def together_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """The unit's measures made this year up to the day judged (not cancelled), and of them those
    whose origin involved a safety representative (or deputy) of the unit: a finding of an HSE
    round (or the round) they took part in or signed, a decision of a leader–safety representative
    meeting, or of another meeting they were present at, a row of a risk assessment they took part
    in. Met at `min_measures` or more, partly met with fewer, not met with none; not applicable for
    a unit that owns no safety area and that no safety area covers, when none was found with a
    representative. Seven queries, the counts shared with point 10 (`plan_counts`)."""
    least = int(point.thresholds.get("min_measures", 1))
    reps = read_reps(units, year)
    measures = made_in_year(units, year)
    origins = _read_origins(units, year, measures)
    found: dict[int, _Together] = defaultdict(_Together)
    for unit_pk, counts in plan_counts(units, year).items():
        found[unit_pk].measures = counts["made_this_year"]
    for row in (measures.filter(origin__in=(Origin.ROUND_FINDING, Origin.MEETING, Origin.RISK_ROW))
                .values("pk", "org_unit_id", "title", "origin", "origin_type__model",
                        "origin_id", "meeting_decision__meeting_id",
                        "meeting_decision__meeting__kind",
                        "meeting_decision__meeting__safety_area_id")
                .order_by("-created_at", "-pk")):
        kind = _with_rep(row, origins, reps)
        if kind is not None:
            found[row["org_unit_id"]].add(kind, row)
    return {unit.pk: _together(unit.pk, found[unit.pk], reps, least) for unit in units.members}


def _origin(measures: QuerySet[Any], app: str, model: str) -> QuerySet[Any]:
    return measures.filter(origin_type__app_label=app, origin_type__model=model).values("origin_id")


def _read_origins(units: Units, year: Year, measures: QuerySet[Any]) -> _Origins:
    """Two queries, beside who was present at the meetings of the decisions (`present_at`): the
    rounds of the findings and the rounds themselves, with their participants and signers, and
    the risk rows' assessments' participants."""
    origins = _Origins()
    of_origin = Q(findings__in=_origin(measures, "rounds", "finding")) | Q(
        pk__in=_origin(measures, "rounds", "round"))
    rounds: QuerySet[Any] = Round.objects.filter(of_origin)
    rows = list(rounds.values("pk", "safety_area_id", "rep_signed_by_id", "participants",
                              "findings"))
    origins.finding_round = {row["findings"]: row["pk"] for row in rows if row["findings"]}
    origins.rounds = {record["pk"]: {"area": record["safety_area_id"], "people": record["people"]}
                      for record in by_record(rows, ("participants", "rep_signed_by_id"))}
    for risk_row in (RiskRow.objects.filter(pk__in=_origin(measures, "risk", "riskrow"))
                     .values("pk", "assessment__participants")):
        if risk_row["assessment__participants"]:
            origins.rows[risk_row["pk"]].add(risk_row["assessment__participants"])
    origins.present = present_at(units, year)
    return origins


def _with_rep(row: dict[str, Any], origins: _Origins, reps: Reps) -> str | None:
    """The kind of work with the safety representative the measure came from, if any."""
    unit_pk, model, origin_id = row["org_unit_id"], row["origin_type__model"], row["origin_id"]
    if row["origin"] == Origin.ROUND_FINDING and model in ("finding", "round"):
        round_ = origins.rounds.get(origins.finding_round.get(origin_id, 0) if model == "finding"
                                    else origin_id or 0)
        if round_ and round_["people"] & reps.for_record(unit_pk, round_["area"]):
            return ROUNDS
    if row["origin"] == Origin.MEETING and (meeting := row["meeting_decision__meeting_id"]):
        area = row["meeting_decision__meeting__safety_area_id"]
        if (row["meeting_decision__meeting__kind"] == Kind.LEADER_VO
                or origins.present.get(meeting, set()) & reps.for_record(unit_pk, area)):
            return MEETINGS
    risk = row["origin"] == Origin.RISK_ROW and model == "riskrow"
    if risk and origins.rows.get(origin_id or 0, set()) & reps.of_unit(unit_pk):
        return ASSESSMENTS
    return None


def _together(unit_pk: int, tally: _Together, reps: Reps, least: int) -> Evidence:
    absent, figures, missing = reps.missing_for(unit_pk)
    if absent is not None and not tally.together:
        return absent
    if tally.measures:
        head = [Text(gettext_noop("Measures made this year that came from work with the safety "
                                  "representative: %(together)s of %(measures)s."),
                     {"together": tally.together, "measures": tally.measures}),
                Text(gettext_noop("From HSE rounds: %(rounds)s; from meetings: %(meetings)s; from "
                                  "risk assessments: %(assessments)s."),
                     dict(tally.found))]
    else:
        head = [Text(gettext_noop("No measure was added to the unit's action plan this year."))]
    if least > 1:
        head.append(Text(gettext_noop("At least %(least)s measures found with the safety "
                                      "representative are asked for."), {"least": least}))
    state = graded(tally.together, least)
    if state == State.MET:
        missing = []
    else:
        missing[:0] = [
            Link(Text(gettext_noop("Agree measures with the safety representative at the next "
                                   "leader–safety representative meeting")),
                 url_for("meetings:unit", args=[unit_pk])),
            Link(Text(gettext_noop("Walk an HSE round with the safety representative and make "
                                   "measures of its findings")), url_for("rounds:plan", args=[unit_pk]))]
    return Evidence(state, (*head, *figures), tuple(tally.links), tuple(missing))
