from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from hms.core import prepared, services
from hms.core.cards import home_cards
from hms.core.documents import stored_download
from hms.core.models import DocumentStatus, Notification, PreparedDocument
from hms.core.types import CoreRequest


@require_safe
def home(request: CoreRequest) -> HttpResponse:
    context = {
        "notifications": Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True)[:5],
        "cards": home_cards(request.user),
    }
    return render(request, "core/home.html", context)


@require_safe
def notifications(request: CoreRequest) -> HttpResponse:
    items = Notification.objects.filter(recipient_id=request.user.pk)[:100]
    return render(request, "core/notifications.html", {"items": items})


@require_POST
def mark_notifications_read(request: CoreRequest) -> HttpResponse:
    services.mark_notifications_read(actor=request.user)
    return HttpResponseRedirect(reverse("core:notifications"))


@login_not_required
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for load balancers and `./run`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def floor(request: CoreRequest) -> HttpResponse:
    """The framework floor for bench/: a trivial authenticated page through the same stack."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def documents(request: CoreRequest) -> HttpResponse:
    """The person's documents being made or ready (kept HMS_DOCUMENT_KEEP_HOURS)."""
    mine = PreparedDocument.objects.filter(owner_id=request.user.pk, expires_at__gt=timezone.now())[:50]
    return render(request, "core/documents.html", {"documents": mine})


@require_safe
def document(request: CoreRequest, pk: int) -> HttpResponse:
    """A document being made: how far it has come (the page asks again every two seconds while it
    is not finished), and the file when it is ready."""
    found = prepared.access_document(request.user, pk)
    template = "core/_document_status.html" if request.htmx else "core/document.html"
    return render(request, template, {"document": found})


@require_safe
def document_file(request: CoreRequest, pk: int) -> FileResponse:
    found = prepared.access_document(request.user, pk)
    if found.status != DocumentStatus.READY:
        raise Http404
    return stored_download(found.file, found.content_type, found.filename)
