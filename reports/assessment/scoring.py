"""A period's figures and its scheme → each branch's row: the components with their
rates, the weighted score, the rank (docs/metrics.md, "The assessment").

- A component is **scored** when its denominator is at least the scheme's minimum;
  below it, the rate is shown and marked, and leaves the score.
- The **score** is the weighted mean of the scored components' scores (0 to 100), the
  weights of the components left out being left out too.
- A branch is **ranked** when its scored components carry at least half of the weight of
  its components with any case at all (a component with nothing due, 0/0, judges
  nothing and is left out of both); the others are listed after the ranked ones, marked,
  without a rank, so a branch with two cases is never ranked above one with two hundred
  by accident. A branch with no component scored is not ranked.
- Ranks follow the score as shown (one decimal), highest first; equal scores share a
  rank (1, 2, 2, 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from branches.models import Branch

from ..links import figure_url
from ..metrics import BranchFigures, Figures, Rate, Report
from ..models import AssessmentScheme
from .components import Component


@dataclass(frozen=True)
class Cell:
    """One component of one branch."""

    component: Component
    weight: int
    rate: Rate
    #: 0 to 100, or None when there is nothing to rate (no denominator)
    score: float | None
    #: the denominator reaches the minimum: the component counts in the score
    scored: bool
    numerator_url: str
    denominator_url: str

    @property
    def shown(self) -> str:
        return self.component.shown(self.rate)

    @property
    def below_minimum(self) -> bool:
        """Some cases, too few to score (with none, there is nothing to judge)."""
        return bool(self.rate.denominator) and not self.scored


@dataclass
class Row:
    branch: Branch
    figures: Figures
    cells: list[Cell]
    score: float | None
    #: the share the scored components carry of the weight of the components with a case
    weight_scored: float
    ranked: bool
    rank: int | None = None
    #: the same branch in the previous period (with its own scheme), when assessed
    previous: Row | None = field(default=None, repr=False)

    @property
    def shown_score(self) -> str:
        return "—" if self.score is None else f"{self.score:.1f}"

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (negative: lost); None when either
        period did not rank the branch."""
        if self.rank is None or self.previous is None or self.previous.rank is None:
            return None
        return self.previous.rank - self.rank

    @property
    def places_moved(self) -> int:
        return abs(self.rank_change or 0)

    @property
    def score_change(self) -> float | None:
        if self.score is None or self.previous is None or self.previous.score is None:
            return None
        return round(self.score, 1) - round(self.previous.score, 1)


def rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 1)


def branch_row(row: BranchFigures, scheme: AssessmentScheme, report: Report) -> Row:
    cells = []
    for component, weight in scheme.chosen():
        rate = component.rate(row.figures)
        cells.append(
            Cell(
                component=component,
                weight=weight,
                rate=rate,
                score=component.score(rate),
                scored=rate.denominator >= scheme.min_denominator,
                numerator_url=figure_url(component.numerator, report.selection, row.branch),
                denominator_url=figure_url(component.denominator, report.selection, row.branch),
            )
        )
    scored = [cell for cell in cells if cell.scored]
    weight = sum(cell.weight for cell in scored)
    total = sum(cell.weight for cell in cells if cell.rate.denominator)
    score = sum(cell.weight * cell.score for cell in scored) / weight if weight else None
    share = weight / total if total else 0.0
    return Row(
        branch=row.branch,
        figures=row.figures,
        cells=cells,
        score=score,
        weight_scored=share,
        ranked=score is not None and share * 2 >= 1,
    )


def assess_branches(report: Report, scheme: AssessmentScheme) -> list[Row]:
    """Every branch of ``report`` scored with ``scheme``: the ranked ones by rank (then in
    the institute's order), then the others in the institute's order."""
    rows = [branch_row(row, scheme, report) for row in report.branches]
    ranked = sorted((row for row in rows if row.ranked), key=lambda row: -rounded(row.score))
    previous_score, rank = None, 0
    for position, row in enumerate(ranked, start=1):
        if rounded(row.score) != previous_score:
            rank, previous_score = position, rounded(row.score)
        row.rank = rank
    return ranked + [row for row in rows if not row.ranked]
