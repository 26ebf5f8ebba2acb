"""Every import measures a spreadsheet before it reads it (issue 12): an .xlsx that unpacks to
more than HMS_MAX_IMPORT_UNPACKED_BYTES, or a file of more rows or columns than the caps, is
refused with a clear message, through each import's page, and nothing changes.

IMPORT_VIEWS lists every page that reads an uploaded table; a test fails when a page takes a
file upload and is neither listed here nor one of the photo uploads (checked by hms/core/uploads)."""

from __future__ import annotations

import inspect
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hms.accounts.models import User
from hms.competence.models import TrainingRecord
from hms.core import tabular
from hms.core.errors import ServiceError
from hms.core.models import AuditEvent
from hms.core.tests import spreadsheets
from hms.org.models import OrgUnit, RoleAssignment
from hms.risk.models import RiskAssessment

MB = 1024 * 1024


@dataclass
class ImportView:
    name: str
    persona: str
    args: Callable[[Any], list[Any]] = lambda cast: []
    data: dict[str, str] = field(default_factory=dict)
    csv: bool = True  # takes CSV as well as .xlsx
    setup: Callable[[], None] = lambda: None


def unit_a(cast: Any) -> list[Any]:
    return [cast.unit_a.pk]


IMPORT_VIEWS = [
    ImportView("org:import", "admin", data={"kind": "people"}),
    ImportView("competence:import", "leader", args=unit_a),
    ImportView("risk:import", "leader", args=unit_a, csv=False,
               setup=lambda: call_command("load_risk_matrix")),
]
# Pages that take files but no table: their photos and PDFs are checked by hms/core/uploads.
PHOTO_VIEWS = {"deviations:report", "deviations:public_report", "deviations:attach",
               "rounds:walk", "rounds:add_photo"}


def _state() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (
        User, OrgUnit, RoleAssignment, TrainingRecord, RiskAssessment, AuditEvent))


def _post(cast: Any, view: ImportView, upload: Any) -> str:
    """The page the import answers with, checking that nothing was written."""
    view.setup()
    before = _state()
    User.objects.filter(pk=cast.users[view.persona].pk).update(language="en")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.users[view.persona])
    response = client.post(reverse(view.name, args=view.args(cast)),
                           {**view.data, "file": upload})
    assert response.status_code == 200, (view.name, response.status_code)
    assert _state() == before, f"{view.name} changed something"
    return response.content.decode()


@pytest.fixture(scope="module")
def bomb_bytes() -> bytes:
    """60 MiB of sheet, over the default limit of 50 MiB, in about 100 KB."""
    return spreadsheets.bomb(60 * MB).read()


@pytest.mark.django_db
def test_every_import_refuses_a_zip_bomb_before_it_parses_it(cast, bomb_bytes, english):
    assert len(bomb_bytes) < MB
    for view in IMPORT_VIEWS:
        with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed")):
            started = time.monotonic()
            page = _post(cast, view, SimpleUploadedFile("bomb.xlsx", bomb_bytes))
        assert "The workbook unpacks to 60.0\xa0MB, more than the 50.0\xa0MB" in page, view.name
        assert time.monotonic() - started < 5, view.name


@pytest.mark.django_db
def test_every_import_refuses_too_many_rows_or_columns(cast, settings, english):
    settings.HMS_MAX_IMPORT_ROWS = 20
    settings.HMS_MAX_IMPORT_COLUMNS = 8
    header = ["person", "course", "completed"]
    long = [header, *[["x", "y", "2025-01-01"]] * 20]
    wide = [header + [f"extra{i}" for i in range(6)], ["x", "y", "2025-01-01"]]
    for view in IMPORT_VIEWS:
        for make in (spreadsheets.xlsx, spreadsheets.csv) if view.csv else (spreadsheets.xlsx,):
            assert "The file has more than 20 rows." in _post(cast, view, make(long)), view.name
            assert "The file has more than 8 columns." in _post(cast, view, make(wide)), view.name


def test_it_refuses_a_sheet_that_declares_more_rows_or_columns_than_the_caps(db, english):
    with pytest.raises(ServiceError, match="more than 20000 rows"):
        tabular.read_table(spreadsheets.declared_range("A1:C20001"))
    with pytest.raises(ServiceError, match="more than 100 columns"):
        tabular.read_table(spreadsheets.declared_range("A1:CW2"))
    assert len(tabular.read_table(spreadsheets.declared_range("A1:J1"))) == 1


def test_it_stops_at_the_first_row_past_the_cap(settings, english):
    settings.HMS_MAX_IMPORT_ROWS = 1000
    started = time.monotonic()
    with pytest.raises(ServiceError, match="more than 1000 rows"):
        tabular.read_table(spreadsheets.bomb(10 * MB, row=spreadsheets.ONE_CELL_ROW))
    assert time.monotonic() - started < 2


def test_a_workbook_that_lies_about_its_size_is_refused_without_inflating_it(english):
    liar = spreadsheets.lying_bomb(100 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(ServiceError, match="could not be read as an Excel workbook"):
            tabular.read_table(liar)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * MB


def test_one_row_of_a_million_cells_is_refused_before_openpyxl_builds_it(english):
    def write(stream: Any) -> None:
        stream.write(spreadsheets.HEAD + b"<row>" + b"<c/>" * 1_000_000 + b"</row>"
                     + spreadsheets.TAIL)

    upload = SimpleUploadedFile("wide.xlsx", spreadsheets.with_sheet(write))
    with (mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed")),
          pytest.raises(ServiceError, match="more than 100 columns")):
        tabular.read_table(upload)


def test_it_refuses_a_workbook_of_more_xml_than_its_rows_could_need(settings, english):
    settings.HMS_MAX_IMPORT_ROWS = 100  # room for 8,000 tags

    def write(stream: Any) -> None:  # styles-like XML outside any row, which openpyxl would keep
        stream.write(spreadsheets.HEAD.replace(b"<sheetData>", b"<x/>" * 10_000 + b"<sheetData>")
                     + spreadsheets.TAIL)

    upload = SimpleUploadedFile("dense.xlsx", spreadsheets.with_sheet(write))
    with pytest.raises(ServiceError, match="more than an import reads"):
        tabular.read_table(upload)


def _upload_views(patterns: list[Any], prefix: str = "") -> set[str]:
    """Our pages whose view builds a form with a file field."""
    found: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            module = getattr(pattern.urlconf_module, "__name__", "")
            if pattern.namespace and module.startswith("hms."):
                found |= _upload_views(pattern.url_patterns, f"{pattern.namespace}:")
        elif isinstance(pattern, URLPattern) and prefix and _takes_files(pattern.callback):
            found.add(prefix + pattern.name)
    return found


def _takes_files(view: Any) -> bool:
    view = inspect.unwrap(view)
    names = view.__code__.co_names
    return any(isinstance(form, type) and issubclass(form, forms.BaseForm)
               and any(isinstance(f, forms.FileField) for f in form.base_fields.values())
               for form in (view.__globals__.get(name) for name in names))


def test_every_page_that_takes_a_file_is_measured_here() -> None:
    uploads = _upload_views(get_resolver().url_patterns)
    listed = {view.name for view in IMPORT_VIEWS}
    assert listed <= uploads, f"not upload pages: {sorted(listed - uploads)}"
    assert uploads - listed - PHOTO_VIEWS == set(), (
        f"pages that take a file without an import-limits test: {sorted(uploads - listed)}")
