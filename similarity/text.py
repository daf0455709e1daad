"""Features of a Chinese text and the TF-IDF cosine of two texts.

A text becomes weighted features: the words jieba cuts (two characters or more, the domain's
stop words left out) and the character bigrams of each run of meaningful characters
between stop words and punctuation (a word jieba cuts wrongly, or a one-character word such
as 慢 or 贵, still meets its like through them). Names of one thing are made one before the
cut (``lexicon.SYNONYMS``). A corpus of the domain's texts (``data/reference_texts.txt``)
gives each feature its inverse document frequency; two texts are as alike as the cosine of
their TF-IDF vectors, from 0 to 1.

The frequencies are the reference corpus's, not those of the texts compared: a score then
depends on the two texts alone, so ``SUGGEST_AT`` means the same among three candidates or
three hundred, and fifty open issues of one problem do not make each other look common.

Deterministic: the same texts always give the same scores, in the same order. jieba is
loaded once per process, on first use, quietly, with its cache file in the system's
temporary directory; its dictionary ships with the package, nothing is downloaded.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

from .lexicon import DOMAIN_WORDS, STOP_WORDS, SYNONYMS

#: The score from which an open issue is suggested for a text being typed: chosen on the
#: labelled pairs for precision first (docs/similarity.md, scripts/similarity_quality.py).
SUGGEST_AT = 0.15
#: From this score two texts are very alike: on the labelled pairs, no two texts about
#: different problems score as high.
CLOSE_AT = 0.25

#: How much a character bigram weighs beside a word.
BIGRAM_WEIGHT = 1.0

#: Characters that end a run (function words and fillers), like punctuation does.
STOP_CHARACTERS = frozenset(
    "的了是在和与及对等也都就还很太又被把让给向从着过吗呢吧啊呀哦么说要会能请将并或而且再才"
)

#: The domain's texts behind the document frequencies, one a line ("#" starts a comment).
REFERENCE_TEXTS = Path(__file__).resolve().parent / "data" / "reference_texts.txt"

_tokenizer = None
_tokenizer_lock = threading.Lock()

K = TypeVar("K", bound=Hashable)


def _jieba():
    """The process's one jieba tokenizer with the domain's words, made on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                import jieba

                # jieba reports its dictionary's loading on stderr: nothing worth a log line.
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                # The parsed dictionary is cached here (the package's folder may be read-only).
                tokenizer.tmp_dir = tempfile.gettempdir()
                tokenizer.initialize()
                for word in DOMAIN_WORDS:
                    tokenizer.add_word(word)
                _tokenizer = tokenizer
    return _tokenizer


def _synonym_pattern() -> tuple[re.Pattern, dict[str, str]]:
    canonical = {}
    for name, variants in SYNONYMS.items():
        canonical[name] = name
        for variant in variants:
            canonical[unicodedata.normalize("NFKC", variant).lower()] = name
    # Longest first: a long name is replaced whole, never through a shorter one inside it.
    names = sorted(canonical, key=lambda name: (-len(name), name))
    return re.compile("|".join(re.escape(name) for name in names)), canonical


_SYNONYM_RE, _CANONICAL = _synonym_pattern()
_MEANINGFUL = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]")


def normalize(text: str) -> str:
    """Full-width forms made plain, lower case, each synonym replaced by its name."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _SYNONYM_RE.sub(lambda match: _CANONICAL[match.group(0)], text)


@lru_cache(maxsize=1024)
def features(text: str) -> tuple[tuple[str, float], ...]:
    """The text's weighted features: ``("w:" + word, count)`` and ``("b:" + bigram,
    count × BIGRAM_WEIGHT)``, in order of first appearance."""
    counts: Counter[str] = Counter()
    run: list[str] = []

    def end_run():
        if len(run) == 1:
            counts["b:" + run[0]] += BIGRAM_WEIGHT
        for first, second in itertools.pairwise(run):
            counts["b:" + first + second] += BIGRAM_WEIGHT
        run.clear()

    for token in _jieba().cut(normalize(text), HMM=False):
        token = token.strip()
        if not token or token in STOP_WORDS or not _MEANINGFUL.search(token):
            end_run()
            continue
        if len(token) == 1:
            if token in STOP_CHARACTERS:
                end_run()
            else:
                run.append(token)
            continue
        counts["w:" + token] += 1.0
        run.extend(token)
    end_run()
    return tuple(counts.items())


class Corpus:
    """Texts that give each feature its inverse document frequency (smoothed, so a
    feature no text has still weighs). The vectors of the last ``remembered`` texts are
    kept (about 9 MB a thousand, for an issue's title and description): an open issue's
    text is cut once, not at every keystroke of every user."""

    def __init__(self, texts: Iterable[str], *, remembered: int = 2048):
        self.size = 0
        self.document_frequency: Counter[str] = Counter()
        for text in texts:
            self.size += 1
            self.document_frequency.update(name for name, _weight in features(text))
        self.vector = lru_cache(maxsize=remembered)(self._vector)

    def idf(self, name: str) -> float:
        return math.log((1 + self.size) / (1 + self.document_frequency[name])) + 1.0

    def _vector(self, text: str) -> dict[str, float]:
        """The text's TF-IDF vector, of length 1 (empty for a text with no feature).
        Shared with every caller asking for the same text: read it, never change it."""
        vector = {
            name: (1.0 + math.log(weight / _unit(name))) * _unit(name) * self.idf(name)
            for name, weight in features(text)
        }
        length = math.sqrt(sum(value * value for value in vector.values()))
        return {name: value / length for name, value in vector.items()} if length else {}

    def similarity(self, a: str, b: str) -> float:
        return cosine(self.vector(a), self.vector(b))


@cache
def reference() -> Corpus:
    """The corpus of ``REFERENCE_TEXTS``, read once per process."""
    with REFERENCE_TEXTS.open(encoding="utf-8") as file:
        lines = (line.strip() for line in file)
        return Corpus([line for line in lines if line and not line.startswith("#")])


def _unit(name: str) -> float:
    """What one occurrence of the feature weighs."""
    return BIGRAM_WEIGHT if name.startswith("b:") else 1.0


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The cosine of two unit vectors (0 when either is empty)."""
    if len(b) < len(a):
        a, b = b, a
    return min(1.0, sum(value * b.get(name, 0.0) for name, value in a.items()))


def rank(
    query: str,
    documents: Sequence[tuple[K, str]],
    *,
    threshold: float = 0.0,
    limit: int | None = None,
    corpus: Corpus | None = None,
) -> list[tuple[K, float]]:
    """The documents (key, text) at least ``threshold`` alike to ``query``, most alike
    first (ties in the documents' order), with their scores; the document frequencies are
    the reference corpus's unless another is given."""
    corpus = corpus or reference()
    wanted = corpus.vector(query)
    if not wanted:
        return []
    scored = []
    for position, (key, text) in enumerate(documents):
        score = cosine(wanted, corpus.vector(text))
        if score >= threshold and score > 0:
            scored.append((-score, position, key))
    scored.sort()
    return [(key, -negative) for negative, _position, key in scored[:limit]]
