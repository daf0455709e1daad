"""The shape of a briefing, and the skeleton both languages' writers follow.

``Writer.write`` turns the data read once (``data.BriefingData``) into a ``Briefing``:
the same sections in the same order, each fact said only when its figure is not zero. A
language's writer (``chinese.ChineseWriter``, ``english.EnglishWriter``) supplies the
words of each part and how its sentences join.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date

from branches.models import Branch
from core.templatetags.people import person_name
from issues.models import Issue
from outreach.models import Campaign

from ..metrics import BranchFigures, Figures, Report
from ..selection import Selection
from .data import BriefingData, CategoryCount, awaits_decision, decisions_of

ZH = "zh"
EN = "en"

#: Figures that show a branch did something in the selection.
ACTIVITY_SIGNS = (
    "enterprises_visited",
    "enterprise_forums",
    "internal_forums",
    "surveys",
    "feedback_items",
    "issues_found",
)


# --- what a briefing is made of ---------------------------------------------------------


@dataclass(frozen=True)
class BranchParagraph:
    branch: Branch
    name: str
    text: str


@dataclass(frozen=True)
class DecisionLine:
    """One provincial decision, its fields already written in the briefing's language."""

    text: str
    meeting: str
    held_on: str
    owner: str
    deadline: str
    line: str


@dataclass(frozen=True)
class EscalatedItem:
    issue: Issue
    branch: str
    title: str
    decisions: list[DecisionLine]
    #: the latest escalation has no decision yet (an earlier one may have been decided)
    waiting: bool
    #: "待省院研究" / "Awaiting a provincial decision", said when ``waiting``
    pending: str


@dataclass(frozen=True)
class Briefing:
    language: str
    title: str
    date_line: str
    summary: str
    branch_paragraphs: list[BranchParagraph]
    escalated: list[EscalatedItem]
    #: section headings and table headers, in the briefing's language
    headings: dict[str, str] = field(default_factory=dict)
    table_headers: list[str] = field(default_factory=list)
    no_escalations: str = ""


def has_activity(figures: Figures) -> bool:
    return any(figures[key] for key in ACTIVITY_SIGNS)


def active_branches(report: Report) -> list[BranchFigures]:
    return [row for row in report.branches if has_activity(row.figures)]


def join(clauses: list[str], sep: str) -> str:
    """The clauses that say something, joined by ``sep``."""
    return sep.join(clause for clause in clauses if clause)


# --- the skeleton -----------------------------------------------------------------------


