"""The bulletin's sentences in Chinese, as an institute's 通报 reads."""

from __future__ import annotations

from datetime import date

from branches.models import Branch
from core.templatetags.people import person_name
from issues.models import SupervisionNotice
from themes.selectors import ThemeOfPeriod

from ..assessment.periods import MONTH, QUARTER, Period
from ..assessment.scoring import Row
from ..metrics import Figures, Rate
from ..models import AssessmentScheme
from .data import OverdueCase
from .writer import NAMED_THEMES, ZH, Writer

NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
QUARTERS = NUMERALS[:4]


def _join(parts: list[str], sep: str = "，") -> str:
    return sep.join(part for part in parts if part)


class ChineseWriter(Writer):
    LANGUAGE = ZH
    HEADINGS = {
        "overall": "总体情况",
        "ranking": "考核排名",
        "praise": "表扬和批评",
        "cases": "超期和督办问题",
        "recurring": "共性问题（每月一题）",
        "requirements": "工作要求",
    }
    FILE_PREFIX = "考核通报"
    COMPONENT_NAMES = {
        "signed_on_time": "按时签收率",
        "rectified_on_time": "按时整改率",
        "replied_on_time": "按时答复率",
        "reply_rate": "答复率",
        "staff_satisfaction": "满意率（工作人员记录）",
        "enterprise_satisfaction": "满意率（企业自评）",
        "reopen_rate": "重新整改率",
        "supervision": "每百件问题督办单数",
    }

    def numbered(self, number: int, heading: str) -> str:
        return f"{NUMERALS[number - 1]}、{heading}"

    def with_counts(self, shown: str, rate: Rate) -> str:
        return f"{shown}（{rate.numerator}/{rate.denominator}）"

    def day(self, value: date) -> str:
        return f"{value.year}年{value.month}月{value.day}日"

    def period_name(self, period: Period) -> str:
        if period.kind == MONTH:
            return f"{period.start.year}年{period.start.month}月"
        if period.kind == QUARTER:
            return f"{period.start.year}年第{QUARTERS[period.quarter - 1]}季度"
        return f"{period.start.year}年度"

    def institute(self, branch: Branch | None) -> str:
        return branch.name if branch else ""

    def branch_name(self, branch: Branch) -> str:
        short = f"{branch.short_name}分院"
        return short if branch.short_name and branch.name.endswith(short) else branch.name

    def title(self, period: Period) -> str:
        return f"关于{self.period_name(period)}全省分院考核情况的通报"

    def addressee(self) -> str:
        return "各设区市分院："

    def opening(self, period: Period, assessed: bool) -> str:
        if not assessed:
            return f"现将{self.period_name(period)}全省分院服务企业工作情况通报如下。"
        return f"根据院考核方案，现将{self.period_name(period)}全省分院考核情况通报如下。"

    def overall(self, period: Period, t: Figures) -> str:
        did = []
        if t["enterprises_visited"]:
            did.append(f"走访调研企业{t['enterprises_visited']}家")
        forums = []
        if t["enterprise_forums"]:
            forums.append(f"企业座谈会{t['enterprise_forums']}次")
        if t["internal_forums"]:
            forums.append(f"内部座谈会{t['internal_forums']}次")
        if forums:
            did.append("召开" + "、".join(forums))
        if t["feedback_items"]:
            did.append(f"听取意见建议{t['feedback_items']}条")
        if t["issues_found"]:
            found = f"查找问题{t['issues_found']}个"
            if t["fixed_on_the_spot"]:
                found += f"，立行立改{t['fixed_on_the_spot']}项"
            did.append(found)
        opening = f"{self.period_name(period)}，全省各分院"
        if not did:
            return f"{opening}暂无走访调研、座谈会和意见建议记录。"
        sentences = [opening + _join(did) + "。"]
        done = []
        if t["rectified"]:
            done.append(f"已完成整改问题{t['rectified']}个")
        if t["feedback_items"]:
            done.append(f"答复意见{t['replied_feedback']}条，答复率{self.rate(t.reply_rate)}")
        rates = [
            ("按时签收率", t.signed_on_time_rate),
            ("按时整改率", t.rectified_on_time_rate),
            ("按时答复率", t.replied_on_time_rate),
            ("企业自评满意率", t.enterprise_satisfaction_rate),
            ("重新整改率", t.reopen_rate),
        ]
        done.extend(f"{name}{self.rate(rate)}" for name, rate in rates if rate.denominator)
        if done:
            sentences.append(_join(done) + "。")
        if t["overdue"] or t["supervision_notices"]:
            late = []
            if t["overdue"]:
                late.append(f"超期未整改问题{t['overdue']}个")
            if t["supervision_notices"]:
                late.append(f"下发督办单{t['supervision_notices']}份")
            sentences.append("目前尚有" + _join(late) + "。")
        return "".join(sentences)

    def rate(self, rate: Rate) -> str:
        return self.with_counts(rate.percent, rate)

    def scheme_sentence(self, scheme: AssessmentScheme, ranked: int, branches: int) -> str:
        parts = "、".join(f"{self.component_name(c)}（权重{w}）" for c, w in scheme.chosen())
        text = (
            f"按照自{scheme.starts_on.year}年{scheme.starts_on.month}月起施行的考核方案，"
            f"考核{parts}，各项按0至100分计，加权平均得出总分；"
            f"单项分母不足{scheme.min_denominator}件的不计分，"
            f"计分项目权重合计不足有案件项目权重一半的分院不参加排名。"
        )
        if ranked == branches:
            return text + f"全省{branches}个分院均参加排名，结果如下："
        return text + f"全省{branches}个分院中{ranked}个参加排名，结果如下："

    def table_headers(self, scheme: AssessmentScheme) -> list[str]:
        names = [self.component_name(c) for c, _w in scheme.chosen()]
        return ["名次", "分院", "得分", "较上期", *names]

    def change(self, row: Row) -> str:
        change = row.rank_change
        if change is None:
            return "—"
        if change > 0:
            return f"上升{change}位"
        if change < 0:
            return f"下降{-change}位"
        return "持平"

    def unranked(self, rows: list[Row], scheme: AssessmentScheme) -> str:
        if not rows:
            return ""
        names = "、".join(self.branch_name(row.branch) for row in rows)
        return (
            f"{names}本期案件数不足（分母达到{scheme.min_denominator}件的项目权重合计不足一半），"
            "未参加排名。"
        )

    def praise_and_criticism(self, good: list[Row], bad: list[Row]) -> list[str]:
        if not good and not bad:
            return ["本期参加排名的分院不足三个，不作表扬和批评。"]
        paragraphs = []
        if good:
            names = "、".join(f"{self.branch_name(r.branch)}（{r.shown_score}分）" for r in good)
            paragraphs.append(f"{names}考核得分位居前列，予以通报表扬。")
        if bad:
            names = "、".join(f"{self.branch_name(r.branch)}（{r.shown_score}分）" for r in bad)
            paragraphs.append(
                f"{names}考核得分排名靠后，予以通报批评，请认真分析原因，制定整改措施，"
                "切实提升服务企业的质量和效率。"
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
            return ["本期问题均在期限内办理，无超期未整改和被督办的问题。"]
        paragraphs = []
        if overdue_count:
            named = "；".join(
                f"{self.branch_name(case.issue.branch)}“{case.issue.title}”"
                f"（整改期限{self.day(case.issue.deadline)}，已超期{case.working_days}个工作日）"
                for case in overdue
            )
            more = f"等{overdue_count}个问题" if overdue_count > len(overdue) else ""
            paragraphs.append(f"超过整改期限仍未完成整改的问题：{named}{more}。")
        if total["supervision_notices"]:
            named = "；".join(
                f"{self.branch_name(notice.issue.branch)}“{notice.issue.title}”"
                f"（{self.day(notice.issued_at.date())}督办，"
                f"{'已书面答复' if notice.answered_at else '尚未答复'}）"
                for notice in supervised
            )
            count = total["supervision_notices"]
            more = f"等{count}份督办单" if count > len(supervised) else ""
            paragraphs.append(f"本期问题中被督办的：{named}{more}。")
        return paragraphs

    def recurring(self, themes: list[ThemeOfPeriod]) -> list[str]:
        adopted = [row for row in themes if row.adopted_then]
        found = [row for row in themes if not row.adopted_then]
        paragraphs = []
        if adopted:
            named = "；".join(
                f"“{row.theme.title}”（涉及{self.places(row)}，"
                f"由{person_name(row.theme.owner)}牵头，{self.day(row.theme.deadline)}前完成）"
                for row in adopted
            )
            paragraphs.append(f"本期确定为全省共性问题、由省院统筹整改的：{named}。")
        if found:
            named = "；".join(
                f"“{row.theme.title}”（涉及{self.places(row)}）" for row in found[:NAMED_THEMES]
            )
            more = f"等{len(found)}个" if len(found) > NAMED_THEMES else ""
            paragraphs.append(f"本期新发现、提请研究的共性问题：{named}{more}。")
        return paragraphs

    def places(self, row: ThemeOfPeriod) -> str:
        names = "、".join(self.branch_name(branch) for branch in row.branches)
        return f"{names}等{len(row.branches)}个单位的{row.issue_count}个问题"

    def requirements(self) -> str:
        return (
            "各分院要对照考核结果，查找差距和不足，坚持问题导向，对群众反映的问题做到"
            "“条条有落实，件件有反馈”；对超期和被督办的问题，要逐件落实责任人和完成时限，"
            "按时整改、及时答复企业。"
        )
