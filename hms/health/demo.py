"""The occupational health service for the demo university: one university-wide service set on
the root, a faculty with a service of its own, and a few entries in each unit's log (linked to the
unit's latest round or risk assessment where it has one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hms.accounts.models import User
from hms.core.seeding import DemoUniversity
from hms.health import services
from hms.health.models import Kind
from hms.org.models import OrgUnit
from hms.risk.models import RiskAssessment
from hms.rounds.models import Round

UNIVERSITY_SERVICE = {
    "service": "Fjordby bedriftshelsetjeneste", "contact_person": "Kari Helsesøster",
    "phone": "+47 12 34 56 78", "email": "bht@fjordby.example.org",
    "web": "https://bht.fjordby.example.org",
    "address": "Helsehuset, Universitetsgata 1\n7000 Fjordby",
    "booking": "Leder bestiller bistand på e-post eller telefon. Ansatte kan selv ta kontakt for "
               "samtale om arbeidshelse.",
    "note": "Tilstede i AMU uten stemmerett.",
}
FACULTY_SERVICE = {
    "service": "Arbeidsmiljøsenteret Vest", "contact_person": "Per Yrkeshygieniker",
    "phone": "+47 98 76 54 32", "email": "kontakt@amsvest.example.org",
    "web": "https://amsvest.example.org", "address": "Laboratorieveien 5, 7001 Fjordby",
    "booking": "Bestill yrkeshygieniske målinger og helseundersøkelser gjennom HMS-koordinator.",
    "note": "Fakultetet har egen avtale for laboratorieansatte.",
}
ENTRIES = [
    (Kind.HSE_ROUND, 40, "BHT deltok på HMS-runden og vurderte ventilasjon og ergonomi.", Round),
    (Kind.RISK_ASSESSMENT, 75, "Yrkeshygieniker bidro i risikovurderingen av kjemikaliearbeid.",
     RiskAssessment),
    (Kind.HEALTH_EXAMINATION, 120, "Målrettet helseundersøkelse for ansatte eksponert for støy.", None),
    (Kind.DIALOGUE_MEETING, 150, "BHT deltok i et dialogmøte om tilrettelegging.", None),
    (Kind.TRAINING, 200, "Kurs i ergonomi og kontorarbeidsplass for alle ansatte.", None),
]


def build_health_demo(root: Any, units: list[tuple[Any, Any, Any, list[Any]]]) -> None:
    """`root` is the university; `units` is (unit, leader, safety representative, staff) per
    department. The contacts are set by an administrator (the first superuser), the log by each
    unit's leader. The first department's faculty gets its own service."""
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    services.set_contact(actor=admin, org_unit=root, data=UNIVERSITY_SERVICE, version=None)
    if units:
        faculty = OrgUnit.objects.get_parent(units[0][0])
        if faculty is not None and faculty.pk != root.pk:
            services.set_contact(actor=admin, org_unit=faculty, data=FACULTY_SERVICE, version=None)
    today = timezone.localdate()
    for index, (unit, leader, _rep, _staff) in enumerate(units):
        for kind, days_ago, text, model in ENTRIES[: 3 + index % 3]:
            record = model._default_manager.filter(org_unit=unit).order_by("-pk").first() if model else None
            services.record_involvement(actor=leader, org_unit=unit, kind=kind,
                                        day=today - dt.timedelta(days=days_ago), description=text,
                                        record=record)


def seed_demo(university: DemoUniversity) -> None:
    build_health_demo(university.root, university.owners())
