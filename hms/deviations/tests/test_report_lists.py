"""The report form's unit and safety-area lists start with the reporter's own (issue 14): an
option group of their units and areas, then the rest of the university, and no "---------"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test.html import parse_html

from hms.deviations.forms import ReportForm
from hms.org.models import SafetyArea

pytestmark = pytest.mark.usefixtures("english")


def options(form: ReportForm, name: str) -> list[tuple[str, list[str]]]:
    """(group label, option labels) of the rendered select; '' is the group of loose options."""
    select = parse_html(str(form[name]))
    groups: list[tuple[str, list[str]]] = []
    for child in select.children:
        if child.name == "optgroup":
            groups.append((dict(child.attributes)["label"], [str(o.children[0]) for o in child.children]))
        else:
            groups.append(("", [str(child.children[0])]))
    return groups


def other_area(cast: Any) -> SafetyArea:
    area = SafetyArea.objects.create(org_unit=cast.unit_b, code="b-lab", name="B labs")
    area.units.add(cast.unit_b)
    return area


def test_the_reporters_unit_comes_first_and_is_chosen(cast):
    form = ReportForm(user=cast.employee)
    groups = options(form, "org_unit")
    assert [label for label, _ in groups] == ["Your units", "All units"]
    assert groups[0][1] == ["Department A"]
    assert "Department A" not in groups[1][1] and "Department B" in groups[1][1]
    assert "---------" not in str(form["org_unit"])
    assert f'value="{cast.unit_a.pk}" selected' in str(form["org_unit"])


def test_the_areas_serving_the_reporters_units_come_first(cast):
    other_area(cast)
    form = ReportForm(user=cast.employee)
    assert options(form, "safety_area") == [
        ("", ["None, or I do not know"]), ("Your safety areas", ["A labs"]),
        ("All safety areas", ["B labs"])]


def test_someone_without_a_unit_gets_one_list_and_a_meaningful_empty_choice(cast):
    form = ReportForm(user=cast.admin)
    groups = options(form, "org_unit")
    assert groups[0] == ("", ["Choose a unit…"])
    assert all(label == "" for label, _ in groups)


def test_the_lists_can_be_searched(cast):
    form = ReportForm(user=cast.employee)
    assert 'data-filter="Search the units"' in str(form["org_unit"])
    assert 'data-filter="Search the safety areas"' in str(form["safety_area"])


def test_an_area_from_the_rest_of_the_list_is_still_refused_for_another_units_report(cast):
    area = other_area(cast)
    form = ReportForm({"org_unit": cast.unit_a.pk, "safety_area": area.pk}, user=cast.employee)
    assert not form.is_valid() and "safety_area" in form.errors
