"""Print how well issues are grouped into recurring themes, on the labelled issues.

    .venv/bin/python scripts/theme_quality.py

The issues are docs/data/theme_issues.csv (55 problems each filed by three branches, 15
single issues as hard neighbours; how they were written: docs/data/README.md); the grouping
is ``similarity.grouping`` with its threshold ``GROUP_AT``, blocked by category as the app
does. Printed: over every two issues of one category, grouped together against the same
problem (precision, recall); how many of the problems filed by three branches are found
whole (all three issues in one group: proposed as one theme); how many of the groups of
three branches hold one problem only. The figures are kept in docs/themes.md. Needs no
database.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from similarity.grouping import GROUP_AT
from similarity.quality import THEME_ISSUES_FILE, grouping_figures, load_theme_issues

SWEEP = [0.15, 0.175, 0.2, 0.225, 0.25, 0.275, 0.3, 0.35]


def main() -> int:
    started = time.perf_counter()
    issues = load_theme_issues()
    rows = [grouping_figures(issues, threshold) for threshold in sorted({*SWEEP, GROUP_AT})]
    elapsed = time.perf_counter() - started
    problems = len({issue.problem for issue in issues})
    print(f"{len(issues)} labelled issues of {problems} problems")
    source = THEME_ISSUES_FILE.relative_to(THEME_ISSUES_FILE.parents[2])
    print(f"from {source}, grouped in {elapsed:.1f} s")
    print()
    print(
        f"{'threshold':>9} {'groups':>6} {'precision':>9} {'recall':>7} {'F1':>6}"
        f" {'TP':>4} {'FP':>4} {'FN':>4}   {'found whole':>11}   {'proposed, one problem':>21}"
    )
    for row in rows:
        pairs = row.pairs
        marker = "  <- GROUP_AT" if abs(row.threshold - GROUP_AT) < 1e-9 else ""
        print(
            f"{row.threshold:>9.3f} {row.groups:>6} {pairs.precision:>9.3f} {pairs.recall:>7.3f}"
            f" {pairs.f1:>6.3f} {pairs.true_positives:>4} {pairs.false_positives:>4}"
            f" {pairs.false_negatives:>4}   {row.found_whole:>4} of {row.recurring_problems:<4}"
            f"   {row.proposed_pure:>8} of {row.proposed:<8}{marker}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
