"""Workflow actions on one issue: POST-only views that call one transition or service and
go back to the issue page.

The order of refusals is the same everywhere: outside the user's scope, a 404 (the issue
is looked up through ``visible_to``); in scope but the role may not, a 403; a form that
does not validate, the issue page again with the form open and its errors; a stale
submission (the issue moved on since the page was drawn, in another tab or by someone
else), a message and nothing changed; success, a redirect to the issue page with a message.
The same form sent twice (a double click) is done once: ``once_per_submission`` sends the
copy to the first one's result.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.files import private_file_response
from core.ids import parse_id
from core.submissions import once_per_submission

from .. import rules, selectors, services
from ..forms import (
    TRANSITION_FORMS,
    InstructionForm,
    IssueWithdrawForm,
    MergeForm,
    RectificationForm,
    ReplyForm,
)
from ..models import Instruction, Issue, IssueEvidence, Reply, ReplyDraft
from ..transitions import TRANSITIONS, StaleTransition, apply_transition, role_may
from .issue_pages import render_issue_page
from .opinions import reply_recorded_message


def _issue_in_scope(request, pk: int) -> Issue:
    return get_object_or_404(selectors.issues_for_page(request.user), pk=pk)


def _back(issue: Issue):
    return redirect("issues:issue_detail", pk=issue.pk)


def _refusal(request, issue: Issue, error: ValidationError):
    """Show why the service refused, and go back to the issue page unchanged."""
    for message in error.messages:
        messages.error(request, message)
    return _back(issue)


def _form_errors(request, form) -> None:
    """One message saying the form needs another look (its fields show the details)."""
    messages.error(request, _("Nothing was saved: check the highlighted fields."))
    for error in form.non_field_errors():
        messages.error(request, error)


def _add_service_errors(form, error: ValidationError) -> bool:
    """Put a service's field errors on the form; False when the error is not about a field."""
    if not hasattr(error, "error_dict"):
        return False
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)
    return True


def _stale_message(issue: Issue) -> str:
    # The same sentence as transitions.apply_transition's StaleTransition.
    return _(
        "This issue changed while you were looking at it: it is now “{state}”. "
        "Nothing was done; look at it again before acting."
    ).format(state=issue.get_state_display())


# --- transitions --------------------------------------------------------------------------


@login_required
@require_POST
@once_per_submission
def issue_transition(request, pk: int, name: str):
    """Make transition ``name`` with the posted form, if the issue is still as shown."""
    issue = _issue_in_scope(request, pk)
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise Http404
    if not role_may(request.user, transition, issue):
        raise PermissionDenied
    # A page drawn in another state is answered before its form is read: the form it
    # carried may no longer make sense (a second tab, a double click).
    if request.POST.get("expected_state") != issue.state or issue.state not in transition.sources:
        messages.error(request, _stale_message(issue))
        return _back(issue)
    form = TRANSITION_FORMS[name](request.POST, issue=issue, user=request.user)
    if not form.is_valid():
        _form_errors(request, form)
        return render_issue_page(request, issue, bound={name: form})
    try:
        apply_transition(
            issue_id=issue.pk,
            name=name,
            actor=request.user,
            expected_state=form.cleaned_data["expected_state"],
            note=form.cleaned_data.get("note", ""),
            **form.values(),
        )
    except StaleTransition as error:
        return _refusal(request, issue, error)
    except ValidationError as error:
        if _add_service_errors(form, error):
            _form_errors(request, form)
            return render_issue_page(request, issue, bound={name: form})
        return _refusal(request, issue, error)
    issue.refresh_from_db(fields=["state"])
    messages.success(
        request,
        _("Done: {action}. The issue is now “{state}”.").format(
            action=transition.label, state=issue.get_state_display()
        ),
    )
    return _back(issue)


# --- replies ------------------------------------------------------------------------------


@login_required
@require_POST
@once_per_submission
def reply_add(request, pk: int):
    """A reply to one opinion of the issue (``feedback_item``), or to every enterprise."""
    issue = _issue_in_scope(request, pk)
    if not rules.works_on(request.user, issue):
        raise PermissionDenied
    item = None
    item_pk = request.POST.get("feedback_item") or ""
    if item_pk:
        item = issue.feedback_items.active().filter(pk=parse_id(item_pk) or 0).first()
        if item is None:
            messages.error(request, _("This opinion is no longer part of the issue."))
            return _back(issue)
    form = ReplyForm(request.POST, issue=issue, item=item)
    key = ("reply", item.pk) if item else "reply_all"
    if not form.is_valid():
        _form_errors(request, form)
        return render_issue_page(request, issue, bound={key: form})
    data = form.cleaned_data
    fields = {
        "channel": data["channel"],
        "content": data["content"],
        "replied_on": data["replied_on"],
        "satisfaction": data["satisfaction"],
    }
    try:
        if item is not None:
            if _already_recorded(request.user, item, fields):
                messages.info(request, _("This reply was already recorded."))
                return _back(issue)
            recorded = [services.reply_record(actor=request.user, feedback_item=item, **fields)]
        else:
            recorded = services.reply_record_for_issue(
                actor=request.user,
                issue=issue,
                only_unreplied=data["only_unreplied"],
                **fields,
            )
    except ValidationError as error:
        if _add_service_errors(form, error):
            _form_errors(request, form)
            return render_issue_page(request, issue, bound={key: form})
        return _refusal(request, issue, error)
    count = len(recorded)
    if isinstance(recorded[0], ReplyDraft):
        messages.success(request, reply_recorded_message(recorded[0], count))
        return _back(issue)
    messages.success(
        request,
        ngettext("%(count)d reply recorded.", "%(count)d replies recorded.", count)
        % {"count": count},
    )
    return _back(issue)


