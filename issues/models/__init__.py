"""Issues distilled from feedback, their escalation to the province, replies, timeline and
clock.

Only ``issues/transitions.py`` writes ``Issue.state``; everything here is data.
"""

from .approval import ReplyDraft  # noqa: F401
from .clock import (  # noqa: F401
    DeadlineExtension,
    IssueReturn,
    ReturnReason,
    SupervisionNotice,
    TimeLimit,
    extended_condition,
)
from .counts import BranchIssueCount  # noqa: F401
from .issue import *  # noqa: F403 (the issue, its figures' conditions and related rows)
from .suggestion import IssueSuggestion  # noqa: F401
