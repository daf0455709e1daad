"""Asking for a job, running it (on a worker, or in-process without a broker), restarting
a failed one, and removing files past their time.

Running is safe to repeat: a job is claimed by one conditional update (waiting → running),
so a task delivered twice, or retried after its worker died, runs it once; a job left
"running" by a worker that died is claimed again once the task time limit has passed.
"""

from __future__ import annotations

import logging
import tempfile
from contextlib import nullcontext, suppress
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import DatabaseError, InterfaceError, OperationalError, connections, transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.scoping import scope_of
from core.replica import REPLICA, from_replica, primary_position, replica_configured

from .models import Job, job_storage
from .progress import Progress
from .registry import JobRefused, Output, kind_of

logger = logging.getLogger(__name__)


def scope_key(user) -> str:
    """The user's scope as a word, kept on the job and compared again at download."""
    scope = scope_of(user)
    if scope.all_branches:
        return "all"
    if scope.branch_id is not None:
        return f"branch:{scope.branch_id}"
    return "none"


def params_from_query(query: str) -> dict[str, list[str]]:
    """A list page's query string as the job keeps it (the filters the user set)."""
    data = QueryDict(query or "", mutable=True)
    data.pop("page", None)
    return {key: data.getlist(key) for key in data}


def query_of(job: Job) -> QueryDict:
    """The job's parameters as the filters read them."""
    data = QueryDict(mutable=True)
    for key, values in (job.params or {}).items():
        data.setlist(key, [str(value) for value in values])
    return data


@transaction.atomic
def job_start(*, user, kind: str, params: dict | None = None) -> Job:
    """Ask for a job of ``kind`` as ``user``: queued now, sent to a worker once committed."""
    job_kind = kind_of(kind)
    if job_kind is None or not job_kind.may_start(user):
        raise PermissionDenied
    params = params or {}
    language = translation.get_language() or settings.LANGUAGE_CODE
    # The same export asked again while the first is still waiting or running is that
    # one: repeated clicks cannot fill the workers with copies of one job.
    same = (
        Job.objects.of(user)
        .unfinished()
        .filter(kind=kind, params=params, language=language, scope=scope_key(user))
        .first()
    )
    if same is not None:
        return same
    job = Job.objects.create(
        user=user,
        kind=kind,
        params=params,
        language=language,
        scope=scope_key(user),
        asked_at_position=primary_position() if replica_configured() else "",
    )
    _enqueue(job)
    return job


@transaction.atomic
def job_restart(*, user, job: Job) -> Job:
    """A failed job asked again, as a new job with the same parameters (the failure stays
    in the user's list)."""
    if job.user_id != user.pk:
        raise PermissionDenied
    kind = kind_of(job.kind)
    if job.state != Job.State.FAILED or kind is None or not kind.started_by_button:
        # Work started from its own page (an import) is asked again there, through the
        # checks of its app.
        raise PermissionDenied
    return job_start(user=user, kind=job.kind, params=job.params)


def _enqueue(job: Job) -> None:
    from .tasks import run_job

    transaction.on_commit(lambda: run_job.delay(str(job.pk)))


def _stale_before(now):
    """A job "running" since before this was left by a worker that died."""
    return now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def run(job_id) -> Job | None:
    """Do the job if nobody else is or did: the body of the ``jobs.tasks.run_job`` task."""
    now = timezone.now()
    claimable = Q(state=Job.State.QUEUED) | Q(
        state=Job.State.RUNNING, started_at__lt=_stale_before(now)
    )
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        state=Job.State.RUNNING, started_at=now, attempts=F("attempts") + 1, done=0, total=None
    )
    if not claimed:
        return None
    job = Job.objects.select_related("user").get(pk=job_id)
    # This attempt's own row: a later attempt (after this one was taken for dead) owns
    # the job from then on, and this one's last words are not written over it.
    job.mine = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts)
    with translation.override(job.language):
        _run_claimed(job)
    job.refresh_from_db()
    return job