class Writer(ABC):
    """A briefing in one language: the order and the choice of facts are decided here,
    the words by the subclass."""

    LANGUAGE: str
    #: the section headings ("summary", "branches", "escalated")
    HEADINGS: dict[str, str]
    #: the escalated issues table's column headers
    TABLE_HEADERS: list[str]
    NO_ESCALATIONS: str
    #: said of an escalated issue no decision was taken on yet
    PENDING: str
    #: a period between two days, since one, up to one (``{start}``, ``{end}``)
    SPAN_BETWEEN: str
    SPAN_SINCE: str
    SPAN_UNTIL: str
    #: what joins the sentences of the summary
    SENTENCE_SEP: str
    #: the download's file name: its first word, a period, a selection of all time
    FILE_PREFIX: str
    FILE_PERIOD: str
    FILE_ALL_TIME: str

    def write(self, data: BriefingData) -> Briefing:
        report = data.report
        return Briefing(
            language=self.LANGUAGE,
            title=self.title(report.selection),
            date_line=self.day(data.today),
            summary=self.summary(report),
            branch_paragraphs=[
                BranchParagraph(
                    branch=row.branch,
                    name=self.branch_name(row.branch),
                    text=self.branch_paragraph(row, data.categories.get(row.branch.pk, [])),
                )
                for row in report.branches
            ],
            escalated=[self.escalated_item(issue) for issue in data.escalated],
            headings=self.HEADINGS,
            table_headers=self.TABLE_HEADERS,
            no_escalations=self.NO_ESCALATIONS,
        )

    def span(self, start: date | None, end: date | None) -> str:
        if start and end:
            return self.SPAN_BETWEEN.format(start=self.day(start), end=self.day(end))
        if start:
            return self.SPAN_SINCE.format(start=self.day(start))
        if end:
            return self.SPAN_UNTIL.format(end=self.day(end))
        return ""

    def who(self, report: Report) -> str:
        """The branch the figures are of, or how many branches took part."""
        if len(report.branches) == 1:
            return self.branch_name(report.branches[0].branch)
        active = active_branches(report)
        if len(active) == 1:
            return self.branch_name(active[0].branch)
        return self.branch_count(len(active))

    def summary(self, report: Report) -> str:
        """What was done and found; rectified and answered; the provincial meeting; overdue."""
        figures = report.total
        opening = self.opening(report.selection)
        if not has_activity(figures):
            return self.nothing_recorded(opening)
        who = self.who(report)
        sentences = [
            self.outreach_summary(opening, who, figures),
            self.progress_summary(figures),
        ]
        if figures["escalated"]:
            sentences.append(
                self.escalated_summary(
                    who,
                    escalated=figures["escalated"],
                    decided=figures["decided_by_province"],
                    waiting=figures["awaiting_decision"],
                )
            )
        if figures["overdue"]:
            sentences.append(self.overdue_summary(figures["overdue"]))
        return join(sentences, self.SENTENCE_SEP)

    def branch_paragraph(self, row: BranchFigures, categories: list[CategoryCount]) -> str:
        """What a branch did and heard; its problems; its replies; what is overdue."""
        figures = row.figures
        name = self.branch_name(row.branch)
        if not has_activity(figures):
            return self.branch_did_nothing(name)
        parts = [self.branch_outreach(figures, categories)]
        if figures["issues_found"]:
            parts.append(self.branch_issues(figures))
        if figures["feedback_items"]:
            parts.append(self.branch_replies(figures))
        if figures["overdue"]:
            parts.append(self.branch_overdue(figures["overdue"]))
        return self.paragraph(name, parts)

    def escalated_item(self, issue: Issue) -> EscalatedItem:
        lines = []
        for decision in decisions_of(issue):
            meeting = decision.meeting
            owner = person_name(decision.owner) if decision.owner else ""
            deadline = self.day(decision.deadline) if decision.deadline else ""
            held_on = self.day(meeting.held_on)
            lines.append(
                DecisionLine(
                    text=decision.decision,
                    meeting=meeting.title,
                    held_on=held_on,
                    owner=owner,
                    deadline=deadline,
                    line=self.decision_line(
                        meeting.title, held_on, decision.decision, owner, deadline
                    ),
                )
            )
        return EscalatedItem(
            issue=issue,
            branch=self.branch_name(issue.branch),
            title=issue.title,
            decisions=lines,
            waiting=awaits_decision(issue),
            pending=self.PENDING,
        )

    def file_stem(self, selection: Selection) -> str:
        """简报-<campaign or dates>[-<branch>] / Briefing-..., safe as a file name."""
        parts = [self.FILE_PREFIX]
        if selection.campaign:
            parts.append(self.campaign_name(selection.campaign))
        if selection.date_from or selection.date_to:
            start = selection.date_from.isoformat() if selection.date_from else ""
            end = selection.date_to.isoformat() if selection.date_to else ""
            parts.append(self.FILE_PERIOD.format(start=start, end=end))
        if selection.is_all_time:
            parts.append(self.FILE_ALL_TIME)
        if selection.branch:
            parts.append(self.file_branch_name(selection.branch))
        stem = "-".join(part.strip() for part in parts if part.strip())
        return "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in stem)[:150]

    # --- the words, written by each language ----------------------------------------------

    @abstractmethod
    def day(self, value: date) -> str:
        raise NotImplementedError

    @abstractmethod
    def branch_name(self, branch: Branch) -> str:
        raise NotImplementedError

    @abstractmethod
    def file_branch_name(self, branch: Branch) -> str:
        raise NotImplementedError

    @abstractmethod
    def campaign_name(self, campaign: Campaign) -> str:
        raise NotImplementedError

    @abstractmethod
    def branch_count(self, count: int) -> str:
        raise NotImplementedError

    @abstractmethod
    def title(self, selection: Selection) -> str:
        raise NotImplementedError

    @abstractmethod
    def opening(self, selection: Selection) -> str:
        """The campaign and period the summary's first sentence starts from."""
        raise NotImplementedError

    @abstractmethod
    def nothing_recorded(self, opening: str) -> str:
        raise NotImplementedError

    @abstractmethod
    def outreach_summary(self, opening: str, who: str, figures: Figures) -> str:
        """Visits, forums, surveys and opinions, then the problems found."""
        raise NotImplementedError

    @abstractmethod
    def progress_summary(self, figures: Figures) -> str:
        """Problems rectified, opinions answered, satisfaction; empty when none applies."""
        raise NotImplementedError

    @abstractmethod
    def escalated_summary(self, who: str, *, escalated: int, decided: int, waiting: int) -> str:
        """The provincial meeting: the problems it studied (``decided_by_province``), then
        those whose latest escalation still waits (``awaiting_decision``; an issue decided
        and escalated again is in both); ``escalated`` (requests sent up) when none was
        studied yet."""
        raise NotImplementedError

    @abstractmethod
    def overdue_summary(self, overdue: int) -> str:
        raise NotImplementedError

    @abstractmethod
    def branch_did_nothing(self, name: str) -> str:
        raise NotImplementedError

    @abstractmethod
    def branch_outreach(self, figures: Figures, categories: list[CategoryCount]) -> str:
        raise NotImplementedError

    @abstractmethod
    def branch_issues(self, figures: Figures) -> str:
        raise NotImplementedError

    @abstractmethod
    def branch_replies(self, figures: Figures) -> str:
        raise NotImplementedError

    @abstractmethod
    def branch_overdue(self, overdue: int) -> str:
        raise NotImplementedError

    @abstractmethod
    def paragraph(self, name: str, parts: list[str]) -> str:
        """A branch's paragraph from its parts (empty parts say nothing)."""
        raise NotImplementedError

    @abstractmethod
    def decision_line(
        self, meeting: str, held_on: str, decision: str, owner: str, deadline: str
    ) -> str:
        """One provincial decision in a sentence, with its owner and deadline if any."""
        raise NotImplementedError
