"""The university-scale dataset for bench/: a fictional, deterministic university of a given size.

Besides units, people and measures it holds risk assessments: the bench faculty gets
`ScaleSpec.assessments` of them (most approved, 5–15 rows each; the heat map and list of
bench/run.py), the other faculties `other_assessments`, and the bench department one draft with
`draft_rows` rows, some with measures in the action plan (the assessment editor, its exports and
the row save of bench/run.py).

Built with bulk_create for speed: the treebeard materialised paths (steplen 4, base 36) are computed
here rather than through `add_child`, and checked with `OrgUnit.objects.find_problems()` at the end. Every
random choice comes from one seeded generator, so two runs on the same day give the same data (only
dates move with today). The people share one precomputed password hash of "demo".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from hms.accounts.models import User
from hms.core.demo import FIRST_NAMES, LAST_NAMES, MEASURE_TITLES, ORIGIN_NOTES
from hms.core.roles import Role
from hms.core.scale_governance import bench_governance_targets, save_governance
from hms.deviations.models import (
    CauseCategory,
    Deviation,
    DeviationType,
)
from hms.deviations.models import Status as CaseStatus
from hms.measures.models import Measure, Origin, Priority, Status
from hms.org.models import OrgUnit, RiskLevel, RoleAssignment, SafetyArea, UnitKind
from hms.risk import services as risk_services
from hms.risk.management.commands.load_risk_matrix import DEFAULT as DEFAULT_MATRIX
from hms.risk.models import (
    REVIEW_INTERVAL_YEARS,
    AssessmentKind,
    AssessmentStatus,
    Exposure,
    RiskAssessment,
    RiskMatrix,
    RiskRow,
    Trigger,
)

BATCH = 2000
PASSWORD = "demo"  # noqa: S105 - the documented password of every fictional bench user
FACULTY_LEADER = "bench_faculty_leader"
EMPLOYEE = "bench_employee"
EMPLOYEE_MEASURES = 20

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
STATUS_WEIGHTS = {Status.OPEN: 30, Status.IN_PROGRESS: 20, Status.DONE: 15, Status.VERIFIED: 25,
                  Status.CANCELLED: 10}
MEASURE_WEIGHT: dict[str, float] = {UnitKind.UNIVERSITY: 2.0, UnitKind.FACULTY: 4.0, UnitKind.DEPARTMENT: 4.0,
                  UnitKind.SECTION: 1.5}
EMPLOYEE_SHARE = 0.35  # of the people without a key role; the rest are students


@dataclass(frozen=True)
class ScaleSpec:
    units: int = 600
    people: int = 50_000
    measures: int = 100_000
    seed: int = 2026
    assessments: int = 5_000        # risk assessments in the bench faculty (its subtree)
    other_assessments: int = 2_000  # spread over the rest of the university
    draft_rows: int = 200           # rows of the bench draft assessment
    deviations: int = 20_000        # deviations in the bench faculty (its subtree), over 24 months
    other_deviations: int = 4_000   # spread over the rest of the university

    @property
    def faculties(self) -> int:
        return min(8, max(2, self.units // 20))

    @property
    def departments(self) -> int:
        """About one in four units below the faculties is a department; the rest are sections."""
        return max(1, (self.units - 1 - self.faculties) // 4)


TIERS = {
    "tiny": ScaleSpec(units=20, people=500, measures=1_000, assessments=50, other_assessments=20,
                      draft_rows=20, deviations=200, other_deviations=50),
    "quick": ScaleSpec(units=60, people=5_000, measures=10_000, assessments=500,
                       other_assessments=200, draft_rows=50, deviations=2_000, other_deviations=400),
    "full": ScaleSpec(),
}


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


class MeasureFactory:
    """Unsaved measures with every status, deadlines around today and a responsible from the unit."""

    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan, self.rng = plan, rng
        self.today = timezone.localdate()
        self.statuses = list(STATUS_WEIGHTS)
        self.status_weights = list(STATUS_WEIGHTS.values())
        self.area_of = areas_by_unit(plan)

    def __call__(self, node: Node, status: str | None = None,
                 responsible: User | None = None) -> Measure:
        rng = self.rng
        status = status or rng.choices(self.statuses, self.status_weights)[0]
        staff = self.plan.staff[node.code]
        if responsible is None and rng.random() > 0.03:
            responsible = rng.choice(staff)
        areas = self.area_of.get(node.code, [])
        title, origin = rng.choice(MEASURE_TITLES), rng.choice(Origin.values)
        measure = Measure(
            org_unit=node.saved, title=title, origin=origin,
            description=ORIGIN_NOTES[origin] if rng.random() < 0.5 else "",
            responsible=responsible, priority=rng.choice(Priority.values), status=status,
            safety_area=rng.choice(areas) if areas and rng.random() < 0.6 else None,
            cost_estimate=rng.choice([None, None, 2500, 18000, 120000]),
            created_by=self.plan.leaders[node.code],
        )
        self._dates(measure)
        return measure

    def _dates(self, measure: Measure) -> None:
        rng, today = self.rng, self.today
        if rng.random() < 0.02:
            measure.deadline = None
        elif measure.status in (Status.OPEN, Status.IN_PROGRESS):
            measure.deadline = today + dt.timedelta(days=rng.randint(-120, 240))
        else:
            measure.deadline = today + dt.timedelta(days=rng.randint(-365, 60))
        if measure.status in (Status.DONE, Status.VERIFIED):
            base = min(measure.deadline or today, today)
            measure.done_date = base - dt.timedelta(days=rng.randint(0, 30))
            if measure.status == Status.VERIFIED:
                measure.effect_note = "Virker etter hensikten."
        if measure.status == Status.CANCELLED:
            measure.cancel_reason = "Erstattet av et annet tiltak."


def _measure_units(plan: Plan, count: int, rng: random.Random) -> list[Node]:
    nodes = list(plan.root.walk())
    weights = [MEASURE_WEIGHT.get(node.kind, 1.0) for node in nodes]
    return rng.choices(nodes, weights, k=count)


def save_measures(plan: Plan, spec: ScaleSpec, rng: random.Random) -> int:
    """Measures in chunks (memory stays flat); the bench employee is responsible for 20 of them."""
    make = MeasureFactory(plan, rng)
    # The bench employee is in no unit's staff list, so their measures are exactly these.
    assert plan.bench_department is not None and plan.bench_employee is not None
    bench_statuses = [Status.OPEN, Status.OPEN, Status.IN_PROGRESS, Status.DONE, Status.VERIFIED]
    own = [make(plan.bench_department.node, status=bench_statuses[i % len(bench_statuses)],
                responsible=plan.bench_employee) for i in range(min(EMPLOYEE_MEASURES, spec.measures))]
    Measure.objects.bulk_create(own, batch_size=BATCH)
    nodes = _measure_units(plan, spec.measures - len(own), rng)
    chunk = BATCH * 5
    for start in range(0, len(nodes), chunk):
        Measure.objects.bulk_create([make(node) for node in nodes[start:start + chunk]],
                                    batch_size=BATCH)
    return len(own) + len(nodes)


# --- Risk assessments ------------------------------------------------------------------------------

# (hazard type, activity, unwanted event, cause, existing measures)
RISK_TEXTS = [
    ("chemical", "Arbeid med organiske løsemidler", "Innånding av løsemiddeldamp",
     "Arbeid utenfor avtrekk", "Avtrekksskap, stoffkartotek"),
    ("chemical", "Håndtering av konsentrert syre", "Syresprut på hud eller i øyne",
     "Søl ved fortynning", "Vernebriller, nøddusj og øyeskylling"),
    ("fire", "Oppvarming med varmeplate", "Brann i laboratoriet", "Brennbart materiale nær varmekilde",
     "Brannslukker og branntepper, opplæring"),
    ("electrical", "Arbeid på høyspenningsanlegg", "Elektrisk støt", "Anlegget ikke frakoblet",
     "Låse- og merkerutiner, FSE-kurs"),
    ("mechanical", "Bruk av dreiebenk", "Klemskade i roterende deler", "Løse klær eller manglende vern",
     "Maskinvern, verkstedinstruks"),
    ("physical", "Støyende prøving i hall", "Hørselsskade", "Langvarig eksponering for støy",
     "Hørselvern tilgjengelig"),
    ("biological", "Dyrking av mikroorganismer", "Smitte ved søl", "Brudd på rør eller plate",
     "Sikkerhetsbenk klasse II, desinfeksjonsrutiner"),
    ("ergonomic", "Langvarig arbeid ved mikroskop", "Belastningsskader i nakke og skuldre",
     "Dårlig tilpasset arbeidsstasjon", "Hev-senk-bord"),
    ("psychosocial", "Høyt arbeidspress i innleveringsperioder", "Stressrelatert sykefravær",
     "Uklare prioriteringer", "Medarbeidersamtaler"),
    ("radiation", "Bruk av røntgendiffraktometer", "Utilsiktet stråleeksponering",
     "Defekt skjerming", "Strålevernkoordinator, dosimetri"),
    ("physical", "Feltarbeid i bratt terreng", "Fall og bruddskader", "Glatt underlag, dårlig vær",
     "Feltinstruks, førstehjelpsutstyr"),
    ("other", "Alenearbeid på kveldstid", "Skade uten at noen varsles", "Ingen i nærheten",
     "Alenearbeidsrutine"),
    ("chemical", "Bruk av flytende nitrogen", "Kuldeskader og oksygenmangel",
     "Fordamping i lite rom", "Oksygenmåler, hansker og visir"),
    ("mechanical", "Løft av tunge gassflasker", "Flaske velter og klemmer fot",
     "Manglende sikring under transport", "Flasketralle, vernesko"),
    ("electrical", "Bruk av hjemmelaget måleoppsett", "Brann eller støt fra oppsettet",
     "Ikke godkjent utstyr", "Kontroll før bruk"),
]
TRIGGERS = list(Trigger.values)
EXPOSURES = list(Exposure.values)
# (weight, statuses in the order made; each after the first is a revision of the one before)
ASSESSMENT_FAMILIES = [
    (70, (AssessmentStatus.APPROVED,)),
    (6, (AssessmentStatus.ARCHIVED, AssessmentStatus.APPROVED)),
    (3, (AssessmentStatus.APPROVED, AssessmentStatus.UNDER_REVISION)),
    (8, (AssessmentStatus.DRAFT,)),
    (4, (AssessmentStatus.IN_REVIEW,)),
]
ASSESSMENT_WEIGHT: dict[str, float] = {UnitKind.UNIVERSITY: 1.0, UnitKind.FACULTY: 2.0,
                                       UnitKind.DEPARTMENT: 3.0, UnitKind.SECTION: 1.5}
BENCH_DRAFT_TITLE = "Risikokartlegging – hele instituttet (benk)"
PRIORITY_BY_COLOUR = risk_services.PRIORITY_BY_COLOUR


def load_matrix() -> RiskMatrix:
    """The shipped risk matrix, in use (loading it again changes nothing)."""
    definition = json.loads(DEFAULT_MATRIX.read_text(encoding="utf-8"))
    return risk_services.load_matrix(actor=None, definition=definition)


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class RiskFactory:
    """Unsaved assessments and rows; each row's derived values are set (`derive`) as a save would."""

    def __init__(self, plan: Plan, matrix: RiskMatrix, rng: random.Random) -> None:
        self.plan, self.matrix, self.rng = plan, matrix, rng
        self.now = timezone.now()
        definition = matrix.definition
        self.probabilities = [level["value"] for level in definition["probability"]]
        self.levels = [level["value"] for level in definition["consequence"]]
        # Likely and severe is rarer than unlikely and mild.
        self.probability_weights = [len(self.probabilities) - i for i in range(len(self.probabilities))]
        self.level_weights = [len(self.levels) - i for i in range(len(self.levels))]
        self.required = matrix.required_areas()
        self.optional = [area["code"] for area in matrix.areas() if area["code"] not in self.required]
        self.needs = {colour["code"]: colour["needs"] for colour in definition["colours"]}

    def assessment(self, node: Node, status: str, previous: RiskAssessment | None = None,
                   kind: str | None = None, title: str = "") -> RiskAssessment:
        rng = self.rng
        leader = self.plan.leaders[node.code]
        if previous is not None:
            kind, title = previous.kind, previous.title
        kind = kind or (AssessmentKind.OVERALL if rng.random() < 0.3 else AssessmentKind.DETAILED)
        if not title:
            activity = rng.choice(RISK_TEXTS)[1]
            title = (f"Risikokartlegging {node.name}" if kind == AssessmentKind.OVERALL
                     else f"Risikovurdering: {activity.lower()}")[:200]
        assessment = RiskAssessment(
            org_unit=node.saved, kind=kind, title=title, status=status, matrix=self.matrix,
            scope="Laboratorier, verksted og kontorer i enheten." if kind == AssessmentKind.OVERALL
            else "Aktiviteten slik den utføres i dag, med utstyr og rom.",
            trigger=rng.choice(TRIGGERS), responsible_leader=leader, created_by=leader,
            revision_of=previous)
        if status in (AssessmentStatus.APPROVED, AssessmentStatus.ARCHIVED):
            # Archived versions were approved long ago; some approvals are due for review.
            days = rng.randint(3 * 365, 6 * 365) if status == AssessmentStatus.ARCHIVED \
                else rng.randint(0, 30 * 30)
            assessment.approved_at = self.now - dt.timedelta(days=days, minutes=rng.randint(0, 600))
            assessment.approved_by = leader
            approved_on = timezone.localdate(assessment.approved_at)
            assessment.review_due = _years_later(approved_on, REVIEW_INTERVAL_YEARS)
            assessment.assessed_on = approved_on - dt.timedelta(days=rng.randint(1, 30))
        else:
            assessment.assessed_on = timezone.localdate(self.now) - dt.timedelta(days=rng.randint(0, 90))
        return assessment

    def row(self, assessment: RiskAssessment, position: int, *, scored: bool = True) -> RiskRow:
        rng = self.rng
        hazard, activity, event, cause, existing = rng.choice(RISK_TEXTS)
        row = RiskRow(assessment=assessment, position=position, hazard_type=hazard,
                      activity=activity, unwanted_event=event, cause=cause, existing_measures=existing,
                      exposure=rng.choice(EXPOSURES) if rng.random() < 0.15 else "",
                      needs_detailed=assessment.kind == AssessmentKind.OVERALL and rng.random() < 0.1)
        if scored:
            row.probability = self._probability()
            areas = self.required + rng.sample(self.optional, rng.randint(0, min(2, len(self.optional))))
            row.consequences = {code: self._level() for code in areas}
        row.derive(self.matrix)
        needs = self.needs.get(row.colour, "nothing")
        if scored and needs != "nothing":
            # Measures planned: lower after them; a yellow row may be accepted with a reason.
            assert row.probability is not None
            row.residual_probability = max(1, row.probability - rng.randint(1, 2))
            row.residual_consequences = {code: max(1, level - rng.randint(0, 1))
                                         for code, level in row.consequences.items()}
            row.derive(self.matrix)
            if needs == "measure_or_reason" and rng.random() < 0.7:
                row.accept_reason = "Risikoen er akseptabel med dagens tiltak og opplæring."
        return row

    def copy_rows(self, rows: list[RiskRow], assessment: RiskAssessment) -> list[RiskRow]:
        """A revision's rows: the approved version's, as `start_revision` copies them."""
        return [RiskRow(assessment=assessment, **{name: getattr(row, name)
                                                  for name in RiskRow.COPIED_FIELDS})
                for row in rows]

    def rows(self, assessment: RiskAssessment, count: int) -> list[RiskRow]:
        """A draft has some rows not scored yet; the others are complete."""
        unscored = 0.15 if assessment.status == AssessmentStatus.DRAFT else 0.0
        return [self.row(assessment, position, scored=self.rng.random() >= unscored)
                for position in range(1, count + 1)]

    def participants(self, node: Node) -> set[User]:
        staff = self.plan.staff[node.code]
        return {self.plan.leaders[node.code], *self.rng.sample(staff, min(len(staff), 2))}

    def _probability(self) -> int:
        return self.rng.choices(self.probabilities, self.probability_weights)[0]

    def _level(self) -> int:
        return self.rng.choices(self.levels, self.level_weights)[0]


