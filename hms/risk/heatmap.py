"""Heat maps: rows placed in the probability × consequence matrix, with counts, before and after
measures. A row sits at its probability and its worst consequence over the areas assessed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Value, When

from hms.risk.models import RiskMatrix, RiskRow


@dataclass(frozen=True)
class Cell:
    probability: int
    consequence: int
    count: int
    colour: str
    colour_label: str


@dataclass(frozen=True)
class Line:
    """One consequence level: its letter and label, and a cell per probability."""

    letter: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class HeatMap:
    lines: list[Line]            # the worst consequence first, as the matrix is drawn
    probabilities: list[tuple[int, str]]
    placed: int
    unplaced: int                # rows not (yet) scored at this stage

    @property
    def colour_counts(self) -> list[tuple[str, str, int]]:
        """(code, label, rows) for each colour, in the matrix's order."""
        counts: Counter[str] = Counter()
        labels: dict[str, str] = {}
        for line in self.lines:
            for cell in line.cells:
                counts[cell.colour] += cell.count
                labels[cell.colour] = cell.colour_label
        return [(code, labels[code], counts[code]) for code in labels]


def build(matrix: RiskMatrix, counts: dict[tuple[int, int], int], unplaced: int) -> HeatMap:
    text = RiskMatrix.text
    definition = matrix.definition
    lines = [
        Line(matrix.letter(level["value"]), text(level["label"]), [
            Cell(p["value"], level["value"], counts.get((p["value"], level["value"]), 0),
                 matrix.colour(p["value"], level["value"]),
                 text(matrix.colour_info(matrix.colour(p["value"], level["value"]))["label"]))
            for p in definition["probability"]])
        for level in reversed(definition["consequence"])
    ]
    probabilities = [(p["value"], text(p["label"])) for p in definition["probability"]]
    return HeatMap(lines, probabilities, sum(counts.values()), unplaced)


def _stage_fields(residual: bool) -> tuple[str, str]:
    return (("residual_probability", "residual_consequence_max") if residual
            else ("probability", "consequence_max"))


def of_rows(matrix: RiskMatrix, rows: Iterable[RiskRow], *, residual: bool = False) -> HeatMap:
    p_field, c_field = _stage_fields(residual)
    counts: Counter[tuple[int, int]] = Counter()
    unplaced = 0
    for row in rows:
        probability, consequence = getattr(row, p_field), getattr(row, c_field)
        if probability and consequence:
            counts[(probability, consequence)] += 1
        else:
            unplaced += 1
    return build(matrix, counts, unplaced)


def before_and_after(matrix: RiskMatrix, rows: Any) -> tuple[HeatMap, HeatMap]:
    """Both heat maps of many rows (a unit's assessments), counted by the database in one pass.
    Each row is grouped by one number that packs its four scores, a score off this matrix counting
    as 0 (not placed): one small integer to group by is much cheaper than four columns, twice."""
    top_p, top_c = len(matrix.definition["probability"]), len(matrix.definition["consequence"])
    base = max(top_p, top_c) + 1

    def level(field: str, top: int) -> Any:
        return Case(When(**{f"{field}__range": (1, top)}, then=F(field)), default=Value(0),
                    output_field=IntegerField())

    packed = ((level("probability", top_p) * base + level("consequence_max", top_c)) * base
              + level("residual_probability", top_p)) * base + level("residual_consequence_max", top_c)
    stages: tuple[Counter[tuple[int, int]], Counter[tuple[int, int]]] = (Counter(), Counter())
    unplaced = [0, 0]
    for key, n in (rows.order_by().annotate(packed=packed).values("packed")
                   .annotate(n=Count("pk")).values_list("packed", "n")):
        scores = divmod(key, base ** 2)
        for stage, score in enumerate(scores):
            probability, consequence = divmod(score, base)
            if probability and consequence:
                stages[stage][(probability, consequence)] += n
            else:
                unplaced[stage] += n
    return (build(matrix, stages[0], unplaced[0]), build(matrix, stages[1], unplaced[1]))
