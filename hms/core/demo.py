"""The demo university that `./run` starts with: fictional, deterministic, every role filled."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from hms.accounts.models import User
from hms.competence.demo import build_competence_demo
from hms.core.roles import Role
from hms.deviations.demo import build_deviation_demo
from hms.governance.demo import build_governance_demo
from hms.health.demo import build_health_demo
from hms.measures import services as measure_services
from hms.measures.models import Origin, Priority, Status
from hms.meetings.demo import build_meeting_demo
from hms.org.models import OrgUnit, RiskLevel, RoleAssignment, SafetyArea, UnitKind
from hms.risk.demo import build_risk_demo
from hms.rounds.demo import build_round_demo

FIRST_NAMES = [
    "Ingrid", "Ola", "Kari", "Lars", "Sigrid", "Henrik", "Nora", "Magnus", "Emma", "Jonas",
    "Astrid", "Erik", "Sofie", "Anders", "Maja", "Håkon", "Ida", "Sindre", "Thea", "Eirik",
    "Marte", "Kristian", "Silje", "Torbjørn", "Hanna", "Øystein", "Live", "Bjørn", "Aurora", "Per",
]
LAST_NAMES = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen",
    "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Lie", "Moe", "Bakken", "Strand",
]

# (code, name, kind, [(code, name, kind, [safety areas: (suffix, name, risk)])])
UNIVERSITY = ("fju", "Universitetet i Fjordby", UnitKind.UNIVERSITY)
FACULTIES: list[tuple[str, str, list[tuple[str, str, str, list[tuple[str, str, str]]]]]] = [
    ("nv", "Fakultet for naturvitenskap", [
        ("kjemi", "Institutt for kjemi", UnitKind.DEPARTMENT, [
            ("lab", "Kjemi – laboratorier", RiskLevel.HIGH),
            ("kontor", "Kjemi – kontorer", RiskLevel.NORMAL),
            ("verksted", "Kjemi – instrumentverksted", RiskLevel.HIGH)]),
        ("fysikk", "Institutt for fysikk", UnitKind.DEPARTMENT, [
            ("lab", "Fysikk – laserlaboratorier", RiskLevel.HIGH),
            ("kontor", "Fysikk – kontorer", RiskLevel.NORMAL)]),
        ("bio", "Institutt for biologi", UnitKind.DEPARTMENT, [
            ("lab", "Biologi – laboratorier og veksthus", RiskLevel.HIGH),
            ("felt", "Biologi – feltarbeid", RiskLevel.HIGH),
            ("kontor", "Biologi – kontorer", RiskLevel.NORMAL)]),
        ("kjemi-analyse", "Seksjon for analyse", UnitKind.SECTION, [
            ("lab", "Analyse – instrumentlab", RiskLevel.HIGH),
            ("kontor", "Analyse – kontorer", RiskLevel.NORMAL)]),
    ]),
    ("iv", "Fakultet for ingeniørvitenskap", [
        ("maskin", "Institutt for maskinteknikk", UnitKind.DEPARTMENT, [
            ("verksted", "Maskin – verksteder", RiskLevel.HIGH),
            ("kontor", "Maskin – kontorer", RiskLevel.NORMAL)]),
        ("elkraft", "Institutt for elkraftteknikk", UnitKind.DEPARTMENT, [
            ("lab", "Elkraft – høyspenningslab", RiskLevel.HIGH),
            ("kontor", "Elkraft – kontorer", RiskLevel.NORMAL)]),
        ("bygg", "Institutt for bygg og miljø", UnitKind.DEPARTMENT, [
            ("lab", "Bygg – betonglab", RiskLevel.HIGH),
            ("kontor", "Bygg – kontorer", RiskLevel.NORMAL)]),
        ("iv-adm", "Fakultetsadministrasjonen IV", UnitKind.SECTION, [
            ("kontor", "IV-administrasjonen – kontorer", RiskLevel.NORMAL),
            ("arkiv", "IV-administrasjonen – arkiv og lager", RiskLevel.NORMAL)]),
    ]),
    ("hf", "Det humanistiske fakultet", [
        ("historie", "Institutt for historiske studier", UnitKind.DEPARTMENT, [
            ("kontor", "Historie – kontorer", RiskLevel.NORMAL),
            ("magasin", "Historie – magasin", RiskLevel.NORMAL)]),
        ("sprak", "Institutt for språk og litteratur", UnitKind.DEPARTMENT, [
            ("kontor", "Språk – kontorer", RiskLevel.NORMAL),
            ("studio", "Språk – lydstudio", RiskLevel.NORMAL)]),
        ("filosofi", "Institutt for filosofi", UnitKind.DEPARTMENT, [
            ("kontor", "Filosofi – kontorer", RiskLevel.NORMAL),
            ("moterom", "Filosofi – møterom og seminarrom", RiskLevel.NORMAL)]),
        ("hf-adm", "Fakultetsadministrasjonen HF", UnitKind.SECTION, [
            ("kontor", "HF-administrasjonen – kontorer", RiskLevel.NORMAL),
            ("resepsjon", "HF-administrasjonen – resepsjon", RiskLevel.NORMAL)]),
    ]),
]
# Sections sit below a department: (section code, parent department code).
SECTION_PARENTS = {"kjemi-analyse": "kjemi"}

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

DEMO_USERS = {
    "leader": ("Ingrid", "Leder"), "safetyrep": ("Ola", "Verneombud"),
    "coordinator": ("Kari", "Koordinator"), "employee": ("Lars", "Ansatt"),
    "student": ("Sigrid", "Student"), "outsider": ("Henrik", "Utenfor"), "admin": ("Anne", "Admin"),
}


class DemoBuilder:
    def __init__(self) -> None:
        self.rng = random.Random(2026)
        self.password = make_password("demo")
        self.count = 0
        self.units: dict[str, OrgUnit] = {}
        self.safety_reps: dict[str, User] = {}

    def person(self, username: str | None = None, first: str = "", last: str = "") -> User:
        self.count += 1
        first = first or self.rng.choice(FIRST_NAMES)
        last = last or self.rng.choice(LAST_NAMES)
        username = username or f"{first.lower()[:3]}{last.lower()[:4]}{self.count}".replace(
            "ø", "o").replace("å", "a").replace("æ", "ae")
        return User.objects.create(username=username, first_name=first, last_name=last,
                                   email=f"{username}@fjordby.example", password=self.password)

    def role(self, person: User, unit: OrgUnit, role: str, **extra: Any) -> RoleAssignment:
        return RoleAssignment.objects.create(person=person, org_unit=unit, role=role, **extra)

    def build_tree(self) -> None:
        code, name, kind = UNIVERSITY
        root = OrgUnit.objects.add_root({"code": code, "name": name, "kind": kind})
        self.units[code] = root
        for fac_code, fac_name, departments in FACULTIES:
            faculty = OrgUnit.objects.add_child(
                root, {"code": fac_code, "name": fac_name, "kind": UnitKind.FACULTY})
            self.units[fac_code] = faculty
            for dep_code, dep_name, dep_kind, _areas in departments:
                parent = self.units.get(SECTION_PARENTS.get(dep_code, ""), faculty)
                self.units[dep_code] = OrgUnit.objects.add_child(
                    parent, {"code": dep_code, "name": dep_name, "kind": dep_kind})
        for unit in self.units.values():
            unit.refresh_from_db()

    def build_areas(self) -> dict[str, list[SafetyArea]]:
        areas: dict[str, list[SafetyArea]] = {}
        for _fac_code, _fac_name, departments in FACULTIES:
            for dep_code, _name, _kind, area_specs in departments:
                unit = self.units[dep_code]
                areas[dep_code] = []
                for suffix, area_name, risk in area_specs:
                    area = SafetyArea.objects.create(
                        org_unit=unit, code=f"{dep_code}-{suffix}", name=area_name, risk_level=risk,
                        locations=f"Bygg {dep_code.upper()[:3]}, rom {self.rng.randint(100, 399)}\n"
                                  f"Bygg {dep_code.upper()[:3]}, rom {self.rng.randint(100, 399)}")
                    area.units.add(unit)
                    areas[dep_code].append(area)
        return areas

    def staff_department(self, code: str, areas: list[SafetyArea], demo: bool) -> list[User]:
        unit = self.units[code]
        leader = self.person(*(("leader", *DEMO_USERS["leader"]) if demo else ()))
        self.role(leader, unit, Role.LEADER, covers_subtree=True)
        for index, area in enumerate(areas):
            rep = self.person(*(("safetyrep", *DEMO_USERS["safetyrep"]) if demo and index == 0 else ()))
            self.safety_reps.setdefault(code, rep)
            self.role(rep, unit, Role.SAFETY_REP, safety_area=area)
            self.role(rep, unit, Role.EMPLOYEE)
            deputy = self.person()
            self.role(deputy, unit, Role.DEPUTY_SAFETY_REP, safety_area=area)
            self.role(deputy, unit, Role.EMPLOYEE)
        handler = self.person()
        self.role(handler, unit, Role.DEVIATION_HANDLER)
        self.role(handler, unit, Role.EMPLOYEE)
        if any(a.risk_level == RiskLevel.HIGH for a in areas):
            self.role(self.person(), unit, Role.LAB_LEADER)
        staff = [self.person(*(("employee", *DEMO_USERS["employee"]) if demo else ()))]
        staff += [self.person() for _ in range(4)]
        for person in staff:
            self.role(person, unit, Role.EMPLOYEE)
        for index in range(2):
            student = self.person(*(("student", *DEMO_USERS["student"]) if demo and index == 0 else ()))
            self.role(student, unit, Role.STUDENT)
        return [leader, handler, *staff]

    def staff_faculty(self, code: str, demo: bool) -> None:
        faculty = self.units[code]
        self.role(self.person(), faculty, Role.LEADER, covers_subtree=True)
        coordinator = self.person(*(("coordinator", *DEMO_USERS["coordinator"]) if demo else ()))
        self.role(coordinator, faculty, Role.HSE_COORDINATOR, covers_subtree=True)


def _measure_plan(builder: DemoBuilder, unit: OrgUnit, people: list[User], admin: User,
                  areas: list[SafetyArea]) -> None:
    rng, today = builder.rng, timezone.localdate()
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
        measure = measure_services.create_measure(
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
        measure = measure_services.transition_measure(actor=admin, measure=measure, to=step,
                                                      version=measure.version,
                                                      note=note.get(step, ""))


@transaction.atomic
def build_demo() -> None:
    builder = DemoBuilder()
    admin = User.objects.create_superuser("admin", "admin@fjordby.example", "demo",
                                          first_name="Anne", last_name="Admin")
    builder.build_tree()
    areas = builder.build_areas()
    risk_owners, case_owners = [], []
    for fac_code, _name, departments in FACULTIES:
        builder.staff_faculty(fac_code, demo=fac_code == "nv")
        for dep_code, *_rest in departments:
            people = builder.staff_department(dep_code, areas[dep_code], demo=dep_code == "kjemi")
            _measure_plan(builder, builder.units[dep_code], people, admin, areas[dep_code])
            risk_owners.append((builder.units[dep_code], people[0], builder.safety_reps[dep_code]))
            case_owners.append((builder.units[dep_code], people[0], people[1], people[2:],
                                areas[dep_code]))
    build_risk_demo(risk_owners, next(o for o in risk_owners if o[0].code == "kjemi"))
    build_deviation_demo(case_owners, "kjemi")
    build_round_demo([(unit, leader, builder.safety_reps[unit.code], staff[0], areas[unit.code])
                      for unit, leader, _handler, staff, _areas in case_owners], "kjemi")
    _build_unit_governance(builder, case_owners)
    outsider = builder.person("outsider", *DEMO_USERS["outsider"])
    builder.role(outsider, builder.units["historie"], Role.EMPLOYEE)
    _fill_to(builder, 150)


def _build_unit_governance(builder: DemoBuilder, case_owners: list[Any]) -> None:
    """Goals, delegated tasks, meetings, training records and the occupational health service of
    every department."""
    owners = [(unit, leader, builder.safety_reps[unit.code], staff)
              for unit, leader, _handler, staff, _areas in case_owners]
    build_governance_demo(owners)
    build_meeting_demo(owners, "kjemi")
    build_competence_demo(owners)
    build_health_demo(builder.units[UNIVERSITY[0]], owners)


def _fill_to(builder: DemoBuilder, total: int) -> None:
    """More employees, spread over the departments, up to about `total` people."""
    departments = [code for _f, _n, deps in FACULTIES for code, *_r in deps]
    while User.objects.count() < total:
        unit = builder.units[builder.rng.choice(departments)]
        builder.role(builder.person(), unit, Role.EMPLOYEE)