def _assessment_units(nodes: list[Node], count: int, rng: random.Random) -> list[Node]:
    weights = [ASSESSMENT_WEIGHT.get(node.kind, 1.0) for node in nodes]
    return rng.choices(nodes, weights, k=count)


def _families(count: int, rng: random.Random) -> list[tuple[str, ...]]:
    """Families of versions adding up to `count` assessments."""
    weights = [weight for weight, _statuses in ASSESSMENT_FAMILIES]
    kinds = [statuses for _weight, statuses in ASSESSMENT_FAMILIES]
    families: list[tuple[str, ...]] = []
    made = 0
    while made < count:
        family = rng.choices(kinds, weights)[0][: count - made]
        families.append(family)
        made += len(family)
    return families


def _save_assessments(make: RiskFactory, nodes: list[Node], count: int) -> tuple[int, int]:
    """`count` assessments with 5–15 rows each over `nodes`, in chunks (memory stays flat); a
    family's later versions are revisions of the one before, with its rows copied."""
    rng = make.rng
    families = _families(count, rng)
    units = _assessment_units(nodes, len(families), rng)
    through = RiskAssessment.participants.through
    made = rows_made = 0
    chunk = 500
    for start in range(0, len(families), chunk):
        batch = list(zip(units[start:start + chunk], families[start:start + chunk], strict=True))
        previous: list[tuple[RiskAssessment, list[RiskRow]] | None] = [None] * len(batch)
        for version in range(max(len(family) for _node, family in batch)):
            wave = [(i, node, family[version]) for i, (node, family) in enumerate(batch)
                    if version < len(family)]
            assessments = []
            for i, node, status in wave:
                before = previous[i]
                assessments.append(make.assessment(node, status, before[0] if before else None))
            RiskAssessment.objects.bulk_create(assessments, batch_size=BATCH)
            if any(assessment.pk is None for assessment in assessments):
                raise RuntimeError("bulk_create gave no ids: the seed needs RETURNING (SQLite 3.35+)")
            rows: list[RiskRow] = []
            links: list[Any] = []
            for (i, node, _status), assessment in zip(wave, assessments, strict=True):
                before = previous[i]
                own = (make.copy_rows(before[1], assessment) if before
                       else make.rows(assessment, rng.randint(5, 15)))
                previous[i] = (assessment, own)
                rows.extend(own)
                links.extend(through(riskassessment_id=assessment.pk, user_id=person.pk)
                             for person in make.participants(node))
            RiskRow.objects.bulk_create(rows, batch_size=BATCH)
            through.objects.bulk_create(links, batch_size=BATCH)
            made += len(assessments)
            rows_made += len(rows)
    return made, rows_made


