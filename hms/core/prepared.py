"""Documents made in the background: large exports (a faculty's action plan, the training gaps of
a subtree, the statistics of the university) are made by the task worker, not inside the request.

An app registers a `Maker` for each such document: `allowed(user, params)` says whether the person
may see what the document holds (asked when it is ordered and again at every fetch, so a lost role
also loses the file), and `make(user, params, progress)` builds it as that person sees the records,
in their language, telling `progress(done, total)` how far it has come. `prepare()` records the
order and queues it; the page of the document shows its progress and offers the file when ready.
Files are kept `HMS_DOCUMENT_KEEP_HOURS` and then deleted by the scheduler."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation

from hms.core.models import DocumentStatus, PreparedDocument

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Made:
    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class Maker:
    key: str
    allowed: Callable[[Any, dict[str, Any]], bool]
    make: Callable[[Any, dict[str, Any], Progress], Made]


MAKERS: dict[str, Maker] = {}


def register(maker: Maker) -> Maker:
    MAKERS[maker.key] = maker
    return maker


def prepare(*, owner: Any, maker: str, params: dict[str, Any], title: str) -> PreparedDocument:
    """Order a document; the worker makes it once the order is committed."""
    from hms.core.tasks import make_document

    if not MAKERS[maker].allowed(owner, params):
        raise Http404
    keep = dt.timedelta(hours=settings.HMS_DOCUMENT_KEEP_HOURS)
    document = PreparedDocument.objects.create(owner=owner, maker=maker, params=params,
                                               title=title[:300], expires_at=timezone.now() + keep)
    transaction.on_commit(lambda: make_document.enqueue(document.pk))
    return document


def direct_or_prepared(request: Any, *, rows: int, direct: Callable[[], Any], maker: str,
                       params: dict[str, Any], title: str, limit: int | None = None) -> Any:
    """An export of `rows` rows: made in the request (`direct()`) while it is small, ordered from
    the worker past `limit` rows (HMS_DIRECT_EXPORT_ROWS; PDFs, slower a row, pass
    HMS_DIRECT_PDF_ROWS), the person then sent to the document's page."""
    if rows <= (settings.HMS_DIRECT_EXPORT_ROWS if limit is None else limit):
        return direct()
    document = prepare(owner=request.user, maker=maker, params=params, title=title)
    return HttpResponseRedirect(reverse("core:document", args=[document.pk]))


def _reporter(document: PreparedDocument) -> Progress:
    """Writes progress at most about once a second, so a long export costs a few updates only."""
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 1.0 or done >= total:
            last[0] = now
            PreparedDocument.objects.filter(pk=document.pk).update(done=done, total=total)

    return report


def run(document_id: int) -> str:
    """Make one ordered document (the task worker's side); returns its status."""
    claimed = PreparedDocument.objects.filter(pk=document_id, status=DocumentStatus.QUEUED).update(
        status=DocumentStatus.RUNNING)
    document = PreparedDocument.objects.select_related("owner").filter(pk=document_id).first()
    if not claimed or document is None:
        return "skipped"
    maker = MAKERS[document.maker]
    try:
        with translation.override(document.owner.language or settings.LANGUAGE_CODE):
            if not maker.allowed(document.owner, document.params):
                raise PermissionError("no longer allowed")
            made = maker.make(document.owner, document.params, _reporter(document))
    except Exception as error:  # any failure of a maker is shown as a failed document
        log.exception("document %s (%s) failed", document_id, document.maker)
        _finish(document, status=DocumentStatus.FAILED, error=type(error).__name__)
        return DocumentStatus.FAILED
    document.file.save(made.filename, ContentFile(made.content), save=False)
    _finish(document, status=DocumentStatus.READY, filename=made.filename,
            content_type=made.content_type, file=document.file.name)
    return DocumentStatus.READY


def _finish(document: PreparedDocument, **values: Any) -> None:
    PreparedDocument.objects.filter(pk=document.pk).update(finished_at=timezone.now(), **values)


def access_document(user: Any, pk: Any) -> PreparedDocument:
    """The person's own document, while it is kept and its maker still lets them see it; 404
    otherwise (the same answer for missing and forbidden)."""
    if not getattr(user, "is_authenticated", False) or not str(pk).isdigit():
        raise Http404
    document = PreparedDocument.objects.filter(
        pk=int(pk), owner=user, expires_at__gt=timezone.now()).first()
    maker = MAKERS.get(document.maker) if document else None
    if document is None or maker is None or not maker.allowed(user, document.params):
        raise Http404
    return document


def delete_expired(now: dt.datetime | None = None) -> int:
    """Delete the documents (and their files) past their time; returns how many."""
    expired = list(PreparedDocument.objects.filter(expires_at__lte=now or timezone.now()))
    for document in expired:
        if document.file:
            document.file.delete(save=False)
        document.delete()
    return len(expired)
