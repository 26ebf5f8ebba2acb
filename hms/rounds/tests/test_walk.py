"""The walk page: a form per checkpoint that saves on its own (JSON for the page's script, a
redirect back to the checkpoint without JavaScript), a stale answer refused with the current one,
photos re-encoded without metadata, free findings, and who may open it."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hms.rounds import services
from hms.rounds.models import Answer, ChecklistTemplate, Finding, Result, RoundPhoto
from hms.rounds.tests.factories import lab_round

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def round_(cast):
    return services.plan_round(
        actor=cast.leader, org_unit=cast.unit_a,
        data={"safety_area": cast.area, "planned_on": dt.date(2025, 5, 12)},
        participants=[cast.safety_rep],
        templates=[ChecklistTemplate.objects.current().get(code="laboratory")])


def items_of(round_):
    return [item for template in round_.templates.all() for item in template.items.all()]


def login(user, language="nb"):
    user.language = language
    user.save()
    client = Client()
    client.force_login(user)
    return client


def walk_url(round_):
    return reverse("rounds:walk", args=[round_.pk])


def answer_url(round_, item):
    return reverse("rounds:answer", args=[round_.pk, item.pk])


def photo(name="photo.jpg", gps=True):
    """A real JPEG; with `gps`, its EXIF carries a position and the camera owner's name."""
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 30, 30))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x013B] = "Ola Nordmann"  # Artist
        exif[0x8825] = {1: "N", 2: (63.0, 25.0, 0.0), 3: "E", 4: (10.0, 24.0, 0.0)}  # GPS IFD
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


# --- The page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "en"])
def test_it_shows_every_checkpoint_as_a_form_that_saves_itself(cast, round_, language):
    items = items_of(round_)
    first = items[0]
    services.save_answer(actor=cast.safety_rep, round_=round_, item=first, result=Result.NOT_OK,
                         comment="Label missing", version=None)
    response = login(cast.safety_rep, language).get(walk_url(round_))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for item in items:
        form = re.search(rf'<form id="item-{item.pk}"[^>]*>', html)
        assert form, item
        assert f'action="{answer_url(round_, item)}"' in form.group(0) and 'method="post"' in form.group(0)
        assert f'id="status-{item.pk}" role="status" aria-live="polite"' in html
        assert (item.text_nb if language == "nb" else item.text_en) in html
    assert html.count('name="result" value="ok"') == len(items)
    assert html.count('name="result" value="not_ok"') == len(items)
    assert html.count('name="result" value="na"') == len(items)
    assert html.count("<noscript>") == len(items)
    assert html.count("<details class=\"walk-help\">") == sum(1 for item in items if item.help)
    assert "data-walk=" in html and "data-offline=" in html and "data-keep=" in html
    # The answered checkpoint: its choice, its version, marked "not OK", and its photo form.
    answer = Answer.objects.get()
    assert 'value="not_ok" checked' in html and "Label missing</textarea>" in html
    assert f'<input type="hidden" name="answer" value="{answer.pk}">' in html
    assert 'accept="image/*" capture="environment"' in html
    assert html.count("is-not-ok") == 1
    assert f'href="{reverse("rounds:detail", args=[round_.pk])}"' in html
    assert f'action="{reverse("rounds:add_finding", args=[round_.pk])}"' in html
    assert "<script>" not in html and " style=" not in html and not re.search(r"\son[a-z]+=", html)


