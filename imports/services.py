"""Preview and import of an outreach spreadsheet: the services the upload page and
``manage.py import_outreach`` call.

``batch_preview`` reads a file (``imports.reading``) and plans it (``imports.planning``)
without writing anything: what importing it would create, what already exists and would be
reused, and every error. ``batch_create`` keeps the file of an error-free preview;
``batch_import`` reads it again, validates it again and writes every row through the
outreach services in one transaction: all of it or nothing.

A big file (more rows than ``IMPORT_INLINE_MAX_ROWS``) is kept unchecked (``batch_keep``)
and checked, then imported, by jobs (``imports.jobs``): ``batch_check_start`` and
``batch_import_start`` ask for them, ``batch_check`` keeps what the check found on the
batch, and the import job runs the same ``batch_import``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Branch
from jobs.services import job_start
from outreach import registry as outreach_registry
from outreach import services as outreach_services
from outreach.models import Campaign

from . import reading
from .models import COUNT_FIELDS, KEPT_PROBLEMS, ImportBatch
from .planning import plan_file
from .plans import Preview
from .reading import Problem, SheetRows, SpreadsheetRejected


class ImportFailed(Exception):
    """The import was refused or rolled back; ``problems`` says why, row by row."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


# --- preview -------------------------------------------------------------------------


def file_sha256(stream: IO[bytes]) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def batch_preview(
    *,
    actor,
    branch: Branch,
    campaign: Campaign,
    name: str,
    size: int,
    stream: IO[bytes],
    on_row: Callable[[], None] | None = None,
) -> Preview:
    """Read and validate a file for ``branch`` and ``campaign``; write nothing.

    Its database reads are a fixed handful of queries whatever the number of rows.
    """
    outreach_services.ensure_can_log(actor, branch)
    preview = Preview()
    try:
        reading.check_file(name, size, stream)
        preview.sha256 = file_sha256(stream)
        read = reading.read_workbook(stream, on_row)
    except SpreadsheetRejected as rejection:
        preview.problems.append(Problem("", None, "", rejection.message))
        return preview
    preview.sheets = read.sheets
    if read.problems:
        # The sheets do not have the template's shape: say what is wrong with it first,
        # rather than an error on every row that follows from it.
        preview.problems = read.problems
        return preview
    if not any(sheet.rows for sheet in read.sheets.values()):
        preview.problems.append(
            Problem("", None, "", _("The file has no rows of data: fill in the template first."))
        )
        return preview
    plan_file(preview, branch=branch, campaign=campaign)
    preview.imported_before = (
        ImportBatch.objects.filter(
            branch=branch,
            campaign=campaign,
            sha256=preview.sha256,
            status=ImportBatch.Status.IMPORTED,
        )
        .order_by("-imported_at")
        .first()
    )
    return preview


# --- keeping the file, and importing it ----------------------------------------------


def batch_create(
    *, actor, branch: Branch, campaign: Campaign, upload, preview: Preview
) -> ImportBatch:
    """Keep the file of an error-free preview for the uploader to confirm."""
    outreach_services.ensure_can_log(actor, branch)
    if not preview.is_valid:
        raise ValidationError(_("Only a file without errors can be imported."))
    batch = ImportBatch(
        uploaded_by=actor,
        branch=branch,
        campaign=campaign,
        original_name=(getattr(upload, "name", "") or "import.xlsx")[-255:],
        sha256=preview.sha256,
        size=upload.size,
    )
    batch.set_counts(preview.counts())
    batch.checked_at = timezone.now()
    upload.seek(0)
    batch.file.save(batch.original_name, File(upload), save=False)
    batch.save()
    return batch


def batch_preview_again(
    *, actor, batch: ImportBatch, on_row: Callable[[], None] | None = None
) -> Preview:
    """Validate a kept file again, as it stands against today's data."""
    try:
        stream = batch.file.open("rb")
    except (FileNotFoundError, ValueError):
        preview = Preview()
        preview.problems.append(
            Problem("", None, "", _("The uploaded file is no longer available; upload it again."))
        )
        return preview
    with stream:
        preview = batch_preview(
            actor=actor,
            branch=batch.branch,
            campaign=batch.campaign,
            name=batch.original_name,
            size=batch.size,
            stream=stream,
            on_row=on_row,
        )
    if preview.sha256 and preview.sha256 != batch.sha256:
        preview.problems.append(
            Problem("", None, "", _("The kept file has changed since it was uploaded."))
        )
    return preview