def _save_bench_draft(make: RiskFactory, spec: ScaleSpec) -> tuple[int, int]:
    """The bench department's draft with `draft_rows` rows: red rows have one or two measures in the
    action plan (most with a responsible person and a deadline), a third of the yellow ones one."""
    plan, rng = make.plan, make.rng
    assert plan.bench_department is not None
    node = plan.bench_department.node
    draft = make.assessment(node, AssessmentStatus.DRAFT, kind=AssessmentKind.OVERALL,
                            title=BENCH_DRAFT_TITLE)
    draft.save()
    draft.participants.set(make.participants(node))
    rows = make.rows(draft, spec.draft_rows)
    RiskRow.objects.bulk_create(rows, batch_size=BATCH)
    measures = MeasureFactory(plan, rng)
    row_type = ContentType.objects.get_for_model(RiskRow)
    linked = []
    for row in rows:
        needs = make.needs.get(row.colour, "nothing")
        count = (rng.randint(1, 2) if needs == "measure"
                 else int(rng.random() < 0.33) if needs == "measure_or_reason" else 0)
        for _ in range(count):
            status = rng.choice([Status.OPEN, Status.OPEN, Status.IN_PROGRESS, Status.DONE,
                                 Status.CANCELLED])
            measure = measures(node, status=status)
            measure.title = f"Tiltak: {row.unwanted_event}"[:200]
            measure.origin, measure.origin_type, measure.origin_id = Origin.RISK_ROW, row_type, row.pk
            measure.priority = PRIORITY_BY_COLOUR.get(row.colour, Priority.MEDIUM)
            if rng.random() < 0.15:
                measure.responsible = None
            linked.append(measure)
    Measure.objects.bulk_create(linked, batch_size=BATCH)
    return len(rows), len(linked)


