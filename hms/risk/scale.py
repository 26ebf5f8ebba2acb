"""The risk assessments of the university-scale dataset for bench/: the bench faculty gets
`ScaleSpec.assessments` of them (most approved, 5–15 rows each; the heat map and list of
bench/run.py), the other faculties `other_assessments`, and the bench department one draft with
`draft_rows` rows, some with measures in the action plan (the assessment editor, its exports and
the row save of bench/run.py)."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from hms.accounts.models import User
from hms.core.seeding import BATCH, ScaleRun, ScaleSpec
from hms.measures.models import Measure, Origin, Priority, Status
from hms.measures.scale import MeasureFactory
from hms.org.models import UnitKind
from hms.org.scale import Node, Plan
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
            assessment.review_due = risk_services.years_later(approved_on, REVIEW_INTERVAL_YEARS)
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



def seed_scale(run: ScaleRun) -> None:
    run.timed("risk assessments", lambda: save_risk(run.plan, run.spec, run.rng))


def bench_targets(found: dict[str, Any]) -> dict[str, Any]:
    """The bench draft and its first row, and the bench faculty's assessments."""
    draft = RiskAssessment.objects.get(title=BENCH_DRAFT_TITLE, org_unit_id=found["department_pk"])
    in_faculty = RiskAssessment.objects.filter(org_unit__path__startswith=found["faculty_path"])
    return {
        "draft_pk": draft.pk, "draft_rows": draft.rows.count(),
        "row_pk": draft.rows.order_by("position").values_list("pk", flat=True)[0],
        "faculty_assessments": in_faculty.count(),
        "faculty_approved_rows": RiskRow.objects.filter(
            assessment__in=in_faculty.filter(status=AssessmentStatus.APPROVED)).count(),
    }
