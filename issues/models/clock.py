"""The clock of an issue (docs/clock.md): the office's time limits, returns (退单) and their
rulings, deadline extensions (延期) and supervision notices (督办单)."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.scoping import BranchScopedQuerySet
from outreach.models import TranslatedNameMixin

from .issue import Issue


class TimeLimit(models.Model):
    """One time limit (办理时限) in working days, set by the provincial office."""

    class Step(models.TextChoices):
        SIGN_FOR = "sign_for", _("Sign for an issue given to the branch")
        PLAN = "plan", _("Plan the rectification, after signing")
        RECTIFY = "rectify", _("Rectify a normal issue, after signing")
        RECTIFY_SERIOUS = "rectify_serious", _("Rectify a serious issue, after signing")
        RECTIFY_CRITICAL = "rectify_critical", _("Rectify a critical issue, after signing")
        REPLY = "reply", _("Reply to every opinion, after rectification")
        REMIND_BEFORE = "remind_before", _("Remind the responsible person before the deadline")
        SUPERVISE_AFTER = "supervise_after", _("Supervision notice after this many days overdue")
        ATTENTION_AFTER = (
            "attention_after",
            _("Leaders' attention list after this many days overdue"),
        )

    DEFAULTS = {
        Step.SIGN_FOR: 1,
        Step.PLAN: 3,
        Step.RECTIFY: 15,
        Step.RECTIFY_SERIOUS: 10,
        Step.RECTIFY_CRITICAL: 5,
        Step.REPLY: 5,
        Step.REMIND_BEFORE: 3,
        Step.SUPERVISE_AFTER: 3,
        Step.ATTENTION_AFTER: 10,
    }

    step = models.CharField(_("step"), max_length=20, choices=Step.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1) & Q(working_days__lte=365),
                name="time_limit_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.working_days}"

    @classmethod
    def current(cls) -> dict[str, int]:
        """Every limit, the office's value or the default (one query)."""
        values = dict(cls.DEFAULTS)
        values.update(cls.objects.values_list("step", "working_days"))
        return values


class ReturnReason(TranslatedNameMixin, models.Model):
    """A reason a branch may give for returning an issue (退单理由), kept by the office."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.display_name


class IssueReturnQuerySet(BranchScopedQuerySet):
    branch_path = "issue__branch"

    def awaiting_ruling(self):
        return self.filter(ruling="")


class IssueReturn(models.Model):
    """A branch's return (退单) of an issue given to it, and the office's final ruling."""

    class Ruling(models.TextChoices):
        INSIST = "insist", _("Insist: the branch handles it")
        REASSIGN = "reassign", _("Reassign to another responsible person")

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="returns"
    )
    reason = models.ForeignKey(
        ReturnReason, verbose_name=_("reason"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"))
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), default=timezone.now)
    ruling = models.CharField(_("ruling"), max_length=10, choices=Ruling.choices, blank=True)
    ruling_note = models.TextField(_("ruling note"), blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ruled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ruled_at = models.DateTimeField(_("ruled at"), null=True, blank=True)

    objects = IssueReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-returned_at", "-id"]
        constraints = [
            # One return waits for a ruling at a time.
            models.UniqueConstraint(
                fields=["issue"], condition=Q(ruling=""), name="issue_one_return_awaiting"
            ),
            models.CheckConstraint(
                condition=Q(ruling="") | Q(ruled_by__isnull=False, ruled_at__isnull=False),
                name="issue_return_ruling_has_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue} · {self.reason}"


class DeadlineExtensionQuerySet(BranchScopedQuerySet):
    branch_path = "issue__branch"

    def pending(self):
        return self.filter(status=DeadlineExtension.Status.PENDING)

    def approved(self):
        return self.filter(status=DeadlineExtension.Status.APPROVED)


class DeadlineExtension(models.Model):
    """A request to move an issue's rectification deadline (延期), and its decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="extensions"
    )
    old_deadline = models.DateField(_("deadline before"))
    new_deadline = models.DateField(_("deadline asked for"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = DeadlineExtensionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue"], condition=Q(status="pending"), name="issue_one_extension_pending"
            ),
            models.CheckConstraint(
                condition=Q(new_deadline__gt=F("old_deadline")),
                name="extension_moves_deadline_later",
            ),
            models.CheckConstraint(
                condition=Q(status="pending")
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="extension_decision_has_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue} · {self.old_deadline} → {self.new_deadline}"


class SupervisionNoticeQuerySet(BranchScopedQuerySet):
    branch_path = "issue__branch"

    def open(self):
        return self.filter(answered_at__isnull=True)

    def answered(self):
        return self.filter(answered_at__isnull=False)


class SupervisionNotice(models.Model):
    """A supervision notice (督办单) on a late issue, which the branch lead answers in writing.

    Issued automatically once per deadline (N working days overdue) or by the office by hand.
    """

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="supervision_notices"
    )
    deadline = models.DateField(_("deadline concerned"), null=True, blank=True)
    automatic = models.BooleanField(_("issued automatically"), default=False)
    content = models.TextField(_("notice"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    answer = models.TextField(_("written answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = SupervisionNoticeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # The automatic step happens once per deadline, whatever runs it.
            models.UniqueConstraint(
                fields=["issue", "deadline"],
                condition=Q(automatic=True),
                name="supervision_once_per_deadline",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | (Q(answered_by__isnull=False) & ~Q(answer="")),
                name="supervision_answer_has_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue} · {self.issued_at:%Y-%m-%d}"


def extended_condition() -> Exists:
    """At least one approved extension (延期) moved the issue's deadline."""
    return Exists(
        DeadlineExtension.objects.filter(
            issue=OuterRef("pk"), status=DeadlineExtension.Status.APPROVED
        )
    )
