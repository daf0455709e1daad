"""The briefing (简报): the page with both languages side by side (its Word file is a job:
``reports.jobs``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from branches.scoping import scope_of
from core.languages import english_active

from ..selection import Selection, SelectionForm
from .data import load_briefing_data
from .languages import build_briefing
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
    # Both texts are the document; the reader's language comes first (and its Word file
    # is the primary button).
    context = {
        "form": form,
        "selection": selection,
        "zh": zh,
        "en": en,
        "briefings": [en, zh] if english_active() else [zh, en],
        "english_first": english_active(),
        "download_zh": _download_query(selection, ZH),
        "download_en": _download_query(selection, EN),
    }
    return render(request, "reports/briefing.html", context)
