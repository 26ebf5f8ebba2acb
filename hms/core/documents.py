"""What every export shares: a download response and self-contained PDFs (spreadsheets: xlsx.py)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


# Letters slugify would drop (ø, æ) or strip of their ring (å), written as Norwegians write them
# without: file names stay ASCII, which every browser, mail program and file system takes.
_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
PART_LENGTH = 60


def filename(what: str, *names: Any, suffix: str) -> str:
    """A download's file name, the same way in every module: what it is, as a translated slug
    ("handlingsplan", "risikovurdering"), then what it is of (a unit's code, a record's title, a
    day), each made a lowercase ASCII slug; a name with nothing left of it is left out."""
    parts = [slugify(str(part).translate(_NORWEGIAN))[:PART_LENGTH].strip("-")
             for part in (what, *names)]
    return "-".join(part for part in parts if part) + f".{suffix}"


def inline_file(stored: Any) -> FileResponse:
    """A stored photo or file (a `core.models.StoredUpload`), shown in the browser and never kept
    in a shared cache. The caller has checked access."""
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = f'inline; filename="{stored}"'
    response["Cache-Control"] = "private, no-store"
    return response


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """PDFs are self-contained: nothing is fetched while rendering them (no file:, http: or any
    other address, whatever text a record holds); images come inline as data: URIs."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    inline_only = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    return HTML(string=render_to_string(template, context), url_fetcher=inline_only).write_pdf()


def stored_download(file: Any, content_type: str, filename: str) -> FileResponse:
    """A file made earlier (a prepared document), streamed from storage as a download for the one
    person it was made for: never kept in a shared cache. The caller has checked access."""
    response = FileResponse(file.open("rb"), content_type=content_type, as_attachment=True,
                            filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
