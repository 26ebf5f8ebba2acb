"""Issue 14, item 7: the demo and the shipped reference data name no real institution, keep their
names in both languages, and a demo measure's text agrees with its origin."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from hms.measures import demo
from hms.measures.models import Measure, Origin

HMS = Path(__file__).resolve().parents[2]
REAL = re.compile(r"ntnu|trondheim|gløshaugen|norges teknisk", re.IGNORECASE)
CATALOGUES = ["deviations/data/deviation_types.json", "rounds/data/checklists.json",
              "competence/data/courses.json", "governance/data/tasks.json"]


def test_no_demo_text_or_reference_data_names_a_real_institution():
    files = [*HMS.glob("*/demo.py"), *HMS.glob("*/scale.py"), *HMS.glob("*/data/*.json")]
    assert len(files) > 10
    named = [str(path.relative_to(HMS)) for path in files if REAL.search(path.read_text("utf-8"))]
    assert named == []


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_catalogue_entry_has_its_name_in_both_languages(catalogue):
    entries = json.loads((HMS / catalogue).read_text("utf-8"))
    for entry in entries:
        assert entry["name"]["nb"].strip() and entry["name"]["en"].strip(), entry["code"]
        assert entry["name"]["nb"] != entry["name"]["en"] or len(entry["name"]["nb"]) < 12, entry


def test_a_demo_measure_says_where_it_came_from(cast):
    assert set(demo.ORIGIN_NOTES) == set(Origin)
    demo.plan_measures(random.Random(2026), cast.unit_a, [cast.employee, cast.leader], cast.admin,
                       [cast.area])
    measures = list(Measure.objects.filter(org_unit=cast.unit_a))
    assert len(measures) >= 4
    for measure in measures:
        assert measure.description == demo.ORIGIN_NOTES[measure.origin]
    assert "runden" not in demo.ORIGIN_NOTES[Origin.ANNUAL_REPORT]
