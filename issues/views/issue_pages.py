"""The issue screens: the list, "my work", and the issue page.

What they show is read by ``issues.selectors``, from ``Issue.objects.visible_to(user)``:
outside the user's scope an issue is a 404. The action buttons on the issue page are exactly
``available_transitions(user, issue)``; the actions themselves are in ``actions.py``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_filters.views import FilterView

from branches import rules as branch_rules
from branches.mixins import ScopedFilterMixin
from branches.scoping import membership_of
from core import history
from core.chips import filter_chips
from workdays.calendar import WorkingCalendar

from .. import extensions, rules, selectors
from ..clock import Clock
from ..filters import IssueFilter
from ..forms import (
    TRANSITION_FORMS,
    InstructionForm,
    IssueWithdrawForm,
    MergeForm,
    RectificationForm,
    ReplyForm,
)
from ..models import Issue
from ..transitions import available_transitions, is_late

State = Issue.State

#: Rows per section of "my work"; the sections are queues, meant to be emptied.
MY_WORK_LIMIT = 100


# --- list -------------------------------------------------------------------------------


class IssueListView(LoginRequiredMixin, ScopedFilterMixin, FilterView):
    """The issue ledger (问题台账) of the user's scope, filtered."""

    model = Issue
    filterset_class = IssueFilter
    paginate_by = 25
    template_name = "issues/issue_list.html"

    def get_queryset(self):
        return selectors.issue_list(self.request.user)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if not self.filterset.narrows:
            # The whole list: its total is kept by the database, exact, and costs no
            # COUNT of a quarter of a million rows.
            paginator.count = selectors.counted_issue_total(self.request.user)
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shows_branch"] = self.filterset.shows_branch
        context["active_filters"] = filter_chips(self.request, self.filterset)
        return context


# --- my work ----------------------------------------------------------------------------


