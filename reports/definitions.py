"""The conditions behind every figure, shared by the counts and by the lists they link to.

``docs/metrics.md`` writes these out in words. The dashboard, the stats API, the briefing
and the ledger count with them, and the list filters select with them, so a number and
the list behind it cannot disagree. Each is a ``Q`` or boolean expression usable both in
``filter()`` and in an aggregate's ``filter=``.
"""

from django.db.models import Exists, OuterRef, Q

from issues.models import Escalation, Issue, Reply
from issues.models import overdue_condition as overdue  # noqa: F401 (one of the figures)
from outreach.models import (  # noqa: F401 (figures the opinions' own QuerySet also uses)
    REPLIED,
    UNDISPOSED,
    UNREPLIED,
    Activity,
)

State = Issue.State

# --- activities (selected with Activity.objects.active()) -------------------------------

VISIT = Q(kind=Activity.Kind.VISIT)
ENTERPRISE_FORUM = Q(kind=Activity.Kind.ENTERPRISE_FORUM)
INTERNAL_FORUM = Q(kind=Activity.Kind.INTERNAL_FORUM)
SURVEY = Q(kind=Activity.Kind.SURVEY)
#: Enterprises present at a visit: withdrawn enterprises are not counted.
ENTERPRISE_PRESENT = Q(enterprises__withdrawn_at__isnull=True)

# --- feedback items (FeedbackItem.objects.active()) -----------------------------------

# UNDISPOSED, REPLIED and UNREPLIED are outreach.models' own (its QuerySet uses them).
#: The latest reply that recorded a satisfaction said satisfied or basically satisfied.
SATISFIED = Q(satisfaction__in=Reply.POSITIVE_SATISFACTION)
#: A reply recorded a satisfaction ("not reachable" records none).
SATISFACTION_RECORDED = Q(satisfaction__in=Reply.RECORDED_SATISFACTION)

# --- issues (Issue.objects.counted(): not withdrawn, not merged) -----------------------

FIXED_ON_THE_SPOT = Q(immediate_fix=True)
RECTIFIED = Q(state__in=(State.RECTIFIED, State.ANSWERED))
ANSWERED = Q(state=State.ANSWERED)


def escalated() -> Exists:
    """Ever escalated to the provincial level, whatever happened after."""
    return Exists(Escalation.objects.filter(issue=OuterRef("pk")))


# overdue(today) is issues.models.overdue_condition: past the deadline, not yet rectified.