def save_risk(plan: Plan, spec: ScaleSpec, rng: random.Random) -> str:
    """The matrix, the bench faculty's assessments, the rest of the university's, the bench draft."""
    make = RiskFactory(plan, load_matrix(), rng)
    bench = plan.faculties[0]
    inside = list(bench.walk())
    codes = {node.code for node in inside}
    outside = [node for node in plan.root.walk() if node.code not in codes]
    made, rows = _save_assessments(make, inside, spec.assessments)
    other, other_rows = _save_assessments(make, outside, spec.other_assessments)
    draft_rows, measures = _save_bench_draft(make, spec)
    return (f"{made + other + 1} assessments ({made} in the bench faculty), "
            f"{rows + other_rows + draft_rows} rows; draft: {draft_rows} rows, {measures} measures")


# --- Deviations ------------------------------------------------------------------------------------

# (type code, weight, titles): near misses and dangerous conditions are most of what is reported.
DEVIATION_KINDS = [
    ("near_miss", 30, ["Nesten sklidd på vått gulv i korridoren", "Gassflaske sto usikret i labben",
                       "Glassvare falt ned fra hylla", "Nesten kjørt på av truck ved varemottaket"]),
    ("dangerous_condition", 26, ["Avtrekksskap gir alarm for lav luftmengde", "Nødutgang sperret av paller",
                                 "Løs kabel over gangvei", "Øyeskylleflaske har gått ut på dato"]),
    ("improvement", 12, ["Forslag: bedre merking av avfallsdunker", "Forslag: egen sone for alenearbeid",
                         "Forslag: sjekkliste for nyansatte i verkstedet"]),
    ("personal_injury", 9, ["Kuttskade ved oppvask av glassutstyr", "Forbrenning fra varmeplate",
                            "Klemskade i dør til kjølerom"]),
    ("material_damage", 8, ["Vannlekkasje fra kjølevann", "Sentrifuge skadet etter ubalanse",
                            "Strømbrudd ødela prøver i fryser"]),
    ("rule_breach", 6, ["Arbeid i labben uten vernebriller", "Kjemikalier lagret utenfor skap"]),
    ("fire", 4, ["Røykutvikling fra varmeskap", "Brannalarm utløst av damp fra autoklav"]),
    ("environmental", 3, ["Søl av løsemiddel i sluk", "Utslipp fra avtrekk etter feil i renseanlegg"]),
    ("violence", 2, ["Truende oppførsel fra besøkende i resepsjonen"]),
]
DEVIATION_MONTHS = 24
# Status weights by the case's age in days: new cases are mostly open, old ones mostly closed.
DEVIATION_STATUSES = [
    (14, {CaseStatus.REPORTED: 45, CaseStatus.ACCEPTED: 25, CaseStatus.UNDER_TREATMENT: 20,
          CaseStatus.MEASURES_DONE: 4, CaseStatus.REJECTED: 4, CaseStatus.CLOSED: 2}),
    (90, {CaseStatus.REPORTED: 6, CaseStatus.ACCEPTED: 12, CaseStatus.UNDER_TREATMENT: 25,
          CaseStatus.MEASURES_DONE: 12, CaseStatus.REJECTED: 6, CaseStatus.CLOSED: 39}),
    (10**6, {CaseStatus.REPORTED: 1, CaseStatus.ACCEPTED: 2, CaseStatus.UNDER_TREATMENT: 5,
             CaseStatus.MEASURES_DONE: 4, CaseStatus.REJECTED: 8, CaseStatus.CLOSED: 80}),
]
DEVIATION_WEIGHT: dict[str, float] = {UnitKind.UNIVERSITY: 0.5, UnitKind.FACULTY: 1.0,
                                      UnitKind.DEPARTMENT: 4.0, UnitKind.SECTION: 2.0}
