"""A big import file's check and import as jobs (``jobs.registry``): a file of thousands of
rows takes longer to read and write than a web request may. Both keep their result on the
batch (its counts, its problems, its import), so they make no file; the batch's page
follows them and shows what they found.

Both are asked for by the upload and the batch's page (``services.batch_check_start``,
``batch_import_start``), never by the jobs' own start button. Each runs as the uploader,
in their language (the problems' messages), through the same services as a small file:
``batch_check`` previews it, ``batch_import`` imports it all or nothing, refusing a batch
already imported.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from branches import rules
from jobs.registry import JobKind, JobRefused, register

from .models import ImportBatch


def _batch_of(job) -> ImportBatch:
    """The job's batch, as its uploader reaches it (their branch, their upload)."""
    try:
        pk = int((job.params or {}).get("batch", [""])[0])
    except (TypeError, ValueError, IndexError):
        raise JobRefused(gettext_lazy("The uploaded file is no longer available.")) from None
    batch = (
        ImportBatch.objects.visible_to(job.user)
        .uploaded_by(job.user)
        .select_related("branch", "campaign")
        .filter(pk=pk)
        .first()
    )
    if batch is None:
        raise JobRefused(gettext_lazy("The uploaded file is no longer available."))
    return batch


def _refusal(error: Exception) -> JobRefused:
    messages = getattr(error, "messages", None) or [str(error)]
    return JobRefused(" ".join(str(message) for message in messages if message))


def check_batch(job, progress, output):
    from . import services

    batch = _batch_of(job)
    progress.start(batch.rows or None)

    def on_row():
        # The row count of the upload is close, not exact (empty rows): never past it.
        if progress.total is None or progress.done < progress.total:
            progress.advance()

    try:
        services.batch_check(actor=job.user, batch=batch, on_row=on_row)
    except (PermissionDenied, ValidationError) as error:
        raise _refusal(error) from None
    progress.flush()
    return None


def import_batch(job, progress, output):
    from . import services

    batch = _batch_of(job)
    # One transaction: its progress would show only at its end, so none is counted.
    progress.start(None)
    try:
        services.batch_import(actor=job.user, batch=batch)
    except PermissionDenied as error:
        raise _refusal(error) from None
    except services.ImportFailed as failure:
        batch.refresh_from_db()
        if batch.is_imported:
            raise JobRefused(_("This file was already imported.")) from None
        services.batch_record(batch, failure.problems)
        count = len(failure.problems)
        raise JobRefused(
            ngettext(
                "%(count)d error: nothing was imported.",
                "%(count)d errors: nothing was imported.",
                count,
            )
            % {"count": count}
        ) from None
    return None


def _batch_url(job) -> str:
    pk = (job.params or {}).get("batch", [""])[0]
    return reverse("imports:confirm", kwargs={"pk": pk}) if str(pk).isdigit() else ""


CHECK = register(
    JobKind(
        name="import_check",
        title=gettext_lazy("Checking an import file"),
        may_start=rules.can_log_outreach,
        run=check_batch,
        back_url=_batch_url,
        reads_only=False,
        started_by_button=False,
    )
)

IMPORT = register(
    JobKind(
        name="import_run",
        title=gettext_lazy("Importing a file"),
        may_start=rules.can_log_outreach,
        run=import_batch,
        back_url=_batch_url,
        reads_only=False,
        started_by_button=False,
    )
)
