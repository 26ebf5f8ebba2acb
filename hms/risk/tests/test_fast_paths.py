"""The shortcuts that keep the big risk pages fast give the answers of the plain way: the list
counts only its page, the unit heat map counts both stages in one query, and the editor's forms
share their fields."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client

from hms.risk import heatmap, services, views
from hms.risk.forms import RowForm
from hms.risk.models import RiskAssessment, RiskRow

pytestmark = pytest.mark.django_db

RED = {"probability": 3, "consequences": {"people": 4}}
YELLOW = {"probability": 3, "consequences": {"people": 3}}


def add(cast, assessment, scores=None, **fields):
    return services.add_row(actor=cast.leader, assessment=assessment,
                            data={"unwanted_event": "Spill", **(scores or {}), **fields})


def test_every_page_of_the_list_has_its_own_counts_in_order(cast, lab, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for scores in (RED, RED, YELLOW):
        add(cast, lab, scores)
    first = services.create_assessment(actor=cast.leader, org_unit=cast.unit_a, kind="overall",
                                       data={"title": "Mapping one"})
    add(cast, first, YELLOW)
    services.create_assessment(actor=cast.leader, org_unit=cast.unit_a, kind="overall",
                               data={"title": "Mapping two"})
    cast.coordinator.language = "en"
    cast.coordinator.save()
    client = Client()
    client.force_login(cast.coordinator)
    url = f"/risk/units/{cast.faculty_f.pk}/"

    def shown(query: str) -> list[tuple[str, str, str]]:
        page = client.get(url + query).content.decode()
        return re.findall(r'<a href="/risk/\d+/">([^<]+)</a>.*?Red rows.*?<div>(.*?)</div>.*?'
                          r'Yellow rows.*?<div>(.*?)</div>', page, re.S)

    def count(colour: str, n: int) -> str:
        return f'<span class="risk risk-{colour}">{n}</span>' if n else "0"

    assert shown("") == [("Mapping two", "0", "0"), ("Mapping one", "0", count("yellow", 1))]
    assert shown("?page=2") == [("Solvent lab", count("red", 2), count("yellow", 1))]
    assert shown("?red=on") == [("Solvent lab", count("red", 2), count("yellow", 1))]
    assert "1 assessment" in client.get(url + "?red=on").content.decode()


def _counted_one_by_one(matrix, rows, residual):
    """The heat map as the page counted it before: a row off the matrix is not placed."""
    top_p, top_c = len(matrix.definition["probability"]), len(matrix.definition["consequence"])
    counts: Counter[tuple[int, int]] = Counter()
    unplaced = 0
    for row in rows:
        p, c = ((row.residual_probability, row.residual_consequence_max) if residual
                else (row.probability, row.consequence_max))
        if p and c and p <= top_p and c <= top_c:
            counts[(p, c)] += 1
        else:
            unplaced += 1
    return heatmap.build(matrix, counts, unplaced)


def test_the_unit_heat_map_counts_both_stages_as_one_row_at_a_time_would(cast, lab):
    add(cast, lab, RED, residual_probability=1, residual_consequences={"people": 4})
    add(cast, lab, RED, residual_probability=1, residual_consequences={"people": 4})
    add(cast, lab, YELLOW)
    add(cast, lab, {"probability": 5, "consequences": {"people": 5, "environment": 2}},
        residual_probability=2, residual_consequences={"people": 1})
    add(cast, lab)  # not scored
    off = add(cast, lab, RED)
    # A row scored on an older matrix with more levels than the one in use.
    RiskRow.objects.filter(pk=off.pk).update(probability=6, residual_probability=2,
                                             residual_consequence_max=7)
    rows = RiskRow.objects.filter(assessment=lab)
    before, after = heatmap.before_and_after(lab.matrix, rows)
    assert before == _counted_one_by_one(lab.matrix, rows, residual=False)
    assert after == _counted_one_by_one(lab.matrix, rows, residual=True)
    assert (before.placed, before.unplaced, after.placed, after.unplaced) == (4, 2, 3, 3)


def test_an_empty_unit_has_empty_heat_maps(cast, lab):
    before, after = heatmap.before_and_after(lab.matrix, RiskRow.objects.none())
    assert before.placed == before.unplaced == after.placed == after.unplaced == 0


def test_the_forms_of_a_page_share_fields_and_draw_what_a_form_per_row_draws(cast, lab):
    add(cast, lab, RED, activity="Decanting <acetone>", hazard_type="chemical")
    add(cast, lab, YELLOW, residual_probability=1, residual_consequences={"people": 3},
        needs_detailed=True, exposure="noise")
    add(cast, lab)
    rows = RiskAssessment.objects.get(pk=lab.pk).rows_with_matrix()
    shared = RowForm.for_rows(rows)
    assert shared[0].fields is shared[1].fields is shared[2].fields
    for row, form in zip(rows, shared, strict=True):
        alone = RowForm.for_row(row)
        assert list(form.fields) == list(alone.fields)
        for name in alone.fields:
            assert str(form[name]) == str(alone[name]), name
            assert f'form="f{row.pk}"' in str(form[name])
    assert RowForm.for_rows([]) == []


def test_a_row_form_without_a_row_ties_its_cells_to_no_form(cast, lab):
    form = RowForm(matrix=lab.matrix)
    assert "form=" not in str(form["cause"])