ANONYMOUS_SHARE = 0.08
CONSEQUENCE_WEIGHTS = [45, 30, 15, 7, 3]  # levels 1–5


def save_handlers(plan: Plan, rng: random.Random) -> dict[str, User]:
    """A deviation handler for each department (one of its staff, over its subtree), as the line
    manager delegates it; unit code → handler for the department and its sections."""
    handlers: dict[str, User] = {}
    assignments = []
    for department in plan.departments:
        staff = plan.staff[department.node.code][1:]  # the first is the leader
        if not staff:
            continue
        person = rng.choice(staff)
        assignments.append(RoleAssignment(person_id=person.pk, org_unit=department.node.saved,
                                          role=Role.DEVIATION_HANDLER, covers_subtree=True))
        for node in (department.node, *department.sections):
            handlers[node.code] = person
    RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    return handlers


class DeviationFactory:
    """Unsaved cases reported over the last 24 months, in every status, with handler, deadline,
    assessment and closing consistent with the status."""

    def __init__(self, plan: Plan, rng: random.Random, handlers: dict[str, User]) -> None:
        self.plan, self.rng, self.handlers = plan, rng, handlers
        self.now = timezone.now()
        types = {kind.code: kind for kind in DeviationType.objects.all()}
        self.kinds = [(types[code], titles) for code, _weight, titles in DEVIATION_KINDS if code in types]
        self.kind_weights = [weight for code, weight, _titles in DEVIATION_KINDS if code in types]
        self.area_of = areas_by_unit(plan)
        self.causes = list(CauseCategory.values)

    def __call__(self, node: Node) -> Deviation:
        rng = self.rng
        reported = self.now - dt.timedelta(seconds=rng.randint(60, DEVIATION_MONTHS * 30 * 86400))
        kind, titles = rng.choices(self.kinds, self.kind_weights)[0]
        anonymous = rng.random() < ANONYMOUS_SHARE
        areas = self.area_of.get(node.code, [])
        case = Deviation(
            org_unit=node.saved, deviation_type=kind, title=rng.choice(titles),
            description="Beskrivelse av hendelsen, hva som skjedde og hvem som var til stede.",
            occurred_at=reported - dt.timedelta(minutes=rng.randint(5, 3 * 24 * 60)), reported_at=reported,
            reporter=None if anonymous else rng.choice(self.plan.staff[node.code]), anonymous=anonymous,
            via_public_form=anonymous and rng.random() < 0.3, last_activity_at=reported,
            safety_area=rng.choice(areas) if areas and rng.random() < 0.7 else None,
            location=f"Bygg {node.code.upper()}, rom {rng.randint(100, 399)}" if rng.random() < 0.6 else "",
            status=self._status((self.now - reported).days))
        if case.status != CaseStatus.REPORTED:
            self._handle(case, node)
        return case

    def _status(self, age: int) -> str:
        weights = next(table for limit, table in DEVIATION_STATUSES if age < limit)
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def _handler(self, node: Node) -> User:
        handler = self.handlers.get(node.code)
        return handler if handler is not None and self.rng.random() < 0.8 else self.plan.leaders[node.code]

    def _handle(self, case: Deviation, node: Node) -> None:
        rng, reported = self.rng, case.reported_at
        case.handler = self._handler(node)
        if case.status == CaseStatus.REJECTED:
            case.reject_reason = "Meldt som byggfeil: sendt til e-vaktmester."
            case.last_activity_at = min(self.now, reported + dt.timedelta(hours=rng.randint(1, 240)))
            return
        accepted = min(self.now, reported + dt.timedelta(hours=rng.randint(1, 240)))
        case.accepted_at = case.last_activity_at = accepted
        days = rng.choice((14, 30, 30, 60, 90))
        case.close_deadline = timezone.localdate(accepted) + dt.timedelta(days=days)
        if rng.random() < 0.75:
            self._assess(case)
        if case.status == CaseStatus.CLOSED:
            self._close(case, accepted)
        elif case.status in (CaseStatus.UNDER_TREATMENT, CaseStatus.MEASURES_DONE):
            case.last_activity_at = min(self.now, accepted + dt.timedelta(days=rng.randint(0, 40)))

    def _assess(self, case: Deviation) -> None:
        rng = self.rng
        actual = rng.choices(range(1, 6), CONSEQUENCE_WEIGHTS)[0]
        case.actual_consequence = actual
        case.potential_consequence = min(5, actual + rng.choice((0, 0, 1, 1, 2)))
        case.cause_categories = rng.sample(self.causes, rng.randint(1, 2))
        case.serious_injury = case.deviation_type.is_injury and actual >= 4
        if case.deviation_type.is_injury and rng.random() < 0.8:
            case.injury_report_filed_on = timezone.localdate(case.accepted_at)

    def _close(self, case: Deviation, accepted: dt.datetime) -> None:
        """Most close in a few weeks, some take months; three in four meet their deadline."""
        rng = self.rng
        took = dt.timedelta(hours=1 + int(rng.expovariate(1 / (24 * 25))))
        closed = min(accepted + took, self.now - dt.timedelta(minutes=rng.randint(1, 600)))
        case.closed_at = case.last_activity_at = max(closed, accepted)
        case.conclusion = "Tiltak gjennomført og kontrollert."
        case.learning = "Rutinen er oppdatert og gjennomgått på allmøtet."


