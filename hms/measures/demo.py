"""The action plan of each department of the demo university: four to six measures in every
state, from every origin (the description says which). The measure texts serve the scale dataset
too (hms/measures/scale.py)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hms.accounts.models import User
from hms.core.seeding import DemoDepartment, DemoUniversity
from hms.measures import services
from hms.measures.models import Origin, Priority, Status
from hms.org.models import OrgUnit, SafetyArea

MEASURE_TITLES = [
    "Bytte defekt avtrekksskap i rom 214", "Merke alle kjemikalieflasker med faresymboler",
    "Kurs i førstehjelp for nyansatte", "Montere nødstopp på dreiebenk",
    "Ergonomisk gjennomgang av kontorplasser", "Oppdatere rømningsplan etter ombygging",
    "Skaffe øyeskylleflasker til lab 3", "Rydde rømningsvei i kjelleren",
    "Innføre rutine for alenearbeid om kvelden", "Støymåling i verkstedet",
    "Bytte lysarmaturer i korridor", "Opplæring i avfallshåndtering for studenter",
    "Gjennomgå stoffkartoteket", "Sikre gassflasker med kjetting",
    "Medarbeiderundersøkelse: oppfølgingsmøte", "Skjerme høyspenningsområdet", "Nye hevbare pulter",
    "Brannøvelse for hele instituttet", "Revidere rutine for avviksmelding",
    "Kjøpe inn vernebriller i flere størrelser",
]
# What a demo measure says of where it came from, by its origin.
ORIGIN_NOTES: dict[str, str] = {
    Origin.MANUAL: "Meldt inn av enheten.",
    Origin.RISK_ROW: "Fra risikovurderingen av arbeidet.",
    Origin.ROUND_FINDING: "Foreslått i HMS-runden.",
    Origin.DEVIATION: "Tiltak etter et meldt avvik.",
    Origin.MEETING: "Vedtatt i møtet mellom leder og verneombud.",
    Origin.GOAL: "Skal bidra til årets HMS-mål.",
    Origin.SURVEY: "Fra arbeidsmiljøundersøkelsen.",
    Origin.ANNUAL_REPORT: "Fra den årlige HMS-rapporten.",
}


def seed_department(university: DemoUniversity, department: DemoDepartment) -> None:
    plan_measures(university.rng, department.unit, department.people, university.admin,
                  department.areas)


def plan_measures(rng: random.Random, unit: OrgUnit, people: list[User], admin: User,
                  areas: list[SafetyArea]) -> None:
    today = timezone.localdate()
    states = [Status.OPEN, Status.OPEN, Status.IN_PROGRESS, Status.DONE, Status.VERIFIED,
              Status.CANCELLED]
    for index, target in enumerate(states[: 4 + rng.randint(0, 2)]):
        deadline = today + dt.timedelta(days=rng.choice([-40, -10, -2, 5, 12, 30, 60, 120]))
        data = {
            "title": rng.choice(MEASURE_TITLES), "responsible": people[index % len(people)],
            "deadline": deadline, "priority": rng.choice(Priority.values),
            "cost_estimate": rng.choice([None, 2500, 18000, 120000]),
            "safety_area": rng.choice(areas) if areas else None,
        }
        origin = rng.choice(Origin.values)
        measure = services.create_measure(
            actor=admin, org_unit=unit, data={**data, "description": ORIGIN_NOTES[origin]},
            origin=origin)
        _walk_to(measure, target, admin)


def _walk_to(measure: Any, target: str, admin: User) -> None:
    paths: dict[str, list[str]] = {
        Status.IN_PROGRESS: [Status.IN_PROGRESS],
        Status.DONE: [Status.IN_PROGRESS, Status.DONE],
        Status.VERIFIED: [Status.IN_PROGRESS, Status.DONE, Status.VERIFIED],
        Status.CANCELLED: [Status.CANCELLED],
    }
    for step in paths.get(target, []):
        note = {"cancelled": "Erstattet av et annet tiltak.", "verified": "Virker etter hensikten."}
        measure = services.transition_measure(actor=admin, measure=measure, to=step,
                                              version=measure.version, note=note.get(step, ""))
