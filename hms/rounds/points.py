"""What the HSE rounds say about point 9 (issue 16), "rounds": every safety area the unit owns had
the rounds it needs this year, completed and signed. ARK is not recorded in HMS yet, and its
figure says so."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_noop

from hms.org.models import RiskLevel
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
    safety_areas,
    url_for,
)
from hms.rounds.models import DONE_STATUSES, WALKED_STATUSES, Round, rounds_per_year

ARK = Text(gettext_noop("ARK, the survey of the work environment and work climate, is not yet "
                        "recorded in HMS: the leader and the safety representative confirm it by "
                        "hand."))


def rounds_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """Per safety area the unit owns: rounds completed and signed (summarised or closed) that were
    walked from the year's first day to the day judged, against `min_rounds_per_area`, or more
    where the area's risk level asks for more (HMS_ROUNDS_PER_YEAR, "high:2" by default). Met
    when every area has its rounds, partly met when some area had a round, not met when none had;
    not applicable for a unit that owns no safety area. From `safety_areas` and `walked_rounds`."""
    least = int(point.thresholds.get("min_rounds_per_area", 1))
    areas = safety_areas(units).owned
    owned = {area["pk"] for unit_areas in areas.values() for area in unit_areas}
    done: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for round_ in walked_rounds(units, year):
        if round_["status"] in DONE_STATUSES and round_["safety_area_id"] in owned:
            done[round_["safety_area_id"]].append(round_)
    return {unit.pk: _unit_evidence(unit.pk, areas[unit.pk], done, least)
            for unit in units.members}


def walked_rounds(units: Units, year: Year) -> list[dict[str, Any]]:
    """One query, once for the units and year whichever rule asks first: the rounds walked from
    the year's first day to the day judged (conducted, summarised or closed), newest first, of the
    units or of a safety area they own; each with its area, the people who took part in it or
    signed it ("people"), and how many findings it recorded."""
    return units.remember(("rounds.walked", year), lambda: _read_walked(units, year))


def _read_walked(units: Units, year: Year) -> list[dict[str, Any]]:
    walked = Round.objects.filter(status__in=WALKED_STATUSES, conducted_on__gte=year.first_day,
                                  conducted_on__lte=year.on)
    rows = ((units.filter(walked) | units.filter(walked, "safety_area__org_unit"))
            .values("pk", "org_unit_id", "status", "safety_area_id", "safety_area__name",
                    "conducted_on", "rep_signed_by_id", "participants")
            .annotate(findings=Count("findings", distinct=True)).order_by("-conducted_on", "-pk"))
    return by_record(rows, ("participants", "rep_signed_by_id"))


def required(area: dict[str, Any], least: int) -> int:
    return max(least, rounds_per_year(area["risk_level"]))


def _unit_evidence(unit_pk: int, areas: list[dict[str, Any]], done: dict[int, list[dict[str, Any]]],
                   least: int) -> Evidence:
    if not areas:
        return Evidence(State.NOT_APPLICABLE, (
            Text(gettext_noop("The unit owns no safety area, so no HSE round is asked of it: the "
                              "rounds are counted for the unit that owns the safety area.")), ARK))
    complete = [area for area in areas if len(done[area["pk"]]) >= required(area, least)]
    walked = [area for area in areas if done[area["pk"]]]
    figures = [Text(gettext_noop("Safety areas with the HSE rounds they need this year: %(done)s of "
                                 "%(areas)s."), {"done": len(complete), "areas": len(areas)})]
    figures += [_area_figure(area, len(done[area["pk"]]), required(area, least)) for area in areas]
    figures.append(ARK)
    state = (State.MET if len(complete) == len(areas)
             else State.PARTLY if walked else State.NOT_MET)
    return Evidence(state, tuple(figures), _records(areas, done), tuple(
        Link(Text(gettext_noop("Plan an HSE round in %(area)s"), {"area": area["name"]}),
             url_for("rounds:create", args=[unit_pk]) + f"?area={area['pk']}")
        for area in areas if area not in complete)[:MAX_RECORD_LINKS])


def _area_figure(area: dict[str, Any], held: int, needed: int) -> Text:
    values = {"area": area["name"], "held": held, "required": needed}
    if area["risk_level"] == RiskLevel.HIGH:
        return Text(gettext_noop("HSE rounds completed and signed in %(area)s this year: %(held)s of "
                                 "%(required)s (a high-risk area)."), values)
    return Text(gettext_noop("HSE rounds completed and signed in %(area)s this year: %(held)s of "
                             "%(required)s."), values)


def _records(areas: list[dict[str, Any]], done: dict[int, list[dict[str, Any]]]) -> tuple[Link, ...]:
    """The latest rounds of the year, over the unit's areas."""
    names = {area["pk"]: area["name"] for area in areas}
    latest: list[dict[str, Any]] = sorted(
        (round_ for area in areas for round_ in done[area["pk"]]),
        key=lambda round_: (round_["conducted_on"] or dt.date.min, round_["pk"]), reverse=True)
    return tuple(Link(Text(gettext_noop("HSE round in %(area)s, %(day)s"),
                           {"area": names[round_["safety_area_id"]], "day": round_["conducted_on"]}),
                      url_for("rounds:detail", args=[round_["pk"]]))
                 for round_ in latest[:MAX_RECORD_LINKS])
