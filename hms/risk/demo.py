"""Risk assessments for the demo university: each department's overall mapping (approved at
different times, so some reviews are due), and in the chemistry department a detailed assessment
of hydrofluoric acid work still in draft, with red rows to answer."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from hms.core.seeding import DemoUniversity
from hms.risk import services
from hms.risk.models import AssessmentKind, AssessmentStatus, RiskAssessment, RiskMatrix

# (hazard, activity, unwanted event, cause, existing measures, P, people, environment, exposure)
MAPPING_ROWS = [
    ("chemical", "Arbeid med organiske løsemidler", "Innånding av damp", "Arbeid utenfor avtrekk",
     "Avtrekksskap, opplæring", 3, 3, 2, "chemicals"),
    ("chemical", "Arbeid med flussyre (HF)", "Hudkontakt med flussyre", "Søl ved overføring",
     "Kalsiumglukonatgel, hansker", 2, 5, 1, "chemicals"),
    ("ergonomic", "Kontorarbeid", "Belastningsplager i nakke og skuldre", "Dårlig tilpasset "
     "arbeidsplass", "Hev-senk-pulter", 4, 2, None, ""),
    ("psychosocial", "Undervisning og forskning", "Høyt arbeidspress over tid",
     "Søknadsfrister og undervisning samtidig", "Medarbeidersamtaler", 3, 3, None, ""),
    ("fire", "Lagring av brennbare væsker", "Brann i kjemikalielager", "Feil lagring",
     "Brannskap, sprinkler", 1, 4, 3, ""),
    ("electrical", "Bruk av laboratorieutstyr", "Elektrisk støt", "Skadde ledninger",
     "Årlig el-kontroll", 1, 3, None, ""),
]
# The detailed assessment's rows: two red (one answered), two yellow, the rest green.
DETAILED_ROWS = [
    ("chemical", "Fortynning av 40 % HF", "Sprut på hud eller i øyne", "Feil verneutstyr",
     "Ansiktsskjerm, nitrilhansker", 3, 4, 1, "chemicals"),
    ("chemical", "Etsing av glassprøver", "Innånding av HF-damp", "Avtrekk ikke slått på",
     "Avtrekksskap med alarm", 3, 4, 2, "chemicals"),
    ("chemical", "Nøytralisering av avfall", "Varmeutvikling og sprut", "For rask tilsetting",
     "Skriftlig prosedyre", 3, 3, 2, "chemicals"),
    ("biological", "Håndtering av prøver fra felt", "Smitte", "Uidentifiserte organismer",
     "Hansker, håndvask", 2, 3, None, "biological"),
    ("ergonomic", "Lange økter i avtrekksskap", "Belastningsplager", "Fastlåst arbeidsstilling",
     "Pauser", 3, 1, None, ""),
    ("fire", "Oppvarming på varmeplate", "Brann i avtrekksskap", "Glemt varmeplate",
     "Tidsbryter", 1, 3, 2, ""),
    ("physical", "Arbeid alene på kveldstid", "Ulykke uten at noen merker det", "Alenearbeid",
     "Alenearbeidsrutine", 1, 2, None, "night_work"),
    ("mechanical", "Bruk av sentrifuge", "Rotorbrudd", "Ubalanse", "Låst lokk, opplæring", 1, 2,
     None, ""),
]


def _row_data(spec: tuple[Any, ...]) -> dict[str, Any]:
    hazard, activity, event, cause, existing, probability, people, environment, exposure = spec
    consequences = {"people": people, **({"environment": environment} if environment else {})}
    return {"hazard_type": hazard, "activity": activity, "unwanted_event": event, "cause": cause,
            "existing_measures": existing, "probability": probability, "consequences": consequences,
            "exposure": exposure, "residual_probability": max(1, probability - 2),
            "residual_consequences": {"people": max(1, people - 1)}}


def _answer_rows(assessment: RiskAssessment, actor: Any, responsible: Any, red_only: int | None
                 ) -> None:
    """Measures for red rows (up to `red_only` of them) and reasons for yellow ones."""
    answered = 0
    for row in assessment.rows_with_matrix():
        if row.colour == "red" and (red_only is None or answered < red_only):
            services.add_row_measure(actor=actor, row=row, data={
                "title": f"Tiltak: {row.unwanted_event.lower()}", "responsible": responsible,
                "deadline": timezone.localdate() + dt.timedelta(days=45)})
            answered += 1
        elif row.colour == "yellow":
            services.update_row(actor=actor, row=row, version=row.version, data={
                "accept_reason": "Akseptert etter vurdering i møte med verneombudet."})


def build_risk_demo(departments: list[tuple[Any, Any, Any]], chemistry: tuple[Any, Any, Any]) -> None:
    """`departments`: (unit, leader, safety rep) of each department; `chemistry` the same for the
    department whose demo logins are printed."""
    if RiskMatrix.objects.current() is None:
        call_command("load_risk_matrix", stdout=io.StringIO())
    today = timezone.localdate()
    for index, (unit, leader, rep) in enumerate(departments):
        mapping = services.create_assessment(
            actor=leader, org_unit=unit, kind=AssessmentKind.OVERALL, participants=(rep,),
            data={"title": f"Overordnet risikokartlegging – {unit.name}", "responsible_leader": leader,
                  "scope": "Alle aktiviteter og arealer ved enheten.", "trigger": "periodic_review",
                  "assessed_on": today - dt.timedelta(days=300)})
        for spec in MAPPING_ROWS[: 4 + index % 3]:
            services.add_row(actor=leader, assessment=mapping,
                             data={**_row_data(spec), "needs_detailed": spec[5] * spec[6] >= 10})
        _answer_rows(mapping, leader, rep, red_only=None)
        services.submit_for_review(actor=leader, assessment=mapping)
        mapping.refresh_from_db()
        services.approve_assessment(actor=leader, assessment=mapping)
        # Approved at different times: some reviews are overdue, some fall due soon.
        approved_days_ago = (700, 300, 760, 120)[index % 4]
        RiskAssessment.objects.filter(pk=mapping.pk).update(
            approved_at=timezone.now() - dt.timedelta(days=approved_days_ago),
            review_due=today + dt.timedelta(days=730 - approved_days_ago),
            status=AssessmentStatus.APPROVED)
    unit, leader, rep = chemistry
    detailed = services.create_assessment(
        actor=rep, org_unit=unit, kind=AssessmentKind.DETAILED, participants=(leader,),
        data={"title": "Arbeid med flussyre (HF) i lab 2-114", "responsible_leader": leader,
              "scope": "Fortynning, etsing og avfallshåndtering med flussyre.",
              "trigger": "new_activity", "assessed_on": today})
    for spec in DETAILED_ROWS:
        services.add_row(actor=rep, assessment=detailed, data=_row_data(spec))
    _answer_rows(detailed, leader, rep, red_only=1)


def seed_demo(university: DemoUniversity) -> None:
    owners = [(d.unit, d.leader, d.safety_rep) for d in university.departments]
    showcase = university.department(university.showcase)
    build_risk_demo(owners, (showcase.unit, showcase.leader, showcase.safety_rep))
