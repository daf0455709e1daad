from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Branch
from branches.scoping import BranchScopedQuerySet, scope_of
from core.choices import choice_label
from core.models import TimeStamped, Withdrawable
from core.uploads import RandomUploadPath
from outreach.models import (
    POSITIVE_SATISFACTION,
    RECORDED_SATISFACTION,
    ActiveQuerySetMixin,
    Campaign,
    FeedbackCategory,
    FeedbackItem,
    Satisfaction,
)
from workdays.calendar import SHANGHAI, WorkingCalendar


class IssueQuerySet(ActiveQuerySetMixin, BranchScopedQuerySet):
    branch_path = "branch"

    def counted(self):
        """Issues that count: not withdrawn and not merged into another issue."""
        return self.active().filter(merged_into__isnull=True)

    def open(self):
        """Counted issues not yet answered."""
        return self.counted().exclude(state=Issue.State.ANSWERED)

    def overdue(self, today=None, working_days: int = 1, calendar=None):
        return self.counted().filter(overdue_condition(today, working_days, calendar))

    def awaiting_signature(self):
        """Counted, given to the branch and not signed for yet."""
        return self.counted().filter(signed_at__isnull=True)


def overdue_cutoff(today=None, working_days: int = 1, calendar=None):
    """A deadline before this day is at least ``working_days`` working days past: the
    ``working_days``-th working day counting back from ``today`` (today included). A
    deadline on Friday is not overdue on Saturday, and one working day overdue on Monday."""
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar.load()
    return calendar.working_day_back(today, working_days)


def overdue_condition(today=None, working_days: int = 1, calendar=None) -> Q:
    """At least ``working_days`` working days past the deadline and not yet rectified
    (the same as ``Issue.is_overdue``)."""
    cutoff = overdue_cutoff(today, working_days, calendar)
    return Q(deadline__lt=cutoff, state__in=Issue.UNRECTIFIED_STATES)


