"""What became of the open issues suggested beside an intake form (issues/suggestions.py).

One row per issue shown, written when the form it was shown beside is submitted: the user
attached the opinion to it, or went on without it. The rows measure the suggestions'
precision (``manage.py suggestion_precision``); nothing else reads them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.models import FeedbackItem

from .issue import Issue


class IssueSuggestion(models.Model):
    """An open issue suggested to a user recording an opinion or opening an issue, with
    what the user chose."""

    class Intake(models.TextChoices):
        OPINION = "opinion", _("Recording an opinion")
        ISSUE = "issue", _("Opening an issue")

    class Outcome(models.TextChoices):
        ATTACHED = "attached", _("Attached to it")
        IGNORED = "ignored", _("Not chosen")

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="suggestions"
    )
    feedback_item = models.ForeignKey(
        FeedbackItem,
        verbose_name=_("feedback item"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The opinion the issue was suggested for (the first, for several)."),
    )
    shown_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shown to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    intake = models.CharField(_("shown while"), max_length=10, choices=Intake.choices)
    rank = models.PositiveSmallIntegerField(_("place in the list"))
    score = models.FloatField(_("text similarity"))
    same_enterprise = models.BooleanField(_("same enterprise"))
    same_category = models.BooleanField(_("same category"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    shown_at = models.DateTimeField(_("shown at"))
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("issue suggestion")
        verbose_name_plural = _("issue suggestions")
        ordering = ["-decided_at", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intake__in=["opinion", "issue"]), name="suggestion_intake_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["attached", "ignored"]), name="suggestion_outcome_valid"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="suggestion_rank_from_one"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1), name="suggestion_score_in_range"
            ),
            # An opinion is shown an issue once per submission: never two rows for it.
            models.UniqueConstraint(
                fields=["feedback_item", "issue", "intake"], name="suggestion_once_per_opinion"
            ),
        ]
        indexes = [models.Index(fields=["decided_at"], name="suggestion_decided")]

    def __str__(self) -> str:
        return f"#{self.issue_id} → {self.get_outcome_display()}"
