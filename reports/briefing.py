"""The campaign briefing (简报), written from live figures in Chinese and in English.

``load_briefing_data`` reads everything once: the report of ``metrics.campaign_report``,
the most frequent opinion categories of each branch (one grouped query) and the issues
escalated to the provincial level with their decisions (two queries), so a briefing costs
the same number of queries whatever the size of the campaign. ``build_briefing`` is then a
pure function of those data and a language.

The briefing's text is the document itself, not the interface: both languages are shown
side by side whatever the interface language, so its sentences are written here by one
set of functions per language, not through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from branches.models import Branch
from core.templatetags.people import person_name
from issues.models import Escalation, Issue

from .metrics import BranchFigures, Figures, Report, campaign_report
from .metrics import selected_issues as _selected_issues
from .selection import Selection

ZH = "zh"
EN = "en"
LANGUAGES = (ZH, EN)

#: At most this many opinion categories are named in a branch's paragraph.
TOP_CATEGORIES = 3

#: Catch-all categories are not named as where opinions concentrate.
CATCH_ALL_CATEGORIES = ("其他",)

#: Figures that show a branch did something in the selection.
ACTIVITY_SIGNS = (
    "enterprises_visited",
    "enterprise_forums",
    "internal_forums",
    "surveys",
    "feedback_items",
    "issues_found",
)


# --- data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryCount:
    name: str
    name_en: str
    count: int


@dataclass(frozen=True)
class BriefingData:
    """Everything a briefing says, read in a fixed number of queries."""

    report: Report
    #: branch pk -> its most frequent opinion categories, most frequent first
    categories: dict[int, list[CategoryCount]]
    #: counted issues ever escalated, each with ``escalations`` (and their decisions) loaded
    escalated: list[Issue]
    today: date


def load_briefing_data(
    user, selection: Selection, *, branches=None, today: date | None = None
) -> BriefingData:
    """The report plus the escalated issues, all in ``user``'s scope.

    ``branches`` are the table's branches when the caller has them (``SelectionForm``).
    """
    report = campaign_report(user, selection, branches)
    return BriefingData(
        report=report,
        categories=top_categories(report),
        escalated=escalated_issues(user, selection),
        today=today or timezone.localdate(),
    )


def top_categories(report: Report) -> dict[int, list[CategoryCount]]:
    """Each branch's most frequent opinion categories, from the report's own counts."""
    named = {
        category["id"]: category
        for category in report.categories
        if category["name"] not in CATCH_ALL_CATEGORIES
    }
    result: dict[int, list[CategoryCount]] = {}
    for branch_id, counts in report.categories_by_branch.items():
        ranked = sorted(
            (category_id for category_id in counts if category_id in named),
            key=lambda category_id: (-counts[category_id], named[category_id]["name"]),
        )
        result[branch_id] = [
            CategoryCount(
                name=named[category_id]["name"],
                name_en=named[category_id]["name_en"] or "",
                count=counts[category_id],
            )
            for category_id in ranked[:TOP_CATEGORIES]
        ]
    return result


def escalated_issues(user, selection: Selection) -> list[Issue]:
    """Issues of the selection ever escalated, in table order, each with
    ``briefing_escalations`` (oldest first, decisions joined): one query, read from the
    escalations' side."""
    escalations = (
        Escalation.objects.filter(issue__in=_selected_issues(user, selection).values("pk"))
        .select_related("issue__branch", "decision__meeting", "decision__owner")
        .order_by(
            "issue__branch__sort_order",
            "issue__branch_id",
            "issue__created_at",
            "issue_id",
            "requested_at",
            "id",
        )
    )
    issues: dict[int, Issue] = {}
    for escalation in escalations:
        issue = issues.setdefault(escalation.issue_id, escalation.issue)
        issue.__dict__.setdefault("briefing_escalations", []).append(escalation)
    return list(issues.values())


# --- the briefing ---------------------------------------------------------------------


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
    #: "待省院研究" / "Awaiting a provincial decision" when no decision was taken yet
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

    @property
    def decided_count(self) -> int:
        return sum(1 for item in self.escalated if item.decisions)


