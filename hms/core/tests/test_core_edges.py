"""The corners of the core modules that no journey reaches: odd spreadsheet cells and archives,
photos with transparency or of the wrong kind, a rate-limit entry gone before it is counted, a
broken log format, the scheduler's loop, and the names records show by."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import time
import uuid
import zipfile
from typing import IO, Any

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from PIL import Image

from hms.core import ratelimit, seeding, tabular, uploads, xlsx
from hms.core.errors import ServiceError
from hms.core.models import Notification, PreparedDocument, ScheduledRun
from hms.core.notifications import notify
from hms.core.tests import spreadsheets
from hms.core.tests.documents import ready_document

SQLITE = connection.vendor == "sqlite"


# --- tabular: cells and archives an import meets ------------------------------------------------

def _sheet(rows: bytes) -> SimpleUploadedFile:
    def write(stream: IO[bytes]) -> None:
        stream.write(spreadsheets.HEAD + rows + spreadsheets.TAIL)

    return SimpleUploadedFile("sheet.xlsx", spreadsheets.with_sheet(write))


def _archive(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED,
             base: bytes | None = None) -> SimpleUploadedFile:
    """A zip of `parts`, after the parts of the workbook `base` when one is given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        if base is not None:
            source = zipfile.ZipFile(io.BytesIO(base))
            for part in source.infolist():
                archive.writestr(part, source.read(part))
        for name, data in parts.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("book.xlsx", out.getvalue())


def test_an_iso_date_cell_and_a_whole_float_read_as_the_text_a_person_typed():
    # Excel's strict OOXML writes dates as ISO text (t="d"); a number may be stored as "3.0".
    upload = _sheet(b'<row><c t="d"><v>2026-03-01</v></c><c><v>3.0</v></c><c><v>2.5</v></c></row>')
    assert tabular.read_table(upload) == [(1, ["2026-03-01", "3", "2.5"])]


def test_a_workbook_with_a_part_in_a_compression_excel_never_writes_is_refused(english):
    book = spreadsheets.xlsx([["person", "course"]]).read()
    upload = _archive({"xl/media/extra.bin": b"x" * 100}, zipfile.ZIP_LZMA, base=book)
    with pytest.raises(ServiceError, match="could not be read as an Excel workbook"):
        tabular.read_table(upload)


def test_a_workbook_of_more_parts_than_any_workbook_has_is_refused(english):
    parts = {f"xl/media/part{n}.bin": b"" for n in range(tabular.MAX_XLSX_PARTS + 1)}
    with pytest.raises(ServiceError, match="could not be read as an Excel workbook"):
        tabular.read_table(_archive(parts))


def test_a_workbook_with_a_picture_in_it_is_read_past_the_picture():
    book = spreadsheets.xlsx([["person", "course"], ["ola", "HMS"]]).read()
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, format="PNG")  # not XML: the measuring skips it
    upload = _archive({"xl/media/image1.png": png.getvalue()}, base=book)
    assert tabular.read_table(upload) == [(1, ["person", "course"]), (2, ["ola", "HMS"])]


def test_a_zip_that_is_no_workbook_is_refused(english):
    with pytest.raises(ServiceError, match="could not be read as an Excel workbook"):
        tabular.read_table(_archive({"notes.txt": b"just a zip"}))


def test_a_sheet_whose_xml_breaks_off_is_refused_when_it_is_read(english):
    def write(stream: IO[bytes]) -> None:
        stream.write(spreadsheets.HEAD + spreadsheets.ONE_CELL_ROW)  # no closing tags

    upload = SimpleUploadedFile("cut.xlsx", spreadsheets.with_sheet(write))
    with pytest.raises(ServiceError, match="could not be read as an Excel workbook") as refused:
        tabular.read_table(upload)
    assert isinstance(refused.value.__cause__, SyntaxError)  # the XML parser's


@pytest.mark.parametrize("cell", [b'<c t="d"><v>tomorrow</v></c>', b"<c><v>twelve</v></c>"])
def test_a_cell_whose_value_does_not_fit_its_type_is_refused_when_the_rows_are_read(cell, english):
    # Well-formed XML, so the workbook opens; the value is cast only as its row is read.
    with pytest.raises(ServiceError, match="could not be read as an Excel workbook") as refused:
        tabular.read_table(_sheet(b"<row>" + cell + b"</row>"))
    assert isinstance(refused.value.__cause__, ValueError)


