"""The questionnaire of the annual HSE report as data: what a definition must hold, and its
questions as values.

A definition (JSON, shipped in data/questionnaire_default.json, loaded with
`load_annual_questionnaire`) names the questionnaire in both languages and lists its questions,
each under one of the 19 points (`point`): a code unique in the questionnaire, the text in bokmål
and English, its kind (`KINDS`), the choices of a "choice" question, and optionally where the
records answer it (`prefill`, one of `PREFILLS`, whose kind must be the question's). A report
keeps the version it was answered by, so a new version never changes a report made before."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from hms.core.languages import in_language
from hms.points.catalogue import text_problems

POINTS = range(1, 20)
YES_NO_PARTLY = "yes_no_partly"
KINDS = (YES_NO_PARTLY, "number", "choice", "date", "text")
ANSWERS = ("yes", "partly", "no")  # the answers of a yes / no / partly question
# where the records answer a question → the kind of answer it gives
PREFILLS: dict[str, str] = {
    "point_state": YES_NO_PARTLY,  # the state of the question's point that year
    "goals": "number",  # HSE goals set for the year
    "goals_met": "number",  # of them, marked met at the year's end
    "delegations_accepted": "number",  # delegated tasks in force, accepted by the delegate
    "leader_vo_meetings_held": "number",
    "overall_mapping_approved": "date",  # the last approval of the overall risk mapping
    "detailed_assessments_overdue": "number",
    "rounds_done": "number",  # rounds completed and signed this year
    "safety_areas_without_round": "number",
    "deviations_reported": "number",
    "deviations_closed_on_time_percent": "number",
    "measures_open": "number",
    "measures_overdue": "number",
    "measures_done": "number",  # done this year
    "training_valid_percent": "number",
    "occupational_health_involvements": "number",
}
CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


@dataclass(frozen=True)
class Question:
    code: str
    point: int
    kind: str
    texts: dict[str, str]
    choices: tuple[tuple[str, dict[str, str]], ...] = ()
    prefill: str = ""

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Question:
        return cls(code=entry["code"], point=entry["point"], kind=entry["kind"],
                   texts=dict(entry["text"]),
                   choices=tuple((choice["value"], dict(choice["text"]))
                                 for choice in entry.get("choices", ())),
                   prefill=entry.get("prefill", ""))

    @property
    def text(self) -> str:
        return in_language(self.texts["nb"], self.texts["en"])

    def choice_label(self, value: str) -> str:
        return next((in_language(texts["nb"], texts["en"]) for known, texts in self.choices
                     if known == value), value)


def problems(definition: Any) -> list[str]:
    """What is wrong with a definition, in the active language; [] when it can be loaded."""
    if not isinstance(definition, dict):
        return [_("The questionnaire must be a JSON object.")]
    found = text_problems(definition.get("name"), _("the questionnaire's name"))
    entries = definition.get("questions")
    if not isinstance(entries, list) or not entries:
        return [*found, _("The questionnaire must list its questions.")]
    codes: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        found += [_("Question %(number)s: %(problem)s") % {"number": position, "problem": problem}
                  for problem in _question_problems(entry, codes)]
    return found


def _question_problems(entry: Any, codes: set[str]) -> list[str]:
    if not isinstance(entry, dict):
        return [_("each question must be a JSON object.")]
    found = text_problems(entry.get("text"), _("its text"))
    code = entry.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        found.append(_("its code must be lower-case letters, digits and _ (at most 50), starting "
                       "with a letter."))
    elif code in codes:
        found.append(_("the code “%(code)s” is used twice.") % {"code": code})
    else:
        codes.add(code)
    if entry.get("point") not in POINTS:
        found.append(_("it must belong to one of the points 1 to 19."))
    kind = entry.get("kind")
    if kind not in KINDS:
        found.append(_("its kind must be one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)})
    found += _choice_problems(kind, entry.get("choices"))
    prefill = entry.get("prefill", "")
    if prefill and PREFILLS.get(prefill) is None:
        found.append(_("the records cannot answer “%(prefill)s”.") % {"prefill": prefill})
    elif prefill and PREFILLS[prefill] != kind:
        found.append(_("“%(prefill)s” answers a question of the kind “%(kind)s”.")
                     % {"prefill": prefill, "kind": PREFILLS[prefill]})
    return found


def _choice_problems(kind: Any, choices: Any) -> list[str]:
    if kind != "choice":
        return [] if choices is None else [_("only a choice question lists choices.")]
    if not isinstance(choices, list) or len(choices) < 2:
        return [_("a choice question must list at least two choices.")]
    found: list[str] = []
    values = [choice.get("value") if isinstance(choice, dict) else None for choice in choices]
    if any(not isinstance(value, str) or not CODE.match(value) for value in values):
        found.append(_("each choice must have a value of lower-case letters, digits and _."))
    elif len(set(values)) != len(values):
        found.append(_("two choices have the same value."))
    for choice in choices:
        found += text_problems(choice.get("text") if isinstance(choice, dict) else None,
                                _("each choice's text"))
    return found

