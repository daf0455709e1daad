"""Summary rows of the dashboard's biggest counts, written by the database.

Each table holds *deltas*: every insert, update or delete of an activity, an opinion or a
visited enterprise adds rows of +1 / -1 (per column) under the keys the change leaves and
enters, in the same transaction, by triggers (``migrations/0002_triggers.py``). A figure is
the SUM of the rows under the selected keys, so it is exact at every moment, whatever
wrote (a service, the admin, an import, a queryset ``update()``). Writers only ever insert:
no row is shared between two transactions, so concurrent writes never wait on each other
or deadlock. ``compact`` folds each key's rows into one, now and then (the sum is
unchanged); ``rebuild`` recounts everything from the raw rows.

The keys carry ids without database constraints (``db_constraint=False``): a summary row
never stops a campaign, branch or category from being deleted, and a key's rows that sum
to zero are dropped by the next compaction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from branches.scoping import BranchScopedQuerySet
from outreach.models import Campaign, Enterprise, FeedbackCategory


def _key(model, **kwargs):
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **kwargs,
    )


class SummaryQuerySet(BranchScopedQuerySet):
    branch_path = "branch"


class Summary(models.Model):
    """A delta row; never shown to anyone, so its text is only for the shell (its model's
    name shows in the admin's lists of permissions, so it is translated)."""

    objects = SummaryQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{type(self).__name__} #{self.pk}"


class ActivityDay(Summary):
    """Activities held, per branch × campaign × day × kind (not withdrawn)."""

    branch = _key(Branch)
    campaign = _key(Campaign)
    occurred_on = models.DateField()
    kind = models.CharField(max_length=20)
    n = models.IntegerField()
    forms_sent = models.IntegerField()
    forms_returned = models.IntegerField()

    class Meta:
        verbose_name = _("activities per day (summary)")
        verbose_name_plural = _("activities per day (summary)")
        indexes = [
            models.Index(fields=["campaign", "branch"], name="activityday_campaign"),
            models.Index(fields=["occurred_on"], name="activityday_day"),
        ]


class ActivityMonth(Summary):
    """The same per month (a few thousand rows), for selections without dates."""

    branch = _key(Branch)
    campaign = _key(Campaign)
    month = models.DateField()
    kind = models.CharField(max_length=20)
    n = models.IntegerField()
    forms_sent = models.IntegerField()
    forms_returned = models.IntegerField()

    class Meta:
        verbose_name = _("activities per month (summary)")
        verbose_name_plural = _("activities per month (summary)")
        indexes = [models.Index(fields=["campaign", "branch"], name="activitymonth_campaign")]


class OpinionCounts(Summary):
    """The opinions' counts (not withdrawn): all, by kind, and the promise's states."""

    n = models.IntegerField()
    problem = models.IntegerField()
    suggestion = models.IntegerField()
    praise = models.IntegerField()
    undisposed = models.IntegerField()
    replied = models.IntegerField()
    satisfied = models.IntegerField()
    satisfaction_recorded = models.IntegerField()
    #: left in the online opinion box (the opinion's activity is the box's)
    box = models.IntegerField()

    class Meta:
        abstract = True


class OpinionDay(OpinionCounts):
    """Per branch × campaign × the activity's day × the day heard × category: any
    selection of campaign, period and branch, charted by week or month."""

    branch = _key(Branch)
    campaign = _key(Campaign)
    occurred_on = models.DateField()
    received_on = models.DateField()
    category = _key(FeedbackCategory)

    class Meta:
        verbose_name = _("opinions per day (summary)")
        verbose_name_plural = _("opinions per day (summary)")
        indexes = [
            models.Index(fields=["campaign", "branch"], name="opinionday_campaign"),
            models.Index(fields=["occurred_on"], name="opinionday_day"),
        ]


class OpinionMonth(OpinionCounts):
    """Per branch × campaign × the month heard × category: the same counts in a few
    thousand rows, for selections without dates (all time, charted by month)."""

    branch = _key(Branch)
    campaign = _key(Campaign)
    received_month = models.DateField()
    category = _key(FeedbackCategory)

    class Meta:
        verbose_name = _("opinions per month (summary)")
        verbose_name_plural = _("opinions per month (summary)")
        indexes = [models.Index(fields=["campaign", "branch"], name="opinionmonth_campaign")]


class IssueTotals(Summary):
    """Issues counted (not withdrawn, not merged) per branch × campaign, with the counts
    that do not move with the date: states, fixes, escalations, and the clock's rectified
    or signed for (on time). What a date makes due (overdue, past the sign-for deadline)
    is counted live from the few open issues (``reports.metrics``)."""

    branch = _key(Branch)
    campaign = _key(Campaign)
    n = models.IntegerField()
    fixed_on_the_spot = models.IntegerField()
    fixed_on_the_spot_reopened = models.IntegerField()
    state_collected = models.IntegerField()
    state_rectifying = models.IntegerField()
    state_escalated = models.IntegerField()
    state_rectified = models.IntegerField()
    state_answered = models.IntegerField()
    #: signed for, with a sign-for deadline (part of the sign-for rate's denominator)
    signed = models.IntegerField()
    signed_on_time = models.IntegerField()
    #: rectified or answered, with a deadline and a time of rectification on record
    rectified_timed = models.IntegerField()
    rectified_on_time = models.IntegerField()
    #: ever escalated, studied by the provincial meeting, waiting for its decision
    escalated = models.IntegerField()
    decided = models.IntegerField()
    awaiting = models.IntegerField()

    class Meta:
        verbose_name = _("issue totals (summary)")
        verbose_name_plural = _("issue totals (summary)")
        indexes = [models.Index(fields=["campaign", "branch"], name="issuetotals_campaign")]


class EnterpriseVisit(Summary):
    """Visits (activities of kind "visit", not withdrawn) per enterprise × branch ×
    campaign: "enterprises visited" is the number of distinct enterprises with visits."""

    enterprise = _key(Enterprise)
    branch = _key(Branch)
    campaign = _key(Campaign)
    n = models.IntegerField()

    class Meta:
        verbose_name = _("visits per enterprise (summary)")
        verbose_name_plural = _("visits per enterprise (summary)")
        indexes = [models.Index(fields=["campaign", "branch"], name="visit_campaign")]


class BranchEnterprise(Summary):
    """Visits per enterprise × branch, all campaigns together: "enterprises visited" of
    all time, without grouping a campaign away."""

    enterprise = _key(Enterprise)
    branch = _key(Branch)
    n = models.IntegerField()

    class Meta:
        verbose_name = _("visits per enterprise and branch (summary)")
        verbose_name_plural = _("visits per enterprise and branch (summary)")
        indexes = [models.Index(fields=["branch"], name="branchenterprise_branch")]
