"""The people and organisation of the university-scale dataset for bench/: a fictional university
of a given size (`ScaleSpec`), its unit tree, the safety areas of each department, and its people
with their roles. The other apps' scale steps build on the `Plan` this step leaves in the run.

Built with bulk_create for speed: the treebeard materialised paths (steplen 4, base 36) are computed
here rather than through `add_child`, and checked with `OrgUnit.objects.find_problems()` at the end. The
people share one precomputed password hash of "demo"."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from hms.accounts.models import User
from hms.core.roles import Role
from hms.core.seeding import BATCH, ScaleRun, ScaleSpec
from hms.org.demo import FIRST_NAMES, LAST_NAMES
from hms.org.models import OrgUnit, RiskLevel, RoleAssignment, SafetyArea, UnitKind

PASSWORD = "demo"  # noqa: S105 - the documented password of every fictional bench user
FACULTY_LEADER = "bench_faculty_leader"
EMPLOYEE = "bench_employee"

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's default MP_Node alphabet
STEPLEN = 4

FACULTY_NAMES = [
    "Fakultet for naturvitenskap", "Fakultet for ingeniørvitenskap", "Det humanistiske fakultet",
    "Fakultet for medisin og helsevitenskap", "Fakultet for samfunns- og utdanningsvitenskap",
    "Fakultet for økonomi", "Fakultet for informasjonsteknologi", "Fakultet for arkitektur og design",
]
SUBJECTS = [
    "kjemi", "fysikk", "biologi", "matematikk", "geovitenskap", "materialteknologi", "maskinteknikk",
    "elkraftteknikk", "bygg og miljø", "energi og prosessteknikk", "marin teknikk", "historie",
    "filosofi", "språk og litteratur", "kunst- og medievitenskap", "musikk", "klinisk medisin",
    "sirkulasjon og bildediagnostikk", "nevromedisin", "folkehelse og sykepleie", "psykologi",
    "sosiologi", "pedagogikk", "geografi", "samfunnsøkonomi", "industriell økonomi", "datateknologi",
    "informasjonssikkerhet", "elektroniske systemer", "teknisk kybernetikk", "arkitektur", "design",
    "bioteknologi", "farmasi", "molekylær medisin", "havbruk", "skog og landskap", "statsvitenskap",
]
SECTION_TOPICS = [
    "laboratoriedrift", "verksted", "administrasjon", "forskningsgruppe A", "forskningsgruppe B",
    "undervisningslab", "feltarbeid", "instrumentering", "IT-drift", "bibliotek og arkiv",
]
AREA_KINDS = [("lab", "laboratorier", RiskLevel.HIGH), ("kontor", "kontorer", RiskLevel.NORMAL),
              ("verksted", "verksted og lager", RiskLevel.HIGH)]
EMPLOYEE_SHARE = 0.35  # of the people without a key role; the rest are students


def path_step(position: int) -> str:
    """The treebeard path step of the `position`-th child (1-based): base 36, zero-padded to 4."""
    if not 0 < position < len(ALPHABET) ** STEPLEN:
        raise ValueError(f"no path step for position {position}")
    digits = ""
    while position:
        position, rest = divmod(position, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, ALPHABET[0])


@dataclass
class Node:
    """A unit before it is saved: the tree is built in memory, then paths are given in name order."""

    code: str
    name: str
    kind: str
    children: list[Node] = field(default_factory=list)
    unit: OrgUnit | None = None

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def saved(self) -> OrgUnit:
        assert self.unit is not None
        return self.unit


def assign_paths(node: Node, path: str) -> None:
    """Give `node` and its subtree their paths, depths and child counts, children in name order."""
    node.unit = OrgUnit(code=node.code, name=node.name, kind=node.kind, path=path,
                        depth=len(path) // STEPLEN, numchild=len(node.children))
    node.children.sort(key=lambda child: child.name)
    for position, child in enumerate(node.children, start=1):
        assign_paths(child, path + path_step(position))


@dataclass
class Department:
    node: Node
    faculty: Node
    sections: list[Node] = field(default_factory=list)
    areas: list[SafetyArea] = field(default_factory=list)
    area_of: dict[str, SafetyArea] = field(default_factory=dict)  # unit code → its safety area


@dataclass
class Plan:
    """The whole in-memory picture the builder fills: units, safety areas, people per unit."""

    root: Node
    faculties: list[Node]
    departments: list[Department]
    leaders: dict[str, User] = field(default_factory=dict)        # unit code → leader
    staff: dict[str, list[User]] = field(default_factory=dict)    # unit code → possible responsibles
    bench_employee: User | None = None
    bench_department: Department | None = None

    def department_units(self) -> list[OrgUnit]:
        return [department.node.saved for department in self.departments]


def _subject(index: int) -> str:
    subject = SUBJECTS[index % len(SUBJECTS)]
    round_ = index // len(SUBJECTS)
    return subject if round_ == 0 else f"{subject} {round_ + 1}"


def build_tree(spec: ScaleSpec) -> Plan:
    root = Node("uni", "Universitetet i Fjordby", UnitKind.UNIVERSITY)
    faculties = [Node(f"f{i:02d}", FACULTY_NAMES[i] if i < len(FACULTY_NAMES) else f"Fakultet {i + 1}",
                      UnitKind.FACULTY) for i in range(spec.faculties)]
    root.children = list(faculties)
    departments: list[Department] = []
    for index in range(spec.departments):
        faculty = faculties[index % len(faculties)]
        node = Node(f"{faculty.code}-d{index:03d}", f"Institutt for {_subject(index)}",
                    UnitKind.DEPARTMENT)
        faculty.children.append(node)
        departments.append(Department(node, faculty))
    sections = spec.units - 1 - spec.faculties - spec.departments
    for index in range(max(0, sections)):
        department = departments[index % len(departments)]
        topic = SECTION_TOPICS[len(department.sections) % len(SECTION_TOPICS)]
        subject = department.node.name.removeprefix("Institutt for ")
        node = Node(f"{department.node.code}-s{len(department.sections):02d}",
                    f"Seksjon for {topic}, {subject}", UnitKind.SECTION)
        department.node.children.append(node)
        department.sections.append(node)
    return Plan(root, faculties, departments)


def save_tree(plan: Plan) -> list[OrgUnit]:
    last_root = OrgUnit.objects.get_last_root_node()
    position = 1 if last_root is None else int(last_root.path[:STEPLEN], len(ALPHABET)) + 1
    assign_paths(plan.root, path_step(position))
    units = [node.saved for node in plan.root.walk()]
    OrgUnit.objects.bulk_create(units, batch_size=BATCH)
    if any(unit.pk is None for unit in units):  # an engine without RETURNING: read the ids back
        ids = dict(OrgUnit.objects.filter(code__in=[u.code for u in units]).values_list("code", "pk"))
        for unit in units:
            unit.pk = ids[unit.code]
    return units


def build_areas(plan: Plan, rng: random.Random) -> list[SafetyArea]:
    """Two or three safety areas per department, each covering the department and some sections."""
    areas: list[SafetyArea] = []
    for department in plan.departments:
        unit = department.node.saved
        for suffix, label, risk in AREA_KINDS[: rng.choice((2, 3))]:
            area = SafetyArea(
                org_unit=unit, code=f"{unit.code}-{suffix}", risk_level=risk,
                name=f"{unit.name.removeprefix('Institutt for ').capitalize()} – {label}",
                locations=f"Bygg {unit.code.upper()}, rom {rng.randint(100, 399)}\n"
                          f"Bygg {unit.code.upper()}, rom {rng.randint(100, 399)}")
            department.areas.append(area)
            areas.append(area)
    SafetyArea.objects.bulk_create(areas, batch_size=BATCH)
    links = []
    through = SafetyArea.units.through
    for department in plan.departments:
        for area in department.areas:
            links.append(through(safetyarea_id=area.pk, orgunit_id=department.node.saved.pk))
        for index, section in enumerate(department.sections):
            area = department.areas[index % len(department.areas)]
            department.area_of[section.code] = area
            links.append(through(safetyarea_id=area.pk, orgunit_id=section.saved.pk))
    through.objects.bulk_create(links, batch_size=BATCH)
    return areas


class PersonFactory:
    """Unsaved people with deterministic names and usernames; all share one password hash."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.password = make_password(PASSWORD)
        self.people: list[User] = []

    def __call__(self, username: str = "") -> User:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        username = username or f"p{len(self.people):05d}"
        person = User(username=username, first_name=first, last_name=last,
                      email=f"{username}@scale.example", password=self.password)
        self.people.append(person)
        return person


