"""The briefing (简报): the page with both languages side by side, and its Word download."""

from __future__ import annotations

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from branches.scoping import scope_of
from core.files import DOCX

from ..selection import Selection, SelectionForm
from .data import load_briefing_data
from .languages import LANGUAGES, build_briefing, file_stem
from .word import briefing_document
from .writer import EN, ZH


def _selection_form(request):
    user = request.user
    if scope_of(user).is_empty:
        raise Http404
    return SelectionForm(request.GET, user=user, default_to_current_campaign=True)


def _download_query(selection: Selection, language: str) -> str:
    """The selection as query parameters, with "all campaigns" kept explicit (an absent
    campaign would mean the current one)."""
    params = {"campaign": "", **selection.params(), "lang": language}
    return urlencode(params)


@require_safe
@login_required
def briefing(request):
    form = _selection_form(request)
    if not form.is_valid():
        return render(request, "reports/briefing.html", {"form": form}, status=400)
    selection = form.selection()
    data = load_briefing_data(request.user, selection, branches=form.branches)
    zh, en = build_briefing(data, ZH), build_briefing(data, EN)
    context = {
        "form": form,
        "selection": selection,
        "zh": zh,
        "en": en,
        "briefings": [zh, en],
        "download_zh": _download_query(selection, ZH),
        "download_en": _download_query(selection, EN),
    }
    return render(request, "reports/briefing.html", context)


@require_safe
@login_required
def briefing_docx(request):
    form = _selection_form(request)
    language = request.GET.get("lang") or ZH
    if language not in LANGUAGES:
        return HttpResponseBadRequest(_("Unknown briefing language."))
    if not form.is_valid():
        messages = [error for errors in form.errors.values() for error in errors]
        return HttpResponseBadRequest(" ".join(str(message) for message in messages))
    selection = form.selection()
    data = load_briefing_data(request.user, selection, branches=form.branches)
    result = build_briefing(data, language)
    return FileResponse(
        BytesIO(briefing_document(result)),
        as_attachment=True,
        filename=f"{file_stem(selection, language)}.docx",
        content_type=DOCX,
    )
