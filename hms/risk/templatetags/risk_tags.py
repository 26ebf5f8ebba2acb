"""Showing risk in templates: colours by name, scores in the letter-and-digit notation."""

from __future__ import annotations

from typing import Any

from django import template

from hms.risk.models import RiskMatrix, RiskRow

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


@register.filter
def field_of(form: Any, name: str) -> Any:
    """A bound field by a name built in the template (consequence fields are per area)."""
    return form[name]