def test_a_csv_saved_by_an_old_excel_in_windows_1252_keeps_its_letters():
    upload = SimpleUploadedFile("people.csv", "name;city\nÅse Ødegård;København\n".encode("cp1252"))
    assert tabular.read_table(upload) == [(1, ["name", "city"]), (2, ["Åse Ødegård", "København"])]


# --- xlsx: values of other types ----------------------------------------------------------------

def test_a_value_of_another_type_is_written_as_its_text(english):
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")
    book = xlsx.workbook()
    xlsx.write_row(xlsx.add_sheet(book, "Sheet"), [key, gettext_lazy("Ready")])
    cells = load_workbook(io.BytesIO(xlsx.as_bytes(book))).active["A1:B1"][0]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        ("12345678-1234-5678-1234-567812345678", "s"), ("Ready", "s")]


# --- uploads: photos and files ------------------------------------------------------------------

def _image(mode: str, size: tuple[int, int], image_format: str, **options: Any) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, **options).save(out, format=image_format)
    return out.getvalue()


def test_a_photo_with_transparency_stays_a_png_with_its_alpha():
    cleaned = uploads.clean_upload(SimpleUploadedFile(
        "logo.png", _image("RGBA", (20, 10), "PNG", color=(10, 20, 30, 0))))
    assert cleaned.content_type == "image/png" and cleaned.content.name.endswith(".png")
    with Image.open(io.BytesIO(cleaned.content.read())) as image:
        assert image.format == "PNG" and image.mode == "RGBA" and image.size == (20, 10)
        assert image.getpixel((0, 0)) == (10, 20, 30, 0)
    assert cleaned.size == cleaned.content.size


def test_a_gif_with_a_transparent_colour_keeps_it():
    gif = io.BytesIO()
    Image.new("P", (8, 8), 0).save(gif, format="GIF", transparency=0)
    cleaned = uploads.clean_upload(SimpleUploadedFile("anim.gif", gif.getvalue()))
    assert cleaned.content_type == "image/png"
    with Image.open(io.BytesIO(cleaned.content.read())) as image:
        assert image.getpixel((0, 0))[3] == 0


@pytest.mark.parametrize("name, data", [
    ("scan.bmp", _image("RGB", (10, 10), "BMP")),  # an image, but of a kind not taken
    ("huge.png", _image("1", (8000, 6000), "PNG")),  # 48 million pixels, a few KB of file
])
def test_an_image_of_another_kind_or_of_too_many_pixels_is_refused(name, data, english):
    with pytest.raises(ServiceError, match=re.escape(f"“{name}” is not a photo")):
        uploads.clean_upload(SimpleUploadedFile(name, data))


def test_a_file_of_unknown_size_is_measured_as_it_is_read(settings, english):
    settings.HMS_MAX_ATTACHMENT_BYTES = 1024 * 1024
    body = b"%PDF-" + b"x" * settings.HMS_MAX_ATTACHMENT_BYTES
    upload = InMemoryUploadedFile(io.BytesIO(body), "file", "big.pdf", "application/pdf", None, None)
    assert upload.size is None
    with pytest.raises(ServiceError, match=r"“big\.pdf” is larger than 1 MB"):
        uploads.clean_upload(upload)
    just_fits = body[:settings.HMS_MAX_ATTACHMENT_BYTES]
    fits = InMemoryUploadedFile(io.BytesIO(just_fits), "file", "ok.pdf", "application/pdf", None, None)
    assert uploads.clean_upload(fits).size == settings.HMS_MAX_ATTACHMENT_BYTES


# --- ratelimit: the entry evicted between add and incr ------------------------------------------

@pytest.mark.django_db
def test_an_attempt_whose_entry_is_evicted_before_it_is_counted_starts_the_count_anew(monkeypatch):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    backend = caches["default"]
    real_incr = backend.incr

    def evicted_first(key: str, *args: Any, **kwargs: Any) -> int:
        backend.delete(key)  # another process culled or expired the entry just after our add
        return real_incr(key, *args, **kwargs)

    monkeypatch.setattr(backend, "incr", evicted_first)
    assert ratelimit.allow(request, "edge-test", "2/d")
    monkeypatch.undo()
    assert ratelimit.allow(request, "edge-test", "2/d")  # the second of the window
    assert not ratelimit.allow(request, "edge-test", "2/d")


