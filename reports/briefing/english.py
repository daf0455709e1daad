"""The briefing's sentences in English, saying the same facts as the Chinese."""

from __future__ import annotations

from datetime import date

from branches.models import Branch
from outreach.models import Campaign

from ..metrics import Figures
from ..selection import Selection
from .data import CategoryCount
from .writer import EN, Writer

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _n(count: int, singular: str, plural: str | None = None) -> str:
    """``1 enterprise``, ``233 enterprises``."""
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _have(count: int) -> str:
    return "has" if count == 1 else "have"


def _series(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _clauses(items: list[str]) -> str:
    """Clauses that may hold an "and" themselves: ``a, b, and c`` (serial comma)."""
    items = [item for item in items if item]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _names(names: list[str]) -> str:
    """A list of names that may contain "and" themselves (``integrity and conduct``)."""
    if len(names) == 2 and any(" and " in name for name in names):
        return f"{names[0]}, and {names[1]}"
    return _clauses(names)


def _lower_first(name: str) -> str:
    """``Service efficiency`` → ``service efficiency`` inside a sentence (not ``USCC``)."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


class EnglishWriter(Writer):
    LANGUAGE = EN
    HEADINGS = {
        "summary": "1. Overview",
        "branches": "2. The branches",
        "escalated": "3. Issues escalated to the provincial institute",
    }
    TABLE_HEADERS = ["No.", "Branch", "Issue", "Provincial decision", "Meeting", "Owner", "Due"]
    NO_ESCALATIONS = "No issue was escalated to the provincial institute in this period."
    PENDING = "Awaiting a provincial decision"
    SPAN_BETWEEN = "from {start} to {end}"
    SPAN_SINCE = "since {start}"
    SPAN_UNTIL = "up to {end}"
    SENTENCE_SEP = " "
    FILE_PREFIX = "Briefing"
    FILE_PERIOD = "{start}_{end}"
    FILE_ALL_TIME = "all"

    def day(self, value: date) -> str:
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"

    def branch_name(self, branch: Branch) -> str:
        return branch.name_en or branch.name

    def file_branch_name(self, branch: Branch) -> str:
        return branch.short_name_en or branch.name_en or branch.short_name

    def campaign_name(self, campaign: Campaign) -> str:
        return campaign.name_en or campaign.name

    def branch_count(self, count: int) -> str:
        return _n(count, "branch", "branches")

    def title(self, selection: Selection) -> str:
        title = "Briefing"
        if selection.campaign:
            title += f": {self.campaign_name(selection.campaign)}"
        period = self.span(selection.date_from, selection.date_to)
        if period:
            title += f" ({period})"
        if selection.branch:
            title += f" · {self.branch_name(selection.branch)}"
        return title

    def opening(self, selection: Selection) -> str:
        period = self.span(selection.date_from, selection.date_to)
        campaign = selection.campaign
        if campaign:
            if campaign.ends_on:
                dates = f"{self.day(campaign.starts_on)} – {self.day(campaign.ends_on)}"
            else:
                dates = f"from {self.day(campaign.starts_on)}"
            if period:
                return f"In the campaign “{self.campaign_name(campaign)}” ({dates}), {period},"
            return f"Since the campaign “{self.campaign_name(campaign)}” ({dates}) began,"
        if period:
            return f"{period[0].upper()}{period[1:]},"
        return "Since the campaign began,"

    def surveys(self, t: Figures) -> str:
        text = f"ran {_n(t['surveys'], 'survey round')}"
        if t["forms_sent"]:
            text += f" ({_n(t['forms_sent'], 'form')} sent, {t['forms_returned']} returned)"
        return text

    def outreach(self, t: Figures) -> list[str]:
        """What was done: visits, forums, surveys (the opinions are said by the caller)."""
        did = []
        if t["enterprises_visited"]:
            did.append(f"visited {_n(t['enterprises_visited'], 'enterprise')}")
        forums = []
        if t["enterprise_forums"]:
            forums.append(_n(t["enterprise_forums"], "enterprise forum"))
        if t["internal_forums"]:
            forums.append(_n(t["internal_forums"], "internal forum"))
        if forums:
            did.append("held " + _series(forums))
        if t["surveys"]:
            did.append(self.surveys(t))
        return did

    def answered(self, reply, whose: str) -> str:
        """``12 of the 35 opinions have been answered (reply rate 34.3%).``"""
        return (
            f"{reply.numerator} of {whose} {_n(reply.denominator, 'opinion')} "
            f"{_have(reply.numerator)} been answered (reply rate {reply.percent})."
        )

    # --- the summary ------------------------------------------------------------------

    def nothing_recorded(self, opening: str) -> str:
        return f"{opening} no visits, forums or opinions have been recorded yet."

    def outreach_summary(self, opening: str, who: str, t: Figures) -> str:
        did = self.outreach(t)
        if t["feedback_items"]:
            did.append(f"heard {_n(t['feedback_items'], 'opinion')} and suggestions")
        else:
            did.append("received no opinions yet")
        sentences = [f"{opening} {who} {_clauses(did)}."]
        if t["issues_found"]:
            subject = "They" if who.endswith(" branches") else "It"
            found = f"{subject} found {_n(t['issues_found'], 'concrete issue')}"
            if t["fixed_on_the_spot"]:
                found += (
                    ", fixing as they went, and solved "
                    f"{t['fixed_on_the_spot']} of them on the spot"
                )
            sentences.append(found + ".")
        return " ".join(sentences)

    def progress_summary(self, t: Figures) -> str:
        sentences = []
        if t["rectified"]:
            done = f"{_n(t['rectified'], 'issue')} {_have(t['rectified'])} been rectified"
            if t["answered"]:
                done += f", {t['answered']} of them closed with an answer"
            sentences.append(done + ".")
        elif t["issues_found"]:
            sentences.append("No issue has been rectified yet.")
        if t["feedback_items"]:
            reply = t.reply_rate
            if reply.numerator:
                sentences.append(self.answered(reply, "the"))
            else:
                sentences.append("No opinion has been answered yet.")
        satisfaction = t.satisfaction_rate
        if satisfaction.denominator:
            sentences.append(
                f"Of the {_n(satisfaction.denominator, 'reply', 'replies')} that recorded the "
                f"enterprise's satisfaction, {satisfaction.numerator} "
                f"{'was' if satisfaction.numerator == 1 else 'were'} satisfied or basically "
                f"satisfied (satisfaction rate {satisfaction.percent})."
            )
        stated = t.enterprise_satisfaction_rate
        if stated.denominator:
            # The enterprise's own word, beside the staff's record (docs/metrics.md).
            sentences.append(
                f"Rating on their own receipt pages, the enterprises called "
                f"{stated.numerator} of {_n(stated.denominator, 'opinion')} satisfied or "
                f"basically satisfied (satisfaction as stated by the enterprise "
                f"{stated.percent})."
            )
        return " ".join(sentences)

    def escalated_summary(self, who: str, *, escalated: int, decided: int, waiting: int) -> str:
        if not decided:
            return (
                f"{_n(escalated, 'concrete issue')} escalated to the provincial institute "
                f"{'awaits' if escalated == 1 else 'all await'} a decision."
            )
        text = (
            "The provincial institute's director meeting studied "
            f"{_n(decided, 'concrete issue')} that needed a decision at the provincial level"
        )
        if waiting:
            text += (
                f"; {_n(waiting, 'escalated issue')} still "
                f"{'awaits' if waiting == 1 else 'await'} a decision"
            )
        return text + "."

    def overdue_summary(self, overdue: int) -> str:
        return (
            f"{_n(overdue, 'issue')} {'is' if overdue == 1 else 'are'} "
            "past the deadline and not yet rectified."
        )

    # --- a branch's paragraph ---------------------------------------------------------

    def branch_did_nothing(self, name: str) -> str:
        return f"{name}: no activity recorded in this period."

    def branch_outreach(self, f: Figures, categories: list[CategoryCount]) -> str:
        did = self.outreach(f)
        if f["feedback_items"]:
            heard = f"heard {_n(f['feedback_items'], 'opinion')} and suggestions"
            if categories:
                names = [_lower_first(c.name_en or c.name) for c in categories]
                heard += f", mostly about {_names(names)}"
            did.append(heard)
        return f"{_clauses(did)}."

    def branch_issues(self, f: Figures) -> str:
        issues = [f"found {_n(f['issues_found'], 'issue')}"]
        if f["fixed_on_the_spot"]:
            issues.append(f"fixed {f['fixed_on_the_spot']} on the spot")
        if f["escalated"]:
            issues.append(f"escalated {f['escalated']} to the provincial institute")
        found = f"It {_clauses(issues)}"
        if f["rectified"]:
            found += f"; {f['rectified']} {_have(f['rectified'])} been rectified so far"
        return found + "."

    def branch_replies(self, f: Figures) -> str:
        reply = f.reply_rate
        if reply.numerator:
            return self.answered(reply, "its")
        return "No opinion has been answered yet."

    def branch_overdue(self, overdue: int) -> str:
        return f"{_n(overdue, 'issue')} {'is' if overdue == 1 else 'are'} past the deadline."

    def paragraph(self, name: str, parts: list[str]) -> str:
        # The first part (what the branch did) is never empty: it ends with a full stop.
        return f"{name}: " + " ".join(part for part in parts if part)

    def decision_line(
        self, meeting: str, held_on: str, decision: str, owner: str, deadline: str
    ) -> str:
        line = f"{meeting} ({held_on}) decided: {decision}"
        extra = []
        if owner:
            extra.append(f"owner: {owner}")
        if deadline:
            extra.append(f"due {deadline}")
        if extra:
            line += f" ({', '.join(extra)})"
        return line