def batch_import(*, actor, batch: ImportBatch) -> Preview:
    """Import a previewed batch: validate again and write every row, or nothing at all.

    Raises ``ImportFailed`` with the problems when the file no longer validates or a
    service refuses a row; the transaction is then rolled back whole.
    """
    if batch.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded a file can import it."))
    outreach_services.ensure_can_log(actor, batch.branch)
    try:
        with transaction.atomic():
            # One import per branch at a time, so two imports of the same file cannot
            # both find the rows missing and both create them.
            Branch.objects.select_for_update().filter(pk=batch.branch_id).first()
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.is_imported:
                raise ImportFailed([Problem("", None, "", _("This file was already imported."))])
            preview = batch_preview_again(actor=actor, batch=locked)
            if not preview.is_valid:
                raise ImportFailed(preview.problems)
            _write(preview, actor=actor, branch=locked.branch, campaign=locked.campaign)
            locked.status = ImportBatch.Status.IMPORTED
            locked.imported_at = timezone.now()
            locked.set_counts(preview.counts())
            locked.save()
    except IntegrityError:
        raise ImportFailed(
            [
                Problem(
                    "",
                    None,
                    "",
                    _(
                        "Someone changed the same records during the import; nothing was "
                        "imported. Try again."
                    ),
                )
            ]
        ) from None
    batch.refresh_from_db()
    return preview


# --- big files: checked and imported by jobs -----------------------------------------


def _ensure_uploader(actor, batch: ImportBatch) -> None:
    if batch.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded a file can import it."))
    outreach_services.ensure_can_log(actor, batch.branch)


def batch_keep(
    *, actor, branch: Branch, campaign: Campaign, upload, rows: int, sha256: str = ""
) -> ImportBatch:
    """Keep a big file, not checked yet (it passed ``reading.check_file``), for the check
    job to read: the upload's request does not read its rows."""
    outreach_services.ensure_can_log(actor, branch)
    batch = ImportBatch(
        uploaded_by=actor,
        branch=branch,
        campaign=campaign,
        original_name=(getattr(upload, "name", "") or "import.xlsx")[-255:],
        sha256=sha256 or file_sha256(upload),
        size=upload.size,
        by_jobs=True,
        rows=rows,
    )
    upload.seek(0)
    batch.file.save(batch.original_name, File(upload), save=False)
    batch.save()
    return batch


def batch_record(batch: ImportBatch, preview_or_problems) -> None:
    """Keep what a check found on the batch: its counts, and its problems (the first
    ``KEPT_PROBLEMS`` of them, their messages as text in the language of the moment)."""
    if isinstance(preview_or_problems, Preview):
        problems = preview_or_problems.problems
        batch.set_counts(preview_or_problems.counts())
    else:
        problems = preview_or_problems
    batch.problem_count = len(problems)
    batch.problems = [
        [p.sheet, p.row, str(p.column), str(p.message)] for p in problems[:KEPT_PROBLEMS]
    ]
    batch.checked_at = timezone.now()
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        problem_count=batch.problem_count,
        problems=batch.problems,
        checked_at=batch.checked_at,
        **{field: getattr(batch, field) for field in COUNT_FIELDS},
    )


def batch_check(*, actor, batch: ImportBatch, on_row: Callable[[], None] | None = None) -> Preview:
    """Check a kept file as its preview does, and keep the result on the batch."""
    _ensure_uploader(actor, batch)
    if batch.is_imported:
        raise ValidationError(_("This file was already imported."))
    preview = batch_preview_again(actor=actor, batch=batch, on_row=on_row)
    batch_record(batch, preview)
    return preview


def _unfinished_job(batch: ImportBatch):
    from jobs.models import Job

    from .selectors import batch_jobs

    return batch_jobs(batch).filter(state__in=[Job.State.QUEUED, Job.State.RUNNING]).first()


