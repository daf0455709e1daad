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
