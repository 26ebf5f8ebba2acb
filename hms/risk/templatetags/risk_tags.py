"""Showing risk in templates: colours by name, scores in the letter-and-digit notation, and the
cells of the row editor."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from hms.risk.models import RiskMatrix, RiskRow
from hms.risk.widgets import escape

register = template.Library()


@register.filter
def colour_label(matrix: RiskMatrix, code: str) -> str:
    """A colour's name in the active language ("" for no colour)."""
    return RiskMatrix.text(matrix.colour_info(code)["label"]) if code else ""


@register.filter
def colour_rule(matrix: RiskMatrix, code: str) -> str:
    return RiskMatrix.text(matrix.colour_info(code)["rule"]) if code else ""


@register.filter
def scores(row: RiskRow, matrix: RiskMatrix) -> str:
    return " ".join(row.scores(matrix))


@register.filter
def residual_scores(row: RiskRow, matrix: RiskMatrix) -> str:
    return " ".join(row.scores(matrix, residual=True))


@register.filter
def text(value: dict[str, str]) -> str:
    """A {language: text} value from a matrix definition, in the active language."""
    return RiskMatrix.text(value)


@register.filter
def letter_for(row: RiskRow, area: str) -> str:
    """The row's consequence letter for one area ("–" when not assessed)."""
    level = row.consequences.get(area)
    return row.assessment.matrix.letter(level) if level else "–"


@register.filter
def residual_letter_for(row: RiskRow, area: str) -> str:
    level = row.residual_consequences.get(area)
    return row.assessment.matrix.letter(level) if level else "–"


# The row editor's cells: 200 rows draw 1,600 of them, so they are put together here with the
# widgets' own plain formatting and escaping rather than by templates or format_html.
REQUIRED = ' <span class="req" aria-hidden="true">*</span>'


@register.simple_tag
def cell(field: BoundField, position: int) -> SafeString:
    """A cell of the row editor: the widget, and a label for screen readers ("Cause, row 3")."""
    row = gettext("row %(n)s") % {"n": escape(localize(position))}  # as blocktranslate does
    return mark_safe(f'<label class="visually-hidden" for="{escape(field.id_for_label)}">'  # noqa: S308
                     f"{escape(capfirst(field.label))}, {row}</label>{escape(field)}")


@register.simple_tag
def score_cells(form: Any, residual: bool = False) -> SafeString:
    """A row's probability and its consequence per area in the editor, each with its label; before
    measures, a star marks the scores the matrix requires."""
    stage = "residual_" if residual else ""
    probability = form[f"{stage}probability"]
    cells = [(probability, gettext("Probability"), not residual)]
    for area in form.matrix.areas():
        field = form[f"{stage}c_{area['code']}"]
        cells.append((field, field.label, not residual and area.get("required")))
    return mark_safe("".join(  # noqa: S308 - every value escaped
        f'<label for="{escape(field.id_for_label)}">{escape(label)}'
        f'{REQUIRED if required else ""}</label>{escape(field)}' for field, label, required in cells))