def _run_claimed(job: Job) -> None:
    kind = kind_of(job.kind)
    user = job.user
    if kind is None or not user.is_active or not kind.may_start(user):
        _fail(job, Job.Failure.REFUSED, _("You may no longer ask for this."))
        return
    if scope_key(user) != job.scope:
        _fail(job, Job.Failure.REFUSED, _("What you may see changed since you asked: ask again."))
        return
    progress = Progress(job.pk)
    with tempfile.TemporaryFile() as output:
        try:
            made = _do(kind, job, progress, output)
        except JobRefused as refused:
            _fail(job, Job.Failure.REFUSED, str(refused.message))
            return
        except SoftTimeLimitExceeded:
            _fail(job, Job.Failure.TIMEOUT, _("It took too long and was stopped."))
            return
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            _fail(job, Job.Failure.ERROR, _("Something went wrong; it was logged."))
            return
        now = timezone.now()
        if made is None:
            # Work without a file (its result is kept by the app that did it).
            job.mine.update(state=Job.State.DONE, done=progress.done, finished_at=now)
            logger.info("Job %s (%s) done", job.pk, job.kind)
            return
        size = output.tell()
        output.seek(0)
        stored = job_storage().save(job.storage_name(), File(output))
    now = timezone.now()
    if not job.mine.update(
        state=Job.State.DONE,
        file=stored,
        filename=made.filename[:200],
        content_type=made.content_type,
        size=size,
        done=progress.done,
        finished_at=now,
        expires_at=now + timedelta(hours=settings.JOB_FILES_KEEP_HOURS),
    ):
        job_storage().delete(stored)
        return
    logger.info("Job %s (%s) done: %s bytes", job.pk, job.kind, size)


def _do(kind, job: Job, progress: Progress, output) -> Output | None:
    """The kind's work, read from the replica when it only reads and the replica has
    replayed everything the primary had when the job was asked (so every write before it:
    never an older number; what others write meanwhile does not hold it back). A replica
    lost on the way (its connection dropped, its server restarted, a query cancelled by its
    recovery) is given up and the work done again from the start on the primary, once."""
    reading = (
        from_replica(caught_up_to=job.asked_at_position or None)
        if kind.reads_only
        else nullcontext("default")
    )
    alias = "default"
    try:
        with reading as alias:
            return kind.run(job, progress, output)
    except (OperationalError, InterfaceError):
        if alias != REPLICA:
            raise
        logger.warning(
            "Job %s (%s): the replica was lost; doing it again on the primary",
            job.pk,
            job.kind,
            exc_info=True,
        )
    if replica_configured():
        with suppress(DatabaseError):
            connections[REPLICA].close()
    output.seek(0)
    output.truncate()
    return kind.run(job, progress, output)


def _fail(job: Job, failure: str, message: str) -> None:
    getattr(job, "mine", Job.objects.filter(pk=job.pk)).update(
        state=Job.State.FAILED, failure=failure, message=message, finished_at=timezone.now()
    )
    logger.warning("Job %s (%s) failed: %s", job.pk, job.kind, failure)


def may_download(user, job: Job) -> bool:
    """Only the user who asked, with the scope the job was made in, while it is kept."""
    return (
        job.user_id == getattr(user, "pk", None)
        and user.is_active
        and job.downloadable
        and scope_key(user) == job.scope
    )


def remove_expired(now=None) -> int:
    """Remove the files kept past their time, and give up on jobs no worker took for a
    day (a broker that was down) or that a worker left running past the time limit (it
    died): all can be asked again. Safe to run at any time."""
    now = now or timezone.now()
    removed = 0
    for job in Job.objects.filter(removed_at__isnull=True, expires_at__lte=now).iterator():
        if job.file:
            job_storage().delete(job.file)
        Job.objects.filter(pk=job.pk).update(removed_at=now, file="")
        removed += 1
    lost = Q(state=Job.State.QUEUED, created_at__lt=now - timedelta(days=1)) | Q(
        state=Job.State.RUNNING, started_at__lt=_stale_before(now)
    )
    Job.objects.filter(lost).update(
        state=Job.State.FAILED, failure=Job.Failure.LOST, message="", finished_at=now
    )
    return removed
