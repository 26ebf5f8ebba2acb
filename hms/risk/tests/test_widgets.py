"""The row editor's fast widgets draw exactly the markup of the widgets they stand in for."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from hms.core.widgets import QuickCheckboxInput, QuickHiddenInput, QuickSelect, QuickTextarea
from hms.risk.widgets import (
    RowCheckboxInput,
    RowHiddenInput,
    RowSelect,
    RowTextarea,
    attributes,
)

AWKWARD = "<b>\"Tom\" & 'Jerry'</b>"
ATTRS = {"id": "id_r1-x", "form": "f1", "required": True, "disabled": False, "title": None,
         "data-n": 3, "aria-label": gettext_lazy("Remove"), "data-safe": mark_safe("<i>")}
CHOICES = [("", "–"), ("1", "1 Low"), ("2", AWKWARD), (3, gettext_lazy("Other"))]

ODD_ATTRS = [{}, {"b": 1, "a": "2"}, {"z": True, "a": True, "m": False}, {"x": 0, "y": ""},
             {AWKWARD: AWKWARD}, {"é": "ø", "data-x": mark_safe("&amp;")}, ATTRS]


def test_attributes_are_drawn_as_flatatt_draws_them():
    for attrs in ODD_ATTRS:
        assert attributes(attrs) == flatatt(attrs), attrs


def test_the_fast_inputs_draw_the_quick_inputs_markup():
    pairs = [(RowTextarea(attrs={"rows": 2}), QuickTextarea(attrs={"rows": 2})),
             (RowHiddenInput(), QuickHiddenInput()), (RowCheckboxInput(), QuickCheckboxInput())]
    for fast, quick in pairs:
        for value in (None, "", AWKWARD, "line 1\nline 2", 7, True, False):
            assert fast.render("r1-x", value, ATTRS) == quick.render("r1-x", value, ATTRS), (fast, value)


def test_the_fast_select_draws_the_quick_select_markup_every_time():
    fast, quick = RowSelect(choices=CHOICES), QuickSelect(choices=CHOICES)
    for _round in range(2):  # drawn, then from what the widget kept
        for value in (None, "", "1", 2, "2", 3, "missing"):
            for attrs in (ATTRS, {"id": f"id_{value}"}):
                assert fast.render("r1-c", value, attrs) == quick.render("r1-c", value, attrs)
    assert len(fast._options) <= 6


def test_the_fast_select_forgets_its_options_when_its_choices_change():
    select = RowSelect(choices=CHOICES)
    select.render("c", "1")
    select.choices = [("1", "One")]
    assert select.render("c", "1") == '<select name="c"><option value="1" selected>One</option></select>'


def test_a_copied_select_keeps_its_own_choices():
    field = forms.ChoiceField(choices=CHOICES, widget=RowSelect)
    field.widget.render("c", "1")
    copy = field.__deepcopy__({})
    copy.choices = [("1", "One")]
    assert "One" in copy.widget.render("c", "1")
    assert "1 Low" in field.widget.render("c", "1")


def test_option_groups_are_drawn_as_django_draws_them():
    grouped = [("Group", [("a", "A"), ("b", AWKWARD)]), ("c", "C")]
    fast, quick = RowSelect(choices=grouped), QuickSelect(choices=grouped)
    for name, value in (("g", "a"), ("h", "a"), ("g", "c")):
        assert fast.render(name, value, ATTRS) == quick.render(name, value, ATTRS)
    assert "<optgroup" in fast.render("g", "b")


def test_a_multiple_select_is_drawn_by_django():
    class Several(RowSelect):
        allow_multiple_selected = True

    fast = Several(choices=CHOICES)

    class QuickSeveral(QuickSelect):
        allow_multiple_selected = True

    assert fast.render("m", ["1", "2"]) == QuickSeveral(choices=CHOICES).render("m", ["1", "2"])
    assert "multiple" in fast.render("m", ["1"]) and not fast._options