@contextlib.contextmanager
def reported_at_as_given() -> Iterator[None]:
    """bulk_create stamps `reported_at` (auto_now_add) with now; the seed spreads it over 24 months."""
    reported_at = Deviation._meta.get_field("reported_at")
    assert isinstance(reported_at, models.DateTimeField)
    reported_at.auto_now_add = False
    try:
        yield
    finally:
        reported_at.auto_now_add = True


def _save_cases(make: DeviationFactory, nodes: list[Node], count: int) -> int:
    weights = [DEVIATION_WEIGHT.get(node.kind, 1.0) for node in nodes]
    units = make.rng.choices(nodes, weights, k=count)
    chunk = BATCH * 5
    with reported_at_as_given():
        for start in range(0, len(units), chunk):
            Deviation.objects.bulk_create([make(node) for node in units[start:start + chunk]],
                                          batch_size=BATCH)
    return len(units)


def save_deviations(plan: Plan, spec: ScaleSpec, rng: random.Random) -> str:
    """Handlers for the departments, then the bench faculty's cases and the rest of the university's."""
    handlers = save_handlers(plan, rng)
    make = DeviationFactory(plan, rng, handlers)
    inside = list(plan.faculties[0].walk())
    codes = {node.code for node in inside}
    made = _save_cases(make, inside, spec.deviations)
    other = _save_cases(make, [node for node in plan.root.walk() if node.code not in codes],
                        spec.other_deviations)
    return (f"{made + other} deviations ({made} in the bench faculty), "
            f"{len(set(map(id, handlers.values())))} handlers")


