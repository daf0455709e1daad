"""The briefing's Word file as a job (``jobs.registry``): the same selection, scope and
figures as the briefing page, in the language asked for."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from branches.scoping import scope_of
from core.files import DOCX
from jobs.registry import JobKind, JobRefused, Output, register
from jobs.services import query_of

from .briefing.data import load_briefing_data
from .briefing.languages import LANGUAGES, build_briefing, file_stem
from .briefing.word import briefing_document
from .briefing.writer import ZH
from .selection import SelectionForm


def write_briefing(job, progress, output) -> Output:
    query = query_of(job)
    language = query.get("lang") or ZH
    if language not in LANGUAGES:
        raise JobRefused(gettext_lazy("Unknown briefing language."))
    form = SelectionForm(query, user=job.user, default_to_current_campaign=True)
    if not form.is_valid():
        messages = [str(error) for errors in form.errors.values() for error in errors]
        raise JobRefused(" ".join(messages))
    selection = form.selection()
    progress.start(2)
    data = load_briefing_data(job.user, selection, branches=form.branches)
    progress.advance()
    output.write(briefing_document(build_briefing(data, language)))
    progress.advance()
    return Output(f"{file_stem(selection, language)}.docx", DOCX)


BRIEFING_DOCX = register(
    JobKind(
        name="briefing_docx",
        title=gettext_lazy("Briefing (Word)"),
        may_start=lambda user: not scope_of(user).is_empty,
        run=write_briefing,
        back_url_name="reports:briefing",
    )
)
