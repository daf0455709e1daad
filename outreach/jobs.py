"""The opinion export as a job (``jobs.registry``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.excel import XLSX_CONTENT_TYPE
from jobs.registry import JobKind, Output, register
from jobs.services import query_of

from .exports import opinions_to_export, write_opinions


def write_feedback_export(job, progress, output) -> Output:
    opinions = opinions_to_export(job.user, query_of(job))
    return Output(write_opinions(output, opinions, progress=progress), XLSX_CONTENT_TYPE)


FEEDBACK_EXPORT = register(
    JobKind(
        name="feedback_export",
        title=gettext_lazy("Opinions as Excel"),
        may_start=lambda user: user.is_authenticated and user.is_active,
        run=write_feedback_export,
        back_url_name="outreach:feedback_list",
    )
)
