"""Deviations for the demo university: every department has a year and a half of cases in every
state (so the statistics have a trend), and the chemistry department, whose logins are printed,
has a fresh near miss from the demo student, an injury under treatment, an anonymous report, an
overdue case and a public report form for its lab."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hms.accounts.models import User
from hms.core.seeding import DemoUniversity
from hms.deviations import services
from hms.deviations.models import Deviation, DeviationType
from hms.measures import services as measure_services

# (type, title, description, immediate action, location)
CASES = [
    ("near_miss", "Glassflaske falt fra hylle", "En flaske med aceton falt ned fra øverste hylle, "
     "men knuste ikke.", "Flasken ble satt i kjemikalieskapet.", "rom 214"),
    ("dangerous_condition", "Nødutgang blokkert av esker", "Esker med utstyr står foran "
     "nødutgangen i korridoren.", "Eskene ble flyttet til side.", "korridor 2. etasje"),
    ("personal_injury", "Kutt i hånd ved glassbrudd", "Et begerglass sprakk under oppvask.",
     "Førstehjelp, plaster.", "rom 118"),
    ("improvement", "Bedre merking av avfallsdunker", "Det er uklart hvilken dunk som er for "
     "halogenert avfall.", "", "avfallsrom"),
    ("fire", "Røykutvikling fra varmeplate", "Varmeplaten ble glemt på etter arbeidstid.",
     "Varmeplaten ble slått av, rommet luftet.", "rom 220"),
    ("environmental", "Søl av olje i sluk", "Hydraulikkolje rant ut i sluket i verkstedet.",
     "Absorbent lagt ut.", "verksted"),
    ("material_damage", "Vannlekkasje i taket", "Vann drypper ned over en instrumentbenk.",
     "Bøtte satt under, instrumentet dekket til.", "rom 305"),
    ("rule_breach", "Arbeid uten vernebriller", "Studenter arbeidet med syre uten vernebriller.",
     "Arbeidet ble stoppet.", "lab 1"),
    ("violence", "Truende besøkende i resepsjonen", "En besøkende ble aggressiv og truet ansatte.",
     "Vekter tilkalt.", "resepsjonen"),
]
CONCLUSIONS = ["Rutinen er oppdatert og gjennomgått på allmøtet.",
               "Utstyret er reparert, og alle har fått informasjon.",
               "Tatt opp i HMS-runden; tiltaket virker."]


def _report(actor: Any, unit: Any, area: Any, spec: tuple[str, ...], days_ago: int,
            anonymous: bool = False) -> Deviation:
    code, title, description, action, location = spec
    occurred = timezone.now() - dt.timedelta(days=days_ago, hours=2)
    deviation, _secret = services.report_deviation(actor=actor, anonymous=anonymous, data={
        "org_unit": unit, "safety_area": area, "deviation_type": DeviationType.objects.get(code=code),
        "title": title, "description": description, "immediate_action": action,
        "location": location, "occurred_at": occurred})
    Deviation.objects.filter(pk=deviation.pk).update(reported_at=occurred + dt.timedelta(hours=1),
                                                     last_activity_at=occurred + dt.timedelta(hours=1))
    deviation.refresh_from_db()
    return deviation


def _walk(case: Deviation, target: str, handler: Any, responsible: Any, days_ago: int) -> Deviation:
    """Accept, assess, add a measure, finish and close, as far as `target`; the dates follow the
    report, so closed cases have a time to close."""
    if target == "reported":
        return case
    if target == "rejected":
        return services.reject(actor=handler, deviation=case, version=case.version,
                               reason="Meldt til e-vaktmester: vanlig byggfeil, ikke et HMS-avvik.")
    case = services.accept(actor=handler, deviation=case, handler=handler, close_deadline=None,
                           version=case.version)
    if target == "accepted":
        return case
    case = services.assess(actor=handler, deviation=case, version=case.version, data={
        "actual_consequence": 1, "potential_consequence": 3, "cause_categories": ["procedure"],
        "cause": "Rutinen var ikke kjent for alle."})
    services.add_measure(actor=handler, deviation=case, data={
        "title": f"Tiltak etter avvik: {case.title.lower()}", "responsible": responsible,
        "deadline": timezone.localdate() + dt.timedelta(days=30)})
    case.refresh_from_db()
    if target == "under_treatment":
        return case
    for measure in services.measures_of(case):
        measure_services.transition_measure(actor=measure.responsible, measure=measure, to="done",
                                            version=measure.version)
    case = services.mark_measures_done(actor=handler, deviation=case, version=case.version)
    case = services.close(actor=handler, deviation=case, version=case.version,
                          conclusion=random.Random(case.pk).choice(CONCLUSIONS),
                          learning="Gjennomgått med de ansatte.")
    closed = case.reported_at + dt.timedelta(days=min(days_ago, 3 + case.pk % 25))
    Deviation.objects.filter(pk=case.pk).update(closed_at=closed, last_activity_at=closed)
    return case


def build_deviation_demo(departments: list[tuple[Any, Any, Any, list[Any], list[Any]]],
                         chemistry_code: str) -> None:
    """`departments`: (unit, leader, handler, staff, safety areas) of each department."""
    rng = random.Random(2026)
    for unit, _leader, handler, staff, areas in departments:
        for index in range(6 + rng.randint(0, 6)):
            days_ago = rng.randint(20, 540)
            case = _report(rng.choice(staff), unit, rng.choice(areas) if areas else None,
                           rng.choice(CASES), days_ago, anonymous=rng.random() < 0.15)
            target = "closed" if index % 5 else rng.choice(["rejected", "under_treatment"])
            _walk(case, target, handler, rng.choice(staff), days_ago)
        if unit.code == chemistry_code:
            _chemistry(unit, handler, staff, areas)


def _chemistry(unit: Any, handler: Any, staff: list[Any], areas: list[Any]) -> None:
    lab = areas[0] if areas else None
    student = User.objects.filter(username="student").first() or staff[-1]
    _report(student, unit, lab, CASES[0], days_ago=1)
    injury = _walk(_report(staff[1], unit, lab, CASES[2], days_ago=6), "under_treatment", handler,
                   staff[2], 6)
    services.set_injury_details(actor=handler, deviation=injury, injured_person=str(staff[1]),
                                health_details="Kutt i venstre hånd, sydd på legevakten.")
    _report(staff[0], unit, lab, CASES[1], days_ago=3, anonymous=True)
    late = _walk(_report(staff[3], unit, lab, CASES[7], days_ago=50), "accepted", handler, staff[0], 50)
    Deviation.objects.filter(pk=late.pk).update(
        close_deadline=timezone.localdate() - dt.timedelta(days=9),
        last_activity_at=timezone.now() - dt.timedelta(days=30))
    if lab is not None:
        services.public_link(actor=handler, area=lab)


def seed_demo(university: DemoUniversity) -> None:
    build_deviation_demo([(d.unit, d.leader, d.handler, d.staff, d.areas)
                          for d in university.departments], university.showcase)
