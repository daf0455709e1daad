"""Receipts (回执): what an enterprise takes home from a visit or forum, with a tracking code
that opens a public page of its own opinions and their answers."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.scoping import BranchScopedQuerySet
from issues.models import Reply
from outreach.models import Activity, Enterprise, FeedbackItem


class ReceiptQuerySet(BranchScopedQuerySet):
    branch_path = "activity__branch"

    def live(self):
        return self.filter(revoked_at__isnull=True)


class Receipt(models.Model):
    """A receipt for the opinions one enterprise gave at one activity, or for anonymous
    (背靠背) opinions whose giver asked for one (then it names nobody).

    The tracking code is kept as a selector and the SHA-256 of its secret part only
    (``receipts.codes`` explains why and how it is compared). A receipt stops opening its
    page when the branch revokes it (reissuing revokes it and gives a new code) or when
    it expires: ``RECEIPT_DAYS_AFTER_LAST_ANSWER`` days after the last of its opinions was
    answered, never while one still waits for an answer. The expiry is worked out from
    the opinions when the code is used, not stored, so a later reply moves it.
    """

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="receipts"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        help_text=_("Empty for anonymous opinions: the receipt carries no name."),
    )
    feedback_items = models.ManyToManyField(
        FeedbackItem, verbose_name=_("opinions"), related_name="receipts"
    )
    requested = models.BooleanField(
        _("the person asked for a receipt"),
        default=False,
        help_text=_("Anonymous opinions get a receipt only when the person asks for one."),
    )
    selector = models.CharField(_("code selector"), max_length=8, unique=True, editable=False)
    verifier_digest = models.CharField(_("code digest"), max_length=64, editable=False)
    # Empty for the receipt the online opinion box gives its sender.
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    reissue_of = models.OneToOneField(
        "self",
        verbose_name=_("reissue of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reissued_as",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_count = models.PositiveIntegerField(_("times opened"), default=0)
    first_opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "enterprise"],
                condition=Q(revoked_at__isnull=True, enterprise__isnull=False),
                name="receipt_one_live_per_enterprise",
            ),
            # An anonymous opinion's receipt exists only because its giver asked for it.
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | Q(requested=True),
                name="receipt_anonymous_only_on_request",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="receipt_revoked_has_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.enterprise or _('anonymous')}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_anonymous(self) -> bool:
        return self.enterprise_id is None


class RatingQuerySet(BranchScopedQuerySet):
    branch_path = "feedback_item__branch"

    def latest(self):
        return self.filter(is_latest=True)

    def awaiting_follow_up(self):
        """The enterprise's newest word on an opinion says unsatisfied or not solved, and
        the branch has not followed it up yet."""
        return self.latest().filter(NEEDS_FOLLOW_UP, followed_up_at__isnull=True)


class EnterpriseRating(models.Model):
    """What the enterprise said of an answer on its own page: one of the five 好差评
    levels, a comment, and whether the problem is solved in its eyes.

    Ratings are never changed: a change of mind is a new rating, and ``is_latest`` marks
    the opinion's newest one, which is the enterprise's word on it (the figures read only
    those). A rating that says unsatisfied or not solved waits for the branch lead to
    follow it up: reopening the issue, or a note of what was done.
    """

    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        BASICALLY_SATISFIED = 3, _("Basically satisfied")
        UNSATISFIED = 2, _("Unsatisfied")
        VERY_UNSATISFIED = 1, _("Very unsatisfied")

    class FollowUp(models.TextChoices):
        REOPENED = "reopened", _("Issue reopened")
        NOTED = "noted", _("Followed up with a note")

    LEVEL_COLORS = {
        Level.VERY_SATISFIED: "success",
        Level.SATISFIED: "success",
        Level.BASICALLY_SATISFIED: "info",
        Level.UNSATISFIED: "danger",
        Level.VERY_UNSATISFIED: "danger",
    }

    receipt = models.ForeignKey(
        Receipt, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="ratings"
    )
    feedback_item = models.ForeignKey(
        FeedbackItem,
        verbose_name=_("opinion"),
        on_delete=models.PROTECT,
        related_name="enterprise_ratings",
    )
    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.PROTECT, related_name="enterprise_ratings"
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    comment = models.TextField(_("comment"), blank=True)
    not_solved = models.BooleanField(_("the enterprise says it is not solved"), default=False)
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)
    is_latest = models.BooleanField(_("the opinion's newest rating"), default=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed up by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    follow_up = models.CharField(
        _("follow-up"), max_length=10, choices=FollowUp.choices, blank=True
    )
    follow_up_note = models.TextField(_("follow-up note"), blank=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise rating")
        verbose_name_plural = _("enterprise ratings")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback_item"],
                condition=Q(is_latest=True),
                name="rating_one_latest_per_opinion",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="rating_level_one_to_five"
            ),
            models.CheckConstraint(
                condition=Q(not_solved=False) | ~Q(comment=""),
                name="rating_not_solved_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(followed_up_at__isnull=True, follow_up="")
                | Q(followed_up_at__isnull=False, followed_up_by__isnull=False) & ~Q(follow_up=""),
                name="rating_follow_up_complete",
            ),
        ]
        indexes = [
            models.Index(
                fields=["feedback_item"], condition=Q(is_latest=True), name="rating_latest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feedback_item_id} · {self.get_level_display()}"

    @property
    def level_color(self) -> str:
        return self.LEVEL_COLORS.get(self.level, "secondary")

    @property
    def needs_follow_up(self) -> bool:
        return self.not_solved or self.level in NEGATIVE_LEVELS

    @property
    def awaits_follow_up(self) -> bool:
        """The opinion's newest rating, unsatisfied or not solved, not followed up yet."""
        return self.is_latest and self.needs_follow_up and self.followed_up_at is None


