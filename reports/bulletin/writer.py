"""The shape of a bulletin, the rules of praise and criticism, and the skeleton both
languages' writers follow.

``Writer.write`` turns what was read once (``data.BulletinData``) into a ``Bulletin``: the
same sections in the same order, each fact said only when its figure applies. The rules
are the same in both languages:

- **praised**: the top third of the ranked branches by score (rounded down), with every
  branch sharing the last praised rank;
- **criticised**: as many at the bottom (and those sharing the first criticised rank),
  never a branch praised; with fewer than three ranked branches, neither;
- the **cases named**: the period's issues overdue today (longest first) and its
  supervision notices, at most ``data.NAMED_CASES`` of each, the rest counted.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date

from branches.models import Branch
from issues.models import SupervisionNotice
from themes.selectors import ThemeOfPeriod

from ..assessment.periods import Period
from ..assessment.scoring import Row
from ..metrics import Figures, Rate
from ..models import AssessmentScheme
from .data import BulletinData, OverdueCase

#: At most this many recurring problems found in a period are named; the rest are counted.
NAMED_THEMES = 10

ZH = "zh"
EN = "en"


@dataclass(frozen=True)
class Table:
    headers: list[str]
    #: each cell's text; a rate's is two lines: the rate, then numerator/denominator
    rows: list[list[str]]


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str]
    table: Table | None = None
    #: paragraphs after the table
    closing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Bulletin:
    language: str
    #: the red header: the institute's name
    institute: str
    title: str
    addressee: str
    opening: str
    sections: list[Section]
    signature: str
    date_line: str


def praised(rows: list[Row]) -> list[Row]:
    ranked = [row for row in rows if row.ranked]
    share = _share(ranked)
    if not share:
        return []
    last_rank = ranked[share - 1].rank
    return [row for row in ranked if row.rank <= last_rank]


def criticised(rows: list[Row]) -> list[Row]:
    ranked = [row for row in rows if row.ranked]
    share = _share(ranked)
    if not share:
        return []
    first_rank = ranked[-share].rank
    good = {row.branch.pk for row in praised(rows)}
    return [row for row in ranked if row.rank >= first_rank and row.branch.pk not in good]


def _share(ranked: list[Row]) -> int:
    """A third of the ranked branches, rounded down: none when fewer than three."""
    return len(ranked) // 3


class Writer(ABC):
    LANGUAGE: str
    #: the sections' headings: "overall", "ranking", "praise", "cases", "requirements"
    #: (numbered in the order they come: a period without a scheme has no ranking)
    HEADINGS: dict[str, str]
    #: what the file's name starts with
    FILE_PREFIX: str
    #: each component's name in the bulletin's language (``assessment.components``)
    COMPONENT_NAMES: dict[str, str]

    def write(self, data: BulletinData) -> Bulletin:
        assessment = data.assessment
        period = assessment.period
        institute = self.institute(data.institute)
        sections = [
            Section(self.HEADINGS["overall"], [self.overall(period, assessment.report.total)])
        ]
        if assessment.scheme is not None:
            rows = assessment.rows
            sections.append(
                Section(
                    self.HEADINGS["ranking"],
                    [self.scheme_sentence(assessment.scheme, len(assessment.ranked), len(rows))],
                    table=Table(
                        self.table_headers(assessment.scheme),
                        [self.table_row(row) for row in rows],
                    ),
                    closing=[
                        text
                        for text in [self.unranked(assessment.unranked, assessment.scheme)]
                        if text
                    ],
                )
            )
            sections.append(
                Section(
                    self.HEADINGS["praise"],
                    self.praise_and_criticism(praised(rows), criticised(rows)),
                )
            )
        total = assessment.report.total
        sections.append(
            Section(
                self.HEADINGS["cases"],
                self.cases(data.overdue, total["overdue"], data.supervised, total),
            )
        )
        if data.recurring:
            sections.append(Section(self.HEADINGS["recurring"], self.recurring(data.recurring)))
        sections.append(Section(self.HEADINGS["requirements"], [self.requirements()]))
        sections = [
            Section(self.numbered(number, part.heading), part.paragraphs, part.table, part.closing)
            for number, part in enumerate(sections, start=1)
        ]
        return Bulletin(
            language=self.LANGUAGE,
            institute=institute,
            title=self.title(period),
            addressee=self.addressee(),
            opening=self.opening(period, assessment.scheme is not None),
            sections=sections,
            signature=institute,
            date_line=self.day(data.today),
        )

    def component_name(self, component) -> str:
        return self.COMPONENT_NAMES[component.key]

    def file_stem(self, period: Period) -> str:
        return f"{self.FILE_PREFIX}-{period.key}"

    def table_row(self, row: Row) -> list[str]:
        return [
            str(row.rank) if row.rank else "—",
            self.branch_name(row.branch),
            row.shown_score,
            self.change(row),
            *(f"{cell.shown}\n{cell.rate.numerator}/{cell.rate.denominator}" for cell in row.cells),
        ]

    # --- the words, written by each language ----------------------------------------------

    @abstractmethod
    def numbered(self, number: int, heading: str) -> str:
        """A section's heading with its number: 一、总体情况 / 1. Overview."""

    @abstractmethod
    def with_counts(self, shown: str, rate: Rate) -> str:
        """A rate as shown, with its numerator and denominator: ``95.0%（19/20）``."""

    @abstractmethod
    def day(self, value: date) -> str: ...

    @abstractmethod
    def period_name(self, period: Period) -> str: ...

    @abstractmethod
    def institute(self, branch: Branch | None) -> str: ...

    @abstractmethod
    def branch_name(self, branch: Branch) -> str: ...

    @abstractmethod
    def title(self, period: Period) -> str: ...

    @abstractmethod
    def addressee(self) -> str: ...

    @abstractmethod
    def opening(self, period: Period, assessed: bool) -> str: ...

    @abstractmethod
    def overall(self, period: Period, total: Figures) -> str:
        """The province's figures of the period, as the dashboard counts them."""

    @abstractmethod
    def scheme_sentence(self, scheme: AssessmentScheme, ranked: int, branches: int) -> str: ...

    @abstractmethod
    def table_headers(self, scheme: AssessmentScheme) -> list[str]: ...

    @abstractmethod
    def change(self, row: Row) -> str: ...

    @abstractmethod
    def unranked(self, rows: list[Row], scheme: AssessmentScheme) -> str: ...

    @abstractmethod
    def praise_and_criticism(self, good: list[Row], bad: list[Row]) -> list[str]: ...

    @abstractmethod
    def cases(
        self,
        overdue: list[OverdueCase],
        overdue_count: int,
        supervised: list[SupervisionNotice],
        total: Figures,
    ) -> list[str]: ...

    @abstractmethod
    def recurring(self, themes: list[ThemeOfPeriod]) -> list[str]:
        """The recurring problems (每月一题): adopted ones with owner and deadline, the
        proposed ones the office has still to decide."""

    @abstractmethod
    def requirements(self) -> str: ...
