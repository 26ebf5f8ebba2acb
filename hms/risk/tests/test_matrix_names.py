"""Issue 14, item 7: the risk matrix is named in both languages, on the assessment page, in its PDF
and its spreadsheet, and the default names no real institution."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from hms.risk import services
from hms.risk.management.commands.load_risk_matrix import DEFAULT
from hms.risk.models import RiskMatrix

pytestmark = pytest.mark.django_db

NAMES = {"nb": "Standard 5 × 5-matrise", "en": "Standard 5 × 5 matrix"}


def client_in(user, language: str) -> Client:
    user.language = language
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_assessment_its_pdf_and_its_spreadsheet_name_the_matrix_in_the_readers_language(
        cast, lab, language):
    client = client_in(cast.leader, language)
    other = NAMES["en" if language == "nb" else "nb"]
    page = client.get(f"/risk/{lab.pk}/").content.decode()
    assert f"{NAMES[language]} (v1)" in page and other not in page
    pdf = client.get(f"/risk/{lab.pk}/assessment.pdf").content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert NAMES[language] in text
    sheet = load_workbook(io.BytesIO(client.get(f"/risk/{lab.pk}/assessment.xlsx").content)).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert f"{NAMES[language]} (v1)" in cells and f"{other} (v1)" not in cells


def test_the_default_matrix_names_no_real_institution():
    text = DEFAULT.read_text(encoding="utf-8").lower()
    assert "ntnu" not in text and "trondheim" not in text
    assert json.loads(text)["name"].keys() == {"nb", "en"}


def test_loading_the_same_names_again_adds_no_version_and_a_one_language_name_serves_both(
        cast, matrix):
    default = json.loads(DEFAULT.read_text(encoding="utf-8"))
    first = RiskMatrix.objects.get()
    assert (first.name_nb, first.name_en) == (NAMES["nb"], NAMES["en"])
    assert services.load_matrix(actor=None, definition=default) == first
    older = copy.deepcopy(default)
    older["name"] = "Local matrix 2019"
    second = services.load_matrix(actor=cast.admin, definition=older)
    assert (second.version, second.name_nb, second.name_en) == (2, "Local matrix 2019",
                                                                  "Local matrix 2019")
    nameless = copy.deepcopy(default)
    del nameless["name"]
    assert services.load_matrix(actor=cast.admin, definition=nameless).name == "v3"