@dataclass
class RoleBook:
    """Role assignments collected before the people have ids; saved after the people are."""

    rows: list[tuple[User, OrgUnit, str, dict[str, Any]]] = field(default_factory=list)

    def add(self, person: User, unit: OrgUnit, role: str, **extra: Any) -> None:
        self.rows.append((person, unit, role, extra))

    def save(self) -> int:
        assignments = [RoleAssignment(person_id=person.pk, org_unit=unit, role=role, **extra)
                       for person, unit, role, extra in self.rows]
        RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH)
        return len(assignments)


def _key_people(plan: Plan, make: PersonFactory, book: RoleBook) -> None:
    """Every unit a leader (over its subtree where it has one); the root and each faculty an HSE
    coordinator over their subtree; each safety area a safety representative and a deputy."""
    for node in plan.root.walk():
        username = FACULTY_LEADER if node is plan.faculties[0] else ""
        leader = make(username)
        book.add(leader, node.saved, Role.LEADER, covers_subtree=bool(node.children))
        plan.leaders[node.code] = leader
        plan.staff[node.code] = [leader]
    for node in [plan.root, *plan.faculties]:
        coordinator = make()
        book.add(coordinator, node.saved, Role.HSE_COORDINATOR, covers_subtree=True)
        plan.staff[node.code].append(coordinator)
    for department in plan.departments:
        unit = department.node.saved
        for area in department.areas:
            for role in (Role.SAFETY_REP, Role.DEPUTY_SAFETY_REP):
                person = make()
                book.add(person, unit, role, safety_area=area)
                book.add(person, unit, Role.EMPLOYEE)
                plan.staff[unit.code].append(person)


