"""The bulletin's sentences in English, saying the same facts as the Chinese."""

from __future__ import annotations

from datetime import date

from branches.models import Branch
from core.templatetags.people import person_name
from issues.models import SupervisionNotice
from themes.selectors import ThemeOfPeriod

from ..assessment.periods import MONTH, QUARTER, Period
from ..assessment.scoring import Row
from ..briefing.english import MONTHS, _n, _series
from ..metrics import Figures, Rate
from ..models import AssessmentScheme
from .data import OverdueCase
from .writer import EN, NAMED_THEMES, Writer

ORDINALS = ("first", "second", "third", "fourth")


class EnglishWriter(Writer):
    LANGUAGE = EN
    HEADINGS = {
        "overall": "Overview",
        "ranking": "The ranking",
        "praise": "Praise and criticism",
        "cases": "Overdue and supervised cases",
        "recurring": "Recurring problems",
        "requirements": "What the branches are to do",
    }
    FILE_PREFIX = "Assessment-bulletin"
    COMPONENT_NAMES = {
        "signed_on_time": "Signed for on time",
        "rectified_on_time": "Rectified on time",
        "replied_on_time": "Replied on time",
        "reply_rate": "Reply rate",
        "staff_satisfaction": "Satisfaction (recorded by staff)",
        "enterprise_satisfaction": "Satisfaction (stated by the enterprise)",
        "reopen_rate": "Reopen rate",
        "supervision": "Supervision notices per 100 issues",
    }

    def numbered(self, number: int, heading: str) -> str:
        return f"{number}. {heading}"

    def with_counts(self, shown: str, rate: Rate) -> str:
        return f"{shown} ({rate.numerator}/{rate.denominator})"

    def rate(self, rate: Rate) -> str:
        return self.with_counts(rate.percent, rate)

    def day(self, value: date) -> str:
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"

    def period_name(self, period: Period) -> str:
        if period.kind == MONTH:
            return f"{MONTHS[period.start.month - 1]} {period.start.year}"
        if period.kind == QUARTER:
            return f"the {ORDINALS[period.quarter - 1]} quarter of {period.start.year}"
        return f"the year {period.start.year}"

    def institute(self, branch: Branch | None) -> str:
        if branch is None:
            return ""
        return branch.name_en or branch.name

    def branch_name(self, branch: Branch) -> str:
        return branch.name_en or branch.name

    def title(self, period: Period) -> str:
        name = self.period_name(period)
        return f"Bulletin on the assessment of the branches: {name[0].upper()}{name[1:]}"

    def addressee(self) -> str:
        return "To the city branches:"

    def opening(self, period: Period, assessed: bool) -> str:
        if not assessed:
            return (
                f"The branches' work with enterprises in {self.period_name(period)} was as follows."
            )
        return (
            f"Under the institute's assessment scheme, the branches were assessed for "
            f"{self.period_name(period)} as follows."
        )

    def overall(self, period: Period, t: Figures) -> str:
        did = []
        if t["enterprises_visited"]:
            did.append(f"visited {_n(t['enterprises_visited'], 'enterprise')}")
        forums = []
        if t["enterprise_forums"]:
            forums.append(_n(t["enterprise_forums"], "enterprise forum"))
        if t["internal_forums"]:
            forums.append(_n(t["internal_forums"], "internal forum"))
        if forums:
            did.append(f"held {_series(forums)}")
        if t["feedback_items"]:
            did.append(f"heard {_n(t['feedback_items'], 'opinion')}")
        if t["issues_found"]:
            found = f"found {_n(t['issues_found'], 'problem')}"
            if t["fixed_on_the_spot"]:
                found += f" ({t['fixed_on_the_spot']} fixed on the spot)"
            did.append(found)
        name = self.period_name(period)
        opening = f"In {name}, the branches"
        if not did:
            return f"In {name}, no visit, forum or opinion was recorded."
        sentences = [f"{opening} {_series(did)}."]
        done = []
        if t["rectified"]:
            done.append(f"{_n(t['rectified'], 'problem')} rectified")
        if t["feedback_items"]:
            done.append(f"a reply rate of {self.rate(t.reply_rate)}")
        rates = [
            ("signed for on time", t.signed_on_time_rate),
            ("rectified on time", t.rectified_on_time_rate),
            ("replied on time", t.replied_on_time_rate),
            ("satisfaction stated by the enterprise", t.enterprise_satisfaction_rate),
            ("reopen rate", t.reopen_rate),
        ]
        done.extend(f"{name} {self.rate(rate)}" for name, rate in rates if rate.denominator)
        if done:
            sentences.append(f"So far: {'; '.join(done)}.")
        late = []
        if t["overdue"]:
            late.append(f"{_n(t['overdue'], 'problem')} past the deadline and not rectified")
        if t["supervision_notices"]:
            late.append(f"{_n(t['supervision_notices'], 'supervision notice')} issued")
        if late:
            sentences.append(f"Still open: {_series(late)}.")
        return " ".join(sentences)

    def scheme_sentence(self, scheme: AssessmentScheme, ranked: int, branches: int) -> str:
        parts = "; ".join(
            f"{self.component_name(c).lower()} (weight {w})" for c, w in scheme.chosen()
        )
        start = f"{MONTHS[scheme.starts_on.month - 1]} {scheme.starts_on.year}"
        text = (
            f"Under the scheme in force since {start}, the branches were assessed on: {parts}. "
            "Each component scores 0 to 100 and the score is their weighted mean; a component "
            f"with fewer than {scheme.min_denominator} cases is not scored, and a branch whose "
            "scored components carry less than half of the weight of those with a case is "
            "not ranked. "
        )
        if ranked == branches:
            return text + f"All {branches} branches were ranked:"
        return text + f"{ranked} of the {branches} branches were ranked:"

    def table_headers(self, scheme: AssessmentScheme) -> list[str]:
        names = [self.component_name(c) for c, _w in scheme.chosen()]
        return ["Rank", "Branch", "Score", "Change", *names]

    def change(self, row: Row) -> str:
        change = row.rank_change
        if change is None:
            return "—"
        if change > 0:
            return f"up {_n(change, 'place')}"
        if change < 0:
            return f"down {_n(-change, 'place')}"
        return "same place"

    def unranked(self, rows: list[Row], scheme: AssessmentScheme) -> str:
        if not rows:
            return ""
        names = _series([self.branch_name(row.branch) for row in rows])
        verb = "was" if len(rows) == 1 else "were"
        return (
            f"{names} {verb} not ranked: too few cases (the components with at least "
            f"{scheme.min_denominator} carry less than half of the weight)."
        )

    def praise_and_criticism(self, good: list[Row], bad: list[Row]) -> list[str]:
        if not good and not bad:
            return ["Fewer than three branches were ranked: no branch is praised or criticised."]
        paragraphs = []
        if good:
            names = _series([f"{self.branch_name(r.branch)} ({r.shown_score})" for r in good])
            paragraphs.append(
                f"{names} scored highest and {'is' if len(good) == 1 else 'are'} praised."
            )
        if bad:
            names = _series([f"{self.branch_name(r.branch)} ({r.shown_score})" for r in bad])
            paragraphs.append(
                f"{names} scored lowest and {'is' if len(bad) == 1 else 'are'} criticised: "
                "find the causes, set out the measures and raise the quality and speed of "
                "the service to enterprises."
            )
        return paragraphs

    def cases(
        self,
        overdue: list[OverdueCase],
        overdue_count: int,
        supervised: list[SupervisionNotice],
        total: Figures,
    ) -> list[str]:
        if not overdue_count and not total["supervision_notices"]:
            return ["Every problem of the period is within its time limit; none is supervised."]
        paragraphs = []
        if overdue_count:
            named = "; ".join(
                f"{self.branch_name(case.issue.branch)}: “{case.issue.title}” (due "
                f"{self.day(case.issue.deadline)}, {_n(case.working_days, 'working day')} overdue)"
                for case in overdue
            )
            more = f" ({overdue_count} in all)" if overdue_count > len(overdue) else ""
            paragraphs.append(f"Past the deadline and not rectified: {named}{more}.")
        if total["supervision_notices"]:
            named = "; ".join(
                f"{self.branch_name(notice.issue.branch)}: “{notice.issue.title}” (supervised "
                f"{self.day(notice.issued_at.date())}, "
                f"{'answered in writing' if notice.answered_at else 'not answered yet'})"
                for notice in supervised
            )
            count = total["supervision_notices"]
            more = f" ({count} notices in all)" if count > len(supervised) else ""
            paragraphs.append(f"Problems of the period under supervision: {named}{more}.")
        return paragraphs

    def recurring(self, themes: list[ThemeOfPeriod]) -> list[str]:
        adopted = [row for row in themes if row.adopted_then]
        found = [row for row in themes if not row.adopted_then]
        paragraphs = []
        if adopted:
            named = "; ".join(
                f"“{row.theme.title}” ({self.places(row)}; led by "
                f"{person_name(row.theme.owner)}, due {self.day(row.theme.deadline)})"
                for row in adopted
            )
            paragraphs.append(
                f"Adopted in the period as provincial problems, to be rectified province-wide: "
                f"{named}."
            )
        if found:
            named = "; ".join(
                f"“{row.theme.title}” ({self.places(row)})" for row in found[:NAMED_THEMES]
            )
            more = f" ({len(found)} in all)" if len(found) > NAMED_THEMES else ""
            paragraphs.append(f"Found in the period and put to the office: {named}{more}.")
        return paragraphs

    def places(self, row: ThemeOfPeriod) -> str:
        names = ", ".join(self.branch_name(branch) for branch in row.branches)
        return f"{_n(row.issue_count, 'issue')} of {names}"

    def requirements(self) -> str:
        return (
            "Each branch is to compare its results with the others', find where it falls "
            "short, and see that every opinion is acted on and every enterprise answered; "
            "for each overdue or supervised problem, name who is responsible and by when, "
            "rectify it on time and answer the enterprise promptly."
        )
