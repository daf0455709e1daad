"""Feedback: enter the opinions heard at an activity, list and export them, withdraw one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView

from branches import rules
from branches.mixins import ScopedFilterMixin
from core.chips import filter_chips
from core.excel import xlsx_response
from core.submissions import once_per_submission

from .. import selectors, services, voice
from ..filters import FeedbackItemFilter
from ..forms import (
    FEEDBACK_MAX_ROWS,
    FEEDBACK_PREFIX,
    FeedbackEntryChoices,
    FeedbackFormSet,
    FeedbackRowForm,
)
from ..models import Activity, Enterprise, FeedbackItem, Satisfaction
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
        if formset.is_valid() and _save_rows(request.user, activity, formset):
            count = len(formset.filled_forms())
            messages.success(
                request,
                ngettext("%(count)d opinion recorded.", "%(count)d opinions recorded.", count)
                % {"count": count},
            )
            return redirect("outreach:activity_detail", pk=activity.pk)
    else:
        formset = FeedbackFormSet(prefix=FEEDBACK_PREFIX, form_kwargs=form_kwargs)
    formset.focus_first()
    return render(
        request,
        "outreach/feedback_entry.html",
        {"activity": activity, "formset": formset, "max_rows": FEEDBACK_MAX_ROWS},
    )


def _save_rows(actor, activity: Activity, formset) -> bool:
    """Create every filled row through the service in one transaction.

    A row the service refuses gets the service's errors; then nothing is kept, and every
    refused row is reported at once rather than one per attempt.
    """
    refused = False
    with transaction.atomic():
        for form in formset.filled_forms():
            data = form.cleaned_data
            try:
                services.feedback_create(
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
        if refused:
            transaction.set_rollback(True)
    return not refused


@login_required
@require_GET
def feedback_entry_row(request, activity_pk: int):
    """One more empty row for the entry form (htmx), and the form count raised by one."""
    activity = _activity_for_entry(request, activity_pk)
    try:
        index = int(request.GET.get(f"{FEEDBACK_PREFIX}-TOTAL_FORMS", ""))
    except ValueError:
        return HttpResponseBadRequest(_("The number of rows is missing."))
    if activity.is_withdrawn or not 0 <= index < FEEDBACK_MAX_ROWS:
        return HttpResponseBadRequest(_("No more rows can be added."))
    form = FeedbackRowForm(
        prefix=f"{FEEDBACK_PREFIX}-{index}",
        choices=FeedbackEntryChoices(activity),
        use_required_attribute=False,
        empty_permitted=True,
    )
    form.focus()
    return render(
        request,
        "outreach/partials/feedback_row.html",
        {"form": form, "number": index + 1, "total_forms": index + 1},
    )


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
        context["active_filters"] = self._active_filters()
        return context

    def _active_filters(self) -> list[dict]:
        """The chips of the filters in use; the enterprise (set by its page's link, no
        field of its own) is named only when the user may see it."""

        def enterprise_name(pk):
            enterprise = Enterprise.objects.visible_to(self.request.user).filter(pk=pk)
            return enterprise.values_list("name", flat=True).first()

        return filter_chips(self.request, self.filterset, describe={"enterprise": enterprise_name})


@login_required
@require_GET
def feedback_export(request):
    """The filtered list as an Excel workbook, written row by row (same scope, same filters)."""
    filterset = FeedbackItemFilter(
        request.GET or None,
        queryset=selectors.feedback_list(request.user),
        user=request.user,
        request=request,
    )
    queryset = filterset.qs if filterset.is_valid() or not filterset.is_bound else None
    items = ()
    if queryset is not None:
        # The enterprise's latest rating rides along on each row (outreach.voice).
        queryset = voice.with_latest_rating(queryset).annotate(
            rating_level=F(voice.LEVEL), rating_not_solved=F(voice.NOT_SOLVED)
        )
        items = queryset.iterator(chunk_size=2000)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    labels = voice.rating_labels()
    return xlsx_response(
        filename=f"feedback-{stamp}.xlsx",
        sheet_title=_("Opinions"),
        headers=_export_headers(),
        rows=(_export_row(item, labels) for item in items),
        widths=(8, 12, 10, 30, 14, 26, 12, 8, 60, 20, 14, 30, 30, 10, 14, 18),
    )


def _export_headers() -> list[str]:
    return [
        _("No."),
        _("Received on"),
        _("Branch"),
        _("Activity"),
        _("Activity kind"),
        _("Enterprise"),
        _("Category"),
        _("Opinion kind"),
        _("Content"),
        _("Contact"),
        _("Disposition"),
        _("Issue"),
        _("Reason for closing"),
        _("Reply"),
        _("Satisfaction recorded by staff"),
        _("Enterprise's latest rating"),
    ]


def _rating(item: FeedbackItem, labels: dict[int, str]) -> str:
    """The enterprise's latest rating, and "not solved" when it said so; blank if none."""
    if item.rating_level is None:
        return ""
    label = labels.get(item.rating_level, str(item.rating_level))
    if item.rating_not_solved:
        return _("%(rating)s (not solved)") % {"rating": label}
    return label


def _export_row(item: FeedbackItem, labels: dict[int, str]) -> list[object]:
    return [
        item.pk,
        item.received_on,
        item.branch.short_name,
        item.activity.title,
        item.activity.get_kind_display(),
        item.enterprise.name if item.enterprise_id else _("Anonymous"),
        str(item.category),
        item.get_kind_display(),
        item.content,
        item.contact,
        FeedbackItem.Disposition(item.disposition).label,
        item.issue.title if item.issue_id else "",
        item.closed_reason,
        _("Replied") if item.is_answered else _("Not replied"),
        Satisfaction(item.satisfaction).label if item.satisfaction else "",
        _rating(item, labels),
    ]


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
