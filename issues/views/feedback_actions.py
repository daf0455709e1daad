"""Opinions ticked on the feedback list, an activity or an enterprise: dispose of them, or
give their enterprise one reply.

The list posts the chosen ids here; the page lists them again (read through the user's
scope). Disposing offers three ways on: open a new issue, attach them to an open issue of
the branch, or close them with a reason. Replying records one answer on each opinion, for
opinions of one enterprise. The services refuse what changed meanwhile (an opinion linked
or answered by someone else, a second click), and then nothing is done.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from branches import rules as branch_rules
from core.ids import parse_ids
from core.submissions import once_per_submission
from outreach.models import FeedbackItem

from .. import rules, selectors, services, suggestions
from ..feedback_forms import (
    CLOSE,
    CREATE,
    LINK,
    AttachToIssueForm,
    CloseFeedbackForm,
    IssueFromFeedbackForm,
    OpinionReplyForm,
)
from ..models import IssueSuggestion
from .opinions import reply_recorded_message


@login_required
@require_POST
@once_per_submission
def feedback_dispose(request):
    """Show the chosen opinions with the three ways on; do the one that was submitted."""
    user = request.user
    if not branch_rules.can_dispose_feedback(user):
        raise PermissionDenied
    back_url = _back_url(request)
    items = _chosen_items(request)
    if not items:
        messages.error(request, _("Choose at least one opinion."))
        return redirect(back_url)
    pending = [item for item in items if _is_undisposed(item)]
    open_issues = selectors.issues_to_attach_to(user)
    action = request.POST.get("action")
    data = {name: request.POST if action == name else None for name in (CREATE, LINK, CLOSE)}
    forms = {
        CREATE: IssueFromFeedbackForm(data[CREATE], items=pending),
        LINK: AttachToIssueForm(data[LINK], issues=open_issues),
        CLOSE: CloseFeedbackForm(data[CLOSE], items=pending),
    }
    errors: list[str] = []
    if action in forms and len(pending) == len(items):
        form = forms[action]
        if form.is_valid():
            try:
                response = _dispose(request, action, form.cleaned_data, pending, back_url)
            except ValidationError as error:
                errors = _report(form, error)
                # Read again: the refusal is usually an opinion disposed of meanwhile.
                items = _chosen_items(request)
                pending = [item for item in items if _is_undisposed(item)]
            else:
                _record_suggestions(request, action, form.cleaned_data, pending)
                return response
    elif action in forms:
        errors = [_("Some of these opinions were disposed of meanwhile: nothing was done.")]
    return render(
        request,
        "issues/feedback_dispose.html",
        {
            "items": items,
            "pending": pending,
            "taken": [item for item in items if not _is_undisposed(item)],
            "forms": forms,
            "create_form": forms[CREATE],
            "link_form": forms[LINK],
            "close_form": forms[CLOSE],
            "active": action if action in forms else _default_action(pending),
            "errors": errors,
            "back_url": back_url,
        },
    )


#: The bulk reply page's submit button value (its first display carries none).
REPLY = "reply"


@login_required
@require_POST
@once_per_submission
def feedback_reply_bulk(request):
    """Show the chosen opinions with one reply form; record it on each when submitted."""
    user = request.user
    if not branch_rules.can_dispose_feedback(user):
        raise PermissionDenied
    back_url = _back_url(request)
    items = _chosen_items(request)
    if not items:
        messages.error(request, _("Choose at least one opinion."))
        return redirect(back_url)
    if not all(rules.can_reply(user, item) for item in items):
        raise PermissionDenied
    try:
        services.refuse_unless_one_enterprise(items)
    except ValidationError as error:
        return _reply_page(request, items, None, list(error.messages), back_url)
    submitted = request.POST.get("action") == REPLY
    form = OpinionReplyForm(
        request.POST if submitted else None, seen_reply_id=selectors.newest_reply_id(items)
    )
    if submitted and form.is_valid():
        data = form.cleaned_data
        try:
            replies = services.feedback_reply(
                actor=user,
                feedback_items=items,
                channel=data["channel"],
                content=data["content"],
                replied_on=data["replied_on"],
                satisfaction=data["satisfaction"],
                seen_reply_id=data["seen_reply_id"],
            )
        except ValidationError as error:
            # A refusal about no field (a reply recorded meanwhile, a second click): the
            # page shows it without the form, so that nothing is sent twice by mistake.
            errors = _report(form, error)
            if errors:
                return _reply_page(request, _chosen_items(request), None, errors, back_url)
        else:
            messages.success(request, reply_recorded_message(replies[0], len(replies)))
            return redirect(back_url)
    return _reply_page(request, items, form, [], back_url)


def _reply_page(request, items, form, errors, back_url):
    return render(
        request,
        "issues/feedback_reply.html",
        {
            "items": items,
            "enterprise": items[0].enterprise,
            "form": form,
            "errors": errors,
            "back_url": back_url,
        },
    )


def _chosen_items(request) -> list[FeedbackItem]:
    """The posted opinions, in the user's scope; any id outside it is a 404."""
    ids = parse_ids(request.POST.getlist("items"))
    if ids is None:
        raise Http404
    items = list(
        FeedbackItem.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("enterprise", "category", "activity", "issue")
        .order_by("received_on", "id")
    )
    if len(items) != len(ids):
        raise Http404
    return items