def test_markup_in_a_comment_and_a_finding_is_shown_as_text(cast, round_):
    item = items_of(round_)[0]
    services.save_answer(actor=cast.safety_rep, round_=round_, item=item, result=Result.OK,
                         comment='<script>alert("x")</script><b>bold</b>', version=None)
    services.add_finding(actor=cast.safety_rep, round_=round_, title="<img src=x onerror=alert(1)>",
                         description="<i>tilted</i>")
    html = login(cast.safety_rep).get(walk_url(round_)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;i&gt;tilted&lt;/i&gt;" in html
    assert "<b>bold</b>" not in html and "<img src=x" not in html and "<i>tilted" not in html


def test_the_outsider_gets_404_and_the_employee_is_refused(cast, round_):
    assert login(cast.outsider).get(walk_url(round_)).status_code == 404
    assert login(cast.employee).get(walk_url(round_)).status_code == 404
    item = items_of(round_)[0]
    for who in ("outsider", "employee"):
        response = login(cast.users[who]).post(answer_url(round_, item), {"result": "ok"}, **JSON)
        assert response.status_code == 404, who
    assert not Answer.objects.exists()


def test_anonymous_is_sent_to_sign_in(round_):
    response = Client().get(walk_url(round_))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Answers ---------------------------------------------------------------------------------------


def test_an_answer_is_saved_at_once_and_the_page_gets_it_as_json(cast, round_):
    item = items_of(round_)[1]
    client = login(cast.safety_rep)
    response = client.post(answer_url(round_, item), {"result": "ok", "comment": " Fine ",
                                                      "version": ""}, **JSON)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["version"], body["result"], body["comment"], body["finding"]) == (1, "ok", "Fine", False)
    assert body["by"] and body["at"]
    answer = Answer.objects.get()
    assert (answer.item, answer.result, answer.comment, answer.answered_by, answer.version) == (
        item, "ok", "Fine", cast.safety_rep, 1)
    assert not Finding.objects.exists()

    # The next change carries the version the page got back.
    response = client.post(answer_url(round_, item), {"result": "na", "comment": "Not used",
                                                      "version": "1"}, **JSON)
    assert response.json()["version"] == 2
    answer.refresh_from_db()
    assert (answer.result, answer.comment, answer.version) == ("na", "Not used", 2)


def test_a_not_ok_answer_is_a_finding(cast, round_):
    item = items_of(round_)[2]
    response = login(cast.safety_rep).post(answer_url(round_, item), {
        "result": "not_ok", "comment": "No eyewash check for a year", "version": ""}, **JSON)
    assert response.json()["finding"] is True
    finding = Finding.objects.get()
    assert finding.answer == Answer.objects.get() and finding.round == round_
    assert finding.description == "No eyewash check for a year"


def test_a_stale_answer_is_refused_with_the_current_one(cast, round_):
    item = items_of(round_)[0]
    services.save_answer(actor=cast.leader, round_=round_, item=item, result=Result.NOT_OK,
                         comment="Leader: broken seal", version=None)
    services.save_answer(actor=cast.leader, round_=round_, item=item, result=Result.NOT_OK,
                         comment="Leader: broken seal, reported", version=1)
    response = login(cast.safety_rep).post(answer_url(round_, item), {
        "result": "ok", "comment": "Looks fine", "version": "1"}, **JSON)
    assert response.status_code == 409
    body = response.json()
    assert body["error"]
    assert {k: body["current"][k] for k in ("version", "result", "comment", "finding")} == {
        "version": 2, "result": "not_ok", "comment": "Leader: broken seal, reported", "finding": True}
    assert body["current"]["by"] == str(cast.leader)
    answer = Answer.objects.get()
    assert (answer.result, answer.comment, answer.version) == ("not_ok", "Leader: broken seal, reported", 2)


def test_a_first_answer_from_a_page_that_saw_none_does_not_overwrite_another(cast, round_):
    item = items_of(round_)[0]
    services.save_answer(actor=cast.leader, round_=round_, item=item, result=Result.NOT_OK,
                         comment="Leader: broken seal", version=None)
    response = login(cast.safety_rep).post(answer_url(round_, item), {
        "result": "ok", "comment": "", "version": ""}, **JSON)
    assert response.status_code == 409 and response.json()["current"]["result"] == "not_ok"
    assert Answer.objects.get().result == "not_ok"


def test_a_summarised_round_shows_its_answers_without_changing_them(cast, round_):
    from hms.rounds.models import Round, Status

    item = items_of(round_)[0]
    services.save_answer(actor=cast.safety_rep, round_=round_, item=item, result=Result.OK,
                         comment="", version=None)
    Round.objects.filter(pk=round_.pk).update(status=Status.SUMMARISED)
    client = login(cast.safety_rep)
    html = client.get(walk_url(round_)).content.decode()
    assert html.count('<fieldset class="walk-choices" disabled>') == len(items_of(round_))
    response = client.post(answer_url(round_, item), {"result": "not_ok", "version": "1"}, **JSON)
    assert response.status_code == 400 and response.json()["error"]
    assert Answer.objects.get().result == "ok"