@transaction.atomic
def batch_check_start(*, actor, batch: ImportBatch):
    """Ask for the check of a big file (at its upload, or again after a failed check)."""
    from .jobs import CHECK

    _ensure_uploader(actor, batch)
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.is_imported:
        raise ValidationError(_("This file was already imported."))
    return _unfinished_job(locked) or job_start(
        user=actor, kind=CHECK.name, params={"batch": [str(batch.pk)]}
    )


@transaction.atomic
def batch_import_start(*, actor, batch: ImportBatch):
    """Ask for the import of a checked big file. Asked twice (a double click, two tabs),
    the job already asked is the answer: one import job at a time, and the import itself
    refuses a batch already imported."""
    from .jobs import IMPORT

    _ensure_uploader(actor, batch)
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    unfinished = _unfinished_job(locked)
    if unfinished is not None:
        return unfinished
    if locked.is_imported:
        raise ValidationError(_("This file was already imported."))
    if not locked.may_import:
        raise ValidationError(_("Only a file without errors can be imported."))
    return job_start(user=actor, kind=IMPORT.name, params={"batch": [str(batch.pk)]})


# Service field -> column key, to place a service's error on the right cell.
_ENTERPRISE_FIELDS = {"name": "name", "uscc": "uscc", "county": "county"}
_ACTIVITY_FIELDS = {
    "occurred_on": "occurred_on",
    "enterprises": "enterprises",
    "attendee_count": "attendee_count",
    "forms_sent": "forms_sent",
    "forms_returned": "forms_returned",
}
_FEEDBACK_FIELDS = {"content": "content", "enterprise": "enterprise", "received_on": "received_on"}


def _problems_from(error: ValidationError, sheet: SheetRows, row: int, fields) -> list[Problem]:
    if not hasattr(error, "error_dict"):
        return [Problem(sheet.name, row, "", message) for message in error.messages]
    problems = []
    for name, errors in error.message_dict.items():
        key = fields.get(name)
        column = sheet.header(key) if key else ""
        problems.extend(Problem(sheet.name, row, column, message) for message in errors)
    return problems


def _write(preview: Preview, *, actor, branch: Branch, campaign: Campaign) -> None:
    """Create the new rows through the outreach services, in the caller's transaction."""
    sheets = preview.sheets
    problems: list[Problem] = []
    for plan in preview.enterprises:
        if not plan.is_new:
            continue
        try:
            plan.created = outreach_registry.enterprise_create(
                actor=actor,
                branch=branch,
                name=plan.name,
                uscc=plan.uscc,
                county=plan.county,
                address=plan.address,
                equipment_classes=plan.equipment_classes,
                contact_name=plan.contact_name,
                contact_phone=plan.contact_phone,
            )
        except ValidationError as error:
            problems += _problems_from(error, sheets["enterprises"], plan.row, _ENTERPRISE_FIELDS)
    if problems:
        raise ImportFailed(problems)
    for plan in preview.activities:
        if not plan.is_new:
            continue
        try:
            plan.created = outreach_services.activity_create(
                actor=actor,
                branch=branch,
                campaign=campaign,
                kind=plan.kind,
                occurred_on=plan.occurred_on,
                title=plan.title,
                place=plan.place,
                enterprises=[target.instance for target in plan.enterprises],
                attendee_count=plan.attendee_count,
                forms_sent=plan.forms_sent,
                forms_returned=plan.forms_returned,
                minutes=plan.minutes,
            )
        except ValidationError as error:
            problems += _problems_from(error, sheets["activities"], plan.row, _ACTIVITY_FIELDS)
    if problems:
        raise ImportFailed(problems)
    new_feedback = [plan for plan in preview.feedback if plan.is_new]
    try:
        outreach_services.feedback_create_many(
            actor=actor,
            opinions=[
                outreach_services.NewOpinion(
                    activity=plan.activity.instance,
                    category=plan.category,
                    content=plan.content,
                    kind=plan.kind,
                    enterprise=plan.enterprise.instance if plan.enterprise else None,
                    contact=plan.contact,
                    received_on=plan.received_on,
                )
                for plan in new_feedback
            ],
        )
    except ValidationError as error:
        for index, invalid in error.by_opinion.items():
            row = new_feedback[index].row
            problems += _problems_from(invalid, sheets["feedback"], row, _FEEDBACK_FIELDS)
    if problems:
        raise ImportFailed(problems)
