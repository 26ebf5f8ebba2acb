"""The catalogue of the points as data: what a definition must hold, and its points as values.

A definition (JSON, shipped in data/catalogue_default.json, loaded with `load_points_catalogue`)
names the catalogue in both languages and lists its points: number, short and full text in bokmål
and English, the items of Internkontrollforskriften § 5 it rests on (`ikf`), the evidence rule that
computes it and that rule's thresholds, and the roles that confirm it by hand. A rule is one of
`RULES`; "by_hand" is confirmed by hand only, "later" is not yet recorded by any module."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real
from typing import Any

from django.utils.translation import gettext as _

from hms.core.languages import in_language
from hms.core.roles import Role

# The shipped catalogue holds for every year on record; a later version from its first year on.
FIRST_YEAR_EVER = 2000
LANGUAGES = ("nb", "en")
SHARE = "share"  # a threshold between 0 and 1
# rule → its thresholds and their kind ("share", "count", or the words it may be).
RULES: dict[str, dict[str, Any]] = {
    "goals": {"min_goals": "count"},
    "delegations": {},
    "safety_rep_involved": {},
    "leader_safety_rep_meetings": {"min_meetings": "count", "count_per": ("unit", "area")},
    "by_hand": {},
    "safety_rep_active": {"min_items": "count"},
    "overall_mapping": {"max_age_years": "count"},
    "detailed_assessments": {},
    "rounds": {"min_rounds_per_area": "count"},
    "action_plan": {"max_overdue_share": SHARE},
    "measures_together": {"min_measures": "count"},
    "competence": {"min_trained_share": SHARE},
    "deviations": {"min_on_time_share": SHARE},
    "occupational_health": {},
    "later": {},
}
IKF_ITEMS = range(1, 9)


@dataclass(frozen=True)
class Point:
    number: int
    rule: str
    thresholds: dict[str, Any]
    ikf: tuple[int, ...]
    confirm_roles: tuple[str, ...]
    short_texts: dict[str, str]
    full_texts: dict[str, str]

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Point:
        return cls(number=entry["number"], rule=entry["rule"], thresholds=dict(entry["thresholds"]),
                   ikf=tuple(entry["ikf"]), confirm_roles=tuple(entry["confirm_roles"]),
                   short_texts=dict(entry["short"]), full_texts=dict(entry["text"]))

    @property
    def short(self) -> str:
        return in_language(self.short_texts["nb"], self.short_texts["en"])

    @property
    def text(self) -> str:
        return in_language(self.full_texts["nb"], self.full_texts["en"])

    @property
    def computed(self) -> bool:
        """Whether a module's records say something about the point (else: by hand only)."""
        return self.rule not in ("by_hand", "later")


def problems(definition: Any) -> list[str]:
    """What is wrong with a definition, in the active language; [] when it can be loaded."""
    if not isinstance(definition, dict):
        return [_("The catalogue must be a JSON object.")]
    found = text_problems(definition.get("name"), _("the catalogue's name"))
    entries = definition.get("points")
    if not isinstance(entries, list) or not entries:
        return [*found, _("The catalogue must list its points.")]
    numbers = [entry.get("number") if isinstance(entry, dict) else None for entry in entries]
    if numbers != list(range(1, len(entries) + 1)):
        found.append(_("The points must be numbered 1, 2, 3 … in order."))
    for position, entry in enumerate(entries, start=1):
        found += [_("Point %(number)s: %(problem)s") % {"number": position, "problem": problem}
                  for problem in _point_problems(entry)]
    return found


def _point_problems(entry: Any) -> list[str]:
    if not isinstance(entry, dict):
        return [_("each point must be a JSON object.")]
    found = [*text_problems(entry.get("short"), _("its short text")),
             *text_problems(entry.get("text"), _("its full text"))]
    rule = entry.get("rule")
    if rule not in RULES:
        found.append(_("the rule “%(rule)s” is unknown.") % {"rule": rule})
    else:
        found += _threshold_problems(RULES[rule], entry.get("thresholds"))
    ikf = entry.get("ikf")
    if not isinstance(ikf, list) or not ikf or any(item not in IKF_ITEMS for item in ikf):
        found.append(_("its legal anchor must list items 1 to 8 of Internkontrollforskriften § 5."))
    roles = entry.get("confirm_roles")
    if not isinstance(roles, list) or not roles or any(role not in Role.values for role in roles):
        found.append(_("it must name the roles that confirm it by hand."))
    return found


def _threshold_problems(known: dict[str, Any], thresholds: Any) -> list[str]:
    if not isinstance(thresholds, dict):
        return [_("its thresholds must be a JSON object.")]
    found = [_("the threshold “%(name)s” is unknown for its rule.") % {"name": name}
             for name in sorted(set(thresholds) - set(known))]
    for name, value in sorted(thresholds.items()):
        kind = known.get(name)
        if kind is None:
            continue
        if not _fits(kind, value):
            found.append(_("the threshold “%(name)s” has a value it cannot take.") % {"name": name})
    return found


def _fits(kind: Any, value: Any) -> bool:
    if isinstance(kind, tuple):
        return value in kind
    if isinstance(value, bool) or not isinstance(value, Real) or value < 0:
        return False
    return value <= 1 if kind == SHARE else float(value).is_integer()


def text_problems(texts: Any, what: str) -> list[str]:
    if isinstance(texts, dict) and all(isinstance(texts.get(code), str) and texts[code].strip()
                                       for code in LANGUAGES):
        return []
    return [_("%(what)s must be given in bokmål and English.") % {"what": what}]
