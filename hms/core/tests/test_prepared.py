"""Documents made in the background: ordered, made by the worker with progress, fetched by their
owner alone while the maker still allows it, and deleted when their time is up."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hms.core import prepared, scheduler
from hms.core.models import DocumentStatus, PreparedDocument
from hms.core.tests.documents import ECHO, ready_document

pytestmark = pytest.mark.django_db


def client_for(user):
    user.language = "en"
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_an_ordered_document_is_made_after_commit_with_its_progress(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = prepared.prepare(owner=cast.leader, maker=ECHO.key, params={"rows": 5}, title="Lines")
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED and document.percent == 0
    page = client_for(cast.leader).get(reverse("core:document", args=[document.pk])).content.decode()
    assert "Waiting to be made" in page and 'hx-trigger="every 2s"' in page
    for callback in callbacks:
        callback()  # the task backend of the tests runs the task at once, as a worker would
    document.refresh_from_db()
    assert (document.status, document.done, document.total, document.percent) == ("ready", 5, 5, 100)
    assert document.file.read().decode().splitlines() == [f"line {n} for leader" for n in range(5)]
    partial = client_for(cast.leader).get(reverse("core:document", args=[document.pk]),
                                          HTTP_HX_REQUEST="true").content.decode()
    assert "Download lines.txt" in partial and "every 2s" not in partial and "<html" not in partial


def test_the_file_goes_to_its_owner_alone_and_not_after_the_right_is_gone(cast):
    document = ready_document(cast.leader, allowed=["leader"])
    response = client_for(cast.leader).get(reverse("core:document_file", args=[document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"line 0"
    assert response["Cache-Control"] == "private, no-store"
    assert 'attachment; filename="lines.txt"' in response["Content-Disposition"]
    assert client_for(cast.admin).get(reverse("core:document_file", args=[document.pk])).status_code == 404
    PreparedDocument.objects.filter(pk=document.pk).update(params={"allowed": ["someone else"]})
    with pytest.raises(Http404):
        prepared.access_document(cast.leader, document.pk)
    with pytest.raises(Http404):
        prepared.prepare(owner=cast.leader, maker=ECHO.key, params={"allowed": ["x"]}, title="No")


def test_a_document_not_yet_made_or_past_its_time_has_no_file(cast):
    waiting = PreparedDocument.objects.create(owner=cast.leader, maker=ECHO.key, title="Later",
                                              expires_at=timezone.now() + dt.timedelta(hours=1))
    client = client_for(cast.leader)
    assert client.get(reverse("core:document_file", args=[waiting.pk])).status_code == 404
    old = ready_document(cast.leader)
    PreparedDocument.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(reverse("core:document", args=[old.pk])).status_code == 404
    assert "Later" in client.get(reverse("core:documents")).content.decode()
    with pytest.raises(Http404):
        prepared.access_document(cast.leader, "1; drop")


def test_a_maker_that_fails_leaves_a_failed_document_and_a_message(cast, caplog):
    document = PreparedDocument.objects.create(
        owner=cast.leader, maker=ECHO.key, params={"fail": True}, title="Broken",
        expires_at=timezone.now() + dt.timedelta(hours=1))
    assert prepared.run(document.pk) == DocumentStatus.FAILED
    assert prepared.run(document.pk) == "skipped"  # a second run of the same order does nothing
    document.refresh_from_db()
    assert document.status == "failed" and document.error == "ValueError" and not document.file
    page = client_for(cast.leader).get(reverse("core:document", args=[document.pk])).content.decode()
    assert "could not be made" in page


def test_a_document_whose_owner_lost_the_right_before_it_was_made_fails(cast):
    document = PreparedDocument.objects.create(owner=cast.leader, maker=ECHO.key,
                                               params={"allowed": ["nobody"]}, title="Gone",
                                               expires_at=timezone.now() + dt.timedelta(hours=1))
    assert prepared.run(document.pk) == DocumentStatus.FAILED
    document.refresh_from_db()
    assert document.error == "PermissionError"


def test_expired_documents_and_their_files_are_deleted_by_the_daily_job(cast, settings):
    kept, old = ready_document(cast.leader), ready_document(cast.leader)
    path = old.file.path
    PreparedDocument.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    assert "expired-documents" in {job.name for job in scheduler.daily_jobs()}
    tick = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(23, 0)))
    assert f"expired-documents:{timezone.localdate().isoformat()}" in scheduler.tick(tick)
    assert list(PreparedDocument.objects.all()) == [kept]
    assert not os.path.exists(path)


def test_an_export_past_the_threshold_is_ordered_and_a_small_one_made_at_once(cast, settings):
    from django.http import HttpResponse
    from django.test import RequestFactory

    settings.HMS_DIRECT_EXPORT_ROWS = 10
    request = RequestFactory().get("/")
    request.user = cast.leader

    def export(rows):
        return prepared.direct_or_prepared(request, rows=rows, direct=lambda: HttpResponse("made"),
                                           maker=ECHO.key, params={"rows": rows}, title="Lines")

    assert export(10).content == b"made" and not PreparedDocument.objects.exists()
    ordered = export(11)
    document = PreparedDocument.objects.get()
    assert ordered.status_code == 302 and ordered["Location"] == reverse("core:document", args=[document.pk])
    assert (document.owner, document.params, document.status) == (cast.leader, {"rows": 11}, "queued")
