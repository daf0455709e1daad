"""A job: long work one user asked for (an export, a Word file, a big import), done by a
worker off the web request, with its progress and its file.

The id is a random UUID (a job's address names nothing else). The file is kept in the
``jobs`` storage (``STORAGES``: a folder, shared by web and worker machines) until
``expires_at``; only the user who asked downloads it, and only while their
scope is still the one the job was made in (``scope``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import kind_of


def job_storage():
    """The ``jobs`` storage of ``STORAGES``, looked up at each use (not once at import, as a
    ``FileField`` would), so a change of the setting is seen at once."""
    return storages["jobs"]


class JobQuerySet(models.QuerySet):
    def of(self, user):
        """The user's own jobs: nobody sees another's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user_id=user.pk)

    def unfinished(self):
        return self.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        REFUSED = "refused", _("Refused")
        ERROR = "error", _("Error")
        TIMEOUT = "timeout", _("Took too long")
        LOST = "lost", _("Interrupted")

    STATE_COLORS = {
        State.QUEUED: "secondary",
        State.RUNNING: "primary",
        State.DONE: "success",
        State.FAILED: "danger",
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    scope = models.CharField(_("scope when asked"), max_length=40)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    # The file's name in the ``jobs`` storage: under the job's random id, never under a
    # name the user chose.
    file = models.CharField(_("file"), max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    failure = models.CharField(_("failure"), max_length=10, choices=Failure.choices, blank=True)
    message = models.TextField(_("message"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    #: The primary's WAL position when it was asked (with a replica): a job that only reads
    #: is read from the replica once that has replayed it, so it sees every write before.
    asked_at_position = models.CharField(
        _("database position when asked"), max_length=40, blank=True
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("file kept until"), null=True, blank=True)
    removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="job_user_newest"),
            models.Index(
                fields=["expires_at"],
                condition=Q(removed_at__isnull=True, expires_at__isnull=False),
                name="job_files_to_remove",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(failure=""), name="job_failure_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def title(self):
        kind = kind_of(self.kind)
        return kind.title if kind else self.kind

    @property
    def state_color(self) -> str:
        return self.STATE_COLORS.get(self.state, "secondary")

    @property
    def restartable_here(self) -> bool:
        """Failed, and asked again from its page here (not from its app's own page)."""
        kind = kind_of(self.kind)
        return self.state == self.State.FAILED and kind is not None and kind.started_by_button

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return None
        return min(99, int(self.done * 100 / self.total))

    def storage_name(self) -> str:
        return f"{self.created_at:%Y/%m}/{self.pk}.bin"

    @property
    def downloadable(self) -> bool:
        return (
            self.state == self.State.DONE
            and bool(self.file)
            and self.removed_at is None
            and (self.expires_at is None or self.expires_at > timezone.now())
        )
