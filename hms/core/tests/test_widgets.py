"""The Python-rendered widgets give the same markup as Django's templates."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from hms.core.widgets import QuickCheckboxInput, QuickHiddenInput, QuickSelect, QuickTextarea

CHOICES = [("", "–"), ("1", "1 Very <low>"), ("2", "2 Low & \"quoted\"")]


def _same(quick: forms.Widget, plain: forms.Widget, name: str, value: object,
          attrs: dict[str, object]) -> tuple[object, object]:
    return parse_html(quick.render(name, value, attrs)), parse_html(plain.render(name, value, attrs))


@pytest.mark.parametrize("value", [None, "", "2", 2, "9"])
def test_it_renders_a_select_like_django(value):
    quick, plain = _same(QuickSelect(choices=CHOICES), forms.Select(choices=CHOICES), "r1-p", value,
                         {"id": "id_r1-p", "form": "f1", "required": True})
    assert quick == plain


def test_it_falls_back_to_the_template_for_option_groups():
    grouped = [("Group <a>", [("1", "One")]), ("2", "Two")]
    quick, plain = _same(QuickSelect(choices=grouped), forms.Select(choices=grouped), "g", "1", {})
    assert quick == plain
    assert "optgroup" in QuickSelect(choices=grouped).render("g", "1")


@pytest.mark.parametrize("value", [None, "", "Line one\nline <two> & \"three\""])
def test_it_renders_a_textarea_like_django(value):
    quick, plain = _same(QuickTextarea(attrs={"rows": 2}), forms.Textarea(attrs={"rows": 2}), "t",
                         value, {"id": "id_t", "form": "f1"})
    assert quick == plain


@pytest.mark.parametrize(("quick", "plain", "value"), [
    (QuickHiddenInput(), forms.HiddenInput(), 7),
    (QuickHiddenInput(), forms.HiddenInput(), None),
    (QuickHiddenInput(), forms.HiddenInput(), '"><script>'),
    (QuickCheckboxInput(), forms.CheckboxInput(), True),
    (QuickCheckboxInput(), forms.CheckboxInput(), False),
])
def test_it_renders_inputs_like_django(quick, plain, value):
    quick_html, plain_html = _same(quick, plain, "x", value, {"id": "id_x", "form": "f1"})
    assert quick_html == plain_html


def test_what_it_renders_is_escaped():
    html = QuickSelect(choices=CHOICES).render("s", None)
    assert "<low>" not in html and "&lt;low&gt;" in html
    assert "<two>" not in QuickTextarea().render("t", "a <two>")
