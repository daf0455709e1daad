"""Recurring problems: themes of issues filed by several branches about one problem.

The grouping (``themes.finding``) proposes a theme when a problem recurs in three branches
or more, or grows month over month; the provincial office then adopts it as a provincial
problem (one owner, one deadline, the issues it links), dismisses it with a reason, or
merges it into another theme. Every issue is in one theme at most.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from issues.models import Issue
from outreach.models import FeedbackCategory


class Theme(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted")
        DISMISSED = "dismissed", _("Dismissed")
        MERGED = "merged", _("Merged")

    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        FeedbackCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    #: The first day of the month it was first proposed in.
    proposed_in = models.DateField(_("proposed in"))
    proposed_at = models.DateTimeField(_("proposed at"))
    #: When the grouping last found issues for it.
    found_at = models.DateTimeField(_("last found at"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    #: What the office decided and why (the adoption's task, the dismissal's reason).
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_themes",
    )

    class Meta:
        verbose_name = _("recurring problem")
        verbose_name_plural = _("recurring problems")
        ordering = ["-proposed_in", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="adopted")
                | Q(owner__isnull=False, deadline__isnull=False, decided_at__isnull=False),
                name="themes_adopted_has_owner_and_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(state="dismissed") | ~Q(decision=""),
                name="themes_dismissed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state="merged", merged_into__isnull=False)
                | Q(~Q(state="merged"), merged_into__isnull=True),
                name="themes_merged_has_target",
            ),
        ]
        indexes = [models.Index(fields=["state", "proposed_in"], name="themes_state_month")]

    def __str__(self) -> str:
        return self.title


class ThemeIssue(models.Model):
    """An issue in a theme: found by the grouping, and linked to the provincial problem
    when the office adopted it (or later)."""

    theme = models.ForeignKey(
        Theme, verbose_name=_("recurring problem"), on_delete=models.CASCADE, related_name="members"
    )
    issue = models.OneToOneField(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="theme_member"
    )
    linked = models.BooleanField(_("linked to the provincial problem"), default=False)
    found_at = models.DateTimeField(_("found at"))

    class Meta:
        verbose_name = _("issue of a recurring problem")
        verbose_name_plural = _("issues of recurring problems")
        ordering = ["issue__created_at", "issue_id"]

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.issue_id}"


class ThemeSearch(models.Model):
    """One run of the grouping: when, for which month, by whom (none: the schedule), and
    what it found."""

    month = models.DateField(_("month"))
    ran_at = models.DateTimeField(_("ran at"))
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ran by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issues_read = models.PositiveIntegerField(_("issues read"))
    groups_found = models.PositiveIntegerField(_("groups of two issues or more"))
    themes_proposed = models.PositiveIntegerField(_("themes proposed"))
    issues_added = models.PositiveIntegerField(_("issues added to themes"))

    class Meta:
        verbose_name = _("search for recurring problems")
        verbose_name_plural = _("searches for recurring problems")
        ordering = ["-ran_at"]
        get_latest_by = "ran_at"

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.ran_at:%Y-%m-%d %H:%M}"
