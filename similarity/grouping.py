"""Texts grouped by the problem they are about: the recurring themes' first step.

Two texts can only share a group when they are in the same block (the app's blocks are the
categories) and do not name different classes of equipment (an elevator's report delay is
not a boiler's, however alike the words). Within that, a text joins the group whose centre
it is most alike, when that is at least ``GROUP_AT``; otherwise it starts a group. The
centre of a group is the sum of its texts' TF-IDF vectors, so a group is held together by
what its texts share, and one loose text does not chain two problems together as linking
every close pair would.

Deterministic: the texts are taken in the order given (the app gives the oldest first), and
a tie goes to the older group. Needs no Django and no network.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from .equipment import equipment_named
from .text import Corpus, reference

#: From this cosine to a group's centre a text joins the group: chosen on the labelled
#: issues for precision first (docs/themes.md, scripts/theme_quality.py).
GROUP_AT = 0.25


@dataclass(frozen=True)
class Text:
    key: Hashable
    text: str
    #: Texts of different blocks never share a group.
    block: Hashable = None


@dataclass
class _Group:
    keys: list = field(default_factory=list)
    centre: dict[str, float] = field(default_factory=dict)
    #: The squared length of ``centre``, kept as texts join.
    length2: float = 0.0
    equipment: frozenset[str] = frozenset()

    def likeness(self, vector: dict[str, float]) -> float:
        if not self.length2:
            return 0.0
        dot = sum(value * self.centre.get(name, 0.0) for name, value in vector.items())
        return dot / math.sqrt(self.length2)

    def add(self, key, vector: dict[str, float], equipment: frozenset[str]) -> None:
        dot = sum(value * self.centre.get(name, 0.0) for name, value in vector.items())
        self.length2 += 2 * dot + sum(value * value for value in vector.values())
        for name, value in vector.items():
            self.centre[name] = self.centre.get(name, 0.0) + value
        self.keys.append(key)
        self.equipment |= equipment


def _compatible(group: _Group, equipment: frozenset[str]) -> bool:
    """Not naming different equipment: one text without a named class joins any group."""
    return not group.equipment or not equipment or bool(group.equipment & equipment)


def group_texts(
    texts: Sequence[Text], *, threshold: float = GROUP_AT, corpus: Corpus | None = None
) -> list[list[Hashable]]:
    """The texts' keys in groups (single texts too), each group in the texts' order, the
    groups in the order of their first text."""
    corpus = corpus or reference()
    groups: list[_Group] = []
    # Which groups have a feature in their centre: a text is compared with those only.
    holding: dict[tuple[Hashable, str], set[int]] = defaultdict(set)
    for item in texts:
        vector = corpus.vector(item.text)
        equipment = equipment_named(item.text)
        candidates = set()
        for name in vector:
            candidates |= holding.get((item.block, name), set())
        best, best_score = None, threshold
        for index in sorted(candidates):
            group = groups[index]
            if not _compatible(group, equipment):
                continue
            score = group.likeness(vector)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = index, score
        if best is None:
            best = len(groups)
            groups.append(_Group())
        groups[best].add(item.key, vector, equipment)
        for name in vector:
            holding[(item.block, name)].add(best)
    return [group.keys for group in groups]