def _already_recorded(actor, item, fields) -> bool:
    """The very same reply by the same person: a double click, not a second reply (nor a
    second draft waiting for approval)."""
    return (
        Reply.objects.filter(feedback_item=item, replied_by=actor, **fields).exists()
        or ReplyDraft.objects.pending()
        .filter(feedback_item=item, drafted_by=actor, **fields)
        .exists()
    )


# --- rectification and evidence -----------------------------------------------------------


@login_required
@require_POST
@once_per_submission
def rectification_report(request, pk: int):
    """What was done, with evidence files: all kept together, or nothing."""
    issue = _issue_in_scope(request, pk)
    if not rules.works_on(request.user, issue):
        raise PermissionDenied
    form = RectificationForm(request.POST, request.FILES, issue=issue)
    if issue.state != Issue.State.RECTIFYING:
        messages.error(request, _("Rectification is reported while the issue is being rectified."))
        return _back(issue)
    if not form.is_valid():
        _form_errors(request, form)
        for error in form.errors.get("evidence", []):
            messages.error(request, error)
        return render_issue_page(request, issue, bound={"rectification": form})
    uploads = form.cleaned_data["evidence"]
    try:
        with transaction.atomic():
            services.rectification_report(
                actor=request.user, issue=issue, rectification=form.cleaned_data["rectification"]
            )
            for upload in uploads:
                services.evidence_add(actor=request.user, issue=issue, uploaded_file=upload)
    except ValidationError as error:
        if _add_service_errors(form, error):
            _form_errors(request, form)
            return render_issue_page(request, issue, bound={"rectification": form})
        return _refusal(request, issue, error)
    if uploads:
        messages.success(
            request,
            ngettext(
                "Rectification reported with %(count)d file.",
                "Rectification reported with %(count)d files.",
                len(uploads),
            )
            % {"count": len(uploads)},
        )
    else:
        messages.success(request, _("Rectification reported."))
    return _back(issue)


@login_required
@require_safe
def evidence_download(request, pk: int):
    """An evidence file, for anyone who may see its issue; a 404 for everyone else."""
    evidence = get_object_or_404(IssueEvidence.objects.visible_to(request.user), pk=pk)
    return private_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


# --- leader instructions ------------------------------------------------------------------


@login_required
@require_POST
@once_per_submission
def instruction_add(request, pk: int):
    issue = _issue_in_scope(request, pk)
    if not rules.can_write_instruction(request.user):
        raise PermissionDenied
    form = InstructionForm(request.POST, issue=issue)
    if not form.is_valid():
        _form_errors(request, form)
        return render_issue_page(request, issue, bound={"instruction": form})
    try:
        services.instruction_write(
            actor=request.user, issue=issue, content=form.cleaned_data["content"]
        )
    except ValidationError as error:
        return _refusal(request, issue, error)
    messages.success(request, _("Instruction written; the branch will see it on this page."))
    return _back(issue)


@login_required
@require_POST
@once_per_submission
def instruction_acknowledge(request, pk: int):
    instruction = get_object_or_404(
        Instruction.objects.visible_to(request.user).select_related("issue"), pk=pk
    )
    issue = instruction.issue
    if not rules.can_acknowledge(request.user, issue):
        raise PermissionDenied
    try:
        services.instruction_acknowledge(actor=request.user, instruction=instruction)
    except ValidationError as error:
        return _refusal(request, issue, error)
    messages.success(request, _("Instruction acknowledged."))
    return _back(issue)


# --- merge --------------------------------------------------------------------------------


@login_required
@require_POST
@once_per_submission
def issue_merge(request, pk: int):
    """Merge this issue, a duplicate, into another open issue of its branch."""
    issue = _issue_in_scope(request, pk)
    if not rules.works_on(request.user, issue):
        raise PermissionDenied
    form = MergeForm(request.POST, issue=issue, user=request.user)
    if not form.is_valid():
        if issue.merged_into_id:
            messages.error(request, _("A merged or withdrawn issue cannot be merged again."))
            return _back(issue)
        _form_errors(request, form)
        return render_issue_page(request, issue, bound={"merge": form})
    try:
        survivor = services.issue_merge(
            actor=request.user,
            issue=issue,
            into=form.cleaned_data["into"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        return _refusal(request, issue, error)
    messages.success(
        request,
        _("Merged: its opinions now belong to #{pk} {title}.").format(
            pk=survivor.pk, title=survivor.title
        ),
    )
    return redirect("issues:issue_detail", pk=survivor.pk)


# --- withdrawal -----------------------------------------------------------------------------


@login_required
@require_POST
@once_per_submission
def issue_withdraw(request, pk: int):
    """The branch lead withdraws an issue opened by mistake; its opinions go back to
    "no disposition" (the service records which on the timeline)."""
    issue = _issue_in_scope(request, pk)
    if not rules.can_withdraw(request.user, issue):
        raise PermissionDenied
    if issue.withdrawn_at or issue.merged_into_id:  # a second tab, a double click
        messages.error(request, _("This issue was already withdrawn or merged."))
        return _back(issue)
    form = IssueWithdrawForm(request.POST, issue=issue)
    if not form.is_valid():
        _form_errors(request, form)
        return render_issue_page(request, issue, bound={"withdraw": form})
    try:
        services.issue_withdraw(actor=request.user, issue=issue, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        if _add_service_errors(form, error):
            _form_errors(request, form)
            return render_issue_page(request, issue, bound={"withdraw": form})
        return _refusal(request, issue, error)
    messages.success(
        request,
        _("Issue withdrawn. Its opinions are back among those with no disposition."),
    )
    return _back(issue)
