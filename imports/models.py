"""Spreadsheet imports: one row per uploaded file, from its preview to its import."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from branches.scoping import BranchScopedQuerySet
from core.uploads import RandomUploadPath
from outreach.models import Campaign


class ImportBatchQuerySet(BranchScopedQuerySet):
    branch_path = "branch"

    def uploaded_by(self, user):
        """Batches ``user`` uploaded: the only ones they may preview again and confirm."""
        return self.filter(uploaded_by_id=user.pk)


class ImportBatch(models.Model):
    """An uploaded spreadsheet of enterprises, activities and feedback for one branch.

    The file is kept (under a random name, never served by URL) between the preview and
    the confirmation, which reads and validates it again; after the import it stays as
    the record of what was imported.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed, not imported")
        IMPORTED = "imported", _("Imported")

    STATUS_COLORS = {Status.PREVIEWED: "warning", Status.IMPORTED: "success"}

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="import_batches"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    file = models.FileField(_("file"), upload_to=RandomUploadPath("imports"))
    original_name = models.CharField(_("original file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    enterprises_created = models.PositiveIntegerField(_("enterprises created"), default=0)
    enterprises_reused = models.PositiveIntegerField(_("enterprises already registered"), default=0)
    activities_created = models.PositiveIntegerField(_("activities created"), default=0)
    activities_reused = models.PositiveIntegerField(_("activities already logged"), default=0)
    feedback_created = models.PositiveIntegerField(_("opinions created"), default=0)
    feedback_reused = models.PositiveIntegerField(_("opinions already recorded"), default=0)
    # A big file (more rows than IMPORT_INLINE_MAX_ROWS) is checked and imported by jobs
    # (``imports.jobs``), and what its check found is kept here, since checking it again
    # at every look at its page would take as long as the check.
    by_jobs = models.BooleanField(_("checked and imported by jobs"), default=False)
    rows = models.PositiveIntegerField(_("rows (about)"), default=0)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    problem_count = models.PositiveIntegerField(_("errors found"), default=0)
    #: The first ``KEPT_PROBLEMS`` problems: [sheet, row, column, message], the message in
    #: the uploader's language.
    problems = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="previewed", imported_at__isnull=True)
                | models.Q(status="imported", imported_at__isnull=False),
                name="import_batch_imported_has_time",
            )
        ]
        indexes = [
            models.Index(fields=["uploaded_by", "created_at"], name="import_batch_uploader"),
            models.Index(fields=["branch", "sha256"], name="import_batch_branch_sha256"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("imports:confirm", kwargs={"pk": self.pk})

    @property
    def is_imported(self) -> bool:
        return self.status == self.Status.IMPORTED

    @property
    def status_color(self) -> str:
        return self.STATUS_COLORS.get(self.status, "secondary")

    @property
    def is_checked(self) -> bool:
        return self.checked_at is not None

    @property
    def may_import(self) -> bool:
        """Checked without a problem and not imported yet: the button is offered."""
        return self.is_checked and not self.problem_count and not self.is_imported

    def kept_problems(self) -> list:
        from .reading import Problem

        return [Problem(*problem) for problem in self.problems or []]

    def set_counts(self, counts: dict[str, int]) -> None:
        """Copy the six counts of a preview or an import onto the row."""
        for field in COUNT_FIELDS:
            setattr(self, field, counts.get(field, 0))


#: How many of a big file's problems its batch keeps to show (the count covers them all).
KEPT_PROBLEMS = 200

#: The counters a batch keeps, in the order the pages show them.
COUNT_FIELDS = (
    "enterprises_created",
    "enterprises_reused",
    "activities_created",
    "activities_reused",
    "feedback_created",
    "feedback_reused",
)
