"""Provincial screens: the escalation queue, and meetings that decide escalated issues.

The provincial office records meetings and their decisions; institute leaders read the
same pages. A branch sees only the meetings that decided its own issues, and of those
only its own decisions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView

from branches.scoping import scope_of
from core.ids import parse_ids
from core.submissions import once_per_submission

from .. import rules, selectors, services
from ..models import Escalation, Issue, ProvincialMeeting
from ..province_forms import DecisionRowForm, MeetingForm
from ..transitions import StaleTransition, apply_transition

RECENT_DECISIONS = 10


def sees_province(user) -> bool:
    """The provincial office, institute leaders and administrators: every branch."""
    return scope_of(user).all_branches


# --- the escalation queue ---------------------------------------------------------------


def _with_age(escalations, today) -> list[Escalation]:
    rows = list(escalations)
    for escalation in rows:
        escalation.age_days = (today - timezone.localdate(escalation.requested_at)).days
        escalation.issue_overdue = escalation.issue.is_overdue(today)
    return rows


class EscalationQueueView(LoginRequiredMixin, ListView):
    """What waits for the province to decide, and what it decided lately."""

    template_name = "issues/province_escalations.html"
    context_object_name = "escalations"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sees_province(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.escalations_waiting(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["escalations"] = _with_age(context["escalations"], today)
        context["recent_decisions"] = selectors.recent_decisions(
            self.request.user, limit=RECENT_DECISIONS
        )
        context["can_record"] = rules.can_record_meetings(self.request.user)
        return context


# --- meetings ---------------------------------------------------------------------------


class MeetingListView(LoginRequiredMixin, ListView):
    """Provincial meetings: every one for the province, those deciding its issues for a
    branch, each with the number of decisions the viewer may see."""

    template_name = "issues/province_meetings.html"
    context_object_name = "meetings"
    paginate_by = 25

    def get_queryset(self):
        return selectors.meetings_with_decision_counts(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_record"] = rules.can_record_meetings(self.request.user)
        return context


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def meeting_create(request):
    """The provincial office records a meeting, then decides escalations on its page."""
    if not rules.can_record_meetings(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Meeting recorded. Now record what it decided on each escalation.")
            )
            return redirect("issues:meeting_detail", pk=meeting.pk)
    return render(request, "issues/province_meeting_form.html", {"form": form})


@dataclass
class DecisionRow:
    """One waiting escalation on the meeting page, with its form."""

    escalation: Escalation
    form: DecisionRowForm
    stale: bool = False
    current_state: str | None = None

    @property
    def issue(self) -> Issue:
        return self.escalation.issue


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def meeting_detail(request, pk: int):
    """A meeting with its decisions; the office decides several escalations at once.

    Deciding is all or nothing: if one escalation was decided meanwhile (or a row needs
    correcting), no decision is kept and the page says which.
    """
    user = request.user
    meeting = get_object_or_404(
        ProvincialMeeting.objects.visible_to(user).select_related("recorded_by"), pk=pk
    )
    can_decide = rules.can_record_meetings(user)
    rows: list[DecisionRow] = []
    errors: list[str] = []
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        rows = _posted_rows(request)
        errors = _decide(request, meeting, rows)
        if not errors:
            return redirect("issues:meeting_detail", pk=meeting.pk)
    elif can_decide:
        today = timezone.localdate()
        rows = _rows(_with_age(selectors.escalations_waiting(user), today))
    decisions = selectors.meeting_decisions(user, meeting)
    return render(
        request,
        "issues/province_meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": decisions,
            "can_decide": can_decide,
            "rows": rows,
            "errors": errors,
            "shows_minutes": sees_province(user),
        },
    )


def _rows(escalations, data=None) -> list[DecisionRow]:
    """A form per escalation, offering as owners the staff and lead of its branch."""
    owners = selectors.decision_owners(escalation.issue.branch_id for escalation in escalations)
    return [
        DecisionRow(
            escalation=escalation,
            form=DecisionRowForm(
                data,
                prefix=f"e{escalation.pk}",
                owners=owners[escalation.issue.branch_id],
            ),
        )
        for escalation in escalations
    ]


def _posted_rows(request) -> list[DecisionRow]:
    """The rows the page showed, read again (already decided ones included)."""
    ids = parse_ids(request.POST.getlist("rows"))
    if ids is None:
        raise Http404
    escalations = list(
        Escalation.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("issue", "issue__branch", "requested_by")
        .order_by("requested_at", "id")
    )
    if len(escalations) != len(ids):
        raise Http404
    return _rows(_with_age(escalations, timezone.localdate()), request.POST)


def _decide(request, meeting, rows: list[DecisionRow]) -> list[str]:
    """Apply every ticked decision in one transaction; return why nothing was kept."""
    # Every row is validated (not only up to the first wrong one): all errors show at once.
    invalid = [row for row in rows if not row.form.is_valid()]
    if invalid:
        return [_("Some decisions need correcting: nothing was recorded.")]
    chosen = [row for row in rows if row.form.cleaned_data["discussed"]]
    if not chosen:
        return [_("Tick the escalations this meeting discussed.")]
    refused = False
    with transaction.atomic():
        # Every stale row is found before any decision is applied: the page then names
        # them all, and no one is told of a decision that is then rolled back.
        stale = _stale_rows(chosen)
        for row in stale:
            row.stale = True
            row.form.add_error(None, _stale_message(row))
        if stale:
            return [
                ngettext(
                    "Nothing was recorded: %(issues)s was decided meanwhile.",
                    "Nothing was recorded: %(issues)s were decided meanwhile.",
                    len(stale),
                )
                % {"issues": "、".join(f"#{row.issue.pk} {row.issue.title}" for row in stale)}
            ]
        for row in chosen:
            try:
                _decide_one(request.user, meeting, row)
            except StaleTransition as error:
                row.stale = True
                row.form.add_error(None, error)
                refused = True
            except ValidationError as error:
                _add_errors(row.form, error)
                refused = True
        if refused:
            transaction.set_rollback(True)
    if refused:
        return [_("Some decisions need correcting: nothing was recorded.")]
    messages.success(
        request,
        ngettext(
            "%(count)d decision recorded: the issue goes back to rectification.",
            "%(count)d decisions recorded: the issues go back to rectification.",
            len(chosen),
        )
        % {"count": len(chosen)},
    )
    return []


def _stale_rows(chosen: list[DecisionRow]) -> list[DecisionRow]:
    """Rows whose issue left "escalated" or whose escalation is no longer the one waiting.

    Locks the issues first, in one order, so two offices deciding at once cannot
    deadlock and nothing moves between this check and the decisions.
    """
    states = dict(
        Issue.objects.select_for_update()
        .filter(pk__in=[row.issue.pk for row in chosen])
        .order_by("pk")
        .values_list("pk", "state")
    )
    waiting: dict[int, int] = {}
    # The latest undecided escalation of each issue: the one a decision settles.
    for issue_id, escalation_id in (
        Escalation.objects.filter(issue__in=list(states), decision__isnull=True)
        .order_by("issue", "-requested_at")
        .values_list("issue", "pk")
    ):
        waiting.setdefault(issue_id, escalation_id)
    stale = []
    for row in chosen:
        row.current_state = states.get(row.issue.pk)
        if row.current_state != Issue.State.ESCALATED or waiting.get(row.issue.pk) != (
            row.escalation.pk
        ):
            stale.append(row)
    return stale


def _stale_message(row: DecisionRow) -> str:
    return _(
        "Decided meanwhile: the issue is now “{state}”. Nothing was done; look at it again."
    ).format(state=Issue.State(row.current_state).label)


def _decide_one(actor, meeting, row: DecisionRow) -> None:
    data = row.form.cleaned_data
    apply_transition(
        issue_id=row.issue.pk,
        name="decide",
        actor=actor,
        expected_state=Issue.State.ESCALATED,
        meeting=meeting,
        decision=data["decision"].strip(),
        owner=row.form.owner_user,
        deadline=data["deadline"],
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)