def build_briefing(data: BriefingData, language: str) -> Briefing:
    """The briefing of ``data`` written in ``language`` (``"zh"`` or ``"en"``)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown briefing language: {language!r}")
    writer = _ZH if language == ZH else _EN
    report = data.report
    decided = sum(1 for issue in data.escalated if _decisions(issue))
    return Briefing(
        language=language,
        title=writer.title(report.selection),
        date_line=writer.date_line(data.today),
        summary=writer.summary(report, decided),
        branch_paragraphs=[
            BranchParagraph(
                branch=row.branch,
                name=writer.branch_name(row.branch),
                text=writer.branch_paragraph(row, data.categories.get(row.branch.pk, [])),
            )
            for row in report.branches
        ],
        escalated=[writer.escalated_item(issue) for issue in data.escalated],
        headings=writer.HEADINGS,
        table_headers=writer.TABLE_HEADERS,
        no_escalations=writer.NO_ESCALATIONS,
    )


def build_briefings(user, selection: Selection) -> dict[str, Briefing]:
    """Both languages from one read of the data."""
    data = load_briefing_data(user, selection)
    return {language: build_briefing(data, language) for language in LANGUAGES}


def file_stem(selection: Selection, language: str) -> str:
    """简报-<campaign or dates>[-<branch>] / Briefing-..., safe as a file name."""
    parts = ["简报" if language == ZH else "Briefing"]
    if selection.campaign:
        parts.append(selection.campaign.name)
    if selection.date_from or selection.date_to:
        start = selection.date_from.isoformat() if selection.date_from else ""
        end = selection.date_to.isoformat() if selection.date_to else ""
        parts.append(f"{start}至{end}" if language == ZH else f"{start}_{end}")
    if selection.is_all_time:
        parts.append("全部" if language == ZH else "all")
    if selection.branch:
        parts.append(
            selection.branch.short_name
            if language == ZH
            else (selection.branch.name_en or selection.branch.short_name)
        )
    stem = "-".join(part.strip() for part in parts if part.strip())
    return "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in stem)[:150]


# --- shared helpers -------------------------------------------------------------------


def _decisions(issue: Issue) -> list:
    """The provincial decisions of an issue's escalations, oldest first (prefetched)."""
    result = []
    for escalation in issue.briefing_escalations:
        try:
            result.append(escalation.decision)
        except Escalation.decision.RelatedObjectDoesNotExist:
            continue
    return result


def _active_branches(report: Report) -> list[BranchFigures]:
    return [row for row in report.branches if _has_activity(row.figures)]


def _has_activity(figures: Figures) -> bool:
    return any(figures[key] for key in ACTIVITY_SIGNS)


def _join(clauses: list[str], sep: str) -> str:
    return sep.join(clause for clause in clauses if clause)


# --- Chinese --------------------------------------------------------------------------


