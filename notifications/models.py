"""Notifications: a message to one person about one issue, under the bell and by email.

A notification stores what happened (its kind, the issue, the deadline it is about), not a
sentence: the sentence is built when it is shown, in the reader's language
(``Notification.message``). ``dedupe_key`` is unique, so the same event or the same
reminder can never reach the same person twice, however often it is sent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from branches.scoping import scope_of
from issues.models import Issue


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own notifications about issues they still see (someone who moved to
        another branch no longer reads about the old one's issues); nobody sees others'."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        scope = scope_of(user)
        if scope.is_empty:
            return self.none()
        mine = self.filter(recipient_id=user.pk)
        return mine if scope.all_branches else mine.filter(issue__branch_id=scope.branch_id)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that happened to an issue that one person should know about."""

    class Kind(models.TextChoices):
        RESPONSIBLE = "responsible", _("Made responsible")
        DEADLINE_SOON = "deadline_soon", _("Deadline approaching")
        OVERDUE = "overdue", _("Overdue")
        ESCALATION = "escalation", _("New escalation")
        DECISION = "decision", _("Provincial decision")
        INSTRUCTION = "instruction", _("Leader instruction")
        UNSATISFIED_REPLY = "unsatisfied_reply", _("Unsatisfied reply")
        REOPENED = "reopened", _("Reopened")
        DUE_TODAY = "due_today", _("Deadline reached")
        SUPERVISED = "supervised", _("Supervision notice")
        SUPERVISION_ANSWERED = "supervision_answered", _("Supervision notice answered")
        ENTERPRISE_RATING = "enterprise_rating", _("The enterprise says not solved")

    KIND_ICONS = {
        Kind.RESPONSIBLE: "bi-person-check",
        Kind.DEADLINE_SOON: "bi-hourglass-split",
        Kind.OVERDUE: "bi-exclamation-triangle",
        Kind.ESCALATION: "bi-arrow-up-circle",
        Kind.DECISION: "bi-bank",
        Kind.INSTRUCTION: "bi-pen",
        Kind.UNSATISFIED_REPLY: "bi-emoji-frown",
        Kind.REOPENED: "bi-arrow-counterclockwise",
        Kind.DUE_TODAY: "bi-alarm",
        Kind.SUPERVISED: "bi-flag",
        Kind.SUPERVISION_ANSWERED: "bi-reply",
        Kind.ENTERPRISE_RATING: "bi-megaphone",
    }
    KIND_COLORS = {
        Kind.RESPONSIBLE: "primary",
        Kind.DEADLINE_SOON: "warning",
        Kind.OVERDUE: "danger",
        Kind.ESCALATION: "warning",
        Kind.DECISION: "info",
        Kind.INSTRUCTION: "primary",
        Kind.UNSATISFIED_REPLY: "danger",
        Kind.REOPENED: "secondary",
        Kind.DUE_TODAY: "warning",
        Kind.SUPERVISED: "danger",
        Kind.SUPERVISION_ANSWERED: "success",
        Kind.ENTERPRISE_RATING: "danger",
    }
    # The sentence for each kind, filled with the issue's title, its branch and the deadline.
    MESSAGES = {
        Kind.RESPONSIBLE: _("You are responsible for rectifying “{title}” by {deadline}."),
        Kind.DEADLINE_SOON: _("The rectification of “{title}” is due on {deadline}."),
        Kind.OVERDUE: _("“{title}” is overdue: it was due on {deadline} and is not rectified yet."),
        Kind.ESCALATION: _("{branch} escalated “{title}” to the province for a decision."),
        Kind.DECISION: _("The province decided on “{title}”: it is back in rectification."),
        Kind.INSTRUCTION: _("An institute leader wrote an instruction on “{title}”."),
        Kind.UNSATISFIED_REPLY: _("An enterprise is not satisfied with the reply on “{title}”."),
        Kind.REOPENED: _("“{title}” was reopened for rectification; you are still responsible."),
        Kind.DUE_TODAY: _(
            "“{title}” ({branch}) reached its deadline, {deadline}, and is not rectified yet."
        ),
        Kind.SUPERVISED: _(
            "A supervision notice was issued on “{title}” ({branch}): the branch lead answers "
            "it in writing."
        ),
        Kind.SUPERVISION_ANSWERED: _("{branch} answered the supervision notice on “{title}”."),
        Kind.ENTERPRISE_RATING: _(
            "On its receipt page, an enterprise says the answer on “{title}” did not satisfy "
            "it or did not solve the problem: follow it up."
        ),
    }

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caused by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("The deadline a reminder is about."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    dedupe_key = models.CharField(
        _("deduplication key"),
        max_length=150,
        help_text=_("Kind, issue, recipient and event or deadline: one notification each."),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="notification_dedupe_key_unique"),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "responsible",
                        "deadline_soon",
                        "overdue",
                        "escalation",
                        "decision",
                        "instruction",
                        "unsatisfied_reply",
                        "reopened",
                        "due_today",
                        "supervised",
                        "supervision_answered",
                        "enterprise_rating",
                    ]
                ),
                name="notification_kind_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notification_recipient_time"
            ),
            # The bell's count on every page: the recipient's unread rows only.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.issue_id} → {self.recipient_id}"

    @property
    def icon(self) -> str:
        return self.KIND_ICONS.get(self.kind, "bi-bell")

    @property
    def color(self) -> str:
        return self.KIND_COLORS.get(self.kind, "secondary")

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def message(self) -> str:
        """The sentence in the active language (needs ``issue`` and its ``branch``)."""
        deadline = formats.date_format(self.deadline) if self.deadline else "—"
        return str(self.MESSAGES[self.kind]).format(
            title=self.issue.title, branch=self.issue.branch, deadline=deadline
        )
