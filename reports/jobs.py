"""The Word files as jobs (``jobs.registry``): the briefing's (the same selection, scope
and figures as its page) and the bulletin's (the same period and figures as its page),
each in the language asked for."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from branches import rules
from branches.scoping import scope_of
from core.files import DOCX
from jobs.registry import JobKind, JobRefused, Output, register
from jobs.services import query_of

from .assessment.periods import Period
from .briefing.data import load_briefing_data
from .briefing.languages import LANGUAGES, build_briefing, file_stem
from .briefing.word import briefing_document
from .briefing.writer import ZH
from .bulletin.data import load_bulletin_data
from .bulletin.languages import LANGUAGES as BULLETIN_LANGUAGES
from .bulletin.languages import build_bulletin
from .bulletin.languages import file_stem as bulletin_file_stem
from .bulletin.word import bulletin_document
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


def write_bulletin(job, progress, output) -> Output:
    query = query_of(job)
    language = query.get("lang") or ZH
    if language not in BULLETIN_LANGUAGES:
        raise JobRefused(gettext_lazy("Unknown bulletin language."))
    if not rules.can_read_bulletin(job.user):
        raise JobRefused(gettext_lazy("The bulletin is read by those who see every branch."))
    period = Period.parse(query.get("period", ""))
    if period is None:
        raise JobRefused(gettext_lazy("Not a month, quarter or year."))
    progress.start(2)
    data = load_bulletin_data(job.user, period)
    progress.advance()
    output.write(bulletin_document(build_bulletin(data, language)))
    progress.advance()
    return Output(f"{bulletin_file_stem(period, language)}.docx", DOCX)


BULLETIN_DOCX = register(
    JobKind(
        name="bulletin_docx",
        title=gettext_lazy("Assessment bulletin (Word)"),
        may_start=rules.can_read_bulletin,
        run=write_bulletin,
        back_url_name="reports:bulletin",
    )
)
