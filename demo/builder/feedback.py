"""The demo's opinions (feedback items): who said what, where, and what became of it.

Opinions behind an issue come from activities early enough for the issue's story; the
rest are still waiting for a disposition, or were closed with a reason and mostly a reply.
Every opinion is worded unlike every other, across all branches.
"""

from __future__ import annotations

import random
from datetime import date

from demo.data import content as C
from demo.data import opinions as O
from issues.models import Reply
from outreach.models import Activity, FeedbackItem

from .plans import BranchContext, ItemPlan
from .replies import ReplyPlanner
from .story import Clock, at, full_name, weighted

# Which opinions an issue can be made of: escalated problems were found early enough to
# reach the director meeting, late immediate fixes are still waiting for their replies.
ESCALATED_ITEMS_BY = date(2026, 10, 16)
REOPENED_ITEMS_BY = date(2026, 10, 9)
PLANNED_ITEMS_BY = date(2026, 11, 5)
ANSWERED_FIX_ITEMS_BY = date(2026, 11, 16)
LATE_ITEMS_FROM = date(2026, 11, 4)
UNDISPOSED_ITEMS_FROM = date(2026, 11, 9)
REPLIES_FOR_CLOSED_BY = date(2026, 11, 20)


class FeedbackPlanner:
    """Plans each branch's opinions once its activities and issues are planned."""

    def __init__(self, rng: random.Random, replies: ReplyPlanner):
        self.rng = rng
        self.replies = replies
        self.contents: set[str] = set()  # every opinion's text, to keep them all different

    def _sources(self, ctx):
        """(activity, enterprise) pairs an opinion can come from, by kind of activity."""
        kinds = (Activity.Kind.VISIT, Activity.Kind.ENTERPRISE_FORUM, Activity.Kind.SURVEY)
        return [(a, e) for a in ctx.activities if a.kind in kinds for e in a.enterprises]

    def _pick_source(
        self, ctx, *, latest=None, earliest=None, prefer=(), avoid=(), anonymous=False
    ):
        """One (activity, enterprise) for a new opinion; enterprise None when anonymous."""
        rng = self.rng

        def in_window(activity, latest, earliest):
            return (latest is None or activity.day <= latest) and (
                earliest is None or activity.day >= earliest
            )

        if anonymous:
            forums = [a for a in ctx.activities if a.kind == Activity.Kind.ENTERPRISE_FORUM]
            window = [a for a in forums if in_window(a, latest, earliest)]
            if window:
                return rng.choice(window), None
        sources = self._sources(ctx)
        for window_latest, window_earliest, exclude in (
            (latest, earliest, avoid),
            (latest, None, avoid),
            (None, None, avoid),
            (None, None, ()),
        ):
            pool = [
                (a, e)
                for a, e in sources
                if in_window(a, window_latest, window_earliest) and e not in exclude
            ]
            if pool:
                break
        # Prefer the trades the topic is about, then enterprises with its equipment.
        for wanted in prefer:
            preferred = [
                (a, e)
                for a, e in pool
                if e.industry in wanted or any(c in wanted for c in e.classes)
            ]
            if preferred:
                return rng.choice(preferred)
        forum_share = ctx.figures["forum_share"]
        shares = {
            Activity.Kind.VISIT: 1 - forum_share,
            Activity.Kind.ENTERPRISE_FORUM: forum_share,
            Activity.Kind.SURVEY: 0.4,
        }
        buckets = {}
        for source in pool:
            buckets.setdefault(source[0].kind, []).append(source)
        kind = weighted(rng, {k: shares[k] for k in buckets})
        return rng.choice(buckets[kind])

    def _equipment_word(self, enterprise, cls=None) -> tuple[str, str]:
        """(class, word) for an opinion: the class given, else one of the enterprise's."""
        if cls is None:
            cls = self.rng.choice(enterprise.classes if enterprise else ["elevator", "boiler"])
        return cls, self.rng.choice(C.EQUIPMENT_WORDS[cls])

    def _opinion(self, ctx, candidates, enterprise, day, *, kind=None, cls=None):
        """(text, candidate, kind) for a new opinion, worded unlike every earlier one.

        ``candidates`` are templates (or (template, reason, reply) triples) tried in turn:
        a few random fillings each (lead, equipment word), then every filling in order.
        """
        rng = self.rng
        county = enterprise.county.name if enterprise else rng.choice(ctx.counties)[0].name
        staff = full_name(rng.choice(ctx.inspectors))
        classes = [cls] if cls else (enterprise.classes if enterprise else ["elevator", "boiler"])

        def fillings(candidate, exhaustive):
            template = candidate[0] if isinstance(candidate, tuple) else candidate
            this_kind = kind or (
                FeedbackItem.Kind.SUGGESTION
                if template.startswith(("希望", "建议"))
                else FeedbackItem.Kind.PROBLEM
            )
            leads = O.OPINION_LEADS["anonymous" if enterprise is None else this_kind]
            if exhaustive:
                combos = [
                    (lead, word) for lead in leads for c in classes for word in C.EQUIPMENT_WORDS[c]
                ]
            else:
                combos = [
                    (rng.choice(leads), self._equipment_word(enterprise, cls)[1]) for _ in range(4)
                ]
            for lead, word in combos:
                text = lead + template.format(
                    equip=word, county=county, month=f"{day.month}月", staff=staff
                )
                yield text, candidate, this_kind

        for exhaustive in (False, True):
            for candidate in candidates:
                for text, chosen, this_kind in fillings(candidate, exhaustive):
                    if text not in self.contents:
                        self.contents.add(text)
                        return text, chosen, this_kind
        return text, chosen, this_kind  # every wording taken: repeat the last one

    def _new_item(self, ctx, activity, enterprise, category, kind, content) -> ItemPlan:
        recorder = self.rng.choice([ctx.staff, *activity.staff])
        item = ItemPlan(
            activity=activity,
            enterprise=enterprise,
            category=category,
            kind=kind,
            content=content,
            created_by=recorder,
            recorded_at=at(activity.day, self.rng.randint(10, 15), self.rng.randint(0, 59)),
        )
        activity.items.append(item)
        ctx.items.append(item)
        return item

    def plan(self, ctx: BranchContext):
        """Add the branch's opinions to ``ctx.items`` (and each to its activity and issue)."""
        rng, fig = self.rng, ctx.figures
        ctx.anonymous_left = fig["anonymous"]

        # Opinions distilled into issues.
        for issue in ctx.issues:
            topic, size = issue.topic, issue.opinion_count
            reopen = "reopen" in topic
            if issue.mode == "esc":
                window = {"latest": ESCALATED_ITEMS_BY}
            elif issue.mode == "plan":
                window = {"latest": REOPENED_ITEMS_BY if reopen else PLANNED_ITEMS_BY}
            elif issue.late:
                window = {"earliest": LATE_ITEMS_FROM}
            else:
                window = {"latest": ANSWERED_FIX_ITEMS_BY}
            allowed = topic.get("classes")
            sources, used, first = [], [], None
            for _ in range(size):
                # Prefer the topic's trades, then enterprises with the issue's equipment.
                classes = [issue.equipment] if first else allowed
                prefer = [tier for tier in (topic.get("prefer"), classes) if tier]
                anonymous = not reopen and ctx.anonymous_left > 0 and rng.random() < 0.07
                activity, enterprise = self._pick_source(
                    ctx, prefer=prefer, avoid=used, anonymous=anonymous, **window
                )
                if enterprise is None:
                    ctx.anonymous_left -= 1
                else:
                    used.append(enterprise)
                sources.append((activity, enterprise))
                if enterprise is not None and first is None:
                    # The issue speaks of one class of equipment, from its first enterprise.
                    first = enterprise
                    candidates = [c for c in first.classes if not allowed or c in allowed]
                    issue.equipment = rng.choice(candidates) if candidates else allowed[0]
            if first is None:
                issue.equipment = (allowed or ["elevator"])[0]
            phrases = rng.sample(topic["phrases"], len(topic["phrases"]))
            for index, (activity, enterprise) in enumerate(sources):
                # Each opinion first tries its own phrase, then the topic's others.
                turn = index % len(phrases)
                text, _phrase, kind = self._opinion(
                    ctx,
                    phrases[turn:] + phrases[:turn],
                    enterprise,
                    activity.day,
                    cls=issue.equipment,
                )
                item = self._new_item(ctx, activity, enterprise, topic["category"], kind, text)
                item.issue = issue
                issue.items.append(item)

        # Opinions still waiting for a disposition: the most recent ones.
        for _ in range(fig["undisposed"]):
            activity, enterprise = self._pick_source(ctx, earliest=UNDISPOSED_ITEMS_FROM)
            category = weighted(rng, O.CATEGORY_WEIGHTS)
            kind = rng.choice([FeedbackItem.Kind.PROBLEM, FeedbackItem.Kind.SUGGESTION])
            candidates = O.FREE_OPINIONS[category][kind]
            text, _candidate, _kind = self._opinion(
                ctx, rng.sample(candidates, len(candidates)), enterprise, activity.day, kind=kind
            )
            self._new_item(ctx, activity, enterprise, category, kind, text)

        # Everything else: praise, suggestions taken on board, problems explained.
        remaining = fig["feedback"] - len(ctx.items)
        for index in range(remaining):
            anonymous = index < ctx.anonymous_left
            activity, enterprise = self._pick_source(ctx, anonymous=anonymous)
            weights = dict(O.CATEGORY_WEIGHTS)
            if anonymous:  # back-to-back opinions speak more of conduct, attitude and fees
                for category in (O.INTEGRITY, O.ATTITUDE, O.FEES):
                    weights[category] *= 3
            category = weighted(rng, weights)
            kinds = (
                {"problem": 5, "suggestion": 4, "praise": 1}
                if anonymous
                else {"problem": 33, "suggestion": 40, "praise": 27}
            )
            kind = weighted(rng, kinds)
            candidates = O.FREE_OPINIONS[category][kind]
            text, chosen, _kind = self._opinion(
                ctx, rng.sample(candidates, len(candidates)), enterprise, activity.day, kind=kind
            )
            if kind == "problem":
                _template, reason, reply_body = chosen
            else:
                closings = O.PRAISE_CLOSINGS if kind == "praise" else O.SUGGESTION_CLOSINGS
                reason, reply_body = rng.choice(closings)
            item = self._new_item(ctx, activity, enterprise, category, kind, text)
            clock = Clock(rng, at(activity.day, 17, 0))
            item.closed_at = clock.next(1, 6)
            item.closed_by = rng.choice([ctx.lead, ctx.lead, ctx.staff])
            item.closed_reason = reason
            if item.closed_at.date() <= REPLIES_FOR_CLOSED_BY and rng.random() < 0.92:
                item.reply = self.replies.reply(
                    ctx,
                    item,
                    reply_body,
                    clock.next(0, 2),
                    satisfaction=self.replies.closed_satisfaction(kind),
                )
                if item.reply.satisfaction == Reply.Satisfaction.NOT_REACHABLE:
                    self.replies.second_attempt(item)
        ctx.anonymous_left = 0