# --- logs: a record whose format does not fit its arguments -------------------------------------

def test_a_record_whose_format_is_broken_is_passed_on_for_its_handler_to_report():
    make = logging.getLogRecordFactory()
    assert getattr(make, "redacts", False)  # LOGGING_CONFIG installed it
    broken = make("hms", logging.WARNING, __file__, 1, "/deviations/receipt/%s %d", ("k3y", "x"), None)
    assert (broken.msg, broken.args) == ("/deviations/receipt/%s %d", ("k3y", "x"))
    with pytest.raises(TypeError):
        broken.getMessage()
    fine = make("hms", logging.WARNING, __file__, 1, "/deviations/receipt/%s", ("k3y",), None)
    assert (fine.getMessage(), fine.args) == ("/deviations/receipt/…", ())


# --- the scheduler command's loop ---------------------------------------------------------------

class _Stopped(Exception):
    pass


@pytest.mark.django_db(transaction=True)  # between ticks it closes connections a test would hold
def test_the_scheduler_command_ticks_again_after_each_interval(capsys, time_machine, monkeypatch):
    time_machine.move_to("2026-11-25 02:30 +01:00", tick=False)
    naps: list[tuple[float, str]] = []

    def sleep(seconds: float) -> None:  # the clock moves on an hour while the command sleeps
        naps.append((seconds, capsys.readouterr().out))
        if len(naps) == 2:
            raise _Stopped
        time_machine.shift(dt.timedelta(hours=1))

    monkeypatch.setattr(time, "sleep", sleep)
    with pytest.raises(_Stopped):
        call_command("run_scheduler", "--interval", "3600")
    (first_wait, first_out), (second_wait, second_out) = naps
    assert first_wait == second_wait == 3600
    assert "expired-documents" not in first_out  # due at 03:00
    assert second_out == "enqueued expired-documents:2026-11-25\n"


# --- seeding: the planner's statistics ----------------------------------------------------------

def _tables_with_statistics() -> set[str]:
    with connection.cursor() as cursor:
        if SQLITE:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return set()
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        else:
            cursor.execute("SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema()")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def claimed_runs(db: Any) -> str:
    ScheduledRun.objects.bulk_create(ScheduledRun(key=f"job:{n}") for n in range(50))
    return ScheduledRun._meta.db_table


def test_the_scale_build_refreshes_the_planner_statistics_on_postgresql(claimed_runs, monkeypatch):
    # SQLite understands the same ANALYZE, so the PostgreSQL branch runs for real on both engines.
    monkeypatch.setattr(connection, "vendor", "postgresql")
    seeding.analyze()
    monkeypatch.undo()
    assert claimed_runs in _tables_with_statistics()


def test_the_scale_build_leaves_each_engine_with_the_statistics_of_a_real_install(claimed_runs):
    # Django never runs ANALYZE on SQLite; on PostgreSQL autovacuum would, minutes after the load.
    seeding.analyze()
    found = _tables_with_statistics()
    assert found == set() if SQLITE else claimed_runs in found


# --- what records and times show as -------------------------------------------------------------

def test_no_time_shows_as_a_dash():
    rendered = Template("{% load moments %}[{{ none|moment }}][{{ none|moment:True }}]").render(
        Context({"none": None}))
    assert rendered == "[–][–]"


def test_the_admin_names_a_notification_by_its_message_and_a_run_by_its_key(cast):
    notification = notify(cast.employee, "Your measure is due")
    assert isinstance(notification, Notification)
    run = ScheduledRun.objects.create(key="digest:2026-11-25")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.admin)
    for obj, name in ((notification, "Your measure is due"), (run, "digest:2026-11-25")):
        page = client.get(f"/admin/core/{obj._meta.model_name}/{obj.pk}/change/").content.decode()
        assert f"<h2>{name}</h2>" in page and f"&rsaquo; {name}\n" in page, name


def test_a_prepared_document_goes_by_its_title(cast):
    document = ready_document(cast.leader)
    assert str(PreparedDocument.objects.get(pk=document.pk)) == "Lines"

