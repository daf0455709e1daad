"""The demo's issue timelines: every step the workflow would have taken, up to the demo's day.

The seed writes ``Issue.state`` directly rather than through the workflow, with an
IssueEvent for each step (created, opinions linked, escalated, decided, rectified, replied,
answered, reopened) at moments that follow each other, and leaders' instructions on a few
escalated issues.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from demo.data import content as C
from demo.data import opinions as O
from issues.models import Issue, IssueEvent

from .organisation import Organisation
from .plans import IssuePlan
from .replies import ReplyPlanner
from .story import MEETING_DAY, TZ, Clock, at

S = Issue.State
ESCALATIONS_BY = datetime(2026, 10, 26, 17, 0, tzinfo=TZ)


class TimelinePlanner:
    """Plans every issue's timeline once all branches' opinions are planned."""

    def __init__(self, rng: random.Random, replies: ReplyPlanner, organisation: Organisation):
        self.rng = rng
        self.replies = replies
        self.contexts = organisation.branches
        self.provincial = organisation.provincial
        self.office = organisation.office
        self.title_uses: dict[str, int] = {}

    def plan(self):
        """Title, describe and date every issue, and plan its events, replies and decision."""
        rng = self.rng
        for author_name, branch_code, topic_key, text, acknowledged in O.INSTRUCTIONS:
            ctx = next(c for c in self.contexts if c.code == branch_code)
            issue = next(
                i
                for i in ctx.issues
                if i.mode == "esc"
                and (i.topic["key"] == topic_key or (topic_key is None and i.state == S.RECTIFYING))
            )
            issue.instruction = (self.provincial[author_name], text, acknowledged)
        decision_moment = at(MEETING_DAY, 9, 30)
        for ctx in self.contexts:
            for issue in ctx.issues:
                issue.created_by = rng.choice([ctx.staff, ctx.staff, *ctx.inspectors])
                issue.responsible = rng.choice(
                    ctx.inspectors if issue.mode == "fix" else [ctx.lead, ctx.staff2]
                )
                issue.title = self._title(issue)
                issue.measures = issue.text("measures")
                issue.severity = issue.topic.get("severity") or (
                    rng.choice([Issue.Severity.SERIOUS, Issue.Severity.NORMAL])
                    if issue.mode == "esc"
                    else Issue.Severity.NORMAL
                )
                issue.description = self._issue_description(issue)
                clock = Clock(rng, at(max(i.activity.day for i in issue.items), 16, 30))
                issue.created_at = clock.next(0, 1)
                issue.event(
                    IssueEvent.Kind.CREATED,
                    issue.created_at,
                    issue.created_by,
                    note=f"由{len(issue.items)}条意见归集立项。",
                )
                for item in issue.items:
                    issue.event(
                        IssueEvent.Kind.FEEDBACK_LINKED,
                        clock.soon(),
                        issue.created_by,
                        note=item.content[:80],
                    )
                if issue.mode == "fix":
                    self._fix_timeline(ctx, issue, clock)
                elif issue.mode == "esc":
                    decision_moment += timedelta(minutes=5)
                    self._escalation_timeline(ctx, issue, clock, decision_moment)
                else:
                    self._plan_timeline(ctx, issue, clock)

    def _title(self, issue: IssuePlan) -> str:
        """The topic's least used title so far, so the province's ledger reads varied."""
        titles = [t.format(equip=C.EQUIPMENT_TITLE[issue.equipment]) for t in issue.topic["titles"]]
        self.rng.shuffle(titles)
        title = min(titles, key=lambda t: self.title_uses.get(t, 0))
        self.title_uses[title] = self.title_uses.get(title, 0) + 1
        return title

    def _issue_description(self, issue: IssuePlan) -> str:
        named = list(dict.fromkeys(i.enterprise.name for i in issue.items if i.enterprise))
        anonymous = sum(1 for i in issue.items if i.enterprise is None)
        sources = "、".join(named)
        if anonymous:
            sources = (
                f"{sources}及背靠背意见{anonymous}条" if sources else f"背靠背意见{anonymous}条"
            )
        return f"{issue.text('description')}\n归集意见{len(issue.items)}条，来源：{sources}。"

    def _rectify(self, issue, clock, moment, from_state, note_prefix):
        ctx = issue.ctx
        issue.rectification = issue.text("rectification")
        issue.rectified_at = moment
        issue.verified_by = ctx.lead
        issue.transition(
            moment, ctx.lead, from_state, S.RECTIFIED, note=f"{note_prefix}{issue.rectification}"
        )

    def _answer(self, issue, clock):
        issue.answered_at = clock.soon()
        issue.transition(
            issue.answered_at,
            issue.ctx.lead,
            S.RECTIFIED,
            S.ANSWERED,
            note="所有意见均已答复，办结。",
        )

    def _fix_timeline(self, ctx, issue, clock):
        self._rectify(issue, clock, clock.next(0, 2), S.COLLECTED, "立行立改：")
        if issue.state == S.ANSWERED:
            self.replies.reply_items(issue, clock, issue.items, reach=True)
            self._answer(issue, clock)
        else:
            self.replies.reply_items(
                issue, clock, issue.items[: self.rng.randint(0, len(issue.items) - 1)]
            )

    def _escalation_timeline(self, ctx, issue, clock, decision_moment):
        rng = self.rng
        requested = clock.next(1, 4, ceiling=ESCALATIONS_BY)
        reason = issue.text("reason")
        issue.escalation = {"reason": reason, "requested_by": ctx.lead, "requested_at": requested}
        issue.event(IssueEvent.Kind.ESCALATED, requested, ctx.lead, note=reason)
        issue.transition(
            clock.soon(), ctx.lead, S.COLLECTED, S.ESCALATED, note="提请省院院长办公会研究。"
        )

        if issue.topic.get("story"):
            deadline = date(2026, 11, 30)
        elif issue.overdue:
            deadline = date(2026, 11, rng.choice([13, 16, 20]))
        elif issue.state == S.RECTIFYING:
            deadline = date(2026, 12, rng.choice([10, 15, 20, 25, 31]))
        else:
            deadline = rng.choice([date(2026, 11, 20), date(2026, 11, 30), date(2026, 12, 15)])
        decided = clock.jump_to(decision_moment)
        decision = issue.text("decision")
        issue.decision = {
            "decision": decision,
            "owner": ctx.lead,
            "deadline": deadline,
            "recorded_at": decided,
        }
        issue.deadline = deadline
        issue.event(IssueEvent.Kind.DECISION, decided, self.office, note=decision)
        issue.transition(
            clock.soon(),
            self.office,
            S.ESCALATED,
            S.RECTIFYING,
            note=f"按院长办公会决定整改，完成时限{deadline:%Y-%m-%d}。",
        )
        if issue.instruction:
            author, text, acknowledged = issue.instruction
            written = clock.next(1, 2)
            issue.event(IssueEvent.Kind.INSTRUCTION, written, author, note=text)
            acknowledged_at = None
            if acknowledged:
                acknowledged_at = clock.next(0, 1)
                issue.event(
                    IssueEvent.Kind.ACKNOWLEDGED,
                    acknowledged_at,
                    ctx.lead,
                    note=O.ACKNOWLEDGEMENT_NOTE,
                )
            issue.instruction = (author, text, written, acknowledged_at)
        if issue.state == S.RECTIFYING:
            if rng.random() < 0.7:
                note = issue.topic.get("progress") or rng.choice(O.GENERIC_PROGRESS)
                issue.event(
                    IssueEvent.Kind.COMMENT, clock.next(5, 18), issue.responsible, note=note
                )
            return
        self._rectify(issue, clock, clock.next(5, 14), S.RECTIFYING, "整改完成并经分院负责人验证：")
        if issue.state == S.ANSWERED:
            self.replies.reply_items(issue, clock, issue.items, reach=True)
            self._answer(issue, clock)
        else:
            self.replies.reply_items(
                issue, clock, issue.items[: rng.randint(0, len(issue.items) - 1)]
            )

    def _plan_timeline(self, ctx, issue, clock):
        topic = issue.topic
        issue.deadline = date(*topic["deadline"])
        issue.transition(
            clock.next(1, 3),
            ctx.lead,
            S.COLLECTED,
            S.RECTIFYING,
            note=f"制定整改计划：{issue.measures}完成时限{issue.deadline:%Y-%m-%d}。",
        )
        reopen = topic.get("reopen")
        if not reopen:
            issue.event(
                IssueEvent.Kind.COMMENT,
                clock.next(7, 20),
                issue.responsible,
                note=topic["progress"],
            )
            return
        self._rectify(issue, clock, clock.next(7, 10), S.RECTIFYING, "整改完成并经分院负责人验证：")
        unsatisfied = next(i for i in issue.items if i.enterprise is not None)
        self.replies.reply_items(issue, clock, issue.items, unsatisfied=unsatisfied, reach=True)
        self._answer(issue, clock)
        issue.transition(
            clock.next(1, 3),
            ctx.lead,
            S.ANSWERED,
            S.RECTIFYING,
            note=f"{unsatisfied.enterprise.name}对答复不满意（{reopen['complaint']}），重新整改："
            f"{reopen['measures']}",
        )
        issue.reopen_count = 1
        issue.measures = f"{issue.measures}\n重新整改：{reopen['measures']}"
        issue.deadline = date(*reopen["deadline"])
        issue.rectified_at = issue.answered_at = issue.verified_by = None
