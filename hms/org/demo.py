"""The people and organisation of the demo university that `./run` starts with: the unit tree,
the safety areas, every role filled in every department (the showcase, chemistry, with the demo
logins), then an outsider and more employees up to about 150 people. Fictional and deterministic."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password

from hms.accounts.models import User
from hms.core.roles import Role
from hms.core.seeding import DemoDepartment, DemoUniversity
from hms.org.models import OrgUnit, RiskLevel, RoleAssignment, SafetyArea, UnitKind

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
SHOWCASE = "kjemi"  # the department with the demo logins

DEMO_USERS = {
    "leader": ("Ingrid", "Leder"), "safetyrep": ("Ola", "Verneombud"),
    "coordinator": ("Kari", "Koordinator"), "employee": ("Lars", "Ansatt"),
    "student": ("Sigrid", "Student"), "outsider": ("Henrik", "Utenfor"), "admin": ("Anne", "Admin"),
}


class DemoBuilder:
    """Makes the demo's people (names from the shared generator) and their role assignments."""

    def __init__(self, university: DemoUniversity) -> None:
        self.rng = university.rng
        self.password = make_password("demo")
        self.count = 0
        self.units: dict[str, OrgUnit] = {}

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

    def staff_department(self, code: str, areas: list[SafetyArea], demo: bool) -> DemoDepartment:
        unit = self.units[code]
        leader = self.person(*(("leader", *DEMO_USERS["leader"]) if demo else ()))
        self.role(leader, unit, Role.LEADER, covers_subtree=True)
        reps = [self._safety_reps(unit, area, demo and index == 0) for index, area in enumerate(areas)]
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
        return DemoDepartment(unit=unit, leader=leader, safety_rep=reps[0] if reps else None,
                              handler=handler, staff=staff, areas=areas)

    def _safety_reps(self, unit: OrgUnit, area: SafetyArea, demo: bool) -> User:
        """The area's safety representative and deputy, both employees; returns the representative."""
        rep = self.person(*(("safetyrep", *DEMO_USERS["safetyrep"]) if demo else ()))
        self.role(rep, unit, Role.SAFETY_REP, safety_area=area)
        self.role(rep, unit, Role.EMPLOYEE)
        deputy = self.person()
        self.role(deputy, unit, Role.DEPUTY_SAFETY_REP, safety_area=area)
        self.role(deputy, unit, Role.EMPLOYEE)
        return rep

    def staff_faculty(self, code: str, demo: bool) -> None:
        faculty = self.units[code]
        self.role(self.person(), faculty, Role.LEADER, covers_subtree=True)
        coordinator = self.person(*(("coordinator", *DEMO_USERS["coordinator"]) if demo else ()))
        self.role(coordinator, faculty, Role.HSE_COORDINATOR, covers_subtree=True)




def seed_demo(university: DemoUniversity) -> None:
    """The administrator, the tree and the safety areas, then each faculty's and department's
    people; each department is handed on (`staffed`) as soon as it has them."""
    builder = DemoBuilder(university)
    university.people = builder
    university.admin = User.objects.create_superuser("admin", "admin@fjordby.example", "demo",
                                                     first_name="Anne", last_name="Admin")
    builder.build_tree()
    university.root, university.showcase = builder.units[UNIVERSITY[0]], SHOWCASE
    areas = builder.build_areas()
    for fac_code, _name, departments in FACULTIES:
        builder.staff_faculty(fac_code, demo=fac_code == "nv")
        for dep_code, *_rest in departments:
            university.staffed(builder.staff_department(dep_code, areas[dep_code],
                                                        demo=dep_code == SHOWCASE))


def seed_more_people(university: DemoUniversity) -> None:
    """An employee outside the showcase's faculty, then more employees spread over the
    departments, up to about 150 people."""
    builder: DemoBuilder = university.people
    outsider = builder.person("outsider", *DEMO_USERS["outsider"])
    builder.role(outsider, builder.units["historie"], Role.EMPLOYEE)
    departments = [code for _f, _n, deps in FACULTIES for code, *_r in deps]
    while User.objects.count() < 150:
        unit = builder.units[builder.rng.choice(departments)]
        builder.role(builder.person(), unit, Role.EMPLOYEE)
