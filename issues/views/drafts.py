"""Replies waiting for the branch lead's approval (four eyes, where the office asks for it):
approve, send back with a comment, and (by its author) edit and submit again.

POST-only, back to the opinion page. The order of refusals is the opinion page's: outside
the user's scope a 404 (the draft is looked up through ``visible_to``); in scope but not a
lead of the branch other than the author (or not the author, to submit again), a 403; a
form that does not validate, the opinion page again with the form open; a draft that moved
on meanwhile (approved or sent back by someone else, a second click), a message and
nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.submissions import once_per_submission

from .. import rules, selectors, services
from ..feedback_forms import DraftResubmitForm, DraftSendBackForm
from ..models import ReplyDraft
from .opinions import _field_errors, render_opinion_page


def _draft_in_scope(request, pk: int) -> ReplyDraft:
    return get_object_or_404(
        ReplyDraft.objects.visible_to(request.user).select_related("feedback_item"), pk=pk
    )


def _back(draft: ReplyDraft):
    return redirect("issues:feedback_detail", pk=draft.feedback_item_id)


def _refusal(request, draft: ReplyDraft, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return _back(draft)


def _page_with(request, draft: ReplyDraft, kind: str, form):
    """The opinion page again, the failed form open with its errors."""
    messages.error(request, _("Nothing was saved: check the highlighted fields."))
    item = get_object_or_404(selectors.opinions_for_page(request.user), pk=draft.feedback_item_id)
    return render_opinion_page(request, item, draft_forms={(draft.pk, kind): form})


@login_required
@require_POST
@once_per_submission
def reply_draft_approve(request, pk: int):
    """A lead of the branch, not its author, approves the reply: it is recorded."""
    draft = _draft_in_scope(request, pk)
    if not rules.can_review_draft(request.user, draft):
        raise PermissionDenied
    try:
        services.reply_draft_approve(actor=request.user, draft=draft)
    except ValidationError as error:
        return _refusal(request, draft, error)
    messages.success(request, _("Reply approved: it is recorded and counts as a reply."))
    return _back(draft)


@login_required
@require_POST
@once_per_submission
def reply_draft_send_back(request, pk: int):
    """A lead of the branch, not its author, sends the reply back with a comment."""
    draft = _draft_in_scope(request, pk)
    if not rules.can_review_draft(request.user, draft):
        raise PermissionDenied
    form = DraftSendBackForm(request.POST)
    if not form.is_valid():
        return _page_with(request, draft, "send_back", form)
    try:
        services.reply_draft_send_back(
            actor=request.user, draft=draft, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        if _field_errors(form, error):
            return _page_with(request, draft, "send_back", form)
        return _refusal(request, draft, error)
    messages.success(request, _("Reply sent back to its author with your comment."))
    return _back(draft)


@login_required
@require_POST
@once_per_submission
def reply_draft_resubmit(request, pk: int):
    """The author edits a reply sent back and submits it again for approval."""
    draft = _draft_in_scope(request, pk)
    if not rules.can_resubmit_draft(request.user, draft):
        raise PermissionDenied
    form = DraftResubmitForm(request.POST, draft=draft)
    if not form.is_valid():
        return _page_with(request, draft, "resubmit", form)
    data = form.cleaned_data
    try:
        services.reply_draft_resubmit(
            actor=request.user,
            draft=draft,
            channel=data["channel"],
            content=data["content"],
            replied_on=data["replied_on"],
            satisfaction=data["satisfaction"],
        )
    except ValidationError as error:
        if _field_errors(form, error):
            return _page_with(request, draft, "resubmit", form)
        return _refusal(request, draft, error)
    messages.success(request, _("The reply was sent to the branch lead for approval again."))
    return _back(draft)
