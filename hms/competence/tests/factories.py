"""Training records for tests, written straight to the database (the services are tested on
their own)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hms.competence.models import Course, TrainingRecord


def course(code: str) -> Course:
    return Course.objects.get(code=code)


def record(person: Any, code: str, completed: dt.date, expires: dt.date | None = None,
           **fields: Any) -> TrainingRecord:
    found = course(code)
    return TrainingRecord.objects.create(
        person=person, course=found, completed_on=completed,
        expires_on=expires if expires is not None else found.expiry_from(completed), **fields)


def csv_file(text: str, name: str = "training.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list[Any]], name: str = "training.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