class Issue(Withdrawable, TimeStamped):
    """A concrete problem (问题) a branch found, distilled from one or more feedback items."""

    class State(models.TextChoices):
        COLLECTED = "collected", _("Collected")
        RECTIFYING = "rectifying", _("Rectifying")
        ESCALATED = "escalated", _("Escalated to the province")
        RECTIFIED = "rectified", _("Rectified")
        ANSWERED = "answered", _("Answered")

    STATE_COLORS = {
        State.COLLECTED: "secondary",
        State.RECTIFYING: "primary",
        State.ESCALATED: "warning",
        State.RECTIFIED: "info",
        State.ANSWERED: "success",
    }
    UNRECTIFIED_STATES = (State.COLLECTED, State.RECTIFYING, State.ESCALATED)

    class Severity(models.TextChoices):
        NORMAL = "normal", _("Normal")
        SERIOUS = "serious", _("Serious")
        CRITICAL = "critical", _("Critical")

    # The branch and campaign of its opinions: the database refuses any write that would
    # make them differ (issues/migrations/0010; docs/derived-data.md).
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="issues"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="issues"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        FeedbackCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.COLLECTED
    )
    immediate_fix = models.BooleanField(
        _("fixed on the spot"),
        default=False,
        help_text=_("Rectified at once (立行立改) rather than through a rectification plan."),
    )
    measures = models.TextField(_("rectification measures"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_issues",
    )
    # The clock (docs/clock.md): each deadline is computed from the office's time limits in
    # working days when its step starts, and kept; an explicit provincial deadline wins.
    assigned_at = models.DateTimeField(_("given to the branch at"), null=True, blank=True)
    sign_deadline = models.DateField(_("sign for by"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    plan_deadline = models.DateField(_("plan by"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    reply_deadline = models.DateField(_("reply to every opinion by"), null=True, blank=True)
    rectification = models.TextField(_("what was done"), blank=True)
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_issues",
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    # Copies of what the issue's escalations say (``escalated_condition``,
    # ``decided_condition``, ``awaiting_decision_condition``), kept by the database on every
    # write to an escalation or a decision (issues/migrations/0016) so the dashboard's
    # summaries count them with the issue; never written by the app.
    ever_escalated = models.BooleanField(_("ever escalated"), default=False, editable=False)
    ever_decided = models.BooleanField(
        _("studied by the provincial meeting"), default=False, editable=False
    )
    decision_awaited = models.BooleanField(
        _("waiting for a provincial decision"), default=False, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Withdrawable.Meta):
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-created_at", "-id"]
        constraints = [
            *Withdrawable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(
                    state__in=["collected", "rectifying", "escalated", "rectified", "answered"]
                ),
                name="issue_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("id")),
                name="issue_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(merged_at__isnull=False),
                name="issue_merge_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "state"], name="issue_branch_state"),
            models.Index(fields=["campaign", "state"], name="issue_campaign_state"),
            models.Index(fields=["deadline", "state"], name="issue_deadline_state"),
            models.Index(fields=["responsible", "state"], name="issue_responsible_state"),
            # The issue list's order (newest first) over counted issues, province and branch.
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(withdrawn_at__isnull=True, merged_into__isnull=True),
                name="issue_counted_newest",
            ),
            models.Index(
                fields=["branch", "-created_at", "-id"],
                condition=Q(withdrawn_at__isnull=True, merged_into__isnull=True),
                name="issue_branch_counted_newest",
            ),
            # Overdue problems of a campaign: the few still open, by deadline.
            models.Index(
                fields=["campaign", "deadline"],
                condition=Q(
                    withdrawn_at__isnull=True,
                    merged_into__isnull=True,
                    state__in=["collected", "rectifying", "escalated"],
                ),
                name="issue_campaign_open_deadline",
            ),
            # The issues a day can make due (``RUNNING_CLOCK``), for the dashboard's
            # overdue and sign-for figures: a few thousand of a quarter million.
            models.Index(
                fields=["campaign", "branch"],
                condition=Q(withdrawn_at__isnull=True, merged_into__isnull=True)
                & (
                    Q(state__in=["collected", "rectifying", "escalated"])
                    | Q(signed_at__isnull=True, sign_deadline__isnull=False)
                ),
                include=["state", "deadline", "signed_at", "sign_deadline"],
                name="issue_clock_running",
            ),
            # Open issues of a branch's campaign by category, newest first: where the
            # suggestions at intake look for the same problem (issues/suggestions.py).
            models.Index(
                fields=["branch", "campaign", "category", "-created_at", "-id"],
                condition=Q(withdrawn_at__isnull=True, merged_into__isnull=True)
                & ~Q(state="answered"),
                name="issue_open_by_category",
            ),
            # Issues reopened at least once (``WAS_REOPENED``), for the reopen rate of a
            # selection without dates: the few reopened, counted live beside the summaries.
            models.Index(
                fields=["campaign", "branch"],
                condition=Q(withdrawn_at__isnull=True, merged_into__isnull=True)
                & Q(reopen_count__gt=0),
                include=["state"],
                name="issue_reopened",
            ),
            # Issues with a reply deadline, for the opinions replied on time: the clock's
            # issues only, not every issue.
            models.Index(
                fields=["campaign", "branch"],
                condition=Q(
                    reply_deadline__isnull=False,
                    withdrawn_at__isnull=True,
                    merged_into__isnull=True,
                ),
                name="issue_reply_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state_color(self) -> str:
        return self.STATE_COLORS.get(self.state, "secondary")

    def get_state_display(self) -> str:
        """The state's label, translated once per language (core.choices): every row of
        a list shows it."""
        return choice_label(self.State, self.state)

    @property
    def awaiting_signature(self) -> bool:
        """Given to the branch and not signed for (签收) yet."""
        return self.signed_at is None

    def is_overdue(self, today=None, calendar=None) -> bool:
        """Past the deadline by at least one working day and not rectified yet."""
        if not self.deadline or self.state not in self.UNRECTIFIED_STATES:
            return False
        return self.deadline < overdue_cutoff(today, 1, calendar)


# The conditions behind the issues' figures (with Issue.objects.counted()), shared by the
# list filters and the counts; reports/definitions.py lists every figure's.

#: Fixed on the spot (立行立改, 及时解决) and not reopened since. The immediate fix starts
#: from "collected", so every reopening of such an issue came after the fix.
FIXED_ON_THE_SPOT = Q(immediate_fix=True, reopen_count=0)
#: Fixed on the spot, then reopened: shown beside the figure, no longer in it.
FIXED_ON_THE_SPOT_REOPENED = Q(immediate_fix=True, reopen_count__gt=0)
RECTIFIED = Q(state__in=(Issue.State.RECTIFIED, Issue.State.ANSWERED))
ANSWERED = Q(state=Issue.State.ANSWERED)
#: Reopened at least once after an unsatisfied answer (the reopen rate's numerator).
WAS_REOPENED = Q(reopen_count__gt=0)
#: Answered at least once: answered now, or reopened since (only an answered issue is
#: reopened): the reopen rate's denominator.
WAS_ANSWERED = ANSWERED | WAS_REOPENED

# The clock's figures (docs/metrics.md, "The clock"): a moment is compared with a deadline
# by its date in Asia/Shanghai. "Passed" is by working days, as ``overdue_condition``: a
# deadline before ``overdue_cutoff(today)``.


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=SHANGHAI)


#: Signed for (签收) on or before the sign-for deadline. Issues the branch opened itself
#: have no sign-for deadline: they are in none of the sign-for figures.
SIGNED_ON_TIME = Q(
    LessThanOrEqual(_local_day("signed_at"), F("sign_deadline")), sign_deadline__isnull=False
)
#: Signed for after the sign-for deadline.
SIGNED_LATE = Q(GreaterThan(_local_day("signed_at"), F("sign_deadline")))
#: Rectified (or answered), at a time on record, on or before the deadline in force (an
#: approved extension moved it). A reopened issue counts its latest rectification only.
RECTIFIED_ON_TIME = RECTIFIED & Q(
    LessThanOrEqual(_local_day("rectified_at"), F("deadline")), deadline__isnull=False
)
#: Rectified (or answered) after the deadline in force.
RECTIFIED_LATE = RECTIFIED & Q(GreaterThan(_local_day("rectified_at"), F("deadline")))


def sign_overdue_condition(today=None, calendar=None) -> Q:
    """Not signed for, and the sign-for deadline passed by at least one working day; not
    returned and waiting for the office's ruling (the office's to move then, not the
    branch's: a ruling gives it a new sign-for deadline)."""
    from .clock import IssueReturn

    cutoff = overdue_cutoff(today, 1, calendar)
    awaiting_ruling = Exists(IssueReturn.objects.filter(issue=OuterRef("pk"), ruling=""))
    return Q(signed_at__isnull=True, sign_deadline__lt=cutoff) & ~Q(awaiting_ruling)


#: The issues a day can make due: not yet rectified (overdue), or not signed for with a
#: sign-for deadline (sign-for overdue). Few at any time; ``issue_clock_running`` indexes them.
RUNNING_CLOCK = Q(state__in=Issue.UNRECTIFIED_STATES) | Q(
    signed_at__isnull=True, sign_deadline__isnull=False
)


def sign_due_condition(today=None, calendar=None) -> Q:
    """The sign-for rate's denominator: a sign-for deadline, and signed for or past it."""
    return Q(sign_deadline__isnull=False) & (
        Q(signed_at__isnull=False) | sign_overdue_condition(today, calendar)
    )


def rectify_due_condition(today=None, calendar=None) -> Q:
    """The rectified-on-time rate's denominator: rectified (with a deadline and a time of
    rectification on record), or overdue (``overdue_condition``)."""
    rectified = RECTIFIED & Q(deadline__isnull=False, rectified_at__isnull=False)
    return rectified | overdue_condition(today, 1, calendar)


def escalated_condition() -> Exists:
    """Ever escalated to the provincial level (a request sent up), whatever happened after."""
    return Exists(Escalation.objects.filter(issue=OuterRef("pk")))


def decided_condition() -> Exists:
    """Studied by the provincial meeting (院长办公会研究): a provincial decision was taken
    on one of the issue's escalations."""
    return Exists(ProvincialDecision.objects.filter(escalation__issue=OuterRef("pk")))


def awaiting_decision_condition() -> Exists:
    """The issue's latest escalation (by request time, then entry order) has no decision
    yet: an issue decided, then escalated again, is waiting."""
    latest = (
        Escalation.objects.filter(issue=OuterRef("issue"))
        .order_by("-requested_at", "-id")
        .values("pk")[:1]
    )
    return Exists(
        Escalation.objects.filter(issue=OuterRef("pk"), decision__isnull=True, pk=Subquery(latest))
    )


def issue_in_period(date_from, date_to) -> Q:
    """The issue's earliest opinion (not withdrawn) came from an activity in the period.

    An issue falls in exactly one period, that of its earliest opinion, so the problems of
    two adjacent periods add up to those of both together. Written as "an opinion in the
    period and none before it" (the earliest date between the bounds).
    """
    opinions = FeedbackItem.objects.filter(issue=OuterRef("pk"), withdrawn_at__isnull=True)
    in_period = opinions
    if date_from:
        in_period = in_period.filter(activity__occurred_on__gte=date_from)
    if date_to:
        in_period = in_period.filter(activity__occurred_on__lte=date_to)
    condition = Q(Exists(in_period))
    if date_from:
        condition &= ~Exists(opinions.filter(activity__occurred_on__lt=date_from))
    return condition


class IssueEvidenceQuerySet(BranchScopedQuerySet):
    branch_path = "issue__branch"


class IssueEvidence(models.Model):
    """A file showing what was done (photo, scan, document). Served only by a view."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=RandomUploadPath("evidence"))
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = IssueEvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class EscalationQuerySet(BranchScopedQuerySet):
    branch_path = "issue__branch"

    def awaiting_decision(self):
        return self.filter(decision__isnull=True)


class Escalation(models.Model):
    """A branch lead's request that the provincial level decide an issue."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="escalations"
    )
    reason = models.TextField(_("why the provincial level is needed"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["issue", "requested_at"], name="escalation_issue_time")]

    def __str__(self) -> str:
        return str(self.issue)


class ProvincialMeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Provincial roles see every meeting; a branch sees those that decided its issues."""
        scope = scope_of(user)
        if scope.all_branches:
            return self
        if scope.branch_id is None:
            return self.none()
        return self.filter(decisions__escalation__issue__branch=scope.branch_id).distinct()


class ProvincialMeeting(models.Model):
    """A meeting at the provincial institute (院长办公会) that decides escalated issues."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProvincialMeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provincial meeting")
        verbose_name_plural = _("provincial meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%Y-%m-%d})"


class ProvincialDecisionQuerySet(BranchScopedQuerySet):
    branch_path = "escalation__issue__branch"


class ProvincialDecision(models.Model):
    """What a provincial meeting decided for one escalation: sends the issue back to work."""

    meeting = models.ForeignKey(
        ProvincialMeeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    escalation = models.OneToOneField(
        Escalation, verbose_name=_("escalation"), on_delete=models.PROTECT, related_name="decision"
    )
    decision = models.TextField(_("decision"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProvincialDecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provincial decision")
        verbose_name_plural = _("provincial decisions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.decision[:40]


class ReplyQuerySet(BranchScopedQuerySet):
    branch_path = "feedback_item__branch"


class Reply(TimeStamped):
    """The answer (答复) given to the enterprise behind one feedback item, or an attempt to
    give it that did not reach them (satisfaction "not reachable")."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Visit")
        LETTER = "letter", _("Letter")
        MEETING = "meeting", _("Meeting")
        ONLINE = "online", _("Online")

    # The choices are the opinion's own (outreach keeps each opinion's latest satisfaction).
    Satisfaction = Satisfaction
    RECORDED_SATISFACTION = RECORDED_SATISFACTION
    POSITIVE_SATISFACTION = POSITIVE_SATISFACTION

    SATISFACTION_COLORS = {
        Satisfaction.SATISFIED: "success",
        Satisfaction.BASICALLY_SATISFIED: "info",
        Satisfaction.UNSATISFIED: "danger",
        Satisfaction.NOT_REACHABLE: "secondary",
    }

    feedback_item = models.ForeignKey(
        FeedbackItem,
        verbose_name=_("opinion"),
        on_delete=models.PROTECT,
        related_name="replies",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    content = models.TextField(_("content"))
    replied_on = models.DateField(_("replied on"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    satisfaction = models.CharField(
        _("enterprise's satisfaction"),
        max_length=20,
        choices=Satisfaction.choices,
        blank=True,
    )
    # Set when the branch's replies need a lead's approval (ReplyDraft): the approver.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = ReplyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["-replied_on", "-id"]
        indexes = [
            models.Index(fields=["feedback_item", "replied_on"], name="reply_item_date"),
            models.Index(fields=["satisfaction"], name="reply_satisfaction"),
        ]

    def __str__(self) -> str:
        return self.content[:40]

    @property
    def satisfaction_color(self) -> str:
        return self.SATISFACTION_COLORS.get(self.satisfaction, "secondary")

    @property
    def is_attempt(self) -> bool:
        """ "Not reachable" (联系不上): an attempt, shown, but no answer to the enterprise."""
        return self.satisfaction == Satisfaction.NOT_REACHABLE


class InstructionQuerySet(BranchScopedQuerySet):
    branch_path = "issue__branch"


class Instruction(models.Model):
    """A leader's written instruction (批示) on an issue, which the branch acknowledges."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="instructions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("instruction"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    objects = InstructionQuerySet.as_manager()

    class Meta:
        verbose_name = _("leader instruction")
        verbose_name_plural = _("leader instructions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="instruction_acknowledgement_has_author",
            )
        ]

    def __str__(self) -> str:
        return self.content[:40]


class IssueEventQuerySet(BranchScopedQuerySet):
    branch_path = "issue__branch"


class IssueEvent(models.Model):
    """One line of an issue's timeline. Append-only: the database refuses updates and deletes."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        TRANSITION = "transition", _("State changed")
        COMMENT = "comment", _("Comment")
        FEEDBACK_LINKED = "feedback_linked", _("Opinions linked")
        ESCALATED = "escalated", _("Escalated")
        DECISION = "decision", _("Provincial decision")
        INSTRUCTION = "instruction", _("Leader instruction")
        ACKNOWLEDGED = "acknowledged", _("Instruction acknowledged")
        REPLY = "reply", _("Reply recorded")
        SIGNED = "signed", _("Signed for")
        RETURNED = "returned", _("Returned")
        RETURN_RULED = "return_ruled", _("Ruling on a return")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        EXTENSION_DECIDED = "extension_decided", _("Extension decided")
        CHASED = "chased", _("Chased")
        SUPERVISED = "supervised", _("Supervision notice")
        SUPERVISION_ANSWERED = "supervision_answered", _("Supervision notice answered")
        REPLY_DRAFTED = "reply_drafted", _("Reply drafted for approval")
        REPLY_SENT_BACK = "reply_sent_back", _("Reply sent back")
        REPLY_APPROVED = "reply_approved", _("Reply approved")
        MERGED = "merged", _("Merged")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_state = models.CharField(
        _("from state"), max_length=12, choices=Issue.State.choices, blank=True
    )
    to_state = models.CharField(
        _("to state"), max_length=12, choices=Issue.State.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    objects = IssueEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue event")
        verbose_name_plural = _("issue events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["issue", "created_at"], name="issue_event_timeline")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.issue_id}"

    # Each timeline line shows three labels: translated once per language (core.choices).
    def get_kind_display(self) -> str:
        return choice_label(self.Kind, self.kind)

    def get_from_state_display(self) -> str:
        return choice_label(Issue.State, self.from_state)

    def get_to_state_display(self) -> str:
        return choice_label(Issue.State, self.to_state)
