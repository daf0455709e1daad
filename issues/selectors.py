"""Reads and counts of issues: the lists, queues and pages read here, the views render.

Every function starts from ``visible_to(user)``, except those given a row already read
through it (the sections of one issue's page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from branches import rules as branch_rules
from branches.models import Membership
from branches.scoping import membership_of
from outreach.models import UNDISPOSED, UNREPLIED, FeedbackItem

from . import extensions
from .models import (
    BranchIssueCount,
    DeadlineExtension,
    Escalation,
    Instruction,
    Issue,
    IssueEvent,
    IssueEvidence,
    IssueReturn,
    ProvincialDecision,
    ProvincialMeeting,
    Reply,
    ReplyDraft,
    SupervisionNotice,
    decided_condition,
    overdue_condition,
    overdue_cutoff,
)
from .supervision import attention_condition

# --- the home page's counts and short lists -----------------------------------------------


def open_issues(user, *, limit: int = 10) -> QuerySet[Issue]:
    """Counted issues not yet answered, most urgent deadline first."""
    return (
        Issue.objects.visible_to(user)
        .open()
        .select_related("branch", "category", "responsible")
        # Nulls last on both databases (SQLite would put them first).
        .order_by(F("deadline").asc(nulls_last=True), "-created_at")[:limit]
    )


def issue_counts(user) -> dict[str, int]:
    """Counted issues in scope: all, not yet answered, and overdue (``ISSUE_COUNT_NAMES``)."""
    today = timezone.localdate()
    return Issue.objects.visible_to(user).counted().aggregate(**_issue_count_expressions(today))


def issue_counts_by_branch(user) -> dict[int, dict[str, int]]:
    """``issue_counts`` per branch id (branches without issues are left out)."""
    today = timezone.localdate()
    rows = (
        Issue.objects.visible_to(user)
        .counted()
        .values("branch")
        .annotate(**_issue_count_expressions(today))
        .order_by()
    )
    return {row.pop("branch"): row for row in rows}


ISSUE_COUNT_NAMES = ("issues", "open_issues", "overdue")


def _issue_count_expressions(today):
    return {
        "issues": Count("id"),
        "open_issues": Count("id", filter=~Q(state=Issue.State.ANSWERED)),
        "overdue": Count("id", filter=overdue_condition(today)),
    }


def escalations_awaiting_decision(
    user, *, issues: QuerySet[Issue] | None = None, limit: int = 10
) -> QuerySet[Escalation]:
    """Escalations of counted issues still waiting for the province, oldest first;
    ``issues`` (a queryset of issues) narrows them, e.g. to a campaign's."""
    escalations = (
        Escalation.objects.visible_to(user)
        .awaiting_decision()
        .filter(issue__withdrawn_at__isnull=True, issue__merged_into__isnull=True)
    )
    if issues is not None:
        escalations = escalations.filter(issue__in=issues.values("pk"))
    return escalations.select_related("issue", "issue__branch", "requested_by").order_by(
        "requested_at"
    )[:limit]


# --- the issue list and "my work" ---------------------------------------------------------


def _active_items():
    return FeedbackItem.objects.filter(issue=OuterRef("pk"), withdrawn_at__isnull=True)


def _count_of(queryset):
    counted = queryset.order_by().values("issue").annotate(n=Count("pk", distinct=True))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0)


