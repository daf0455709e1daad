"""Print the precision, recall and F1 of the text similarity on the labelled pairs.

    .venv/bin/python scripts/similarity_quality.py            # the chosen threshold, a sweep
    .venv/bin/python scripts/similarity_quality.py --misses   # also the pairs it gets wrong

The pairs are docs/data/similar_pairs.csv (how they were written: docs/data/README.md); the
threshold the suggestions use is ``similarity.text.SUGGEST_AT``; the figures are kept in
docs/similarity.md. Needs no database.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from similarity.quality import PAIRS_FILE, figures_at, load_pairs, score_pairs, sweep
from similarity.text import SUGGEST_AT

SWEEP = [round(0.10 + 0.025 * step, 3) for step in range(15)]


def line(figures) -> str:
    return (
        f"{figures.threshold:>9.3f} {figures.precision:>9.3f} {figures.recall:>7.3f} "
        f"{figures.f1:>6.3f} {figures.true_positives:>4} {figures.false_positives:>4} "
        f"{figures.false_negatives:>4} {figures.true_negatives:>4}"
    )


HEADER = f"{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6}   TP   FP   FN   TN"


def table(title: str, scored) -> None:
    print(title)
    print(HEADER)
    for figures in sweep(scored, SWEEP):
        marker = "  <- SUGGEST_AT" if abs(figures.threshold - SUGGEST_AT) < 1e-9 else ""
        print(line(figures) + marker)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the pairs judged wrongly")
    args = parser.parse_args()
    started = time.perf_counter()
    pairs = load_pairs()
    scored = score_pairs(pairs)
    elapsed = time.perf_counter() - started
    same = sum(pair.same for pair in pairs)
    print(f"{len(pairs)} labelled pairs ({same} same problem, {len(pairs) - same} different)")
    print(f"from {PAIRS_FILE.relative_to(PAIRS_FILE.parents[2])}, scored in {elapsed:.1f} s")
    print()
    print(f"At the suggestions' threshold (SUGGEST_AT = {SUGGEST_AT}):")
    print(f"{'pairs':<22}{HEADER}")
    kinds = sorted({pair.kind for pair in pairs})
    for kind in [*kinds, "all"]:
        subset = [(pair, score) for pair, score in scored if kind in ("all", pair.kind)]
        print(f"{kind + f' ({len(subset)})':<22}{line(figures_at(subset, SUGGEST_AT))}")
    print()
    # An opinion against an open issue is what the suggestions compare.
    table("Sweep, opinion against issue:", [(p, s) for p, s in scored if p.kind == "opinion-issue"])
    print()
    table("Sweep, all pairs:", scored)
    if args.misses:
        print()
        print(f"Pairs judged wrongly at {SUGGEST_AT}:")
        for pair, score in scored:
            if (score >= SUGGEST_AT) != pair.same:
                label = "same" if pair.same else "different"
                print(f"  #{pair.number} {score:.3f} ({label}) {pair.text_a} | {pair.text_b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
