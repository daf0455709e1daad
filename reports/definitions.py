"""The conditions behind every figure, shared by the counts and by the lists they link to.

``docs/metrics.md`` writes these out in words. The dashboard, the stats API, the briefing
and the ledger count with them, and the list filters select with them, so a number and
the list behind it cannot disagree. Each is a ``Q`` or boolean expression usable both in
``filter()`` and in an aggregate's ``filter=``. Each lives beside its model
(``outreach.models``, ``issues.models``), where the list filters take it; this module
gathers them for the reports.
"""

from issues.models import (  # noqa: F401 (the issues' figures)
    ANSWERED,
    FIXED_ON_THE_SPOT,
    FIXED_ON_THE_SPOT_REOPENED,
    RECTIFIED,
    RECTIFIED_ON_TIME,
    SIGNED_ON_TIME,
    WAS_ANSWERED,
    WAS_REOPENED,
)
from issues.models import awaiting_decision_condition as awaiting_decision  # noqa: F401
from issues.models import decided_condition as decided  # noqa: F401
from issues.models import escalated_condition as escalated  # noqa: F401
from issues.models import overdue_condition as overdue  # noqa: F401
from issues.models import rectify_due_condition as rectify_due  # noqa: F401
from issues.models import sign_due_condition as sign_due  # noqa: F401
from outreach.models import (  # noqa: F401 (the activities' and opinions' figures)
    ENTERPRISE_FORUM,
    ENTERPRISE_PRESENT,
    INTERNAL_FORUM,
    ONLINE_BOX,
    PRAISE,
    PROBLEM,
    REPLIED,
    SATISFACTION_RECORDED,
    SATISFIED,
    SUGGESTION,
    SURVEY,
    UNDISPOSED,
    UNREPLIED,
    VISIT,
)
from outreach.models import replied_on_time_condition as replied_on_time  # noqa: F401
from outreach.models import reply_due_condition as reply_due  # noqa: F401
from receipts.figures import (  # noqa: F401 (the enterprise's own word)
    FROM_OPINION,
    FROM_RATING,
    RECEIPT_LIVE,
    RECEIPT_OPENED,
)
from receipts.figures import disagree as satisfaction_disagree  # noqa: F401
from receipts.figures import not_solved as not_solved_report  # noqa: F401
from receipts.figures import rated as enterprise_rated  # noqa: F401
from receipts.figures import satisfied as enterprise_satisfied  # noqa: F401

# Activities (selected with Activity.objects.active()): VISIT, ENTERPRISE_FORUM,
# INTERNAL_FORUM, SURVEY; enterprises present at a visit: ENTERPRISE_PRESENT.
# Opinions (FeedbackItem.objects.active()): by kind PROBLEM, SUGGESTION, PRAISE;
# UNDISPOSED, REPLIED, UNREPLIED, SATISFIED (the latest recorded satisfaction is
# positive), SATISFACTION_RECORDED.
# Issues (Issue.objects.counted()): FIXED_ON_THE_SPOT (and not reopened since),
# FIXED_ON_THE_SPOT_REOPENED, RECTIFIED, ANSWERED, escalated() (ever escalated), decided()
# (a provincial decision taken), awaiting_decision() (the latest escalation undecided),
# overdue(today) (past the deadline, not yet rectified); WAS_REOPENED (reopened at least
# once) and WAS_ANSWERED (answered now, or reopened since): the reopen rate.
# The clock (issues counted as above; opinions as above): SIGNED_ON_TIME and
# sign_due(today) (signed for, or past the sign-for deadline by working days);
# RECTIFIED_ON_TIME and rectify_due(today) (rectified, or overdue); replied_on_time() and
# reply_due(cutoff) over the opinions of issues with a reply deadline. The clock's records
# (approved extensions, returns, supervision notices open and answered) are counted as
# records of the selected issues (``metrics._record_counts``).
# The enterprise's own word (receipts.figures; each reads from the opinion, FROM_OPINION,
# or from the rating, FROM_RATING, and only the opinion's latest rating):
# enterprise_rated(), enterprise_satisfied() (its level is positive), not_solved_report(),
# satisfaction_disagree() (the staff's record and the enterprise's word disagree);
# receipts RECEIPT_LIVE (counted as issued) and RECEIPT_OPENED.
