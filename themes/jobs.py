"""The search for recurring problems as a job (``jobs.registry``): the office asks for it
from the themes' page and watches its progress; the schedule runs it every night."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from branches import rules
from jobs.registry import JobKind, JobRefused, register

from . import finding


def run_search(job, progress, output):
    if not rules.can_decide_themes(job.user):
        raise JobRefused(
            gettext_lazy("Only the provincial office searches for recurring problems.")
        )
    progress.start(2)
    finding.search(timezone.localdate(), user=job.user, progress=progress)
    return None


THEME_SEARCH = register(
    JobKind(
        name="theme_search",
        title=gettext_lazy("Search for recurring problems"),
        may_start=rules.can_decide_themes,
        run=run_search,
        back_url_name="themes:theme_list",
        reads_only=False,
    )
)
