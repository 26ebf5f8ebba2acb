"""A maker of background documents for the tests: a text file of `rows` lines, which reports its
progress line by line and fails when asked to, allowed to whoever `params["allowed"]` names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from hms.core import prepared
from hms.core.models import DocumentStatus, PreparedDocument


def _make(user: Any, params: dict[str, Any], progress: prepared.Progress) -> prepared.Made:
    if params.get("fail"):
        raise ValueError("asked to fail")
    lines = []
    for number in range(params.get("rows", 3)):
        lines.append(f"line {number} for {user.username}")
        progress(number + 1, params.get("rows", 3))
    return prepared.Made("\n".join(lines).encode(), "lines.txt", "text/plain")


ECHO = prepared.register(prepared.Maker(
    key="tests.echo", allowed=lambda user, params: user.username in params.get("allowed", [user.username]),
    make=_make))


def ready_document(owner: Any, **params: Any) -> PreparedDocument:
    document = PreparedDocument.objects.create(
        owner=owner, maker=ECHO.key, params=params, title="Lines", status=DocumentStatus.READY,
        filename="lines.txt", content_type="text/plain",
        expires_at=timezone.now() + dt.timedelta(hours=1))
    document.file.save("lines.txt", ContentFile(b"line 0"), save=True)
    return document
