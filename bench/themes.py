# ruff: noqa: S311 - reproducible sample data, not secrets
"""Time the search for recurring problems: the grouping of issues into themes.

    .venv/bin/python bench/themes.py                       # 2,000 to 40,000 made-up issues
    .venv/bin/python bench/themes.py --sizes 125000        # a province's six months
    DATABASE_URL=postgres://outreach:outreach@127.0.0.1:5432/outreach_bench \\
        .venv/bin/python bench/themes.py --database        # the real search on that data

The made-up issues are the reference corpus's texts (``similarity/data/reference_texts.txt``)
each cut at a random place and signed by a branch, in nine categories: many near-repeats, as a
province's issues are. ``--database`` runs ``themes.finding.search`` for the current month on
the data there, inside a transaction rolled back at the end (the database is left as it was).
Prints the texts, the groups and the seconds; the search runs as a job (the office's button,
the nightly schedule), never inside a web request (docs/themes.md).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BRANCHES = ["福州", "厦门", "泉州", "漳州", "莆田", "三明", "南平", "龙岩", "宁德"]


def made_up(count: int, rng: random.Random):
    from similarity.grouping import Text
    from similarity.text import REFERENCE_TEXTS

    lines = [
        line.strip()
        for line in REFERENCE_TEXTS.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 12 and not line.startswith("#")
    ]
    texts = []
    for number in range(count):
        text = rng.choice(lines)
        cut = rng.randrange(len(text))
        text = text[:cut] + text[cut + rng.randrange(0, 4) :]
        texts.append(Text(number, f"{rng.choice(BRANCHES)}分院{text}", rng.randrange(9)))
    return texts


def on_made_up(sizes: list[int]) -> None:
    from similarity.grouping import GROUP_AT, group_texts
    from similarity.text import reference

    started = time.perf_counter()
    reference().vector("电梯检验报告出具慢")  # jieba and the corpus loaded once
    print(f"jieba and the reference corpus loaded in {time.perf_counter() - started:.1f} s")
    print(f"GROUP_AT = {GROUP_AT}")
    print(f"{'texts':>8} {'groups':>7} {'seconds':>8} {'ms a text':>10}")
    for size in sizes:
        texts = made_up(size, random.Random(size))
        started = time.perf_counter()
        groups = group_texts(texts)
        elapsed = time.perf_counter() - started
        print(f"{size:>8} {len(groups):>7} {elapsed:>8.1f} {1000 * elapsed / size:>10.2f}")


def on_the_database() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(48))
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from themes import finding

    with transaction.atomic():
        started = time.perf_counter()
        search = finding.search(timezone.localdate())
        elapsed = time.perf_counter() - started
        print(
            f"search of {search.month:%Y-%m}: {search.issues_read} issues read, "
            f"{search.groups_found} groups, {search.themes_proposed} themes proposed, "
            f"{search.issues_added} issues added, in {elapsed:.1f} s (rolled back)"
        )
        transaction.set_rollback(True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 10_000, 40_000])
    parser.add_argument("--database", action="store_true", help="the real search, rolled back")
    args = parser.parse_args()
    if args.database:
        on_the_database()
    else:
        on_made_up(args.sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