def _rank_and_file(plan: Plan, spec: ScaleSpec, make: PersonFactory, book: RoleBook) -> None:
    """The rest: employees over departments and sections, students over departments."""
    today = timezone.localdate()
    rng = make.rng
    staff_units = [node for dep in plan.departments for node in (dep.node, *dep.sections)]
    plan.bench_department = plan.departments[0]
    bench_unit = plan.bench_department.node
    plan.bench_employee = make(EMPLOYEE)
    book.add(plan.bench_employee, bench_unit.saved, Role.EMPLOYEE)
    rest = max(0, spec.people - len(make.people))
    employees = round(rest * EMPLOYEE_SHARE)
    for node in rng.choices(staff_units, k=employees):
        person = make()
        former = rng.random() < 0.02  # a few former staff whose assignment has ended
        valid_to = today - dt.timedelta(days=rng.randint(1, 400)) if former else None
        book.add(person, node.saved, Role.EMPLOYEE, valid_to=valid_to)
        if not former:
            plan.staff[node.code].append(person)
    for department in rng.choices(plan.departments, k=rest - employees):
        valid_to = today + dt.timedelta(days=rng.randint(30, 4 * 365))
        book.add(make(), department.node.saved, Role.STUDENT, valid_to=valid_to)


def save_people(make: PersonFactory) -> int:
    User.objects.bulk_create(make.people, batch_size=BATCH)
    if any(person.pk is None for person in make.people):
        ids = dict(User.objects.values_list("username", "pk"))
        for person in make.people:
            person.pk = ids[person.username]
    return len(make.people)


def areas_by_unit(plan: Plan) -> dict[str, list[SafetyArea]]:
    """Unit code → the safety areas covering it: a department's own, a section's one."""
    area_of: dict[str, list[SafetyArea]] = {}
    for department in plan.departments:
        area_of[department.node.code] = department.areas
        for code, area in department.area_of.items():
            area_of[code] = [area]
    return area_of




def tree_problems() -> dict[str, list[int]]:
    names = ("evil_chars", "bad_steplen", "orphans", "wrong_depth", "wrong_numchild")
    found = OrgUnit.objects.find_problems()
    return {name: list(ids) for name, ids in zip(names, found, strict=True) if ids}



def first_holders(units: list[OrgUnit], roles: Collection[str]) -> dict[int, User]:
    """Unit id → one holder of the roles there (the first by pk)."""
    found: dict[int, User] = {}
    for assignment in (RoleAssignment.objects.filter(org_unit__in=units, role__in=roles)
                       .select_related("person").order_by("pk")):
        found.setdefault(assignment.org_unit_id, assignment.person)
    return found


def seed_scale(run: ScaleRun) -> None:
    """Units, safety areas, people and their roles; the plan stays in `run` for the later steps."""
    make, book = PersonFactory(run.rng), RoleBook()
    plan = run.plan = build_tree(run.spec)
    run.timed("units", lambda: len(save_tree(plan)))
    run.timed("safety areas", lambda: len(build_areas(plan, run.rng)))
    _key_people(plan, make, book)
    _rank_and_file(plan, run.spec, make, book)
    run.timed("people", lambda: save_people(make))
    run.timed("role assignments", book.save)


def bench_targets(_found: dict[str, Any]) -> dict[str, Any]:
    """The bench faculty (its leader's) and the bench employee's department."""
    faculty = RoleAssignment.objects.get(person__username=FACULTY_LEADER, role=Role.LEADER).org_unit
    department = RoleAssignment.objects.get(person__username=EMPLOYEE, role=Role.EMPLOYEE).org_unit
    return {"faculty_pk": faculty.pk, "faculty_path": faculty.path, "department_pk": department.pk,
            "department_people": RoleAssignment.objects.filter(org_unit=department).count()}