def _with_row_details(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    """``issues`` with everything a row of a list shows: the related names, the issue's
    opinions (not withdrawn) and how many of them have no reply yet."""
    return issues.select_related("branch", "category", "responsible", "campaign").annotate(
        opinion_count=_count_of(_active_items()),
        unreplied_count=_count_of(_active_items().filter(UNREPLIED)),
    )


def _issue_rows(user) -> QuerySet[Issue]:
    """Counted issues in scope, with what a row shows, in no particular order."""
    return _with_row_details(Issue.objects.visible_to(user).counted())


def _most_urgent_first(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    # No deadline last on both databases (SQLite would put nulls first).
    return issues.order_by(F("deadline").asc(nulls_last=True), "-created_at", "-id")


def issues_in_list_order(user) -> QuerySet[Issue]:
    """Counted issues in the user's scope, newest first: the issue list and its ledger."""
    return Issue.objects.visible_to(user).counted().order_by("-created_at", "-id")


def issue_list(user) -> QuerySet[Issue]:
    """The issue list's rows: ``issues_in_list_order`` with what each row shows."""
    return _with_row_details(issues_in_list_order(user))


def counted_issue_total(user) -> int:
    """How many issues ``issues_in_list_order(user)`` holds, read from the counts the
    database keeps per branch (``BranchIssueCount``) instead of counting the rows."""
    counts = BranchIssueCount.objects.visible_to(user)
    return counts.aggregate(n=Coalesce(Sum("counted"), 0))["n"]


def issues_assigned_to(user) -> QuerySet[Issue]:
    """Unanswered issues the user is responsible for, most urgent first."""
    return _most_urgent_first(
        _issue_rows(user).exclude(state=Issue.State.ANSWERED).filter(responsible=user)
    )


def rectifications_to_verify(user) -> QuerySet[Issue]:
    """Issues of the user's branch whose reported rectification waits for verification."""
    return _most_urgent_first(
        _issue_rows(user)
        .filter(branch_id=_branch_id(user), state=Issue.State.RECTIFYING)
        .exclude(rectification="")
    )


def rectified_issues_awaiting_replies(user) -> QuerySet[Issue]:
    """Rectified issues of the user's branch with an opinion not answered yet."""
    unreplied = _active_items().filter(UNREPLIED)
    return _most_urgent_first(
        _issue_rows(user)
        .filter(branch_id=_branch_id(user), state=Issue.State.RECTIFIED)
        .filter(Exists(unreplied))
    )


def opinions_awaiting_action(user) -> QuerySet[FeedbackItem]:
    """Opinions of the user's branch (not withdrawn) that still lack a disposition or an
    answer (the promise meter's two queues), the longest waiting first."""
    return (
        FeedbackItem.objects.visible_to(user)
        .active()
        .filter(branch_id=_branch_id(user))
        .filter(UNDISPOSED | UNREPLIED)
        .select_related("enterprise", "category", "issue", "activity")
        .order_by("received_on", "id")
    )


def opinions_awaiting_counts(user) -> dict[str, int]:
    """How many of ``opinions_awaiting_action`` there are (``waiting``), and of them how
    many lack a disposition (``undisposed``) and a reply (``unreplied``): one query."""
    return (
        FeedbackItem.objects.visible_to(user)
        .active()
        .filter(branch_id=_branch_id(user))
        .aggregate(
            waiting=Count("id", filter=UNDISPOSED | UNREPLIED),
            undisposed=Count("id", filter=UNDISPOSED),
            unreplied=Count("id", filter=UNREPLIED),
        )
    )


def instructions_to_acknowledge(user) -> QuerySet[Instruction]:
    """Leader instructions on the user's branch's issues not yet acknowledged, oldest first."""
    return (
        Instruction.objects.visible_to(user)
        .filter(acknowledged_at__isnull=True, issue__branch_id=_branch_id(user))
        .select_related("issue", "author")
        .order_by("created_at", "id")
    )


def instructions_unacknowledged_by_author(user) -> QuerySet[Instruction]:
    """The instructions the user wrote that are not yet acknowledged, oldest first."""
    return (
        Instruction.objects.visible_to(user)
        .filter(author=user, acknowledged_at__isnull=True)
        .select_related("issue", "issue__branch", "author")
        .order_by("created_at", "id")
    )


def drafts_to_approve(user) -> QuerySet[ReplyDraft]:
    """Replies of the user's branch waiting for approval that the user may approve (a lead,
    not their author), oldest first; none to a withdrawn opinion (it cannot be approved)."""
    return (
        ReplyDraft.objects.visible_to(user)
        .pending()
        .filter(feedback_item__branch_id=_branch_id(user), feedback_item__withdrawn_at__isnull=True)
        .exclude(drafted_by=user)
        .select_related("feedback_item", "feedback_item__enterprise", "drafted_by")
        .order_by("drafted_at", "id")
    )


def drafts_sent_back_to(user) -> QuerySet[ReplyDraft]:
    """The user's replies a lead sent back, to edit and submit again, oldest first; none to
    a withdrawn opinion (it cannot be submitted again)."""
    return (
        ReplyDraft.objects.visible_to(user)
        .filter(
            status=ReplyDraft.Status.SENT_BACK,
            drafted_by=user,
            feedback_item__withdrawn_at__isnull=True,
        )
        .select_related("feedback_item", "feedback_item__enterprise", "reviewed_by")
        .order_by("reviewed_at", "id")
    )


def issues_to_sign_for(user) -> QuerySet[Issue]:
    """Issues given to the user's branch that wait for its signature (签收), no return of
    them waiting for a ruling: the nearest sign-for deadline first."""
    return (
        _issue_rows(user)
        .filter(branch_id=_branch_id(user), signed_at__isnull=True)
        .filter(state__in=(Issue.State.COLLECTED, Issue.State.RECTIFYING))
        .exclude(Exists(IssueReturn.objects.awaiting_ruling().filter(issue=OuterRef("pk"))))
        .order_by(F("sign_deadline").asc(nulls_last=True), "assigned_at", "id")
    )


def returns_awaiting_ruling(user) -> QuerySet[IssueReturn]:
    """Returns (退单) waiting for the provincial office's ruling, oldest first."""
    return (
        IssueReturn.objects.visible_to(user)
        .awaiting_ruling()
        .filter(issue__in=Issue.objects.visible_to(user).counted().values("pk"))
        .select_related("issue", "issue__branch", "reason", "returned_by")
        .order_by("returned_at", "id")
    )


def _pending_extensions(user, today=None, calendar=None):
    return (
        DeadlineExtension.objects.visible_to(user)
        .pending()
        .filter(issue__in=Issue.objects.visible_to(user).counted().values("pk"))
        .annotate(
            issue_decided=Exists(
                ProvincialDecision.objects.filter(escalation__issue=OuterRef("issue"))
            ),
            issue_overdue=ExpressionWrapper(
                Q(
                    issue__deadline__lt=overdue_cutoff(today, 1, calendar),
                    issue__state__in=Issue.UNRECTIFIED_STATES,
                ),
                output_field=BooleanField(),
            ),
        )
        .select_related("issue", "issue__branch", "requested_by")
        .order_by("requested_at", "id")
    )


def extensions_to_decide(user, today=None, calendar=None) -> QuerySet[DeadlineExtension]:
    """Extension requests (延期) waiting for the user's decision: a branch lead's, of the
    branch's issues not decided by the province and not overdue, asked by someone else;
    the office's, of issues the province decided or overdue ones. Oldest first."""
    pending = _pending_extensions(user, today, calendar)
    if branch_rules.is_provincial_office(user):
        return pending.filter(Q(issue_decided=True) | Q(issue_overdue=True))
    if branch_rules.role_of(user) != Membership.Role.LEAD:
        return pending.none()
    return pending.filter(
        issue__branch_id=_branch_id(user), issue_decided=False, issue_overdue=False
    ).exclude(requested_by=user)


def supervision_notices_to_answer(user) -> QuerySet[SupervisionNotice]:
    """Open supervision notices on the user's branch's counted issues, oldest first."""
    return _open_notices(user).filter(issue__branch_id=_branch_id(user))


def open_supervision_notices(user) -> QuerySet[SupervisionNotice]:
    """Every open supervision notice in the user's scope, oldest first."""
    return _open_notices(user)


def _open_notices(user) -> QuerySet[SupervisionNotice]:
    return (
        SupervisionNotice.objects.visible_to(user)
        .open()
        .filter(issue__withdrawn_at__isnull=True, issue__merged_into__isnull=True)
        .select_related("issue", "issue__branch", "issued_by")
        .order_by("issued_at", "id")
    )


def attention_issues(user, *, today=None, clock=None) -> QuerySet[Issue]:
    """The leaders' attention list: counted issues in scope at least ``attention_after``
    working days overdue, the longest overdue first."""
    return (
        Issue.objects.visible_to(user)
        .counted()
        .filter(attention_condition(today, clock))
        .select_related("branch", "responsible")
        .order_by("deadline", "id")
    )


def _branch_id(user) -> int | None:
    membership = membership_of(user)  # cached on the user: no query after the first
    return membership.branch_id if membership else None


# --- the issue page -----------------------------------------------------------------------


def issues_for_page(user) -> QuerySet[Issue]:
    """Issues in scope with what the issue page's header shows, and whether each optional
    section has rows: an index probe each here saves a query per empty section (most
    issues have no evidence, instructions, escalations or merged duplicates)."""
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
            "signed_by",
        )
        .annotate(
            has_evidence=Exists(IssueEvidence.objects.filter(**of_issue)),
            has_escalations=Exists(Escalation.objects.filter(**of_issue)),
            has_instructions=Exists(Instruction.objects.filter(**of_issue)),
            has_merged=Exists(Issue.objects.filter(merged_into=OuterRef("pk"))),
            # The clock's actions depend on these (issues.transitions reads them here).
            has_returns=Exists(IssueReturn.objects.filter(**of_issue)),
            return_awaiting=Exists(IssueReturn.objects.filter(**of_issue, ruling="")),
            # The records the action forms name (the one each form acts on).
            awaiting_return_id=Subquery(
                IssueReturn.objects.filter(**of_issue, ruling="").values("pk")[:1]
            ),
            pending_extension_id=Subquery(
                DeadlineExtension.objects.pending().filter(**of_issue).values("pk")[:1]
            ),
            open_notice_id=Subquery(
                SupervisionNotice.objects.open()
                .filter(**of_issue)
                .order_by("issued_at", "id")
                .values("pk")[:1]
            ),
            return_insisted=Exists(
                IssueReturn.objects.filter(**of_issue, ruling=IssueReturn.Ruling.INSIST)
            ),
            # Those of the apps further up (issues.extensions: the enterprise's ratings).
            **extensions.issue_flags(),
            has_extensions=Exists(DeadlineExtension.objects.filter(**of_issue)),
            pending_extension_by=Subquery(
                DeadlineExtension.objects.pending().filter(**of_issue).values("requested_by")[:1]
            ),
            was_decided=decided_condition(),
            has_notices=Exists(SupervisionNotice.objects.filter(**of_issue)),
            open_notice=Exists(SupervisionNotice.objects.open().filter(**of_issue)),
        )
    )


