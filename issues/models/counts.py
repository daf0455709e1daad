"""How many issues count in each branch, kept by the database on every write to issues.

The issue list shows its total; unfiltered, that was a ``COUNT(*)`` of a quarter of a
million issues on every view (~16 ms of SQL at scale 1). The total is now the sum of a
few rows written in the same transaction as each change, so it is exact at every moment.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from branches.scoping import BranchScopedQuerySet


class BranchIssueCount(models.Model):
    """The counted issues (not withdrawn, not merged) of one branch. Written only by the
    triggers of ``issues/migrations/0018``, whatever writes the issue (services, admin,
    bulk writes, raw SQL); ``rebuild_branch_issue_counts`` recounts them all."""

    branch = models.OneToOneField(
        Branch,
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    counted = models.IntegerField(_("counted issues"), default=0)

    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue count of a branch")
        verbose_name_plural = _("issue counts of the branches")

    def __str__(self) -> str:
        return f"{self.branch_id}: {self.counted}"
