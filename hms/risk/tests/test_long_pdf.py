"""A long assessment's PDF is made by the task worker (issue 13): the request orders it, the
document's page shows it being made, and the file reads back; a short one comes at once."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from hms.core.models import PreparedDocument
from hms.risk import services

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    user.language = "en"
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_a_long_assessment_pdf_is_made_in_the_background(cast, lab, settings,
                                                         django_capture_on_commit_callbacks):
    settings.HMS_DIRECT_PDF_ROWS = 2
    for activity in ("Weighing", "Decanting acetone", "Heating"):
        services.add_row(actor=cast.leader, assessment=lab, data={"activity": activity})
    client = login(cast.leader)
    with django_capture_on_commit_callbacks(execute=True):
        ordered = client.get(f"/risk/{lab.pk}/assessment.pdf")
    document = PreparedDocument.objects.get()
    assert ordered.status_code == 302 and ordered["Location"] == reverse("core:document", args=[document.pk])
    document.refresh_from_db()
    assert document.status == "ready" and document.filename == "risk-assessment-solvent-lab.pdf"
    page = client.get(ordered["Location"]).content.decode()
    assert "Download risk-assessment-solvent-lab.pdf" in page
    response = client.get(reverse("core:document_file", args=[document.pk]))
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Solvent lab" in text and "Decanting acetone" in text
    assert login(cast.outsider).get(reverse("core:document_file", args=[document.pk])).status_code == 404


def test_a_short_assessment_pdf_comes_at_once_and_an_outsider_orders_nothing(cast, lab, settings):
    settings.HMS_DIRECT_PDF_ROWS = 2
    services.add_row(actor=cast.leader, assessment=lab, data={"activity": "Weighing"})
    response = login(cast.leader).get(f"/risk/{lab.pk}/assessment.pdf")
    assert response["Content-Type"] == "application/pdf"
    for _ in range(3):
        services.add_row(actor=cast.leader, assessment=lab, data={"activity": "More"})
    assert login(cast.outsider).get(f"/risk/{lab.pk}/assessment.pdf").status_code == 404
    assert not PreparedDocument.objects.exists()
