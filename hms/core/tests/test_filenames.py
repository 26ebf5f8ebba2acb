"""Every download is named the same way, in the user's language: what it is, then what it is of,
as a lowercase ASCII slug with the Norwegian letters written out (æ → ae, ø → o, å → a)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from hms.core.documents import filename
from hms.meetings.tests.factories import meeting
from hms.org.models import SafetyArea
from hms.risk import services as risk_services
from hms.rounds.tests.factories import lab_round

DAY = dt.date(2030, 5, 2)
NAMES = {
    "nb": {"plan.xlsx": "handlingsplan-a.xlsx", "plan.pdf": "handlingsplan-a.pdf",
           "assessment.xlsx": "risikovurdering-losemiddel-paerer-og-ror.xlsx",
           "assessment.pdf": "risikovurdering-losemiddel-paerer-og-ror.pdf",
           "statistics.xlsx": "avviksstatistikk-a.xlsx", "statistics.pdf": "avviksstatistikk-a.pdf",
           "poster": "plakat-kjemilab-ost.pdf", "delegations": "delegeringer-a.pdf",
           "minutes": "referat-mote-leder-og-verneombud-2030-05-02.pdf",
           "round report": "hms-runde-kjemilab-ost-2030-05-02.pdf",
           "round preparation": "forberedelse-kjemilab-ost-2030-05-02.pdf",
           "training gaps": "opplaeringsbehov-a.xlsx"},
    "en": {"plan.xlsx": "action-plan-a.xlsx", "plan.pdf": "action-plan-a.pdf",
           "assessment.xlsx": "risk-assessment-losemiddel-paerer-og-ror.xlsx",
           "assessment.pdf": "risk-assessment-losemiddel-paerer-og-ror.pdf",
           "statistics.xlsx": "deviation-statistics-a.xlsx",
           "statistics.pdf": "deviation-statistics-a.pdf",
           "poster": "poster-kjemilab-ost.pdf", "delegations": "delegations-a.pdf",
           "minutes": "minutes-mote-leder-og-verneombud-2030-05-02.pdf",
           "round report": "hse-round-kjemilab-ost-2030-05-02.pdf",
           "round preparation": "preparation-kjemilab-ost-2030-05-02.pdf",
           "training gaps": "training-gaps-a.xlsx"},
}


def test_a_name_keeps_norwegian_letters_readable_and_leaves_out_empty_parts():
    assert filename("hms-runde", "Ærlig Åsmund Øvre", "", "2030-05-02", suffix="pdf") == (
        "hms-runde-aerlig-asmund-ovre-2030-05-02.pdf")
    assert filename("risikovurdering", "ΔΔΔ", suffix="xlsx") == "risikovurdering.xlsx"
    assert filename("plan", "x" * 100, suffix="pdf") == f"plan-{'x' * 60}.pdf"


@pytest.fixture
def records(cast, monkeypatch):
    """One record of each kind that has a download; PDFs are not laid out (only their names
    count here)."""
    for module in ("measures.exports", "risk.documents", "deviations.views", "governance.views",
                   "meetings.views", "rounds.views"):
        monkeypatch.setattr(f"hms.{module}.render_pdf", lambda *args, **kwargs: b"%PDF")
    call_command("load_risk_matrix", verbosity=0)
    SafetyArea.objects.filter(pk=cast.area.pk).update(name="Kjemilab Øst")
    cast.area.refresh_from_db()
    assessment = risk_services.create_assessment(
        actor=cast.leader, org_unit=cast.unit_a, kind="detailed",
        data={"title": "Løsemiddel: pærer og rør", "trigger": "new_activity"})
    starts = timezone.make_aware(dt.datetime.combine(DAY, dt.time(10)))
    held = meeting(cast, starts_at=starts)
    walk = lab_round(cast, planned_on=DAY)
    unit = cast.unit_a.pk
    return {"plan.xlsx": f"/measures/units/{unit}/plan.xlsx",
            "plan.pdf": f"/measures/units/{unit}/plan.pdf",
            "assessment.xlsx": f"/risk/{assessment.pk}/assessment.xlsx",
            "assessment.pdf": f"/risk/{assessment.pk}/assessment.pdf",
            "statistics.xlsx": f"/deviations/units/{unit}/statistics.xlsx",
            "statistics.pdf": f"/deviations/units/{unit}/statistics.pdf",
            "poster": f"/deviations/areas/{cast.area.pk}/poster.pdf",
            "delegations": f"/governance/units/{unit}/delegations.pdf",
            "minutes": f"/meetings/{held.pk}/minutes.pdf",
            "round report": f"/rounds/{walk.pk}/report.pdf",
            "round preparation": f"/rounds/{walk.pk}/preparation.pdf",
            "training gaps": f"/competence/units/{unit}/gaps.xlsx"}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_download_is_named_in_the_users_language(cast, records, language):
    cast.leader.language = language
    cast.leader.save()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(cast.leader)
    found = {}
    for what, url in records.items():
        response = client.get(url)
        assert response.status_code == 200, what
        found[what] = response["Content-Disposition"].split("filename=")[1].strip('"')
    assert found == NAMES[language]