def tree_problems() -> dict[str, list[int]]:
    names = ("evil_chars", "bad_steplen", "orphans", "wrong_depth", "wrong_numchild")
    found = OrgUnit.objects.find_problems()
    return {name: list(ids) for name, ids in zip(names, found, strict=True) if ids}


# Reference data that records who loaded it: kept by --force, with that link emptied.
REFERENCE_DATA = ("risk.RiskMatrix",)


def records_of_people_and_units() -> list[type[models.Model]]:
    """Every table whose rows hang on a person or a unit, directly or through another such table:
    what --force deletes. Reference data (the risk matrix, deviation types, checklists, courses,
    the task catalogue) stays."""
    from django.apps import apps

    linked: set[type[models.Model]] = {User, OrgUnit}
    candidates = [model for model in apps.get_models(include_auto_created=True)
                  if model._meta.label not in REFERENCE_DATA]
    grew = True
    while grew:
        found = {model for model in candidates if model not in linked and any(
            field.related_model in linked for field in model._meta.concrete_fields if field.is_relation)}
        linked |= found
        grew = bool(found)
    return sorted(linked, key=lambda model: model._meta.db_table)


def wipe() -> None:
    """Delete everything that hangs on a person or a unit (for --force), the audit trail of the
    bench database included, in one transaction: one DELETE per table, in any order, since every
    foreign key is checked at commit (Django makes them deferred on both engines)."""
    from django.apps import apps

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for label in REFERENCE_DATA:
            model = apps.get_model(label)
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is User:
                    cursor.execute(f"UPDATE {quote(model._meta.db_table)} "  # noqa: S608
                                   f"SET {quote(field.column)} = NULL")
        for model in records_of_people_and_units():
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


