"""Feedback: enter the opinions heard at an activity, list and export them, correct or
withdraw one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_filters.views import FilterView

from branches import rules
from branches.mixins import ScopedFilterMixin
from core.chips import filter_chips
from core.submissions import once_per_submission

from .. import selectors, services
from ..filters import FeedbackItemFilter
from ..forms import (
    FEEDBACK_MAX_ROWS,
    FEEDBACK_PREFIX,
    INTAKE_FIELDS,
    FeedbackEditForm,
    FeedbackEntryChoices,
    FeedbackFormSet,
)
from ..models import Activity, Enterprise, FeedbackItem
from .withdrawal import withdraw_from_post

# --- entry ----------------------------------------------------------------------------


def _activity_for_entry(request, activity_pk: int) -> Activity:
    """The activity to record opinions for: 404 outside the user's scope, 403 for anyone
    but the staff and lead of its branch (provincial roles read, they do not enter)."""
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("branch", "campaign"),
        pk=activity_pk,
    )
    user = request.user
    if not (rules.can_log_outreach(user) and rules.can_log_outreach_in(user, activity.branch)):
        raise PermissionDenied
    return activity


def _withdrawn_refusal(request, activity: Activity):
    messages.error(
        request, _("This activity has been withdrawn: no opinions can be recorded for it.")
    )
    return redirect("outreach:activity_detail", pk=activity.pk)


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def feedback_entry(request, activity_pk: int):
    """Record many opinions heard at one activity in one go: all rows are saved, or none."""
    activity = _activity_for_entry(request, activity_pk)
    if activity.is_withdrawn:
        return _withdrawn_refusal(request, activity)
    form_kwargs = {"choices": FeedbackEntryChoices(activity)}
    if request.method == "POST":
        formset = FeedbackFormSet(request.POST, prefix=FEEDBACK_PREFIX, form_kwargs=form_kwargs)
        notes = _save_rows(request.user, activity, formset) if formset.is_valid() else None
        if notes is not None:
            count = len(formset.filled_forms())
            messages.success(
                request,
                ngettext("%(count)d opinion recorded.", "%(count)d opinions recorded.", count)
                % {"count": count},
            )
            for note in notes:
                messages.info(request, note)
            return redirect("outreach:activity_detail", pk=activity.pk)
    else:
        formset = FeedbackFormSet(prefix=FEEDBACK_PREFIX, form_kwargs=form_kwargs)
    formset.focus_first()
    return render(
        request,
        "outreach/feedback_entry.html",
        {"activity": activity, "formset": formset, "max_rows": FEEDBACK_MAX_ROWS},
    )


def _save_rows(actor, activity: Activity, formset) -> list[str] | None:
    """Create every filled row through the service in one transaction; the messages of
    what the apps above did with them (an opinion attached to a suggested issue), or None
    when nothing was saved.

    A row the service refuses gets the service's errors; then nothing is kept, and every
    refused row is reported at once rather than one per attempt.
    """
    refused = False
    recorded = []
    with transaction.atomic():
        for form in formset.filled_forms():
            data = form.cleaned_data
            try:
                item = services.feedback_create(
                    actor=actor,
                    activity=activity,
                    enterprise=data["enterprise"],
                    category=data["category"],
                    kind=data["kind"],
                    content=data["content"],
                    contact=data["contact"],
                )
            except ValidationError as error:
                refused = True
                if hasattr(error, "error_dict"):
                    for field, field_errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, field_errors)
                else:
                    form.add_error(None, error)
            else:
                recorded.append((item, {name: data.get(name) for name in INTAKE_FIELDS}))
        if refused:
            transaction.set_rollback(True)
            return None
        return services.opinions_announce(actor=actor, opinions=recorded)


# --- list and export ------------------------------------------------------------------


class FeedbackListView(LoginRequiredMixin, ScopedFilterMixin, FilterView):
    model = FeedbackItem
    filterset_class = FeedbackItemFilter
    paginate_by = 25
    template_name = "outreach/feedback_list.html"

    def get_queryset(self):
        return selectors.feedback_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shows_branch"] = self.filterset.shows_branch
        # Ticks to turn opinions into issues: for the staff and lead of the branch.
        context["can_dispose"] = rules.can_dispose_feedback(self.request.user)
        # A link to correct each opinion: for the staff and lead, who list only their own.
        context["can_correct"] = rules.can_log_outreach(self.request.user)
        context["active_filters"] = self._active_filters()
        return context

    def _active_filters(self) -> list[dict]:
        """The chips of the filters in use; the enterprise (set by its page's link, no
        field of its own) is named only when the user may see it."""

        def enterprise_name(pk):
            enterprise = Enterprise.objects.visible_to(self.request.user).filter(pk=pk)
            return enterprise.values_list("name", flat=True).first()

        return filter_chips(self.request, self.filterset, describe={"enterprise": enterprise_name})


# --- correct ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def feedback_update(request, pk: int):
    """Correct an opinion entered by mistake (the staff and lead of its branch); the change
    is kept in its history, shown on its page, where a correction leads back to."""
    item = get_object_or_404(
        FeedbackItem.objects.visible_to(request.user).select_related(
            "activity", "branch", "enterprise", "category"
        ),
        pk=pk,
    )
    if not rules.can_log_outreach_in(request.user, item.branch):
        raise PermissionDenied
    if item.is_withdrawn:
        messages.error(request, _("This opinion was withdrawn: it can no longer be corrected."))
        return redirect("issues:feedback_detail", pk=item.pk)
    kept = services.feedback_kept_fields(item)
    if request.method != "POST":
        form = FeedbackEditForm(item=item, kept=kept)
        return _edit_page(request, item, form)
    form = FeedbackEditForm(request.POST, item=item, kept=kept)
    if not form.is_valid():
        return _edit_page(request, item, form)
    data = form.cleaned_data
    try:
        changed = services.feedback_update(
            actor=request.user,
            feedback_item=item,
            seen_updated_at=data["version"],
            enterprise=data["enterprise"],
            category=data["category"],
            kind=data["kind"],
            content=data["content"],
            contact=data["contact"],
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "stale":
            return _stale_edit(request, item, error)
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
        return _edit_page(request, item, form)
    if changed:
        messages.success(request, _("Opinion corrected: the change is kept in its history."))
    else:
        messages.info(request, _("Nothing was changed."))
    return redirect("issues:feedback_detail", pk=item.pk)


def _stale_edit(request, item: FeedbackItem, error: ValidationError):
    """Someone changed the opinion meanwhile: the form again with what the user typed,
    the opinion as it is now beside it, and the new version, so a second save is a
    decision made on what is there now."""
    item = FeedbackItem.objects.select_related("activity", "branch", "enterprise", "category").get(
        pk=item.pk
    )
    if item.is_withdrawn:
        messages.error(request, _("This opinion was withdrawn: it can no longer be corrected."))
        return redirect("issues:feedback_detail", pk=item.pk)
    data = request.POST.copy()
    data["version"] = item.updated_at.isoformat()
    form = FeedbackEditForm(data, item=item, kept=services.feedback_kept_fields(item))
    form.is_valid()
    form.add_error(None, error)
    return _edit_page(request, item, form, stale=True)


def _edit_page(request, item: FeedbackItem, form, *, stale: bool = False):
    return render(
        request, "outreach/feedback_form.html", {"item": item, "form": form, "stale": stale}
    )


# --- withdraw -------------------------------------------------------------------------


@login_required
@require_POST
@once_per_submission
def feedback_withdraw(request, pk: int):
    """Withdraw one opinion with a reason (it stays in the history, out of lists and counts)."""
    item = get_object_or_404(FeedbackItem.objects.visible_to(request.user), pk=pk)
    back = ("outreach:activity_detail", item.activity_id)
    return withdraw_from_post(
        request, item, back=back, done=back, done_message=_("Opinion withdrawn.")
    )