def _is_undisposed(item: FeedbackItem) -> bool:
    return not (item.issue_id or item.closed_at or item.withdrawn_at)


def _default_action(items: list[FeedbackItem]) -> str:
    """Praise alone usually needs no issue; anything else usually does."""
    if items and all(item.kind == FeedbackItem.Kind.PRAISE for item in items):
        return CLOSE
    return CREATE


def _dispose(request, action: str, data: dict, items: list[FeedbackItem], back_url: str):
    user, count = request.user, len(items)
    if action == CREATE:
        issue = services.issue_create(
            actor=user,
            feedback_items=items,
            title=data["title"],
            category=data["category"],
            description=data["description"],
            severity=data["severity"],
        )
        messages.success(
            request,
            ngettext(
                "Issue #%(pk)d opened from %(count)d opinion.",
                "Issue #%(pk)d opened from %(count)d opinions.",
                count,
            )
            % {"pk": issue.pk, "count": count},
        )
        return redirect("issues:issue_detail", pk=issue.pk)
    if action == LINK:
        issue = services.feedback_link(actor=user, issue=data["issue"], feedback_items=items)
        messages.success(
            request,
            ngettext(
                "%(count)d opinion attached to issue #%(pk)d.",
                "%(count)d opinions attached to issue #%(pk)d.",
                count,
            )
            % {"pk": issue.pk, "count": count},
        )
        return redirect("issues:issue_detail", pk=issue.pk)
    closed = services.feedback_close(actor=user, feedback_items=items, reason=data["reason"])
    messages.success(
        request,
        ngettext(
            "%(count)d opinion closed without an issue.",
            "%(count)d opinions closed without an issue.",
            closed,
        )
        % {"count": closed},
    )
    return redirect(back_url)


def _record_suggestions(request, action: str, data: dict, items: list[FeedbackItem]) -> None:
    """What became of the open issues suggested beside the page, if any were shown: the
    one the opinions were attached to, and the others not chosen."""
    shown = suggestions.read_token(
        request.user, request.POST.get("suggested", ""), IssueSuggestion.Intake.ISSUE
    )
    if shown:
        suggestions.suggestion_choices_record(
            actor=request.user,
            shown=shown,
            intake=IssueSuggestion.Intake.ISSUE,
            feedback_item=items[0],
            attached_to=data["issue"].pk if action == LINK else None,
        )


def _report(form, error: ValidationError) -> list[str]:
    """Put a service's refusal on the form's fields; return what belongs to no field."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    rest = []
    for field, field_errors in error.error_dict.items():
        if field in form.fields:
            form.add_error(field, field_errors)
        else:
            rest.extend(message for e in field_errors for message in e.messages)
    return rest


def _back_url(request) -> str:
    """Where the opinions were chosen (the filtered list, an activity), if it is ours."""
    url = request.POST.get("next", "")
    # A path of this site only: redirect() would read any other word as a view's name.
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("outreach:feedback_list")