@login_required
@require_safe
def my_work(request):
    """What waits for me: each section only for the roles it concerns."""
    user = request.user
    role = branch_rules.role_of(user)
    is_branch_worker = branch_rules.is_branch_member(user)
    if is_branch_worker or role == branch_rules.Role.OFFICE:
        # The rows' deadlines count working days: the calendar is read once for the page,
        # whatever rows there are (workdays.calendar keeps it for the request).
        WorkingCalendar.load()
    sections = []

    def section(
        key, title, empty, queryset, kind="issues", hide_empty=False, template="", counts=None
    ):
        items = list(queryset[: MY_WORK_LIMIT + 1])
        if hide_empty and not items:
            return
        sections.append(
            {
                "key": key,
                "title": title,
                "empty": empty,
                "kind": kind,
                "template": template,
                "items": items[:MY_WORK_LIMIT],
                "more": len(items) > MY_WORK_LIMIT,
                # The whole queue's counts, when the section shows only its first rows.
                "counts": counts,
            }
        )

    if is_branch_worker:
        section(
            "responsible",
            _("Issues I am responsible for"),
            _("Nothing open is assigned to you."),
            selectors.issues_assigned_to(user),
        )
    if role == branch_rules.Role.LEAD:
        section(
            "verify",
            _("Rectification waiting for my verification"),
            _("No reported rectification waits for you."),
            selectors.rectifications_to_verify(user),
        )
    if is_branch_worker:
        section(
            "replies",
            _("Rectified issues waiting for replies"),
            _("Every rectified issue has its replies."),
            selectors.rectified_issues_awaiting_replies(user),
        )
        section(
            "opinions",
            _("Opinions still lacking a disposition or a reply"),
            _("Every opinion of the branch is disposed of and answered."),
            selectors.opinions_awaiting_action(user),
            kind="opinions",
            counts=selectors.opinions_awaiting_counts(user),
        )
        # Replies waiting for approval: shown when there are some, or (to a lead) when
        # the office asks the branch for approval, so the lead knows the queue exists.
        membership_branch = membership_of(user).branch
        if role == branch_rules.Role.LEAD:
            section(
                "drafts_to_approve",
                _("Replies waiting for my approval"),
                _("No reply waits for your approval."),
                selectors.drafts_to_approve(user),
                kind="drafts",
                hide_empty=not membership_branch.replies_need_approval,
            )
        section(
            "drafts_sent_back",
            _("My replies sent back"),
            "",
            selectors.drafts_sent_back_to(user),
            kind="drafts",
            hide_empty=True,
        )
        section(
            "instructions",
            _("Leader instructions to acknowledge"),
            _("No instruction waits for acknowledgement."),
            selectors.instructions_to_acknowledge(user),
            kind="instructions",
        )
    if is_branch_worker:
        section(
            "sign_for",
            _("Issues waiting for our signature"),
            _("No issue given to the branch waits to be signed for."),
            selectors.issues_to_sign_for(user),
        )
    if role in (branch_rules.Role.LEAD, branch_rules.Role.OFFICE):
        section(
            "extensions",
            _("Extension requests waiting for my decision"),
            _("No extension request waits for you."),
            selectors.extensions_to_decide(user),
            kind="extensions",
        )
    if role == branch_rules.Role.OFFICE:
        section(
            "returns",
            _("Returned issues waiting for a ruling"),
            _("No returned issue waits for a ruling."),
            selectors.returns_awaiting_ruling(user),
            kind="returns",
        )
    if role == branch_rules.Role.LEAD:
        section(
            "supervision",
            _("Supervision notices to answer in writing"),
            _("No supervision notice waits for your answer."),
            selectors.supervision_notices_to_answer(user),
            kind="notices",
        )
    if role == branch_rules.Role.OFFICE:
        section(
            "open_notices",
            _("Supervision notices waiting for the branch's answer"),
            _("Every supervision notice has been answered."),
            selectors.open_supervision_notices(user),
            kind="notices",
        )
        section(
            "escalations",
            _("Escalations waiting for a decision"),
            _("No escalation waits for a decision."),
            selectors.escalations_waiting(user),
            kind="escalations",
        )
    if role == branch_rules.Role.LEADER:
        section(
            "my_instructions",
            _("My instructions not yet acknowledged"),
            _("Every instruction you wrote has been acknowledged."),
            selectors.instructions_unacknowledged_by_author(user),
            kind="instructions",
        )
    # Sections of the apps further up (``issues.extensions``): the enterprise's ratings.
    for spec in extensions.extra_my_work_sections(user):
        section(
            spec["key"],
            spec["title"],
            spec["empty"],
            spec["queryset"],
            kind="extra",
            template=spec["template"],
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
    issue = get_object_or_404(selectors.issues_for_page(request.user), pk=pk)
    return render_issue_page(request, issue)


def render_issue_page(request, issue: Issue, *, bound: dict | None = None, status: int = 200):
    """The issue page; ``bound`` holds a posted form that failed (shown open, with errors).

    Keys of ``bound``: a transition name, ``"rectification"``, ``"instruction"``,
    ``"merge"``, ``"withdraw"``, ``"reply_all"`` or ``("reply", item_pk)``.
    """
    user = request.user
    bound = bound or {}
    works_here = rules.works_on(user, issue)
    is_open = not issue.merged_into_id and not issue.withdrawn_at
    # One clock for the page: its calendar is read once, and only if a deadline is open.
    clock = issue._clock = Clock()

    transitions = available_transitions(user, issue)
    actions = []
    for transition in transitions:
        form = bound.get(transition.name) or TRANSITION_FORMS[transition.name](
            issue=issue, user=user
        )
        actions.append({"transition": transition, "form": form, "open": transition.name in bound})

    rows = selectors.issue_page_rows(issue)
    items = rows.opinions
    # What the enterprises said on their own receipt pages (the ``receipts`` app's).
    extensions.add_opinion_extras(items, issue)
    may_reply = works_here and is_open
    for item in items:
        key = ("reply", item.pk)
        item.reply_form = (
            (bound.get(key) or ReplyForm(issue=issue, item=item)) if may_reply else None
        )
        item.reply_form_open = key in bound

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
        "trail": history.trail(issue),
        "actions": actions,
        "items": items,
        "unreplied_count": sum(1 for item in items if not item.is_answered),
        "enterprise_complaints": [
            item
            for item in items
            if getattr(item, "enterprise_rating", None) and item.enterprise_rating.awaits_follow_up
        ],
        "reply_all_form": (
            (bound.get("reply_all") or ReplyForm(issue=issue))
            if may_reply and len(items) > 1
            else None
        ),
        "reply_all_open": "reply_all" in bound,
        "escalations": rows.escalations,
        "instructions": rows.instructions,
        "can_acknowledge": rules.can_acknowledge(user, issue),
        "instruction_form": (
            (bound.get("instruction") or InstructionForm(issue=issue))
            if rules.can_write_instruction(user)
            else None
        ),
        "instruction_open": "instruction" in bound,
        "evidence": rows.evidence,
        "rectification_form": (
            (bound.get("rectification") or RectificationForm(issue=issue)) if may_report else None
        ),
        "rectification_open": "rectification" in bound,
        "merge_form": merge_form,
        "merge_open": "merge" in bound,
        "withdraw_form": (
            (bound.get("withdraw") or IssueWithdrawForm(issue=issue))
            if is_open and rules.can_withdraw(user, issue)
            else None
        ),
        "withdraw_open": "withdraw" in bound,
        "merged_issues": rows.merged_issues,
        "events": rows.events,
        "overdue": is_late(issue),
        "clock_rows": clock_rows(issue, clock),
        "returns": rows.returns,
        "extensions": rows.extensions,
        "approved_extensions": sum(
            1 for extension in rows.extensions if extension.status == "approved"
        ),
        "notices": rows.notices,
    }
    return render(request, "issues/issue_detail.html", context, status=status)


def clock_rows(issue: Issue, clock: Clock) -> list[dict]:
    """The deadlines of the issue's steps, each with the working days left (negative:
    overdue) while its step is open; a closed step shows its date only."""
    rectified = issue.state not in Issue.UNRECTIFIED_STATES
    steps = [
        (
            "sign",
            _("Sign for by"),
            issue.sign_deadline,
            issue.signed_at is None and not rectified,
        ),
        (
            "plan",
            _("Plan by"),
            issue.plan_deadline,
            issue.signed_at is not None and issue.state == State.COLLECTED,
        ),
        ("rectify", _("Rectify by"), issue.deadline, issue.signed_at is not None and not rectified),
        (
            "reply",
            _("Reply to every opinion by"),
            issue.reply_deadline,
            issue.state == State.RECTIFIED,
        ),
    ]
    rows = []
    for key, label, deadline, running in steps:
        if deadline is None:
            continue
        left = clock.working_days_left(deadline) if running and is_open_issue(issue) else None
        rows.append(
            {
                "key": key,
                "label": label,
                "deadline": deadline,
                "left": left,
                "overdue": None if left is None else -left,
            }
        )
    return rows


def is_open_issue(issue: Issue) -> bool:
    return not issue.merged_into_id and not issue.withdrawn_at
