"""The conditions behind the enterprise's own figures (docs/metrics.md, "The enterprise's own
word"), written once and read from either side of the relation:

- from an **opinion** (``FeedbackItem``: the lists the figures link to), through its
  reverse relation ``enterprise_ratings``;
- from a **rating** (``EnterpriseRating``: the counts, a join from the few ratings rather
  than a test of every opinion), where the opinion is ``feedback_item``.

Only the opinion's latest rating (``is_latest``) is the enterprise's word: a change of mind
replaces the earlier rating in every figure. Every condition below includes ``is_latest``,
and in one ``filter()`` call all the lookups through ``enterprise_ratings`` refer to the
same rating row, of which each opinion has at most one latest: an opinion is listed once.
"""

from __future__ import annotations

from django.db.models import Q

from outreach.models import POSITIVE_SATISFACTION, Satisfaction

from .models import NEGATIVE_LEVELS, POSITIVE_LEVELS

#: Lookups from an opinion to its ratings, and from a rating to its opinion.
FROM_OPINION = ("enterprise_ratings__", "")
FROM_RATING = ("", "feedback_item__")


def _latest(rating: str, **lookups) -> Q:
    return Q(**{f"{rating}is_latest": True}, **{f"{rating}{k}": v for k, v in lookups.items()})


def rated(side=FROM_OPINION) -> Q:
    """The opinion has a latest enterprise rating (``enterprise_rated``)."""
    return _latest(side[0])


def satisfied(side=FROM_OPINION) -> Q:
    """Its latest rating is 非常满意, 满意 or 基本满意 (``enterprise_satisfied``)."""
    return _latest(side[0], level__in=POSITIVE_LEVELS)


def unsatisfied(side=FROM_OPINION) -> Q:
    """Its latest rating is 不满意 or 非常不满意."""
    return _latest(side[0], level__in=NEGATIVE_LEVELS)


def not_solved(side=FROM_OPINION) -> Q:
    """Its latest rating says "not solved", whatever the level (``not_solved_reports``)."""
    return _latest(side[0], not_solved=True)


def disagree(side=FROM_OPINION) -> Q:
    """The staff's record and the enterprise's word disagree: the opinion's satisfaction as
    the staff recorded it (``FeedbackItem.satisfaction``, its latest reply's) is satisfied
    or basically satisfied and the enterprise's latest rating is negative, or the staff
    recorded unsatisfied and the enterprise's latest rating is positive. An opinion with
    only one of the two (or "not reachable") is in neither."""
    rating, opinion = side
    staff_positive = Q(**{f"{opinion}satisfaction__in": POSITIVE_SATISFACTION})
    staff_negative = Q(**{f"{opinion}satisfaction": Satisfaction.UNSATISFIED})
    return (staff_positive & _latest(rating, level__in=NEGATIVE_LEVELS)) | (
        staff_negative & _latest(rating, level__in=POSITIVE_LEVELS)
    )


#: The receipts counted as issued: live ones (not revoked). A reissue revokes the receipt it
#: replaces, so an enterprise that got a receipt at an activity counts once however often
#: it was reissued.
RECEIPT_LIVE = Q(revoked_at__isnull=True)
#: Opened at least once by its code.
RECEIPT_OPENED = Q(first_opened_at__isnull=False)

#: The feedback list's ``enterprise_rating`` filter: value -> condition from the opinion.
#: outreach may not import receipts; receipts registers these with outreach's filter
#: (``outreach.filters.register_feedback_condition``) when the app is ready.
FEEDBACK_FILTERS = {
    "rated": rated,
    "positive": satisfied,
    "negative": unsatisfied,
    "not_solved": not_solved,
    "disagree": disagree,
}
