"""The office's settings of the clock, under /issues/settings/: the time limits, the list
of return reasons, and which branches' replies need a lead's approval.

The provincial office changes them; institute leaders and administrators read the same
pages without the forms' buttons (a POST from them is a 403); branch staff and leads get a
403 (they see the settings' effect, deadlines and the reasons offered, on their own pages).
Bad input draws the page again with its errors, and nothing changes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from branches.models import Branch
from core.submissions import once_per_submission

from .. import clock_settings, rules
from ..models import ReturnReason, TimeLimit
from ..settings_forms import BranchApprovalForm, ReturnReasonForm, TimeLimitFormSet


def _may_edit(request) -> bool:
    """Read access or a 403; a POST needs the office's role (a 403 otherwise)."""
    user = request.user
    if not rules.can_read_clock_settings(user):
        raise PermissionDenied
    may_edit = rules.can_edit_clock_settings(user)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    return may_edit


def _nothing_saved(request) -> None:
    messages.error(request, _("Nothing was saved: check the highlighted fields."))


def _put_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _render(request, template: str, context: dict, may_edit: bool):
    return render(request, template, {**context, "may_edit": may_edit})


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def time_limit_edit(request):
    """Every time limit, in working days, on one form."""
    may_edit = _may_edit(request)
    limits = TimeLimit.objects.select_related("updated_by").order_by("id")
    formset = TimeLimitFormSet(request.POST or None, queryset=limits)
    if request.method == "POST":
        if formset.is_valid():
            values = {form.instance.step: form.cleaned_data["working_days"] for form in formset}
            try:
                changed = clock_settings.time_limits_update(actor=request.user, values=values)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                if changed:
                    messages.success(request, _("Time limits saved."))
                else:
                    messages.info(request, _("No time limit was changed."))
                return redirect("issues:time_limit_edit")
        _nothing_saved(request)
    return _render(request, "issues/time_limit_edit.html", {"formset": formset}, may_edit)


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def return_reason_list(request):
    """The reasons a branch may give when it returns an issue; the office adds one here."""
    may_edit = _may_edit(request)
    form = ReturnReasonForm(request.POST or None, adding=True)
    if request.method == "POST":
        if form.is_valid():
            try:
                clock_settings.return_reason_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, _("Return reason added."))
                return redirect("issues:return_reason_list")
        _nothing_saved(request)
    context = {"reasons": ReturnReason.objects.order_by("sort_order", "id"), "form": form}
    return _render(request, "issues/return_reason_list.html", context, may_edit)


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def return_reason_update(request, pk: int):
    """Rename a reason (with its English name), reorder it, or take it out of use."""
    may_edit = _may_edit(request)
    reason = get_object_or_404(ReturnReason, pk=pk)
    form = ReturnReasonForm(request.POST or None, instance=reason)
    if request.method == "POST":
        if form.is_valid():
            try:
                clock_settings.return_reason_update(
                    actor=request.user, reason=reason, **form.cleaned_data
                )
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, _("Return reason saved."))
                return redirect("issues:return_reason_list")
        _nothing_saved(request)
    context = {"reason": reason, "form": form}
    return _render(request, "issues/return_reason_form.html", context, may_edit)


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def branch_approval_edit(request):
    """Which city branches' replies wait for a lead's approval (four eyes)."""
    may_edit = _may_edit(request)
    branches = list(Branch.objects.filter(kind=Branch.Kind.CITY).order_by("sort_order", "id"))
    form = BranchApprovalForm(request.POST or None, branches=branches)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = clock_settings.branch_approval_set(
                    actor=request.user, branches=form.cleaned_data["branches"]
                )
            except ValidationError as error:
                _put_errors(form, error)
            else:
                if changed:
                    messages.success(request, _("Reply approval saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("issues:branch_approval_edit")
        _nothing_saved(request)
    context = {"form": form, "branches": branches}
    return _render(request, "issues/branch_approval_edit.html", context, may_edit)
