"""The briefing's languages: a writer for each, the briefing and its download's name."""

from __future__ import annotations

from ..selection import Selection
from .chinese import ChineseWriter
from .data import BriefingData
from .english import EnglishWriter
from .writer import EN, ZH, Briefing, Writer

WRITERS: dict[str, Writer] = {ZH: ChineseWriter(), EN: EnglishWriter()}
LANGUAGES = tuple(WRITERS)


def build_briefing(data: BriefingData, language: str) -> Briefing:
    """The briefing of ``data`` written in ``language`` (``"zh"`` or ``"en"``)."""
    if language not in WRITERS:
        raise ValueError(f"unknown briefing language: {language!r}")
    return WRITERS[language].write(data)


def file_stem(selection: Selection, language: str) -> str:
    """简报-<campaign or dates>[-<branch>] / Briefing-..., safe as a file name."""
    return WRITERS[language].file_stem(selection)