def analyze() -> None:
    """Refresh the planner's statistics on PostgreSQL, which autovacuum would do minutes after a
    bulk load anyway. SQLite is left as a real install runs it: Django never runs ANALYZE there."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


Report = Callable[[str, float, str], None]


def _timed(report: Report, label: str, step: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = step()
    report(label, time.perf_counter() - started, "" if result is None else str(result))
    return result


def build(spec: ScaleSpec, report: Report) -> Plan:
    """Build the dataset in one transaction; `report(step, seconds, detail)` is told as steps end."""
    rng = random.Random(spec.seed)
    make = PersonFactory(rng)
    book = RoleBook()
    with transaction.atomic():
        plan = build_tree(spec)
        _timed(report, "units", lambda: len(save_tree(plan)))
        _timed(report, "safety areas", lambda: len(build_areas(plan, rng)))
        _key_people(plan, make, book)
        _rank_and_file(plan, spec, make, book)
        _timed(report, "people", lambda: save_people(make))
        _timed(report, "role assignments", book.save)
        _timed(report, "measures", lambda: save_measures(plan, spec, rng))
        _timed(report, "risk assessments", lambda: save_risk(plan, spec, rng))
        _timed(report, "deviations", lambda: save_deviations(plan, spec, rng))
        _timed(report, "governance", lambda: save_governance(
            [department.node.saved for department in plan.departments], rng))
    _timed(report, "analyze", analyze)
    return plan


def bench_targets() -> dict[str, Any]:
    """The records bench/run.py visits: the bench faculty (its plan, risk and deviations), the bench
    employee's department, the bench draft assessment and its first row."""
    faculty = RoleAssignment.objects.get(person__username=FACULTY_LEADER, role=Role.LEADER).org_unit
    department = RoleAssignment.objects.get(person__username=EMPLOYEE, role=Role.EMPLOYEE).org_unit
    draft = RiskAssessment.objects.get(title=BENCH_DRAFT_TITLE, org_unit=department)
    in_faculty = RiskAssessment.objects.filter(org_unit__path__startswith=faculty.path)
    cases = Deviation.objects.filter(org_unit__path__startswith=faculty.path)
    return {
        "draft_pk": draft.pk, "draft_rows": draft.rows.count(),
        "row_pk": draft.rows.order_by("position").values_list("pk", flat=True)[0],
        "faculty_assessments": in_faculty.count(),
        "faculty_approved_rows": RiskRow.objects.filter(
            assessment__in=in_faculty.filter(status=AssessmentStatus.APPROVED)).count(),
        "faculty_pk": faculty.pk, "faculty_path": faculty.path,
        "faculty_measures": Measure.objects.filter(org_unit__path__startswith=faculty.path).count(),
        "department_pk": department.pk,
        "department_people": RoleAssignment.objects.filter(org_unit=department).count(),
        "employee_open_measures": Measure.objects.open()
        .filter(responsible__username=EMPLOYEE).count(),
        "faculty_deviations": cases.count(), "faculty_open_deviations": cases.open().count(),
        "faculty_overdue_deviations": cases.overdue().count(),
        **bench_governance_targets(department),
    }