#: Levels that count as satisfied in "enterprise-stated satisfaction" (the staff's own
#: record counts satisfied and basically satisfied the same way).
POSITIVE_LEVELS = (
    EnterpriseRating.Level.VERY_SATISFIED,
    EnterpriseRating.Level.SATISFIED,
    EnterpriseRating.Level.BASICALLY_SATISFIED,
)
NEGATIVE_LEVELS = (EnterpriseRating.Level.UNSATISFIED, EnterpriseRating.Level.VERY_UNSATISFIED)
#: A rating the branch must follow up: unsatisfied, or "not solved" whatever the level.
NEEDS_FOLLOW_UP = Q(level__in=NEGATIVE_LEVELS) | Q(not_solved=True)


class BoxOpinion(models.Model):
    """How an opinion left in the online opinion box (意见箱) came: who the sender said
    they were. Nothing here is checked against the sender (the credit code's check digit
    aside), so staff pages mark these as stated, not verified; the opinion itself is an
    ordinary opinion of the branch's standing online-box activity."""

    feedback_item = models.OneToOneField(
        FeedbackItem,
        verbose_name=_("opinion"),
        on_delete=models.PROTECT,
        related_name="box_opinion",
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    stated_name = models.CharField(_("enterprise name as stated"), max_length=200, blank=True)
    stated_uscc = models.CharField(_("credit code as stated"), max_length=18, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("online box opinion")
        verbose_name_plural = _("online box opinions")
        ordering = ["-submitted_at", "-id"]
        # The per-branch ceiling counts the last hour's opinions (receipts.box).
        indexes = [models.Index(fields=["submitted_at"], name="box_opinion_submitted")]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(stated_name="", stated_uscc=""),
                name="box_opinion_anonymous_names_nobody",
            ),
        ]

    def __str__(self) -> str:
        return self.stated_name or str(_("anonymous"))


def expires_on(items, issued_at) -> date | None:
    """The last day a receipt over ``items`` opens: none while an opinion is unanswered;
    else the last answer (or the issue day, with no opinion left) plus the setting."""
    answers = []
    for item in items:
        if not item.is_answered:
            return None
        answered = [item.last_replied_on]
        if item.unreachable_at:
            answered.append(timezone.localdate(item.unreachable_at))
        answers.append(max(day for day in answered if day))
    last = max(answers) if answers else timezone.localdate(issued_at)
    return last + timedelta(days=settings.RECEIPT_DAYS_AFTER_LAST_ANSWER)
