"""The bulletin's languages: a writer for each; the interface's language chooses."""

from __future__ import annotations

from ..assessment.periods import Period
from .chinese import ChineseWriter
from .data import BulletinData
from .english import EnglishWriter
from .writer import EN, ZH, Bulletin, Writer

WRITERS: dict[str, Writer] = {ZH: ChineseWriter(), EN: EnglishWriter()}
LANGUAGES = tuple(WRITERS)


def language_of(interface_language: str | None) -> str:
    """The bulletin's language for an interface language: English for ``en*``, else
    Chinese."""
    return EN if (interface_language or "").startswith("en") else ZH


def build_bulletin(data: BulletinData, language: str) -> Bulletin:
    if language not in WRITERS:
        raise ValueError(f"unknown bulletin language: {language!r}")
    return WRITERS[language].write(data)


def file_stem(period: Period, language: str) -> str:
    return WRITERS[language].file_stem(period)
