"""The shape of a risk matrix definition, and its validation.

A definition is a JSON document (see data/risk_matrix_default.json): probability and consequence
levels with bokmål and English labels, consequence areas with a description per level, the colours
with the rule each carries, and a colour per cell (consequence → one colour per probability)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

NEEDS = ("nothing", "measure_or_reason", "measure")


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _has_texts(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in _languages())


def _check_levels(levels: Any, name: str, errors: list[str]) -> list[int]:
    if not isinstance(levels, list) or not levels:
        errors.append(_("“%(name)s” must be a list of levels.") % {"name": name})
        return []
    values = [level.get("value") if isinstance(level, dict) else None for level in levels]
    if values != list(range(1, len(levels) + 1)):
        errors.append(_("The %(name)s levels must be numbered 1, 2, 3 … in order.") % {"name": name})
    for level in levels:
        if not isinstance(level, dict) or not _has_texts(level.get("label")):
            errors.append(_("Every %(name)s level needs a label in bokmål and English.") % {"name": name})
            break
    return [v for v in values if isinstance(v, int)]


def _check_areas(areas: Any, consequences: list[int], errors: list[str]) -> None:
    if not isinstance(areas, list) or not areas:
        errors.append(_("“areas” must list the consequence areas."))
        return
    codes = [area.get("code") for area in areas if isinstance(area, dict)]
    if len(set(codes)) != len(areas) or not all(isinstance(c, str) and c for c in codes):
        errors.append(_("Every consequence area needs its own code."))
    if not any(isinstance(a, dict) and a.get("required") is True for a in areas):
        errors.append(_("At least one consequence area must be required."))
    for area in (a for a in areas if isinstance(a, dict)):
        descriptions = area.get("descriptions") or {}
        complete = _has_texts(area.get("label")) and all(
            _has_texts(descriptions.get(str(value))) for value in consequences)
        if not complete:
            errors.append(_("The area “%(code)s” needs a label and a description of every consequence "
                            "level in bokmål and English.") % {"code": area.get("code")})


def _check_colours(colours: Any, errors: list[str]) -> set[str]:
    if not isinstance(colours, list) or not colours:
        errors.append(_("“colours” must list the colours."))
        return set()
    for colour in colours:
        if not (isinstance(colour, dict) and colour.get("code") and colour.get("needs") in NEEDS
                and _has_texts(colour.get("label")) and _has_texts(colour.get("rule"))):
            errors.append(_("Every colour needs a code, a label and a rule in bokmål and English, and "
                            "what it needs: nothing, measure_or_reason or measure."))
            break
    return {str(colour.get("code")) for colour in colours if isinstance(colour, dict)}


def _check_cells(cells: Any, probabilities: list[int], consequences: list[int], colours: set[str],
                 errors: list[str]) -> None:
    if not isinstance(cells, dict):
        errors.append(_("“cells” must give a row of colours for every consequence level."))
        return
    for consequence in consequences:
        row = cells.get(str(consequence))
        if not isinstance(row, list) or len(row) != len(probabilities) or not set(row) <= colours:
            errors.append(_("Consequence %(level)s needs one known colour for each of the %(n)d "
                            "probability levels.") % {"level": consequence, "n": len(probabilities)})


def validate_definition(definition: Any) -> list[str]:
    """Every problem with a definition, as translated sentences; empty when it is sound."""
    if not isinstance(definition, dict):
        return [_("A risk matrix must be a JSON object.")]
    errors: list[str] = []
    probabilities = _check_levels(definition.get("probability"), "probability", errors)
    consequences = _check_levels(definition.get("consequence"), "consequence", errors)
    _check_areas(definition.get("areas"), consequences, errors)
    colours = _check_colours(definition.get("colours"), errors)
    _check_cells(definition.get("cells"), probabilities, consequences, colours, errors)
    return errors
