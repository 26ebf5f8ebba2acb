"""Hostile spreadsheets for the import tests, made as they stream so that the tests stay light:
a workbook whose sheet unpacks to far more than its upload, one that lies about its size, and
workbooks and CSV files just past the row and column caps."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from typing import IO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = b"</sheetData></worksheet>"
CELL = b'<c t="inlineStr"><is><t>x</t></is></c>'
ROW, ONE_CELL_ROW = b"<row>" + CELL * 10 + b"</row>", b"<row>" + CELL + b"</row>"


def _workbook(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(rows: list[list[object]], name: str = "file.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _workbook(rows))


def csv(rows: list[list[object]]) -> SimpleUploadedFile:
    text = "\n".join(",".join(str(cell) for cell in row) for row in rows)
    return SimpleUploadedFile("file.csv", text.encode())


def with_sheet(write_sheet: Callable[[IO[bytes]], None]) -> bytes:
    """An ordinary workbook whose first sheet is written by `write_sheet(stream)`."""
    source = zipfile.ZipFile(io.BytesIO(_workbook([["person", "course", "completed"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            if part.filename != SHEET:
                archive.writestr(part, source.read(part))
                continue
            with archive.open(SHEET, "w") as stream:
                write_sheet(stream)
    return out.getvalue()


def bomb(unpacked: int, row: bytes = ROW) -> SimpleUploadedFile:
    """A workbook whose sheet is `unpacked` bytes of rows (of ten cells), deflated to a few
    hundred KB."""
    def write(stream: IO[bytes]) -> None:
        stream.write(HEAD)
        for _ in range(unpacked // len(row)):
            stream.write(row)
        stream.write(TAIL)

    return SimpleUploadedFile("bomb.xlsx", with_sheet(write))


def lying_bomb(unpacked: int, declared: int = 1000) -> SimpleUploadedFile:
    """A bomb whose table of contents (and local header) says its sheet unpacks to `declared`
    bytes: the sizes lie, the deflated stream inflates to `unpacked`."""
    data = bytearray(bomb(unpacked).read())
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = data.find(signature)
        while start >= 0:
            name_length = struct.unpack_from("<H", data, start + (28 if offset == 24 else 26))[0]
            name_at = start + (46 if offset == 24 else 30)
            if bytes(data[name_at:name_at + name_length]) == SHEET.encode():
                struct.pack_into("<I", data, start + offset, declared)
            start = data.find(signature, start + 4)
    return SimpleUploadedFile("liar.xlsx", bytes(data))


def declared_range(dimension: str) -> SimpleUploadedFile:
    """A small workbook whose sheet declares the used range `dimension` (like "A1:ZZ9")."""
    def write(stream: IO[bytes]) -> None:
        stream.write(HEAD.replace(b"<sheetData>", f'<dimension ref="{dimension}"/><sheetData>'
                                  .encode()))
        stream.write(ROW + TAIL)

    return SimpleUploadedFile("range.xlsx", with_sheet(write))
