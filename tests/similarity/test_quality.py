"""The labelled pairs and the figures measured on them: a change to the features, the
lexicon or the threshold that makes the suggestions worse fails here.

The floors are the figures in docs/similarity.md less a small margin.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from similarity.quality import figures_at, load_pairs, score_pairs
from similarity.text import SUGGEST_AT

ROOT = Path(__file__).resolve().parents[2]

#: (pairs, precision floor, recall floor) at SUGGEST_AT.
FLOORS = {
    "opinion-issue": (0.95, 0.72),
    "all": (0.93, 0.55),
}


@pytest.fixture(scope="module")
def scored():
    return score_pairs(load_pairs())


def test_the_labelled_set_has_enough_pairs_of_both_kinds():
    pairs = load_pairs()
    assert len(pairs) >= 200
    assert sum(pair.same for pair in pairs) >= 80
    assert sum(not pair.same for pair in pairs) >= 80
    assert all(pair.text_a.strip() and pair.text_b.strip() for pair in pairs)
    assert len({(pair.text_a, pair.text_b) for pair in pairs}) == len(pairs)


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_precision_and_recall_stay_above_their_floors(scored, kind):
    subset = [(pair, score) for pair, score in scored if kind == "all" or pair.kind == kind]
    figures = figures_at(subset, SUGGEST_AT)
    precision_floor, recall_floor = FLOORS[kind]
    assert figures.precision >= precision_floor, figures
    assert figures.recall >= recall_floor, figures


def test_the_script_prints_precision_and_recall():
    result = subprocess.run(
        [sys.executable, "scripts/similarity_quality.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"SUGGEST_AT = {SUGGEST_AT}" in result.stdout
    assert "precision" in result.stdout and "recall" in result.stdout
    assert "opinion-issue (220)" in result.stdout
