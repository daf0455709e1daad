"""A deleted job takes its file with it, whichever way it is deleted: a user's deletion
(the jobs cascade), the admin, a query's ``delete()``. Housekeeping of the storage, not a
rule of the app, so it lives here rather than in a service every path would have to call."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Job, job_storage

logger = logging.getLogger(__name__)


@receiver(post_delete, sender=Job, dispatch_uid="jobs.remove_file_of_deleted_job")
def remove_file_of_deleted_job(sender, instance: Job, **kwargs) -> None:
    if not instance.file:
        return
    name = instance.file
    # Once the deletion is committed: a rolled-back deletion keeps its job and its file.
    transaction.on_commit(lambda: _delete(name))


def _delete(name: str) -> None:
    try:
        job_storage().delete(name)
    except Exception:
        # The hourly removal cannot find it again (its row is gone): say so in the log.
        logger.exception("The file %s of a deleted job could not be removed", name)