class _Chinese:
    HEADINGS = {
        "summary": "一、总体情况",
        "branches": "二、各分院情况",
        "escalated": "三、上报省院研究解决的问题",
    }
    TABLE_HEADERS = ["序号", "分院", "问题", "省院决定", "会议", "责任人", "完成期限"]
    NO_ESCALATIONS = "本期无上报省院研究解决的问题。"
    PENDING = "待省院研究"

    @staticmethod
    def day(value: date) -> str:
        return f"{value.year}年{value.month}月{value.day}日"

    def span(self, start: date | None, end: date | None) -> str:
        if start and end:
            return f"{self.day(start)}至{self.day(end)}"
        if start:
            return f"{self.day(start)}以来"
        if end:
            return f"截至{self.day(end)}"
        return ""

    def branch_name(self, branch: Branch) -> str:
        """泉州分院 rather than the full 福建省特种设备检验研究院泉州分院."""
        short = f"{branch.short_name}分院"
        return short if branch.short_name and branch.name.endswith(short) else branch.name

    def title(self, selection: Selection) -> str:
        title = f"{selection.campaign.name}工作简报" if selection.campaign else "工作简报"
        period = self.span(selection.date_from, selection.date_to)
        if period:
            title += f"（{period}）"
        if selection.branch:
            title += f"·{self.branch_name(selection.branch)}"
        return title

    def date_line(self, today: date) -> str:
        return f"{self.day(today)}"

    def opening(self, selection: Selection) -> str:
        period = self.span(selection.date_from, selection.date_to)
        campaign = selection.campaign
        if campaign:
            dates = self.span(campaign.starts_on, campaign.ends_on)
            if campaign.ends_on is None:
                dates = f"{self.day(campaign.starts_on)}起"
            if period:
                return f"{campaign.name}（{dates}）中，{period}期间，"
            return f"{campaign.name}（{dates}）开展以来，"
        if period:
            return f"{period}，"
        return "活动开展以来，"

    def who(self, report: Report) -> str:
        if len(report.branches) == 1:
            return self.branch_name(report.branches[0].branch)
        active = _active_branches(report)
        if len(active) == 1:
            return self.branch_name(active[0].branch)
        return f"{len(active)}个分院"

    def summary(self, report: Report, decided: int) -> str:
        t = report.total
        opening = self.opening(report.selection)
        if not _has_activity(t):
            return f"{opening}暂无走访调研、座谈会和意见建议记录。"
        sentences = []

        outreach = []
        if t["enterprises_visited"]:
            outreach.append(f"深入走访调研企业{t['enterprises_visited']}家")
        if t["enterprise_forums"]:
            outreach.append(f"召开企业座谈会{t['enterprise_forums']}次")
        if t["internal_forums"]:
            outreach.append(f"召开内部座谈会{t['internal_forums']}次")
        if t["surveys"]:
            outreach.append(self.surveys(t))
        if t["feedback_items"]:
            outreach.append(f"听取各类意见建议{t['feedback_items']}条")
        else:
            outreach.append("尚未收到意见建议")
        if t["issues_found"]:
            found = f"查找各类具体问题{t['issues_found']}个"
            if t["fixed_on_the_spot"]:
                found += f"，坚持边查边改、立行立改，及时解决具体问题{t['fixed_on_the_spot']}项"
            outreach.append(found)
        sentences.append(opening + self.who(report) + _join(outreach, "，") + "。")

        progress = []
        if t["rectified"]:
            done = f"目前已完成整改问题{t['rectified']}个"
            if t["answered"]:
                done += f"，其中已答复办结{t['answered']}个"
            progress.append(done)
        elif t["issues_found"]:
            progress.append("查找出的问题尚无完成整改")
        if t["feedback_items"]:
            reply = t.reply_rate
            if reply.numerator:
                progress.append(
                    f"已答复意见{reply.numerator}条，答复率{reply.percent}"
                    f"（{reply.numerator}/{reply.denominator}）"
                )
            else:
                progress.append("意见建议尚无答复")
        satisfaction = t.satisfaction_rate
        if satisfaction.denominator:
            progress.append(
                f"在记录满意度的{satisfaction.denominator}条答复中，"
                f"企业表示满意或基本满意{satisfaction.numerator}条，"
                f"满意率{satisfaction.percent}"
            )
        if progress:
            sentences.append(_join(progress, "；") + "。")

        if t["escalated"]:
            whose = "各分院" if self.who(report).endswith("个分院") else self.who(report)
            escalated = (
                f"对{whose}收集到的、需要在省院层面研究解决的{t['escalated']}个具体问题"
                "进行研究和落实"
            )
            if decided >= t["escalated"]:
                escalated += "，均已作出决定"
            elif decided:
                escalated += f"，已作出决定{decided}个，{t['escalated'] - decided}个待省院研究"
            else:
                escalated += "，目前均待省院研究"
            sentences.append(escalated + "。")
        if t["overdue"]:
            sentences.append(f"目前尚有{t['overdue']}个问题超过整改期限未完成整改，需加快推进。")
        return "".join(sentences)

    @staticmethod
    def surveys(t: Figures) -> str:
        text = f"开展问卷征求意见{t['surveys']}次"
        if t["forms_sent"]:
            text += f"，发放征求意见表{t['forms_sent']}份、收回{t['forms_returned']}份"
        return text

    def branch_paragraph(self, row: BranchFigures, categories: list[CategoryCount]) -> str:
        f = row.figures
        name = self.branch_name(row.branch)
        if not _has_activity(f):
            return f"{name}：本期暂无活动记录。"
        first = []
        if f["enterprises_visited"]:
            first.append(f"走访企业{f['enterprises_visited']}家")
        forums = []
        if f["enterprise_forums"]:
            forums.append(f"企业座谈会{f['enterprise_forums']}次")
        if f["internal_forums"]:
            forums.append(f"内部座谈会{f['internal_forums']}次")
        if forums:
            first.append("召开" + "、".join(forums))
        if f["surveys"]:
            first.append(self.surveys(f))
        if f["feedback_items"]:
            heard = f"听取意见建议{f['feedback_items']}条"
            if categories:
                heard += f"，主要集中在{'、'.join(c.name for c in categories)}等方面"
            first.append(heard)
        parts = [_join(first, "，")]

        issues = []
        if f["issues_found"]:
            issues.append(f"查找问题{f['issues_found']}个")
            if f["fixed_on_the_spot"]:
                issues.append(f"立行立改{f['fixed_on_the_spot']}项")
            if f["escalated"]:
                issues.append(f"上报省院{f['escalated']}个")
            if f["rectified"]:
                issues.append(f"已完成整改{f['rectified']}个")
        parts.append(_join(issues, "，"))

        if f["feedback_items"]:
            reply = f.reply_rate
            if reply.numerator:
                parts.append(f"已答复意见{reply.numerator}条，答复率{reply.percent}")
            else:
                parts.append("意见建议尚无答复")
        if f["overdue"]:
            parts.append(f"超期未整改问题{f['overdue']}个")
        return f"{name}：{_join(parts, '；')}。"

    def escalated_item(self, issue: Issue) -> EscalatedItem:
        lines = []
        for decision in _decisions(issue):
            meeting = decision.meeting
            owner = person_name(decision.owner) if decision.owner else ""
            deadline = self.day(decision.deadline) if decision.deadline else ""
            held_on = self.day(meeting.held_on)
            line = f"{meeting.title}（{held_on}）决定：{decision.decision}"
            extra = []
            if owner:
                extra.append(f"责任人：{owner}")
            if deadline:
                extra.append(f"完成期限：{deadline}")
            if extra:
                line += f"（{'，'.join(extra)}）"
            lines.append(
                DecisionLine(
                    text=decision.decision,
                    meeting=meeting.title,
                    held_on=held_on,
                    owner=owner,
                    deadline=deadline,
                    line=line,
                )
            )
        return EscalatedItem(
            issue=issue,
            branch=self.branch_name(issue.branch),
            title=issue.title,
            decisions=lines,
            pending=self.PENDING,
        )