def test_without_javascript_an_answer_posts_and_returns_to_its_checkpoint(cast, round_):
    item = items_of(round_)[3]
    client = login(cast.safety_rep)
    response = client.post(answer_url(round_, item), {"result": "not_ok", "comment": "Old bottles",
                                                      "version": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{walk_url(round_)}#item-{item.pk}"
    assert Answer.objects.get().result == "not_ok"
    page = client.get(response["Location"]).content.decode()
    assert 'value="not_ok" checked' in page and "Old bottles</textarea>" in page

    # A stale one without JavaScript: back to the page with a message, nothing changed.
    response = client.post(answer_url(round_, item), {"result": "ok", "version": "7"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(walk_url(round_))
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Answer.objects.get().result == "not_ok"


def test_an_unreadable_answer_is_refused(cast, round_, english):
    item = items_of(round_)[0]
    client = login(cast.safety_rep, "en")
    response = client.post(answer_url(round_, item), {"result": "maybe"}, **JSON)
    assert response.status_code == 400 and response.json()["error"]
    other = ChecklistTemplate.objects.current().get(code="office").items.first()
    response = client.post(answer_url(round_, other), {"result": "ok"}, **JSON)
    assert response.status_code == 400
    assert not Answer.objects.exists()


# --- Photos and free findings ----------------------------------------------------------------------


def test_a_photo_is_stored_without_its_metadata(cast, round_):
    from PIL import Image

    item = items_of(round_)[0]
    answer = services.save_answer(actor=cast.safety_rep, round_=round_, item=item,
                                  result=Result.NOT_OK, comment="", version=None)
    client = login(cast.safety_rep)
    upload = photo()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get_ifd(0x8825), "the test photo must carry a GPS position"
    upload.seek(0)
    response = client.post(reverse("rounds:add_photo", args=[round_.pk]),
                           {"answer": answer.pk, "photo": upload})
    assert response.status_code == 302 and response["Location"] == f"{walk_url(round_)}#item-{item.pk}"
    stored = RoundPhoto.objects.get()
    assert stored.answer == answer and stored.content_type == "image/jpeg"
    assert "photo" not in stored.file.name
    with Image.open(stored.file.path) as image:
        assert not image.getexif() and "exif" not in image.info
    page = client.get(walk_url(round_)).content.decode()
    assert f'src="{reverse("rounds:photo", args=[stored.pk])}"' in page
    shown = client.get(reverse("rounds:photo", args=[stored.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert login(cast.outsider).get(reverse("rounds:photo", args=[stored.pk])).status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_with_a_message(cast, round_):
    answer = services.save_answer(actor=cast.safety_rep, round_=round_, item=items_of(round_)[0],
                                  result=Result.OK, comment="", version=None)
    fake = SimpleUploadedFile("photo.jpg", b"#!/bin/sh\necho not a photo\n", content_type="image/jpeg")
    response = login(cast.safety_rep).post(reverse("rounds:add_photo", args=[round_.pk]),
                                           {"answer": answer.pk, "photo": fake}, follow=True)
    assert response.status_code == 200
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0][0] == "error" and "photo.jpg" in messages[0][1]
    assert not RoundPhoto.objects.exists()


def test_a_free_finding_is_added_and_listed(cast, round_):
    client = login(cast.safety_rep)
    response = client.post(reverse("rounds:add_finding", args=[round_.pk]),
                           {"title": "Blocked escape route", "description": "Boxes in corridor B"})
    assert response.status_code == 302 and response["Location"] == f"{walk_url(round_)}#findings"
    finding = Finding.objects.get()
    assert (finding.title, finding.answer, finding.round) == ("Blocked escape route", None, round_)
    page = client.get(walk_url(round_)).content.decode()
    assert "Blocked escape route" in page and "Boxes in corridor B" in page
    assert f'<input type="hidden" name="finding" value="{finding.pk}">' in page


def test_a_photo_for_another_rounds_answer_is_refused(cast, round_):
    other = lab_round(cast)
    foreign = services.save_answer(actor=cast.safety_rep, round_=other, item=items_of(other)[0],
                                   result=Result.NOT_OK, comment="", version=None)
    response = login(cast.safety_rep, "en").post(reverse("rounds:add_photo", args=[round_.pk]),
                                                 {"answer": foreign.pk, "photo": photo()}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["The photo belongs to an answer or finding this round does not have."]
    assert not RoundPhoto.objects.exists()
