"""The briefing's sentences in Chinese, as an institute's 工作简报 reads."""

from __future__ import annotations

from datetime import date

from branches.models import Branch
from outreach.models import Campaign

from ..metrics import Figures
from ..selection import Selection
from .data import CategoryCount
from .writer import ZH, Writer, join


class ChineseWriter(Writer):
    LANGUAGE = ZH
    HEADINGS = {
        "summary": "一、总体情况",
        "branches": "二、各分院情况",
        "escalated": "三、上报省院研究解决的问题",
    }
    TABLE_HEADERS = ["序号", "分院", "问题", "省院决定", "会议", "责任人", "完成期限"]
    NO_ESCALATIONS = "本期无上报省院研究解决的问题。"
    PENDING = "待省院研究"
    SPAN_BETWEEN = "{start}至{end}"
    SPAN_SINCE = "{start}以来"
    SPAN_UNTIL = "截至{end}"
    SENTENCE_SEP = ""
    FILE_PREFIX = "简报"
    FILE_PERIOD = "{start}至{end}"
    FILE_ALL_TIME = "全部"

    def day(self, value: date) -> str:
        return f"{value.year}年{value.month}月{value.day}日"

    def branch_name(self, branch: Branch) -> str:
        """泉州分院 rather than the full 福建省特种设备检验研究院泉州分院."""
        short = f"{branch.short_name}分院"
        return short if branch.short_name and branch.name.endswith(short) else branch.name

    def file_branch_name(self, branch: Branch) -> str:
        return branch.short_name

    def campaign_name(self, campaign: Campaign) -> str:
        return campaign.name

    def branch_count(self, count: int) -> str:
        return f"{count}个分院"

    def title(self, selection: Selection) -> str:
        campaign = selection.campaign
        title = f"{self.campaign_name(campaign)}工作简报" if campaign else "工作简报"
        period = self.span(selection.date_from, selection.date_to)
        if period:
            title += f"（{period}）"
        if selection.branch:
            title += f"·{self.branch_name(selection.branch)}"
        return title

    def opening(self, selection: Selection) -> str:
        period = self.span(selection.date_from, selection.date_to)
        campaign = selection.campaign
        if campaign:
            dates = self.span(campaign.starts_on, campaign.ends_on)
            if campaign.ends_on is None:
                dates = f"{self.day(campaign.starts_on)}起"
            if period:
                return f"{self.campaign_name(campaign)}（{dates}）中，{period}期间，"
            return f"{self.campaign_name(campaign)}（{dates}）开展以来，"
        if period:
            return f"{period}，"
        return "活动开展以来，"

    def surveys(self, t: Figures) -> str:
        # A survey is a round of forms: counted in rounds (轮), its forms in copies (份).
        text = f"开展征求意见表调查{t['surveys']}轮"
        if t["forms_sent"]:
            text += f"，发放征求意见表{t['forms_sent']}份、收回{t['forms_returned']}份"
        return text

    # --- the summary ------------------------------------------------------------------

    def nothing_recorded(self, opening: str) -> str:
        return f"{opening}暂无走访调研、座谈会和意见建议记录。"

    def outreach_summary(self, opening: str, who: str, t: Figures) -> str:
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
        return opening + who + join(outreach, "，") + "。"

    def progress_summary(self, t: Figures) -> str:
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
        stated = t.enterprise_satisfaction_rate
        if stated.denominator:
            # The enterprise's own word, beside the staff's record (docs/metrics.md).
            progress.append(
                f"企业通过回执自行评价的{stated.denominator}条意见中，"
                f"满意或基本满意{stated.numerator}条，企业自评满意率{stated.percent}"
            )
        return join(progress, "；") + "。" if progress else ""

    def escalated_summary(self, who: str, *, escalated: int, decided: int, waiting: int) -> str:
        whose = "各分院" if who.endswith("个分院") else who
        if not decided:
            return f"{whose}上报省院研究解决的{escalated}个具体问题目前均待省院研究。"
        text = (
            f"省院召开院长办公会，对{whose}收集到的、需要在省院层面研究解决的"
            f"{decided}个具体问题进行研究和落实"
        )
        if waiting:
            text += f"；目前尚有{waiting}个上报问题待省院研究"
        return text + "。"

    def overdue_summary(self, overdue: int) -> str:
        return f"目前尚有{overdue}个问题超过整改期限未完成整改，需加快推进。"

    # --- a branch's paragraph ---------------------------------------------------------

    def branch_did_nothing(self, name: str) -> str:
        return f"{name}：本期暂无活动记录。"

    def branch_outreach(self, f: Figures, categories: list[CategoryCount]) -> str:
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
        return join(first, "，")

    def branch_issues(self, f: Figures) -> str:
        issues = [f"查找问题{f['issues_found']}个"]
        if f["fixed_on_the_spot"]:
            issues.append(f"立行立改{f['fixed_on_the_spot']}项")
        if f["escalated"]:
            issues.append(f"上报省院{f['escalated']}个")
        if f["rectified"]:
            issues.append(f"已完成整改{f['rectified']}个")
        return join(issues, "，")

    def branch_replies(self, f: Figures) -> str:
        reply = f.reply_rate
        if reply.numerator:
            return f"已答复意见{reply.numerator}条，答复率{reply.percent}"
        return "意见建议尚无答复"

    def branch_overdue(self, overdue: int) -> str:
        return f"超期未整改问题{overdue}个"

    def paragraph(self, name: str, parts: list[str]) -> str:
        return f"{name}：{join(parts, '；')}。"

    def decision_line(
        self, meeting: str, held_on: str, decision: str, owner: str, deadline: str
    ) -> str:
        line = f"{meeting}（{held_on}）决定：{decision}"
        extra = []
        if owner:
            extra.append(f"责任人：{owner}")
        if deadline:
            extra.append(f"完成期限：{deadline}")
        if extra:
            line += f"（{'，'.join(extra)}）"
        return line