@dataclass(frozen=True)
class IssuePageRows:
    """The rows of each section of the issue page, oldest first."""

    opinions: list[FeedbackItem]
    escalations: list[Escalation]
    instructions: list[Instruction]
    evidence: list[IssueEvidence]
    merged_issues: list[Issue]
    events: list[IssueEvent]
    returns: list[IssueReturn]
    extensions: list[DeadlineExtension]
    notices: list[SupervisionNotice]


def issue_page_rows(issue: Issue) -> IssuePageRows:
    """The sections of the page of ``issue`` (read through ``issues_for_page``)."""

    def section(flag: str, rows) -> list:
        # Read only when the issue has some (a missing flag reads them anyway).
        return list(rows) if getattr(issue, flag, True) else []

    return IssuePageRows(
        opinions=list(
            issue.feedback_items.active()
            .select_related("enterprise", "activity", "category")
            .prefetch_related(
                Prefetch(
                    "replies",
                    queryset=Reply.objects.select_related("replied_by").order_by(
                        "replied_on", "id"
                    ),
                )
            )
            .order_by("id")
        ),
        escalations=section(
            "has_escalations",
            issue.escalations.select_related(
                "requested_by", "decision", "decision__meeting", "decision__owner"
            ).order_by("requested_at", "id"),
        ),
        instructions=section(
            "has_instructions",
            issue.instructions.select_related("author", "acknowledged_by").order_by(
                "created_at", "id"
            ),
        ),
        evidence=section(
            "has_evidence",
            IssueEvidence.objects.filter(issue=issue).select_related("uploaded_by"),
        ),
        merged_issues=section("has_merged", issue.merged_issues.order_by("merged_at", "id")),
        events=list(
            IssueEvent.objects.filter(issue=issue)
            .select_related("actor")
            .order_by("created_at", "id")
        ),
        returns=section(
            "has_returns",
            IssueReturn.objects.filter(issue=issue)
            .select_related("reason", "returned_by", "ruled_by")
            .order_by("returned_at", "id"),
        ),
        extensions=section(
            "has_extensions",
            DeadlineExtension.objects.filter(issue=issue)
            .select_related("requested_by", "decided_by")
            .order_by("requested_at", "id"),
        ),
        notices=section(
            "has_notices",
            issue.supervision_notices.select_related("issued_by", "answered_by").order_by(
                "issued_at", "id"
            ),
        ),
    )


