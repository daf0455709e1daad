"""Precision and recall of the similarity on the labelled pairs (docs/data/similar_pairs.csv).

Every pair is scored as the suggestions score an open issue, with the document frequencies
of the reference corpus (``similarity/data/reference_texts.txt``, which holds none of the
pairs' texts); a pair is taken for the same problem when its score reaches the threshold.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .text import Corpus, reference

PAIRS_FILE = Path(__file__).resolve().parent.parent / "docs" / "data" / "similar_pairs.csv"


@dataclass(frozen=True)
class Pair:
    number: int
    kind: str
    category: str
    text_a: str
    text_b: str
    same: bool


@dataclass(frozen=True)
class Figures:
    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float:
        taken = self.true_positives + self.false_positives
        return self.true_positives / taken if taken else 1.0

    @property
    def recall(self) -> float:
        same = self.true_positives + self.false_negatives
        return self.true_positives / same if same else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_pairs(path: Path = PAIRS_FILE) -> list[Pair]:
    with path.open(encoding="utf-8", newline="") as file:
        return [
            Pair(
                number=int(row["pair"]),
                kind=row["kind"],
                category=row["category"],
                text_a=row["text_a"],
                text_b=row["text_b"],
                same=row["same"] == "1",
            )
            for row in csv.DictReader(file)
        ]


def score_pairs(pairs: list[Pair], corpus: Corpus | None = None) -> list[tuple[Pair, float]]:
    corpus = corpus or reference()
    return [(pair, corpus.similarity(pair.text_a, pair.text_b)) for pair in pairs]


def figures_at(scored: list[tuple[Pair, float]], threshold: float) -> Figures:
    tp = fp = fn = tn = 0
    for pair, score in scored:
        taken = score >= threshold
        if taken and pair.same:
            tp += 1
        elif taken:
            fp += 1
        elif pair.same:
            fn += 1
        else:
            tn += 1
    return Figures(threshold, tp, fp, fn, tn)


def sweep(scored, thresholds) -> list[Figures]:
    return [figures_at(scored, threshold) for threshold in thresholds]


# The grouping into themes, on docs/data/theme_issues.csv: issues of one problem filed by
# different branches.

THEME_ISSUES_FILE = PAIRS_FILE.parent / "theme_issues.csv"


@dataclass(frozen=True)
class LabelledIssue:
    number: int
    problem: str
    category: str
    branch: str
    text: str


@dataclass(frozen=True)
class GroupingFigures:
    threshold: float
    groups: int
    #: over every two issues of one category: grouped together and of one problem
    pairs: Figures
    #: problems filed by three branches or more (what a theme is proposed for)
    recurring_problems: int
    #: of those, found whole: all their issues in one group
    found_whole: int
    #: groups of three branches or more (what would be proposed)
    proposed: int
    #: of those, holding issues of one problem only
    proposed_pure: int


def load_theme_issues(path: Path = THEME_ISSUES_FILE) -> list[LabelledIssue]:
    with path.open(encoding="utf-8", newline="") as file:
        return [
            LabelledIssue(
                int(row["text"]), row["problem"], row["category"], row["branch"], row["issue"]
            )
            for row in csv.DictReader(file)
        ]


def grouping_figures(
    issues: list[LabelledIssue], threshold: float, corpus: Corpus | None = None
) -> GroupingFigures:
    from collections import defaultdict
    from itertools import combinations

    from .grouping import Text, group_texts

    groups = group_texts(
        [Text(issue.number, issue.text, issue.category) for issue in issues],
        threshold=threshold,
        corpus=corpus,
    )
    group_of = {number: index for index, numbers in enumerate(groups) for number in numbers}
    tp = fp = fn = tn = 0
    for a, b in combinations(issues, 2):
        if a.category != b.category:
            continue
        together = group_of[a.number] == group_of[b.number]
        same = a.problem == b.problem
        tp += together and same
        fp += together and not same
        fn += same and not together
        tn += not same and not together
    by_problem = defaultdict(list)
    for issue in issues:
        by_problem[issue.problem].append(issue)
    recurring = [
        members for members in by_problem.values() if len({m.branch for m in members}) >= 3
    ]
    found_whole = sum(len({group_of[m.number] for m in members}) == 1 for members in recurring)
    by_number = {issue.number: issue for issue in issues}
    proposed = [numbers for numbers in groups if len({by_number[n].branch for n in numbers}) >= 3]
    pure = sum(len({by_number[n].problem for n in numbers}) == 1 for numbers in proposed)
    return GroupingFigures(
        threshold,
        len(groups),
        Figures(threshold, tp, fp, fn, tn),
        len(recurring),
        found_whole,
        len(proposed),
        pure,
    )
