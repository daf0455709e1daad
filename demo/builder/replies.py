"""The demo's replies to enterprises: channel, wording and how satisfied they said they were.

Used for opinions closed without an issue (``feedback``) and for the opinions behind each
answered issue (``workflow``, which also records each reply on the issue's timeline). A
"not reachable" reply is an attempt, not an answer: an answered issue's opinion that was
not reached by phone is visited the next day; an opinion closed without an issue whose
enterprise was not reached gets a second attempt two days later (the branch lead may then
close it as unreachable on its page).
"""

from __future__ import annotations

import random
from datetime import timedelta

from demo.data import opinions as O
from issues.models import IssueEvent, Reply
from outreach.models import Activity

from .plans import ReplyPlan
from .story import CUTOFF, at, weighted

SAT = Reply.Satisfaction
# Fixed Chinese words for the timeline notes, whatever language the command runs in.
SATISFACTION_LABELS = {
    SAT.SATISFIED: "满意",
    SAT.BASICALLY_SATISFIED: "基本满意",
    SAT.UNSATISFIED: "不满意",
    SAT.NOT_REACHABLE: "未联系上",
    "": "公开答复",
}


class ReplyPlanner:
    """Plans replies; shared by ``feedback`` and ``workflow`` so they draw in the story's order."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def closed_satisfaction(self, kind: str) -> str:
        """How satisfied an enterprise was with the answer to an opinion closed without an issue."""
        weights = {
            "praise": {SAT.SATISFIED: 90, SAT.BASICALLY_SATISFIED: 10},
            "suggestion": {SAT.SATISFIED: 60, SAT.BASICALLY_SATISFIED: 35, SAT.NOT_REACHABLE: 5},
            "problem": {
                SAT.SATISFIED: 42,
                SAT.BASICALLY_SATISFIED: 40,
                SAT.UNSATISFIED: 11,
                SAT.NOT_REACHABLE: 7,
            },
        }[kind]
        return weighted(self.rng, weights)

    def reply(self, ctx, item, body, moment, *, satisfaction=None) -> ReplyPlan:
        """A reply to ``item`` saying ``body``; anonymous opinions are answered in public."""
        rng = self.rng
        if satisfaction is None:
            satisfaction = weighted(
                self.rng, {SAT.SATISFIED: 70, SAT.BASICALLY_SATISFIED: 27, SAT.NOT_REACHABLE: 3}
            )
        by = rng.choice([ctx.staff, ctx.staff, ctx.staff2, ctx.staff3, ctx.lead])
        if item.enterprise is None:
            channel = rng.choice([Reply.Channel.ONLINE, Reply.Channel.MEETING])
            text = O.ANONYMOUS_REPLY_LEADS[channel] + body
            return ReplyPlan(channel, text, moment, by, "")
        contact = item.enterprise.contact_name
        if satisfaction == SAT.NOT_REACHABLE:
            text = O.NOT_REACHABLE_REPLY.format(contact=contact, body=body)
            return ReplyPlan(Reply.Channel.PHONE, text, moment, by, satisfaction)
        channels = {
            Reply.Channel.PHONE: 55,
            Reply.Channel.VISIT: 20,
            Reply.Channel.ONLINE: 10,
            Reply.Channel.LETTER: 5,
        }
        if item.activity.kind == Activity.Kind.ENTERPRISE_FORUM:
            channels[Reply.Channel.MEETING] = 10
        channel = weighted(self.rng, channels)
        text = (
            O.REPLY_LEADS[channel].format(contact=contact)
            + body
            + rng.choice(O.SATISFACTION_TAILS[satisfaction])
        )
        return ReplyPlan(channel, text, moment, by, satisfaction)

    def second_attempt(self, item) -> None:
        """Call again two days after a first attempt that did not reach the enterprise."""
        first = item.reply
        moment = at(first.moment.date() + timedelta(days=2), 15, 0)
        if moment <= CUTOFF:
            item.attempts.append(
                ReplyPlan(Reply.Channel.PHONE, first.content, moment, first.by, first.satisfaction)
            )

    def _reached_after(self, issue, clock, item) -> None:
        """The attempt stays on record; the enterprise is visited the next day (or later
        that day), and that reply reaches them."""
        attempt = item.reply
        moment = at(attempt.moment.date() + timedelta(days=1), 10, 0)
        if moment > CUTOFF:
            moment = attempt.moment + timedelta(hours=2)
        text = (
            O.REPLY_LEADS[Reply.Channel.VISIT].format(contact=item.enterprise.contact_name)
            + issue.text("reply")
            + O.SATISFACTION_TAILS[SAT.BASICALLY_SATISFIED][0]
        )
        item.attempts.append(attempt)
        item.reply = ReplyPlan(
            Reply.Channel.VISIT, text, moment, attempt.by, SAT.BASICALLY_SATISFIED
        )
        clock.jump_to(moment)

    def reply_items(self, issue, clock, items, *, unsatisfied=None, reach=False):
        """Reply to each of ``items`` with the issue's answer, and note it on the timeline;
        ``unsatisfied`` is the one enterprise that was not satisfied (and so reopened it);
        with ``reach`` (the issue is then answered) every reply reaches its enterprise."""
        for item in items:
            satisfaction = SAT.UNSATISFIED if item is unsatisfied else None
            if item is unsatisfied:
                complaint = issue.topic["reopen"]["complaint"]
                item.reply = ReplyPlan(
                    Reply.Channel.PHONE,
                    O.REPLY_LEADS["phone"].format(contact=item.enterprise.contact_name)
                    + issue.text("reply")
                    + f"企业表示不满意，反映{complaint}。",
                    clock.next(0, 2),
                    issue.ctx.staff,
                    SAT.UNSATISFIED,
                )
            else:
                item.reply = self.reply(
                    issue.ctx,
                    item,
                    issue.text("reply"),
                    clock.next(0, 2),
                    satisfaction=satisfaction,
                )
            if reach and item.reply.satisfaction == SAT.NOT_REACHABLE:
                self._reached_after(issue, clock, item)
            who = item.enterprise.name if item.enterprise else "背靠背意见"
            for reply in (*item.attempts, item.reply):
                label = SATISFACTION_LABELS[reply.satisfaction]
                issue.event(
                    IssueEvent.Kind.REPLY, reply.moment, reply.by, note=f"答复{who}（{label}）"
                )
