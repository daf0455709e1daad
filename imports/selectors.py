"""Reads of the import pages beyond a batch itself: the jobs working on a big file."""

from __future__ import annotations

from jobs.models import Job

from .models import ImportBatch

#: The kinds of job that work on a batch (``imports.jobs``).
BATCH_JOB_KINDS = ("import_check", "import_run")


def batch_jobs(batch: ImportBatch):
    """The jobs asked for ``batch`` by its uploader, newest first."""
    return Job.objects.filter(
        user_id=batch.uploaded_by_id,
        kind__in=BATCH_JOB_KINDS,
        params__batch__0=str(batch.pk),
    ).order_by("-created_at")


def batch_job(batch: ImportBatch) -> Job | None:
    """The newest job of ``batch``: the one its page follows or says the outcome of."""
    return batch_jobs(batch).first()
