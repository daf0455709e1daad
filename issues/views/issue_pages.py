"""The issue screens: the list, "my work", and the issue page.

Every query starts from ``Issue.objects.visible_to(user)``: outside the user's scope an
issue is a 404. The action buttons on the issue page are exactly
``available_transitions(user, issue)``; the actions themselves are in ``actions.py``.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_filters.views import FilterView

from branches import rules as branch_rules
from branches.mixins import ScopedFilterMixin
from branches.scoping import membership_of
from outreach.models import FeedbackItem

from .. import rules
from ..filters import IssueFilter
from ..forms import (
    TRANSITION_FORMS,
    InstructionForm,
    MergeForm,
    RectificationForm,
    ReplyForm,
)
from ..models import Escalation, Instruction, Issue, IssueEvent, IssueEvidence, Reply
from ..transitions import available_transitions

State = Issue.State

#: Rows per section of "my work"; the sections are queues, meant to be emptied.
MY_WORK_LIMIT = 100


def _active_items():
    return FeedbackItem.objects.filter(issue=OuterRef("pk"), withdrawn_at__isnull=True)


def unreplied_items_exist():
    return Exists(_active_items().filter(replies__isnull=True))


def _count_of(queryset):
    counted = queryset.order_by().values("issue").annotate(n=Count("pk", distinct=True))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0)


def opinion_counts() -> dict:
    """Per issue: its opinions (not withdrawn) and how many of them have no reply yet."""
    return {
        "opinion_count": _count_of(_active_items()),
        "unreplied_count": _count_of(_active_items().filter(last_replied_on__isnull=True)),
    }


def issue_rows(user):
    """Counted issues in the user's scope, with everything a row of a list shows."""
    return (
        Issue.objects.visible_to(user)
        .counted()
        .select_related("branch", "category", "responsible", "campaign")
        .annotate(**opinion_counts())
    )


# --- list -------------------------------------------------------------------------------


class IssueListView(LoginRequiredMixin, ScopedFilterMixin, FilterView):
    """The issue ledger (问题台账) of the user's scope, filtered."""

    model = Issue
    filterset_class = IssueFilter
    paginate_by = 25
    template_name = "issues/issue_list.html"

    def get_queryset(self):
        return issue_rows(self.request.user).order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shows_branch"] = self.filterset.shows_branch
        context["active_filters"] = active_filters(self.request, self.filterset)
        return context


