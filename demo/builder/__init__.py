"""Build the demo campaign of the seed report, the same on every run.

The builder first plans every row in memory with one seeded random generator and fixed
dates (it never reads the clock), then writes the plan in bulk. ``build`` runs it in
one transaction and does nothing when the campaign already exists.

State, timeline and replies are written as they would be at the end of the demo's story
(2026-11-24): the seed writes ``Issue.state`` directly rather than through the workflow,
and an IssueEvent row for every step the workflow would have taken, each created once.

One module per step, in the order ``build`` runs them: ``organisation`` (branches, people),
``enterprises``, ``activities``, ``issues``, ``feedback`` (the opinions, with ``replies``),
``workflow`` (each issue's timeline), ``clock`` (sign-fors, deadlines in working days,
returns, extensions, supervision, replies waiting for approval), then ``writer`` (and
``clock`` writes its own rows), ``assessment`` (the office's assessment scheme), and last
``themes`` (the app's own search for recurring problems, month by month, and the office's
adoption of the widest). The steps share one generator, so changing the order of the
draws changes the demo.
"""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from demo.data import content as C
from issues.models import Issue, ProvincialDecision, ProvincialMeeting, Reply
from outreach.models import Activity, Campaign, Enterprise, FeedbackItem

from .activities import ActivityPlanner, plan_minutes
from .assessment import write_scheme
from .clock import ClockPlanner
from .enterprises import EnterprisePlanner
from .feedback import FeedbackPlanner
from .issues import plan_issues
from .organisation import ensure_organisation, reference_data
from .replies import ReplyPlanner
from .story import SEED
from .themes import find_recurring_problems
from .workflow import TimelinePlanner
from .writer import PlanWriter, create_campaign, explicit_timestamps


def build(seed: int = SEED) -> Campaign | None:
    """Create the demo campaign in one transaction; None (and nothing written) if it exists."""
    if Campaign.objects.filter(code=C.CAMPAIGN_CODE).exists():
        return None
    with (
        transaction.atomic(),
        explicit_timestamps(
            Campaign,
            Enterprise,
            Activity,
            FeedbackItem,
            Issue,
            Reply,
            ProvincialMeeting,
            ProvincialDecision,
        ),
    ):
        return _build(random.Random(seed))


def _build(rng: random.Random) -> Campaign:
    reference = reference_data()
    # Argon2 is slow on purpose: hash the one demo password once for every demo user.
    organisation = ensure_organisation(make_password(C.DEMO_PASSWORD))
    campaign = create_campaign()
    enterprises = EnterprisePlanner(rng)
    activities = ActivityPlanner(rng)
    replies = ReplyPlanner(rng)
    feedback = FeedbackPlanner(rng, replies)
    for ctx in organisation.branches:
        enterprises.plan(ctx)
        activities.plan(ctx)
        plan_issues(rng, ctx)
        feedback.plan(ctx)
    TimelinePlanner(rng, replies, organisation).plan()
    clock = ClockPlanner(organisation)
    clock.plan()
    for ctx in organisation.branches:
        plan_minutes(ctx)
    PlanWriter(rng, campaign, reference, organisation.office).write(organisation.branches)
    clock.write()
    write_scheme(organisation.office)
    find_recurring_problems(organisation.office)
    return campaign
