"""A faculty's action plan as a PDF, made in the background (issue 13): the coordinator asks for
it, sees it being made and how far it has come, and downloads it when the task worker is done;
someone else cannot fetch it."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.helpers import check_a11y, check_phone, nb

pytestmark = pytest.mark.browser


def test_the_coordinator_orders_a_faculty_pdf_sees_it_made_and_downloads_it(
        new_context, cast, live_server, settings):
    from hms.core.models import PreparedDocument
    from hms.measures.models import Measure

    settings.HMS_DIRECT_PDF_ROWS = 2  # the faculty's three measures are a "large" plan here
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a real queue
    for title in ("Replace the eyewash bottles", "Label the solvent cupboard", "Fix the door"):
        Measure.objects.create(org_unit=cast.unit_a, title=title, responsible=cast.employee,
                               created_by=cast.leader)
    page = new_context(cast.coordinator).new_page()
    page.goto(f"/measures/units/{cast.faculty_f.pk}/")
    page.get_by_role("link", name=nb("Export to PDF")).click()

    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    document = PreparedDocument.objects.get()
    status = page.locator("#document-status")
    expect(status).to_contain_text(nb("Waiting to be made"))
    expect(status.locator("progress")).to_be_visible()
    check_a11y(page)

    call_command("db_worker", "--batch", "--no-startup-delay")  # the task worker takes the order
    download_link = status.get_by_role("link", name=re.compile(nb("Download %(name)s") % {"name": ""}))
    expect(download_link).to_be_visible(timeout=8_000)  # the page asks again every two seconds
    expect(status.locator("progress")).to_have_count(0)
    with page.expect_download() as download:
        download_link.click()
    pdf = PdfReader(download.value.path())
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Label the solvent cupboard" in text and "Faculty F" in text
    check_a11y(page)
    check_phone(page, download_link)

    outsider = new_context(cast.outsider).new_page()
    response = outsider.goto(f"/documents/{document.pk}/file")
    assert response is not None and response.status == 404
    assert outsider.goto(f"/documents/{document.pk}/").status == 404