# --- English --------------------------------------------------------------------------

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


class _English:
    HEADINGS = {
        "summary": "1. Overview",
        "branches": "2. The branches",
        "escalated": "3. Problems escalated to the provincial institute",
    }
    TABLE_HEADERS = ["No.", "Branch", "Problem", "Provincial decision", "Meeting", "Owner", "Due"]
    NO_ESCALATIONS = "No problem was escalated to the provincial institute in this period."
    PENDING = "Awaiting a provincial decision"

    @staticmethod
    def day(value: date) -> str:
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"

    def span(self, start: date | None, end: date | None) -> str:
        if start and end:
            return f"from {self.day(start)} to {self.day(end)}"
        if start:
            return f"since {self.day(start)}"
        if end:
            return f"up to {self.day(end)}"
        return ""

    def branch_name(self, branch: Branch) -> str:
        return branch.name_en or branch.name

    def title(self, selection: Selection) -> str:
        title = "Briefing"
        if selection.campaign:
            title += f": {selection.campaign.name}"
        period = self.span(selection.date_from, selection.date_to)
        if period:
            title += f" ({period})"
        if selection.branch:
            title += f" · {self.branch_name(selection.branch)}"
        return title

    def date_line(self, today: date) -> str:
        return self.day(today)

    def opening(self, selection: Selection) -> str:
        period = self.span(selection.date_from, selection.date_to)
        campaign = selection.campaign
        if campaign:
            if campaign.ends_on:
                dates = f"{self.day(campaign.starts_on)} – {self.day(campaign.ends_on)}"
            else:
                dates = f"from {self.day(campaign.starts_on)}"
            if period:
                return f"In the campaign “{campaign.name}” ({dates}), {period},"
            return f"Since the campaign “{campaign.name}” ({dates}) began,"
        if period:
            return f"{period[0].upper()}{period[1:]},"
        return "Since the campaign began,"

    def who(self, report: Report) -> str:
        if len(report.branches) == 1:
            return self.branch_name(report.branches[0].branch)
        active = _active_branches(report)
        if len(active) == 1:
            return self.branch_name(active[0].branch)
        return _n(len(active), "branch", "branches")

    def summary(self, report: Report, decided: int) -> str:
        t = report.total
        opening = self.opening(report.selection)
        if not _has_activity(t):
            return f"{opening} no visits, forums or opinions have been recorded yet."
        who = self.who(report)
        sentences = []

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
        if t["feedback_items"]:
            did.append(f"heard {_n(t['feedback_items'], 'opinion')} and suggestions")
        else:
            did.append("received no opinions yet")
        sentences.append(f"{opening} {who} {_clauses(did)}.")

        if t["issues_found"]:
            subject = "They" if who.endswith(" branches") else "It"
            found = f"{subject} found {_n(t['issues_found'], 'concrete problem')}"
            if t["fixed_on_the_spot"]:
                found += (
                    ", fixing as they went, and solved "
                    f"{t['fixed_on_the_spot']} of them on the spot"
                )
            sentences.append(found + ".")

        if t["rectified"]:
            done = f"{_n(t['rectified'], 'problem')} {self.have(t['rectified'])} been rectified"
            if t["answered"]:
                done += f", {t['answered']} of them closed with an answer"
            sentences.append(done + ".")
        elif t["issues_found"]:
            sentences.append("No problem has been rectified yet.")
        if t["feedback_items"]:
            reply = t.reply_rate
            if reply.numerator:
                sentences.append(
                    f"{reply.numerator} of the {_n(reply.denominator, 'opinion')} "
                    f"{self.have(reply.numerator)} been answered (reply rate {reply.percent})."
                )
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

        if t["escalated"]:
            escalated = (
                f"{_n(t['escalated'], 'concrete problem')} that needed a decision at the "
                f"provincial level {'was' if t['escalated'] == 1 else 'were'} taken up by the "
                "provincial institute"
            )
            if decided >= t["escalated"]:
                escalated += ", and all have been decided"
            elif decided:
                escalated += (
                    f"; {decided} {self.have(decided)} been decided and "
                    f"{t['escalated'] - decided} still "
                    f"{'awaits' if t['escalated'] - decided == 1 else 'await'} a decision"
                )
            else:
                escalated += "; all still await a decision"
            sentences.append(escalated + ".")
        if t["overdue"]:
            sentences.append(
                f"{_n(t['overdue'], 'problem')} {'is' if t['overdue'] == 1 else 'are'} "
                "past the deadline and not yet rectified."
            )
        return " ".join(sentences)

    @staticmethod
    def have(count: int) -> str:
        return "has" if count == 1 else "have"

    @staticmethod
    def surveys(t: Figures) -> str:
        text = f"ran {_n(t['surveys'], 'survey round')}"
        if t["forms_sent"]:
            text += f" ({_n(t['forms_sent'], 'form')} sent, {t['forms_returned']} returned)"
        return text

    def branch_paragraph(self, row: BranchFigures, categories: list[CategoryCount]) -> str:
        f = row.figures
        name = self.branch_name(row.branch)
        if not _has_activity(f):
            return f"{name}: no activity recorded in this period."
        did = []
        if f["enterprises_visited"]:
            did.append(f"visited {_n(f['enterprises_visited'], 'enterprise')}")
        forums = []
        if f["enterprise_forums"]:
            forums.append(_n(f["enterprise_forums"], "enterprise forum"))
        if f["internal_forums"]:
            forums.append(_n(f["internal_forums"], "internal forum"))
        if forums:
            did.append("held " + _series(forums))
        if f["surveys"]:
            did.append(self.surveys(f))
        if f["feedback_items"]:
            heard = f"heard {_n(f['feedback_items'], 'opinion')} and suggestions"
            if categories:
                names = [_lower_first(c.name_en or c.name) for c in categories]
                heard += f", mostly about {_names(names)}"
            did.append(heard)
        sentences = [f"{name}: {_clauses(did)}."]

        if f["issues_found"]:
            issues = [f"found {_n(f['issues_found'], 'problem')}"]
            if f["fixed_on_the_spot"]:
                issues.append(f"fixed {f['fixed_on_the_spot']} on the spot")
            if f["escalated"]:
                issues.append(f"escalated {f['escalated']} to the provincial institute")
            found = f"It {_clauses(issues)}"
            if f["rectified"]:
                found += f"; {f['rectified']} {self.have(f['rectified'])} been rectified so far"
            sentences.append(found + ".")
        if f["feedback_items"]:
            reply = f.reply_rate
            if reply.numerator:
                sentences.append(
                    f"{reply.numerator} of its {_n(reply.denominator, 'opinion')} "
                    f"{self.have(reply.numerator)} been answered (reply rate {reply.percent})."
                )
            else:
                sentences.append("No opinion has been answered yet.")
        if f["overdue"]:
            sentences.append(
                f"{_n(f['overdue'], 'problem')} {'is' if f['overdue'] == 1 else 'are'} "
                "past the deadline."
            )
        return " ".join(sentences)

    def escalated_item(self, issue: Issue) -> EscalatedItem:
        lines = []
        for decision in _decisions(issue):
            meeting = decision.meeting
            owner = person_name(decision.owner) if decision.owner else ""
            deadline = self.day(decision.deadline) if decision.deadline else ""
            held_on = self.day(meeting.held_on)
            line = f"{meeting.title} ({held_on}) decided: {decision.decision}"
            extra = []
            if owner:
                extra.append(f"owner: {owner}")
            if deadline:
                extra.append(f"due {deadline}")
            if extra:
                line += f" ({', '.join(extra)})"
            lines.append(
                DecisionLine(
                    text=decision.decision,
                    meeting=meeting.title,
                    held_on=held_on,
                    owner=owner,
                    deadline=deadline,
                    line=line,
                )
            )
        return EscalatedItem(
            issue=issue,
            branch=self.branch_name(issue.branch),
            title=issue.title,
            decisions=lines,
            pending=self.PENDING,
        )


_ZH = _Chinese()
_EN = _English()
