"""What a revision changed compared with the approved version it started from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from hms.risk.models import RiskAssessment, RiskMatrix, RiskRow

HEADER_FIELDS = ["title", "scope", "trigger", "responsible_leader", "assessed_on"]
ROW_FIELDS = ["hazard_type", "activity", "unwanted_event", "cause", "existing_measures",
              "probability", "consequences", "residual_probability", "residual_consequences",
              "accept_reason", "needs_detailed", "exposure"]


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class RowChange:
    position: int
    kind: str  # "added", "removed", "changed"
    summary: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class Differences:
    header: list[Change]
    rows: list[RowChange]

    def __bool__(self) -> bool:
        return bool(self.header or self.rows)


def _display(obj: Any, name: str, matrix: RiskMatrix) -> str:
    value = getattr(obj, name)
    if name.endswith("consequences"):
        labels = {area["code"]: RiskMatrix.text(area["label"]) for area in matrix.areas()}
        return ", ".join(f"{labels.get(code, code)} {matrix.letter(level)}"
                         for code, level in sorted(value.items()) if level) or "–"
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return str(display() or "–")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value) if value not in (None, "") else "–"


def _changes(old: Any, new: Any, names: list[str], matrix: RiskMatrix) -> list[Change]:
    model = type(new)
    return [
        Change(str(model._meta.get_field(name).verbose_name).capitalize(),
               _display(old, name, matrix), _display(new, name, matrix))
        for name in names if _display(old, name, matrix) != _display(new, name, matrix)
    ]


def differences(old: RiskAssessment, new: RiskAssessment) -> Differences:
    """Header fields that differ, and rows added, removed or changed (matched by number)."""
    matrix = new.matrix
    before = {row.position: row for row in old.rows_with_matrix()}
    after = {row.position: row for row in new.rows_with_matrix()}
    rows: list[RowChange] = []
    for position in sorted(before.keys() | after.keys()):
        old_row, new_row = before.get(position), after.get(position)
        if old_row is None:
            rows.append(RowChange(position, "added", _summary(new_row)))
        elif new_row is None:
            rows.append(RowChange(position, "removed", _summary(old_row)))
        else:
            changed = _changes(old_row, new_row, ROW_FIELDS, matrix)
            if changed:
                rows.append(RowChange(position, "changed", _summary(new_row), changed))
    return Differences(_changes(old, new, HEADER_FIELDS, matrix), rows)


def _summary(row: RiskRow | None) -> str:
    return (row.unwanted_event or row.activity or "–") if row else "–"