# --- one opinion --------------------------------------------------------------------------


def opinions_for_page(user) -> QuerySet[FeedbackItem]:
    """Opinions in scope (withdrawn ones too, shown as such) with what the opinion page's
    header shows: where it was heard, who said it, where it went."""
    return (
        FeedbackItem.objects.visible_to(user)
        .select_related(
            "branch",
            "enterprise",
            "activity",
            "activity__campaign",
            "category",
            "issue",
            "closed_by",
            "unreachable_by",
            "withdrawn_by",
            "created_by",
        )
        .annotate(**extensions.opinion_flags())
    )


def opinion_enterprise_kept(item: FeedbackItem) -> str:
    """``outreach.extensions.ENTERPRISE_KEPT``: once a reply, an attempt or a reply awaiting
    approval was recorded for the opinion's enterprise, the enterprise stays."""
    replied = Reply.objects.filter(feedback_item=item.pk)
    drafted = ReplyDraft.objects.filter(feedback_item=item.pk)
    if replied.exists() or drafted.exists():
        return gettext(
            "A reply, or an attempt to reach the enterprise, was recorded for this opinion: "
            "its enterprise can no longer change."
        )
    return ""


def opinion_replies(item: FeedbackItem) -> list[Reply]:
    """The replies and attempts of ``item`` (read through ``opinions_for_page``), oldest
    first."""
    return list(item.replies.select_related("replied_by").order_by("replied_on", "id"))


