"""Which of a record's two names the reader gets: Chinese first, English beside it.

Reference data (branches, counties, categories, equipment classes, campaigns, return
reasons) is named in Chinese with an English name kept beside it by the office. Every
screen shows the name in the interface language; a row without an English name shows its
Chinese one rather than nothing.
"""

from __future__ import annotations

from django.utils.translation import get_language


def english_active() -> bool:
    """Whether the active language is English (the only one besides Chinese)."""
    return (get_language() or "").startswith("en")


def in_reader_language(chinese: str, english: str | None) -> str:
    """``english`` when the interface is in English and it is given, else ``chinese``."""
    if english and english_active():
        return english
    return chinese
