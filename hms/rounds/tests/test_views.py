"""The round pages: planning, the preparation pack, the summary forms, the questionnaire and
the report PDF read back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hms.deviations.models import DeviationType
from hms.deviations.tests.factories import accepted, photo
from hms.measures import services as measure_services
from hms.rounds import services
from hms.rounds.models import ChecklistTemplate, Round, Status
from hms.rounds.tests.factories import lab_round, walked

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_plan_page_marks_an_overdue_area_and_plans_a_round(cast):
    client = client_for(cast.leader)
    page = client.get(reverse("rounds:plan", args=[cast.unit_a.pk]))
    assert page.status_code == 200 and b"is-overdue" in page.content  # never walked
    fire = ChecklistTemplate.objects.current().get(code="fire")
    response = client.post(reverse("rounds:create", args=[cast.unit_a.pk]), {
        "safety_area": cast.area.pk, "planned_on": "2026-12-15", "templates": [fire.pk],
        "participants": [cast.safety_rep.pk], "themes": "Escape routes"})
    round_ = Round.objects.get()
    assert response["Location"] == round_.get_absolute_url()
    assert round_.themes == "Escape routes" and list(round_.templates.all()) == [fire]
    assert client.get(round_.get_absolute_url()).status_code == 200


def test_a_plan_without_checklists_is_refused_and_keeps_what_was_typed(cast):
    page = client_for(cast.leader).post(reverse("rounds:create", args=[cast.unit_a.pk]), {
        "safety_area": cast.area.pk, "planned_on": "2026-12-15", "themes": "<b>Kept</b>"})
    assert page.status_code == 200 and not Round.objects.exists()
    assert "templates" in page.context["form"].errors and b"&lt;b&gt;Kept" in page.content


def test_the_preparation_pack_lists_what_it_should(cast):
    previous = walked(cast, not_ok=1)
    finding = previous.findings.get()
    measure = services.finding_measure(actor=cast.leader, finding=finding, data={"title": "Relabel"})
    measure_services.transition_measure(actor=cast.leader, measure=measure, to="done",
                                        version=measure.version)
    Round.objects.filter(pk=previous.pk).update(status=Status.CLOSED)
    deviation = accepted(cast, title="Acid spill near the hood")
    open_measure = measure_services.create_measure(actor=cast.leader, org_unit=cast.unit_a, data={
        "title": "Replace the eyewash", "deadline": timezone.localdate() - dt.timedelta(days=3)})
    upcoming = lab_round(cast, planned_on=timezone.localdate() + dt.timedelta(days=5))
    page = client_for(cast.leader).get(reverse("rounds:preparation", args=[upcoming.pk]))
    pack = page.context["pack"]
    assert deviation in pack.deviations and open_measure in pack.open_measures
    assert pack.last_round == previous and pack.last_findings == [(finding, [measure])]
    body = page.content.decode()
    assert "Acid spill near the hood" in body and "Replace the eyewash" in body and "Relabel" in body
    assert "✓" in body  # the last round's measure was carried out
    assert pack.mapping is None  # and the page says that the mapping is missing
    pdf = client_for(cast.leader).get(reverse("rounds:preparation_pdf", args=[upcoming.pk]))
    assert _squashed("Acid spill near the hood") in _pdf_text(pdf.content)


def test_the_pack_hides_deviations_the_reader_may_not_see(cast):
    accepted(cast, title="Secret case")
    upcoming = lab_round(cast)
    page = client_for(cast.employee).get(reverse("rounds:preparation", args=[upcoming.pk]))
    assert page.status_code == 200 and b"Secret case" not in page.content


def _pdf_text(content: bytes) -> str:
    """The PDF's text without white space (extraction splits words where glyphs are kerned)."""
    from pypdf import PdfReader

    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _squashed(text: str) -> str:
    return "".join(text.split())


def test_the_summary_page_makes_measures_and_deviations_and_the_report_reads_back(cast):
    round_ = walked(cast, not_ok=2)
    first, second = round_.findings.order_by("pk")
    services.add_photo(actor=cast.safety_rep, round_=round_, upload=photo(), answer=first.answer)
    leader = client_for(cast.leader)
    assert leader.get(reverse("rounds:summary", args=[round_.pk])).status_code == 200
    leader.post(reverse("rounds:score", args=[first.pk]), {"probability": "3", "consequence": "4"})
    leader.post(reverse("rounds:finding_measure", args=[first.pk]), {
        "title": "Label all bottles", "priority": 3, "responsible": cast.employee.pk,
        "deadline": "2030-01-31", "cost_estimate": "1500"})
    leader.post(reverse("rounds:finding_deviation", args=[second.pk]),
                {"deviation_type": DeviationType.objects.get(code="rule_breach").pk})
    round_.refresh_from_db()
    leader.post(reverse("rounds:summary", args=[round_.pk]),
                {"version": round_.version, "summary": "Labels first"})
    round_.refresh_from_db()
    leader.post(reverse("rounds:sign", args=[round_.pk]), {"as": "leader", "version": round_.version})
    round_.refresh_from_db()
    client_for(cast.safety_rep).post(reverse("rounds:sign", args=[round_.pk]),
                                     {"as": "safety_rep", "version": round_.version})
    round_.refresh_from_db()
    assert round_.is_signed and round_.summary == "Labels first"
    pdf = leader.get(reverse("rounds:report_pdf", args=[round_.pk]))
    text = _pdf_text(pdf.content)
    for expected in ("Label all bottles", "Labels first", "Leader Tester", "Safety_Rep Tester",
                     "3 × 4 = 12"):
        assert _squashed(expected) in text, expected
    from pypdf import PdfReader

    assert sum(len(page.images) for page in PdfReader(io.BytesIO(pdf.content)).pages) == 1


def test_the_questionnaire_page_takes_an_answer_once(cast):
    round_ = lab_round(cast)
    client = client_for(cast.employee)
    url = reverse("rounds:survey", args=[round_.pk])
    answers = {"workplace": 4, "indoor": 2, "safe": 5, "emergency": 3, "workload": 2}
    assert client.post(url, answers).status_code == 302
    again = client.post(url, answers)
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    bad = client_for(cast.lab_leader).post(url, {**answers, "indoor": 9})
    assert bad.status_code == 200 and "indoor" in bad.context["form"].errors
    detail = client.get(round_.get_absolute_url())
    assert not detail.context["may_answer_survey"] and not detail.context["survey"]["shown"]


def test_a_step_without_a_version_or_out_of_order_is_refused(cast):
    round_ = lab_round(cast)
    client = client_for(cast.leader)
    url = reverse("rounds:step", args=[round_.pk])
    assert client.post(url, {"to": "closed", "version": round_.version}).status_code == 302
    assert client.post(url, {"to": "prepared", "version": "x"}).status_code == 302
    assert Round.objects.get(pk=round_.pk).status == Status.PLANNED
    assert client.post(url, {"to": "prepared", "version": round_.version}).status_code == 302
    assert Round.objects.get(pk=round_.pk).status == Status.PREPARED