def active_filters(request, filterset) -> list[dict]:
    """One removable chip per filter in use (the filter card is folded on phones)."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    chips = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if isinstance(field, forms.ModelChoiceField):
            value = field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            value = dict(field.choices).get(value, value)
        elif isinstance(value, date):
            value = value.isoformat()
        query = request.GET.copy()
        query.pop(name, None)
        query.pop("page", None)
        chips.append(
            {"name": name, "label": field.label, "value": value, "remove": query.urlencode()}
        )
    return chips


# --- my work ----------------------------------------------------------------------------


@login_required
@require_safe
def my_work(request):
    """What waits for me: each section only for the roles it concerns."""
    user = request.user
    membership = membership_of(user)
    role = branch_rules.role_of(user)
    is_branch_worker = branch_rules.is_branch_member(user)
    # Most urgent first; no deadline last on both databases.
    rows = issue_rows(user).order_by(F("deadline").asc(nulls_last=True), "-created_at", "-id")
    sections = []

    def section(key, title, empty, queryset, kind="issues"):
        items = list(queryset[: MY_WORK_LIMIT + 1])
        sections.append(
            {
                "key": key,
                "title": title,
                "empty": empty,
                "kind": kind,
                "items": items[:MY_WORK_LIMIT],
                "more": len(items) > MY_WORK_LIMIT,
            }
        )

    if is_branch_worker:
        section(
            "responsible",
            _("Issues I am responsible for"),
            _("Nothing open is assigned to you."),
            rows.exclude(state=State.ANSWERED).filter(responsible=user),
        )
    if role == branch_rules.Role.LEAD:
        section(
            "verify",
            _("Rectification waiting for my verification"),
            _("No reported rectification waits for you."),
            rows.filter(branch_id=membership.branch_id, state=State.RECTIFYING).exclude(
                rectification=""
            ),
        )
    if is_branch_worker:
        section(
            "replies",
            _("Rectified issues waiting for replies"),
            _("Every rectified issue has its replies."),
            rows.filter(branch_id=membership.branch_id, state=State.RECTIFIED).filter(
                unreplied_items_exist()
            ),
        )
        section(
            "instructions",
            _("Leader instructions to acknowledge"),
            _("No instruction waits for acknowledgement."),
            Instruction.objects.visible_to(user)
            .filter(acknowledged_at__isnull=True, issue__branch_id=membership.branch_id)
            .select_related("issue", "author")
            .order_by("created_at", "id"),
            kind="instructions",
        )
    if role == branch_rules.Role.OFFICE:
        section(
            "escalations",
            _("Escalations waiting for a decision"),
            _("No escalation waits for a decision."),
            Escalation.objects.visible_to(user)
            .awaiting_decision()
            .filter(
                issue__withdrawn_at__isnull=True,
                issue__merged_into__isnull=True,
                issue__state=State.ESCALATED,
            )
            .select_related("issue", "issue__branch", "issue__category", "requested_by")
            .order_by("requested_at", "id"),
            kind="escalations",
        )
    if role == branch_rules.Role.LEADER:
        section(
            "my_instructions",
            _("My instructions not yet acknowledged"),
            _("Every instruction you wrote has been acknowledged."),
            Instruction.objects.visible_to(user)
            .filter(author=user, acknowledged_at__isnull=True)
            .select_related("issue", "issue__branch", "author")
            .order_by("created_at", "id"),
            kind="instructions",
        )
    return render(
        request,
        "issues/my_work.html",
        {"sections": sections, "shows_branch": not is_branch_worker},
    )


# --- the issue page ---------------------------------------------------------------------


@login_required
@require_safe
def issue_detail(request, pk: int):
    issue = get_object_or_404(issue_page_queryset(request.user), pk=pk)
    return render_issue_page(request, issue)


def issue_page_queryset(user):
    """The issue with what its header shows, and whether each optional section has rows:
    an index probe each here saves a query per empty section (most issues have no
    evidence, instructions, escalations or merged duplicates)."""
    of_issue = {"issue": OuterRef("pk")}
    return (
        Issue.objects.visible_to(user)
        .select_related(
            "branch",
            "campaign",
            "category",
            "responsible",
            "verified_by",
            "created_by",
            "merged_into",
        )
        .annotate(
            has_evidence=Exists(IssueEvidence.objects.filter(**of_issue)),
            has_escalations=Exists(Escalation.objects.filter(**of_issue)),
            has_instructions=Exists(Instruction.objects.filter(**of_issue)),
            has_merged=Exists(Issue.objects.filter(merged_into=OuterRef("pk"))),
        )
    )


def _section(issue: Issue, flag: str, rows) -> list:
    """The rows of an optional section, read only when the issue has some."""
    return list(rows) if getattr(issue, flag, True) else []


def render_issue_page(request, issue: Issue, *, bound: dict | None = None, status: int = 200):
    """The issue page; ``bound`` holds a posted form that failed (shown open, with errors).

    Keys of ``bound``: a transition name, ``"rectification"``, ``"instruction"``,
    ``"merge"``, ``"reply_all"`` or ``("reply", item_pk)``.
    """
    user = request.user
    bound = bound or {}
    works_here = rules.works_on(user, issue)
    is_open = not issue.merged_into_id and not issue.withdrawn_at

    transitions = available_transitions(user, issue)
    actions = []
    for transition in transitions:
        form = bound.get(transition.name) or TRANSITION_FORMS[transition.name](
            issue=issue, user=user
        )
        actions.append({"transition": transition, "form": form, "open": transition.name in bound})

    items = list(
        issue.feedback_items.active()
        .select_related("enterprise", "activity", "category")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Reply.objects.select_related("replied_by").order_by("replied_on", "id"),
            )
        )
        .order_by("id")
    )
    may_reply = works_here and is_open
    for item in items:
        key = ("reply", item.pk)
        item.reply_form = (
            (bound.get(key) or ReplyForm(issue=issue, item=item)) if may_reply else None
        )
        item.reply_form_open = key in bound

    escalations = _section(
        issue,
        "has_escalations",
        issue.escalations.select_related(
            "requested_by", "decision", "decision__meeting", "decision__owner"
        ).order_by("requested_at", "id"),
    )
    instructions = _section(
        issue,
        "has_instructions",
        issue.instructions.select_related("author", "acknowledged_by").order_by("created_at", "id"),
    )
    may_report = works_here and is_open and issue.state == State.RECTIFYING
    may_merge = works_here and is_open and issue.state != State.ANSWERED
    merge_form = None
    if may_merge:
        form = bound.get("merge") or MergeForm(issue=issue, user=user)
        # One query for the candidates: the same list decides whether to offer a merge
        # and fills the form's select (instead of an EXISTS, then the select's query).
        into = form.fields["into"]
        choices = list(iter(into.choices))  # iter(): no COUNT for a length hint
        if len(choices) > (into.empty_label is not None):
            into.choices = choices
            merge_form = form

    context = {
        "issue": issue,
        "actions": actions,
        "items": items,
        "unreplied_count": sum(1 for item in items if not item.replies.all()),
        "reply_all_form": (
            (bound.get("reply_all") or ReplyForm(issue=issue))
            if may_reply and len(items) > 1
            else None
        ),
        "reply_all_open": "reply_all" in bound,
        "escalations": escalations,
        "instructions": instructions,
        "can_acknowledge": rules.can_acknowledge(user, issue),
        "instruction_form": (
            (bound.get("instruction") or InstructionForm(issue=issue))
            if rules.can_write_instruction(user)
            else None
        ),
        "instruction_open": "instruction" in bound,
        "evidence": _section(
            issue,
            "has_evidence",
            IssueEvidence.objects.filter(issue=issue).select_related("uploaded_by"),
        ),
        "rectification_form": (
            (bound.get("rectification") or RectificationForm(issue=issue)) if may_report else None
        ),
        "rectification_open": "rectification" in bound,
        "merge_form": merge_form,
        "merge_open": "merge" in bound,
        "merged_issues": _section(
            issue, "has_merged", issue.merged_issues.order_by("merged_at", "id")
        ),
        "events": list(
            IssueEvent.objects.filter(issue=issue)
            .select_related("actor")
            .order_by("created_at", "id")
        ),
    }
    return render(request, "issues/issue_detail.html", context, status=status)