def opinion_drafts(item: FeedbackItem) -> list[ReplyDraft]:
    """The replies to ``item`` waiting for approval or sent back (not yet replies), oldest
    first."""
    return list(
        item.reply_drafts.exclude(status=ReplyDraft.Status.APPROVED)
        .select_related("drafted_by", "reviewed_by")
        .order_by("drafted_at", "id")
    )


def newest_reply_id(items: Iterable[FeedbackItem]) -> int:
    """The newest reply to ``items`` (0 for none): a reply form carries it, so that a reply
    recorded meanwhile (or by a double click) refuses the form's."""
    newest = Reply.objects.filter(feedback_item__in=[item.pk for item in items]).aggregate(
        newest=Max("pk")
    )
    return newest["newest"] or 0


# --- feedback → issue ---------------------------------------------------------------------


def issues_to_attach_to(user) -> QuerySet[Issue]:
    """Open issues of the user's branch, newest first: where chosen opinions may go."""
    return (
        Issue.objects.visible_to(user)
        .open()
        .filter(branch=_branch_id(user))
        .order_by("-created_at", "-id")
    )


# --- the province -------------------------------------------------------------------------


def escalations_waiting(user) -> QuerySet[Escalation]:
    """Escalations of counted issues still waiting for a provincial decision, oldest first."""
    return (
        Escalation.objects.visible_to(user)
        .awaiting_decision()
        .filter(
            issue__state=Issue.State.ESCALATED,
            issue__withdrawn_at__isnull=True,
            issue__merged_into__isnull=True,
        )
        .select_related("issue", "issue__branch", "issue__category", "requested_by")
        .order_by("requested_at", "id")
    )


def recent_decisions(user, *, limit: int = 10) -> list[ProvincialDecision]:
    """The latest provincial decisions the user may see, newest first."""
    return list(
        ProvincialDecision.objects.visible_to(user)
        .select_related("meeting", "escalation__issue__branch", "owner")
        .order_by("-created_at", "-id")[:limit]
    )


def meetings_with_decision_counts(user) -> QuerySet[ProvincialMeeting]:
    """Meetings the user may see, newest first, each with how many of its decisions the
    user may see (``decision_count``)."""
    decisions = (
        ProvincialDecision.objects.visible_to(user)
        .filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(count=Count("id"))
        .values("count")
    )
    return (
        ProvincialMeeting.objects.visible_to(user)
        .select_related("recorded_by")
        .annotate(
            decision_count=Coalesce(Subquery(decisions, output_field=IntegerField()), Value(0))
        )
        .order_by("-held_on", "-id")
    )


def meeting_decisions(user, meeting: ProvincialMeeting) -> list[ProvincialDecision]:
    """The decisions of ``meeting`` the user may see, by branch."""
    return list(
        ProvincialDecision.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("escalation__issue__branch", "owner", "recorded_by")
        .order_by("escalation__issue__branch__sort_order", "id")
    )


def decision_owners(branch_ids: Iterable[int]) -> dict[int, list]:
    """Per branch, the active staff and leads who may own a decision, by name."""
    owners = defaultdict(list)
    for person in (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__branch__in=set(branch_ids),
            membership__role__in=[Membership.Role.STAFF, Membership.Role.LEAD],
        )
        .select_related("membership")
        .order_by("last_name", "first_name", "id")
    ):
        owners[person.membership.branch_id].append(person)
    return owners
