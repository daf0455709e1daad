"""The demo's issues: which problems each branch found, and how far each has come.

Each branch gets the seed report's numbers of immediate fixes, escalations and planned
rectifications, drawn from the topics in ``opinions``; ``workflow`` later writes how each
went through the states up to the demo's day.
"""

from __future__ import annotations

import random

from demo.data import opinions as O
from issues.models import Issue

from .plans import BranchContext, IssuePlan

S = Issue.State
# Branches with one escalated issue past its provincial deadline.
OVERDUE_ESCALATIONS = ("ningde", "nanping", "sanming", "zhangzhou")


def plan_issues(rng: random.Random, ctx: BranchContext):
    """Set ``ctx.issues`` (escalated, planned, then fixed on the spot), each with its state
    on the demo's day and the number of opinions it distils."""
    fig, code = ctx.figures, ctx.code
    plan_topic = O.PLAN_TOPICS.get(code) if fig["plan"] else None
    excluded = set(plan_topic.get("excludes", [])) if plan_topic else set()

    story = [t for t in O.FIX_TOPICS if t.get("story") == code]
    generic = [t for t in O.FIX_TOPICS if "story" not in t and t["key"] not in excluded]
    fix_topics = story + rng.sample(generic, fig["fix"] - len(story))
    fix_issues = [IssuePlan(ctx, "fix", topic, S.ANSWERED) for topic in fix_topics]
    # The last few immediate fixes came late and are still waiting for replies.
    for issue in fix_issues[len(fix_issues) - fig["fix_rectified"] :]:
        issue.state, issue.late = S.RECTIFIED, True

    story = [t for t in O.ESCALATION_TOPICS if t.get("story") == code]
    generic = [
        t for t in O.ESCALATION_TOPICS if "story" not in t and code in t.get("branches", [code])
    ]
    esc_topics = story + rng.sample(generic, fig["esc"] - len(story))
    states = {"A": S.ANSWERED, "R": S.RECTIFIED, "G": S.RECTIFYING}
    esc_issues = [
        IssuePlan(ctx, "esc", topic, states[letter])
        for topic, letter in zip(esc_topics, fig["esc_states"], strict=True)
    ]
    if code in OVERDUE_ESCALATIONS:
        next(i for i in esc_issues if i.state == S.RECTIFYING).overdue = True

    planned_issues = [IssuePlan(ctx, "plan", plan_topic, S.RECTIFYING)] if plan_topic else []
    ctx.issues = esc_issues + planned_issues + fix_issues

    # How many opinions each issue distils: 1 to 3, ``linked`` in all.
    for _ in range(fig["linked"] - len(ctx.issues)):
        issue = rng.choice([i for i in ctx.issues if i.opinion_count < 3])
        issue.opinion_count += 1
