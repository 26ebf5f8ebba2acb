"""The matrix's marks: a sign for each state beside its colour (never colour alone), the state's
words for screen readers, and the bars of the share met over the years."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from hms.points.evidence import Evidence, State

register = template.Library()

MARKS = {State.MET: "✓", State.PARTLY: "◐", State.NOT_MET: "✗", State.NOT_RECORDED: "?",
         State.NOT_APPLICABLE: "–"}


@register.filter
def state_mark(state: str) -> str:
    return MARKS[State(state)]


@register.simple_tag
def matrix_cells(cells: list[Evidence]) -> SafeString:
    """A matrix row's cells: the state's colour, its sign and its words. One tag a row, each
    state's cell made once per language, not template nodes a cell: the cells are most of a
    matrix page."""
    made = _cells(get_language())
    return mark_safe("".join(made[cell.state] for cell in cells))  # noqa: S308 (made escaped)


@functools.cache
def _cells(language: str) -> dict[str, str]:
    return {str(state): format_html('<td class="state state-{}"><span aria-hidden="true">{}</span>'
                                    '<span class="visually-hidden">{}</span></td>',
                                    state, MARKS[state], state.label) for state in State}


BAR_WIDTH, BAR_GAP, CHART_HEIGHT = 9, 3, 24


@register.simple_tag
def share_bars(shares: dict[int, dict[int, float]], number: int, years: list[int]) -> list[dict[str, Any]]:
    """The bars of point `number`'s chart, one a year: the share of units that met it (its
    height in an SVG of CHART_HEIGHT, drawn with attributes, which the content policy allows)
    and its words; a year with no figures has no height and says "–"."""
    bars = []
    for index, year in enumerate(years):
        share = shares.get(number, {}).get(year)
        height = round((share or 0) * CHART_HEIGHT)
        bars.append({"year": year, "x": index * (BAR_WIDTH + BAR_GAP), "width": BAR_WIDTH,
                     "y": CHART_HEIGHT - height, "height": height,
                     "text": "–" if share is None else f"{number_format(round(share * 100))} %"})
    return bars


@register.simple_tag
def chart_width(years: list[int]) -> int:
    return len(years) * (BAR_WIDTH + BAR_GAP) - BAR_GAP
