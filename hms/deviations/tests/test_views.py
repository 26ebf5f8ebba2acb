"""The deviation pages: reporting (named, anonymous, public), the receipt, handling through the
forms, files and the injury details, posters, and what bad input gets."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hms.core.models import AuditEvent
from hms.deviations import services
from hms.deviations.models import Attachment, Deviation, DeviationType, Status
from hms.deviations.tests.factories import accepted, deviation_type, photo, report
from hms.deviations.tests.traces import every_row, traces

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def report_data(cast, **extra):
    return {"deviation_type": deviation_type().pk, "title": "Wet floor", "description": "Slippery",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "safety_area": cast.area.pk, "org_unit": cast.unit_a.pk, **extra}


def test_the_form_starts_from_the_reporters_unit_and_area(cast):
    page = client_for(cast.student).get(reverse("deviations:report"))
    form = page.context["form"]
    assert form.initial["org_unit"] == cast.unit_a.pk and form.initial["safety_area"] == cast.area.pk
    assert b'type="radio"' in page.content and b'data-draft="deviation-report"' in page.content


def test_a_student_reports_with_a_photo_whose_metadata_is_gone(cast):
    from PIL import Image

    response = client_for(cast.student).post(reverse("deviations:report"), {
        **report_data(cast), "photos": [photo(), photo("second.jpg")]})
    case = Deviation.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.reporter == cast.student and case.attachments.count() == 2
    stored = case.attachments.first()
    with Image.open(stored.file.path) as image:
        assert not image.getexif() and "exif" not in image.info
    assert "photo" not in stored.file.name and stored.content_type == "image/jpeg"


def test_an_anonymous_report_leaves_no_trace_of_the_reporter(cast):
    client = client_for(cast.employee)
    client.get(reverse("deviations:report"))
    before = every_row()
    response = client.post(reverse("deviations:report"), {
        **report_data(cast, title="Anonymous tip"), "anonymous": "on", "photos": [photo()]})
    case = Deviation.objects.get()
    assert case.reporter is None and case.anonymous
    assert response["Location"].startswith("/deviations/receipt/")
    written = every_row() - before
    assert any("Anonymous tip" in str(row) for row in written)  # the report is there …
    person = cast.employee
    assert traces(written, person, (person.email, person.get_full_name())) == []  # … not who
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200 and case.get_status_display().encode() in receipt.content
    assert receipt["Cache-Control"] == "no-store"
    secret = response["Location"].split("/")[3]
    assert secret not in case.receipt_digest
    assert not Deviation.objects.visible_to(person).filter(pk=case.pk).exists()


def test_a_bad_report_is_refused_whole_and_keeps_what_was_typed(cast):
    page = client_for(cast.student).post(reverse("deviations:report"), {
        **report_data(cast, title="", occurred_at="2099-01-01T10:00"),
        "description": "Kept <b>text</b>"})
    assert page.status_code == 200 and not Deviation.objects.exists()
    errors = page.context["form"].errors
    assert {"title", "occurred_at"} <= set(errors)
    assert b"Kept &lt;b&gt;text&lt;/b&gt;" in page.content


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("fake.jpg", b"<?php echo 'not an image'; ?>", content_type="image/jpeg"),
    SimpleUploadedFile("page.html", b"<html><script>alert(1)</script></html>", content_type="text/html"),
])
def test_a_fake_image_is_refused_and_nothing_is_saved(cast, upload):
    page = client_for(cast.student).post(reverse("deviations:report"),
                                          {**report_data(cast), "photos": [upload]})
    assert page.status_code == 200 and not Deviation.objects.exists()
    assert page.context["form"].errors["photos"]
    assert not Attachment.objects.exists()


def test_a_huge_file_is_refused(cast, settings):
    settings.HMS_MAX_ATTACHMENT_BYTES = 50_000
    big = photo(size=(2000, 2000), gps=False, image_format="PNG")
    big.file = io.BytesIO(big.read() + b"\0" * 60_000)
    big.size = len(big.file.getvalue())
    page = client_for(cast.student).post(reverse("deviations:report"),
                                          {**report_data(cast), "photos": [big]})
    assert page.status_code == 200 and not Deviation.objects.exists()
    assert "MB" in str(page.context["form"].errors["photos"])


def test_markup_in_a_report_is_shown_as_text(cast):
    case = report(cast, title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>")
    page = client_for(cast.handler).get(case.get_absolute_url())
    assert b"<script>alert(1)" not in page.content and b"&lt;script&gt;" in page.content
    assert b"<img src=x" not in page.content


def test_a_handler_accepts_assesses_adds_a_measure_and_closes_through_the_forms(cast):
    case = report(cast)
    client = client_for(cast.handler)
    step = reverse("deviations:step", args=[case.pk])
    assert client.post(step, {"step": "accept", "version": case.version,
                              "handler": cast.handler.pk}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert client.post(reverse("deviations:assess", args=[case.pk]), {
        "version": case.version, "actual_consequence": "1", "potential_consequence": "3",
        "cause_categories": ["training"], "cause": "New student"}).status_code == 302
    measure_page = client.get(reverse("deviations:measure", args=[case.pk]))
    assert measure_page.status_code == 200
    assert client.post(reverse("deviations:measure", args=[case.pk]), {
        "title": "Lab course", "priority": 2, "responsible": cast.employee.pk,
        "deadline": "2030-01-31"}).status_code == 302
    case.refresh_from_db()
    measure = services.measures_of(case).get()
    measure.status = "done"
    measure.save()
    assert client.post(step, {"step": "measures_done", "version": case.version}).status_code == 302
    case.refresh_from_db()
    assert client.post(step, {"step": "close", "version": case.version, "conclusion": "Trained",
                              "learning": "Train first"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.cause_categories == ["training"]
    page = client.get(case.get_absolute_url())
    assert b"Train first" in page.content and b"Lab course" in page.content


def test_a_step_with_bad_fields_shows_the_form_again_and_changes_nothing(cast):
    case = report(cast)
    client = client_for(cast.handler)
    page = client.post(reverse("deviations:step", args=[case.pk]),
                       {"step": "reject", "version": case.version, "reason": ""})
    assert page.status_code == 400 and page.context["reject_form"].errors
    assert client.post(reverse("deviations:step", args=[case.pk]),
                       {"step": "fly", "version": case.version}).status_code == 400
    refused = client.post(reverse("deviations:step", args=[case.pk]),
                          {"step": "reopen", "version": case.version})
    assert refused.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REPORTED and case.version == 1


def test_a_stale_assessment_shows_the_case_as_it_is_now(cast):
    case = accepted(cast)
    client = client_for(cast.handler)
    services.assess(actor=cast.leader, deviation=case, version=case.version, data={"cause": "Mine"})
    page = client.post(reverse("deviations:assess", args=[case.pk]),
                       {"version": case.version, "cause": "Yours"})
    assert page.status_code == 409 and b"Mine" in page.content
    assert page.context["assess_form"]["cause"].value() == "Yours"


def test_a_transfer_sends_the_handler_back_to_the_list_when_the_case_is_gone(cast):
    case = report(cast, safety_area=None)
    response = client_for(cast.handler).post(reverse("deviations:step", args=[case.pk]), {
        "step": "transfer", "version": case.version, "to_unit": cast.unit_b.pk})
    assert response["Location"] == reverse("deviations:list", args=[cast.unit_a.pk])


def test_the_injury_page_audits_every_read(cast):
    case = accepted(cast, code="personal_injury")
    client = client_for(cast.leader)
    url = reverse("deviations:injury", args=[case.pk])
    client.post(url, {"injured_person": "Kari", "health_details": "Burn"})
    assert client.get(url).status_code == 200
    assert client.get(url).context["form"].initial["injured_person"] == "Kari"
    assert AuditEvent.objects.filter(action="read:injury_details", actor=cast.leader).count() == 2
    assert client_for(cast.safety_rep).get(url).status_code == 404
    detail = client_for(cast.safety_rep).get(case.get_absolute_url())
    assert b"Kari" not in detail.content and url.encode() not in detail.content


def test_files_are_served_only_to_those_who_see_the_case(cast):
    case = report(cast)
    services.add_attachments(actor=cast.student, deviation=case, uploads=[photo()])
    url = reverse("deviations:attachment", args=[case.attachments.get().pk])
    response = client_for(cast.safety_rep).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client_for(cast.employee).get(url).status_code == 404
    assert client_for(cast.outsider).get(url).status_code == 404


def test_the_handler_adds_files_and_the_limit_holds(cast, settings):
    case = report(cast)
    client = client_for(cast.handler)
    url = reverse("deviations:attach", args=[case.pk])
    assert client.post(url, {"photos": [photo()]}).status_code == 302
    assert case.attachments.count() == 1
    client.post(url, {"photos": [photo() for _ in range(10)]})
    assert case.attachments.count() == 1
    client.post(url, {})
    assert case.attachments.count() == 1
    assert client_for(cast.employee).post(url, {"photos": [photo()]}).status_code == 404


def test_the_public_form_reports_anonymously_and_is_rate_limited(cast, settings):
    settings.HMS_PUBLIC_REPORT_RATE = "2/h"
    link = services.public_link(actor=cast.safety_rep, area=cast.area)
    url = reverse("deviations:public_report", args=[link.token])
    visitor = Client()
    page = visitor.get(url)
    assert page.status_code == 200 and b"A labs" in page.content and b"Bygg 1, rom 101" in page.content
    data = {"deviation_type": deviation_type("dangerous_condition").pk, "title": "Blocked exit",
            "description": "Boxes", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    first = visitor.post(url, data)
    assert first.status_code == 302 and "/deviations/receipt/" in first["Location"]
    case = Deviation.objects.get()
    assert case.via_public_form and case.anonymous and case.reporter is None
    assert case.org_unit == cast.unit_a and case.safety_area == cast.area
    assert visitor.post(url, {**data, "title": ""}).status_code == 200
    limited = visitor.post(url, data)
    assert limited.status_code == 429 and Deviation.objects.count() == 1
    assert Client().get(reverse("deviations:public_report", args=["no-such-token"])).status_code == 404


def test_a_renewed_link_retires_the_old_poster(cast):
    old = services.public_link(actor=cast.leader, area=cast.area).token
    response = client_for(cast.leader).post(reverse("deviations:renew_link", args=[cast.area.pk]))
    assert response.status_code == 302
    assert Client().get(reverse("deviations:public_report", args=[old])).status_code == 404
    assert services.public_link(actor=cast.leader, area=cast.area).token != old


def test_the_poster_is_a_pdf_whose_qr_code_opens_the_public_form(cast):
    import pypdfium2
    import zxingcpp

    response = client_for(cast.safety_rep).get(reverse("deviations:poster", args=[cast.area.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page = pypdfium2.PdfDocument(response.content)[0]
    image = page.render(scale=2).to_pil()
    found = zxingcpp.read_barcodes(image)
    link = services.public_link(actor=cast.safety_rep, area=cast.area)
    assert [code.text for code in found] == [f"http://testserver{link.get_absolute_url()}"]
    text = page.get_textpage().get_text_range()
    assert "A labs" in text


def test_the_receipt_of_a_wrong_secret_is_not_found(cast):
    assert Client().get(reverse("deviations:receipt", args=["x" * 20])).status_code == 404
    assert Client().get(reverse("deviations:receipt", args=["x" * 101])).status_code == 404


def test_my_reports_lists_only_named_reports(cast):
    mine = report(cast, by=cast.employee, title="Mine")
    report(cast, by=cast.employee, title="Secret", anonymous=True)
    page = client_for(cast.employee).get(reverse("deviations:mine"))
    assert [d.pk for d in page.context["page"]] == [mine.pk]


def test_the_unit_list_filters_and_marks_overdue(cast):
    late = accepted(cast, title="Late one")
    Deviation.objects.filter(pk=late.pk).update(close_deadline=timezone.localdate().replace(year=2020))
    report(cast, title="Fresh one")
    client = client_for(cast.leader)
    url = reverse("deviations:list", args=[cast.unit_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.content.count(b"is-overdue") == 1
    only = client.get(url, {"overdue": "on"})
    assert [d.title for d in only.context["page"]] == ["Late one"]
    fragment = client.get(url, {"q": "fresh"}, headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content and b"Fresh one" in fragment.content


def test_a_retired_type_is_not_offered(cast):
    DeviationType.objects.filter(code="fire").update(active=False)
    page = client_for(cast.student).get(reverse("deviations:report"))
    codes = {t.code for t in page.context["form"].fields["deviation_type"].queryset}
    assert "fire" not in codes and "near_miss" in codes
