"""A finding becomes a task (issue 14): what the new-measure form of a round finding starts from.

The title says what to do, from what was found: the finding's comment when the walker wrote one,
else the checkpoint turned into a task ("Ensure that the machines have guards …", "Sørg for at
maskinene har verneinnretninger …": the checkpoints are statements of how things should be), in
the reader's language; a free finding's title as it was given. The description keeps where it was
found and the checkpoint. The responsible person starts as the unit's plan owner, else its
leader, when the form lets them be chosen."""

from __future__ import annotations

from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from hms.rounds import signing
from hms.rounds.models import Finding

TITLE_LENGTH = 200  # Measure.title


def measure_initial(finding: Finding, responsible_choices: Any) -> dict[str, Any]:
    round_ = finding.round
    return {"title": measure_title(finding), "description": measure_description(finding),
            "safety_area": round_.safety_area_id,
            "responsible": default_responsible(round_.org_unit, responsible_choices)}


def measure_title(finding: Finding) -> str:
    answer = finding.answer
    if answer is None:
        return _short(finding.title)
    comment = finding.description.strip()
    if comment:
        return _short(comment.splitlines()[0])
    return _short(_("Ensure that %(checkpoint)s") % {"checkpoint": _as_clause(answer.item.text)})


def measure_description(finding: Finding) -> str:
    round_ = finding.round
    values = {"area": round_.safety_area.name,
              "day": (round_.conducted_on or round_.planned_on).strftime("%d.%m.%Y")}
    comment = finding.description.strip()
    parts = [comment] if comment and _short(comment) != measure_title(finding) else []
    answer = finding.answer
    if answer is None:
        parts.append(_("Found on the HSE round in %(area)s, %(day)s.") % values)
    else:
        parts.append(_("Not OK on the HSE round in %(area)s, %(day)s: %(checkpoint)s") % {
            **values, "checkpoint": answer.item.text})
    return "\n\n".join(parts)


def default_responsible(unit: Any, choices: Any) -> int | None:
    """The unit's plan owner, else its (nearest) leader: the first the form's choices allow."""
    candidates = [unit.plan_owner_id] if unit.plan_owner_id else []
    candidates += [leader.pk for leader in signing.leaders(unit)]
    allowed = set(choices.filter(pk__in=candidates).values_list("pk", flat=True))
    return next((pk for pk in candidates if pk in allowed), None)


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(TITLE_LENGTH)


def _as_clause(statement: str) -> str:
    """A checkpoint ("The machines have guards.") as the clause of a sentence ("the machines
    have guards"): first letter lowered unless the first word is an abbreviation, the full stop
    dropped."""
    text = statement.strip().rstrip(".")
    first = text.split(maxsplit=1)[0] if text else ""
    if len(first) > 1 and first[1].isupper():
        return text
    return text[:1].lower() + text[1:]
