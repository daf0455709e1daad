"""The opinion page and what is done from it: a reply (or an attempt) to one opinion, and
closing it as unreachable.

The issues app owns this page because it shows the opinion's disposition, its issue and its
replies; outreach's pages link here by URL name. The order of refusals is the issue page's:
outside the user's scope a 404 (the opinion is looked up through ``visible_to``); in scope
but a role that may not, a 403; a form that does not validate, the page again with the form
open; a refusal of the service (a reply recorded meanwhile, too few attempts), a message
and nothing written; success, back to the page with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from branches import rules as branch_rules
from core.submissions import once_per_submission
from outreach import selectors as outreach_selectors
from outreach.models import FeedbackItem

from .. import extensions, rules, selectors, services
from ..feedback_forms import (
    DraftResubmitForm,
    DraftSendBackForm,
    OpinionReplyForm,
    UnreachableForm,
)
from ..models import Reply, ReplyDraft


def _opinion_in_scope(request, pk: int) -> FeedbackItem:
    return get_object_or_404(selectors.opinions_for_page(request.user), pk=pk)


def _back(item: FeedbackItem):
    return redirect("issues:feedback_detail", pk=item.pk)


@login_required
@require_safe
def feedback_detail(request, pk: int):
    return render_opinion_page(request, _opinion_in_scope(request, pk))


def render_opinion_page(
    request,
    item: FeedbackItem,
    *,
    reply_form: OpinionReplyForm | None = None,
    unreachable_form: UnreachableForm | None = None,
    draft_forms: dict | None = None,
):
    """The opinion page; a posted form that failed is shown open, with its errors.

    ``draft_forms`` holds a failed form about a reply waiting for approval, keyed
    ``(draft pk, "send_back" or "resubmit")``.
    """
    user = request.user
    draft_forms = draft_forms or {}
    replies = selectors.opinion_replies(item)
    drafts = selectors.opinion_drafts(item)
    extensions.add_opinion_extras([item], item)  # the enterprise's own rating, if any
    for draft in drafts:
        draft.feedback_item = item  # the rules read its branch
        draft.send_back_form = draft.resubmit_form = None
        draft.may_approve = draft.status == ReplyDraft.Status.PENDING and rules.can_review_draft(
            user, draft
        )
        if draft.may_approve:
            draft.send_back_form = draft_forms.get((draft.pk, "send_back")) or DraftSendBackForm()
        if draft.status == ReplyDraft.Status.SENT_BACK and rules.can_resubmit_draft(user, draft):
            draft.resubmit_form = draft_forms.get((draft.pk, "resubmit")) or DraftResubmitForm(
                draft=draft
            )
        draft.open_form = any(key[0] == draft.pk for key in draft_forms)
    attempt_days = len({reply.replied_on for reply in replies if reply.is_attempt})
    is_active = item.withdrawn_at is None
    may_reply = is_active and rules.can_reply(user, item)
    # The lead sees the closing form once the opinion has attempts and no answer.
    may_close = (
        is_active
        and not item.is_answered
        and attempt_days > 0
        and rules.can_close_unreachable(user, item)
    )
    if may_reply and reply_form is None:
        newest = max((reply.pk for reply in replies), default=0)
        reply_form = OpinionReplyForm(seen_reply_id=newest)
    if may_close and unreachable_form is None:
        unreachable_form = UnreachableForm()
    history, trail = outreach_selectors.feedback_history(item)
    context = {
        "item": item,
        "history": history,
        "trail": trail,
        # The staff and lead of its branch correct an opinion entered by mistake.
        "may_edit": is_active and branch_rules.can_log_outreach_in(user, item.branch),
        "replies": replies,
        "drafts": drafts,
        "attempt_days": attempt_days,
        "attempts_needed": services.UNREACHABLE_AFTER_DAYS,
        "reply_form": reply_form if may_reply else None,
        "reply_open": reply_form is not None and reply_form.is_bound,
        "unreachable_form": unreachable_form if may_close else None,
        "unreachable_open": unreachable_form is not None and unreachable_form.is_bound,
        # Still waiting for a disposition: offer the dispose page with this one ticked.
        "may_dispose": (
            is_active
            and not item.issue_id
            and not item.closed_at
            and branch_rules.works_in_branch(user, item.branch_id)
        ),
    }
    return render(request, "issues/feedback_detail.html", context)


def _field_errors(form, error: ValidationError) -> bool:
    """Put a service's field errors on the form; False when the error is not about a field."""
    if not hasattr(error, "error_dict"):
        return False
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)
    return True


@login_required
@require_POST
@once_per_submission
def feedback_reply(request, pk: int):
    """Record a reply, or an attempt, to one opinion."""
    item = _opinion_in_scope(request, pk)
    if not rules.can_reply(request.user, item):
        raise PermissionDenied
    form = OpinionReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: check the highlighted fields."))
        return render_opinion_page(request, item, reply_form=form)
    data = form.cleaned_data
    try:
        [reply] = services.feedback_reply(
            actor=request.user,
            feedback_items=[item],
            channel=data["channel"],
            content=data["content"],
            replied_on=data["replied_on"],
            satisfaction=data["satisfaction"],
            seen_reply_id=data["seen_reply_id"],
        )
    except ValidationError as error:
        if _field_errors(form, error):
            messages.error(request, _("Nothing was saved: check the highlighted fields."))
            return render_opinion_page(request, item, reply_form=form)
        for message in error.messages:
            messages.error(request, message)
        return _back(item)
    messages.success(request, reply_recorded_message(reply, 1))
    return _back(item)


def reply_recorded_message(reply: Reply | ReplyDraft, count: int) -> str:
    """What the user is told once a reply form went through: a reply, an attempt, or
    drafts sent to the branch lead for approval."""
    if isinstance(reply, ReplyDraft):
        if count == 1:
            return _("The reply was sent to the branch lead for approval.")
        return _(
            "The reply to each of the {count} opinions was sent to the branch lead for approval."
        ).format(count=count)
    if reply.is_attempt:
        return _(
            "Attempt recorded: the enterprise was not reached, so the opinion still waits "
            "for a reply."
        )
    if count == 1:
        return _("Reply recorded.")
    return _("One reply recorded for each of the {count} opinions.").format(count=count)


@login_required
@require_POST
@once_per_submission
def feedback_close_unreachable(request, pk: int):
    """The branch lead closes the opinion as unreachable, after attempts on two days."""
    item = _opinion_in_scope(request, pk)
    if not rules.can_close_unreachable(request.user, item):
        raise PermissionDenied
    form = UnreachableForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: check the highlighted fields."))
        return render_opinion_page(request, item, unreachable_form=form)
    try:
        services.feedback_close_unreachable(
            actor=request.user, feedback_item=item, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        if _field_errors(form, error):
            messages.error(request, _("Nothing was saved: check the highlighted fields."))
            return render_opinion_page(request, item, unreachable_form=form)
        for message in error.messages:
            messages.error(request, message)
        return _back(item)
    messages.success(request, _("Closed as unreachable: the opinion counts as answered."))
    return _back(item)
