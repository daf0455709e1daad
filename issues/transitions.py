"""The issue workflow: the only code that writes ``Issue.state``.

    collected ──plan──▶ rectifying ──verify──▶ rectified ──answer──▶ answered
        │  └──────────fix_now (立行立改)────────▶│                      │
        └──escalate──▶ escalated ──decide──▶ rectifying ◀──reopen─────┘
                 (also from rectifying)

Each transition is a row of ``TRANSITIONS``: where it may start, where it ends, which
roles may make it, and what it needs. ``apply_transition`` locks the issue's row, refuses a
transition whose starting state is no longer the issue's (another tab, another person, a
double click), checks role, scope and guard, writes the fields, and records the event, all
in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches import rules as branch_rules
from branches.models import Membership
from branches.scoping import membership_of, scope_of
from core.templatetags.people import person_name
from outreach.models import UNREPLIED

from . import signals
from .clock import Clock
from .models import (
    DeadlineExtension,
    Escalation,
    Issue,
    IssueEvent,
    IssueReturn,
    ProvincialDecision,
    ReturnReason,
)
from .supervision import apply_answer_supervision, apply_supervise, has_open_notice

State = Issue.State
Role = Membership.Role
BRANCH_WORKERS = frozenset({Role.STAFF, Role.LEAD})


@dataclass(frozen=True)
class Transition:
    """One allowed move of the workflow."""

    name: str
    label: Promise
    sources: frozenset[str]
    #: The state it ends in; None for an action that leaves the state as it is (sign for,
    #: return, extension, supervision), recorded on the timeline as ``event_kind``.
    target: str | None
    roles: frozenset[str]
    #: Fields of the action's form that must be filled.
    required: tuple[str, ...] = ()
    #: Refuses with a ValidationError when the issue is not ready (beyond required fields).
    guard: Callable[[Issue], None] | None = None
    #: Writes what the transition records, besides the state.
    apply: Callable[..., list[str]] | None = field(default=None, compare=False)
    button_class: str = "btn-primary"
    #: Offered only when this also holds (beyond state and role): e.g. "signed for".
    when: Callable[[Issue], bool] | None = field(default=None, compare=False)
    event_kind: str = IssueEvent.Kind.TRANSITION
    #: Beyond role and scope, who of that role may (the responsible person, not the one who
    #: asked...): ``who(user, issue)``. A False is a refusal of the person, like a role's.
    who: Callable[..., bool] | None = field(default=None, compare=False)
    #: The timeline's words for what was done (dates before and after...), written after
    #: ``apply``: ``describe(issue, values, before)``, ``before`` the issue's deadline and
    #: responsible person before it; the user's note follows them.
    describe: Callable[..., str] | None = field(default=None, compare=False)


# --- guards and effects -------------------------------------------------------------------


def unreplied_items(issue: Issue):
    """Linked, not withdrawn feedback items not answered yet (``UNREPLIED``: no reply
    reached the enterprise, attempts aside, and not closed as unreachable)."""
    return issue.feedback_items.active().filter(UNREPLIED).order_by("id")


def _items_with_latest_reply_unsatisfied(issue: Issue):
    """Linked items whose most recent reply records the enterprise as unsatisfied."""
    from django.db.models import OuterRef, Subquery

    from .models import Reply

    latest = Reply.objects.filter(feedback_item=OuterRef("pk")).order_by("-replied_on", "-id")
    return (
        issue.feedback_items.active()
        .annotate(latest_satisfaction=Subquery(latest.values("satisfaction")[:1]))
        .filter(latest_satisfaction=Reply.Satisfaction.UNSATISFIED)
    )


def _describe(items) -> str:
    return "；".join(
        _("#{pk} {who}").format(
            pk=item.pk, who=item.enterprise.name if item.enterprise else _("anonymous")
        )
        for item in items
    )


def _guard_all_replied(issue: Issue) -> None:
    missing = list(unreplied_items(issue).select_related("enterprise"))
    if missing:
        raise ValidationError(
            _(
                "Every opinion needs a reply before the issue is answered. Still missing: {items}"
            ).format(items=_describe(missing)),
            code="replies_missing",
        )


def _guard_rectification_reported(issue: Issue) -> None:
    if not issue.rectification.strip():
        raise ValidationError(
            _("Record what was done before the rectification is verified."),
            code="rectification_missing",
        )


#: Further grounds to reopen an answered issue, besides a reply recorded as unsatisfied:
#: functions of the issue, added by the apps that hear the enterprise in other ways
#: (``receipts``: the enterprise said on its own page that it is unsatisfied or that the
#: problem is not solved). Kept here so this module needs none of them.
REOPEN_GROUNDS: list[Callable[[Issue], bool]] = []


def _guard_unsatisfied_reply(issue: Issue) -> None:
    if any(ground(issue) for ground in REOPEN_GROUNDS):
        return
    if not _items_with_latest_reply_unsatisfied(issue).exists():
        raise ValidationError(
            _(
                "An issue is reopened when an enterprise is not satisfied: its latest reply "
                "says so, or the enterprise said so on its receipt page."
            ),
            code="no_unsatisfied_reply",
        )


def is_signed(issue: Issue) -> bool:
    return issue.signed_at is not None


def close_pending_extensions(issue: Issue, actor, why: str) -> None:
    """Refuse the extension request still waiting on ``issue``, saying ``why``: it asked to
    move a deadline that no longer stands (a new one was set, or the issue left the work)."""
    issue.extensions.pending().update(
        status=DeadlineExtension.Status.REFUSED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=why,
    )


def _apply_plan(issue, actor, *, measures, responsible, **_unused) -> list[str]:
    # The deadline is the clock's (set at signing), not the planner's. An issue signed
    # without one (opened before the clock: migration 0013 signed it) gets the limit now,
    # counted from its signing.
    issue.measures = measures
    issue.responsible = responsible
    if issue.deadline is None:
        issue.deadline = clock_of(issue).rectify_deadline(issue, issue.signed_at or timezone.now())
        return ["measures", "responsible", "deadline"]
    return ["measures", "responsible"]


def _apply_fix_now(issue, actor, *, rectification, **_unused) -> list[str]:
    close_pending_extensions(issue, actor, _("Closed: the issue was rectified."))
    issue.immediate_fix = True
    issue.rectification = rectification
    issue.rectified_at = timezone.now()
    issue.verified_by = actor
    return [
        "immediate_fix",
        "rectification",
        "rectified_at",
        "verified_by",
        *Clock().rectified(issue, issue.rectified_at),
    ]


def _apply_verify(issue, actor, **_unused) -> list[str]:
    close_pending_extensions(issue, actor, _("Closed: the issue was rectified."))
    issue.rectified_at = timezone.now()
    issue.verified_by = actor
    return ["rectified_at", "verified_by", *Clock().rectified(issue, issue.rectified_at)]


def _apply_escalate(issue, actor, *, reason, **_unused) -> list[str]:
    Escalation.objects.create(issue=issue, reason=reason, requested_by=actor)
    return []


def _apply_decide(issue, actor, *, meeting, decision, owner=None, deadline=None, **_unused):
    escalation = issue.escalations.filter(decision__isnull=True).order_by("-requested_at").first()
    if escalation is None:
        raise ValidationError(_("This issue has no escalation waiting for a decision."))
    ProvincialDecision.objects.create(
        meeting=meeting,
        escalation=escalation,
        decision=decision,
        owner=owner,
        deadline=deadline,
        recorded_by=actor,
    )
    close_pending_extensions(
        issue, actor, _("Closed: the provincial decision set the issue's deadline anew.")
    )
    # Given back to the branch: it signs for it (签收) before the clock of the work starts;
    # the decision's own deadline, if any, wins over the limit counted from signing.
    fields = Clock().given_to_branch(issue)
    issue.deadline = deadline
    fields.append("deadline")
    if owner is not None and branch_rules.works_in_branch(owner, issue.branch_id):
        issue.responsible = owner
        fields.append("responsible")
    if not issue.measures:
        issue.measures = decision
        fields.append("measures")
    return fields


def _apply_answer(issue, actor, **_unused) -> list[str]:
    issue.answered_at = timezone.now()
    return ["answered_at"]


def _apply_reopen(issue, actor, **_unused) -> list[str]:
    close_pending_extensions(issue, actor, _("Closed: the reopened issue has a new deadline."))
    issue.reopen_count += 1
    issue.answered_at = None
    issue.rectified_at = None
    issue.verified_by = None
    issue.rectification = ""
    return [
        "reopen_count",
        "answered_at",
        "rectified_at",
        "verified_by",
        "rectification",
        *Clock().reopened(issue),
    ]


# --- sign-for, return, extension (the clock, docs/clock.md) ---------------------------------
#
# These actions keep the state (``target`` None). What they depend on besides the issue's
# row (a return awaiting a ruling, a pending extension, a provincial decision) is read from
# the page's annotations when the issue came from ``selectors.issues_for_page``, else asked
# of the database (under apply_transition's row lock, always asked).

_UNKNOWN = object()


def clock_of(issue: Issue) -> Clock:
    """The clock checks on ``issue`` use: the page's (``issue._clock``), else one of its own
    (its calendar and limits read once, when first needed)."""
    clock = getattr(issue, "_clock", None)
    if clock is None:
        clock = issue._clock = Clock()
    return clock


def _known(issue: Issue, annotation: str, ask: Callable[[], object]):
    value = getattr(issue, annotation, _UNKNOWN)
    return ask() if value is _UNKNOWN else value


def return_awaiting_ruling(issue: Issue) -> bool:
    return _known(issue, "return_awaiting", lambda: issue.returns.awaiting_ruling().exists())


def awaiting_return_id(issue: Issue) -> int | None:
    """The return waiting for the office's ruling (its id; None when none waits)."""
    return _known(
        issue,
        "awaiting_return_id",
        lambda: issue.returns.awaiting_ruling().values_list("pk", flat=True).first(),
    )


def pending_extension_id(issue: Issue) -> int | None:
    """The extension request waiting for a decision (its id; None when none waits)."""
    return _known(
        issue,
        "pending_extension_id",
        lambda: issue.extensions.pending().values_list("pk", flat=True).first(),
    )


def return_insisted(issue: Issue) -> bool:
    """The office ruled "insist" on a return of this issue: final, no return again."""
    return _known(
        issue,
        "return_insisted",
        lambda: issue.returns.filter(ruling=IssueReturn.Ruling.INSIST).exists(),
    )


def pending_extension_requester(issue: Issue) -> int | None:
    """Who asked for the extension waiting for a decision (None when none waits)."""
    return _known(
        issue,
        "pending_extension_by",
        lambda: issue.extensions.pending().values_list("requested_by", flat=True).first(),
    )


def decided_by_the_province(issue: Issue) -> bool:
    return _known(
        issue,
        "was_decided",
        lambda: ProvincialDecision.objects.filter(escalation__issue=issue).exists(),
    )


def is_late(issue: Issue) -> bool:
    """Overdue by working days (past the deadline by at least one, not rectified)."""
    if not issue.deadline or issue.state not in Issue.UNRECTIFIED_STATES:
        return False
    return issue.is_overdue(calendar=clock_of(issue).calendar)


def awaits_signature(issue: Issue) -> bool:
    """Given to the branch, not signed for, and no return of it waiting for a ruling."""
    return issue.signed_at is None and not return_awaiting_ruling(issue)


def may_be_returned(issue: Issue) -> bool:
    """Awaiting signature, within the sign-for limit (to the end of its last working day),
    and the office has not insisted on it before."""
    if not awaits_signature(issue) or return_insisted(issue):
        return False
    return issue.sign_deadline is None or clock_of(issue).today() <= issue.sign_deadline


def may_ask_for_extension(issue: Issue) -> bool:
    """Signed, with a deadline not passed yet (in working days), none pending."""
    return (
        is_signed(issue)
        and issue.deadline is not None
        and pending_extension_requester(issue) is None
        and not is_late(issue)
    )


def has_pending_extension(issue: Issue) -> bool:
    return pending_extension_requester(issue) is not None


def may_be_extended_by_the_office(issue: Issue) -> bool:
    """Overdue (only the office extends it now), none pending."""
    return is_signed(issue) and pending_extension_requester(issue) is None and is_late(issue)


def office_decides_extension(issue: Issue) -> bool:
    """The province decided the issue, or it is overdue: the office decides its extension."""
    return decided_by_the_province(issue) or is_late(issue)


def _responsible_or_lead(user, issue: Issue) -> bool:
    return issue.responsible_id == user.pk or branch_rules.leads_branch(user, issue.branch_id)


def _decides_extension(user, issue: Issue) -> bool:
    if office_decides_extension(issue):
        return branch_rules.is_provincial_office(user)
    # The branch lead, not the one who asked (a lead's own request goes to another lead).
    return (
        branch_rules.leads_branch(user, issue.branch_id)
        and pending_extension_requester(issue) != user.pk
    )


def _may_name(person, issue: Issue) -> bool:
    return (
        person is not None
        and getattr(person, "is_active", False)
        and branch_rules.works_in_branch(person, issue.branch_id)
    )


def _apply_sign_for(issue, actor, **_unused) -> list[str]:
    now = timezone.now()
    issue.signed_at = now
    issue.signed_by = actor
    # A provincial decision's explicit deadline (kept in issue.deadline) wins.
    fields = clock_of(issue).signed(issue, now, explicit_deadline=issue.deadline)
    return ["signed_at", "signed_by", *fields]


def _describe_sign_for(issue, values, before) -> str:
    parts = []
    if issue.plan_deadline and issue.state == State.COLLECTED:
        parts.append(_("Plan by {date}.").format(date=issue.plan_deadline.isoformat()))
    if issue.deadline:
        parts.append(_("Rectify by {date}.").format(date=issue.deadline.isoformat()))
    return " ".join(parts)


def _apply_return(issue, actor, *, reason, note="", **_unused) -> list[str]:
    if (
        not isinstance(reason, ReturnReason)
        or not ReturnReason.objects.filter(pk=reason.pk, is_active=True).exists()
    ):
        raise ValidationError({"reason": _("Choose a reason from the office's list.")})
    IssueReturn.objects.create(issue=issue, reason=reason, note=note, returned_by=actor)
    return []


def _describe_return(issue, values, before) -> str:
    return _("Reason: {reason}").format(reason=values["reason"])


def _apply_rule_return(issue, actor, *, ruling, return_id, responsible=None, note="", **_unused):
    # The return the page showed (``return_id``), still awaiting its ruling.
    awaiting = issue.returns.awaiting_ruling().select_for_update().filter(pk=return_id).first()
    if awaiting is None:
        raise StaleTransition(
            _("This return no longer waits for a ruling. Nothing was done; look at it again."),
            code="stale",
        )
    fields = []
    if ruling == IssueReturn.Ruling.REASSIGN:
        if not _may_name(responsible, issue):
            raise ValidationError(
                {
                    "responsible": _(
                        "Name someone of the issue's branch: its opinions are that branch's."
                    )
                }
            )
        if responsible.pk == issue.responsible_id:
            raise ValidationError(
                {"responsible": _("Name another person than the one responsible now.")}
            )
        issue.responsible = responsible
        fields.append("responsible")
    elif ruling != IssueReturn.Ruling.INSIST:
        raise ValidationError({"ruling": _("Choose a ruling.")})
    awaiting.ruling = ruling
    awaiting.ruling_note = note
    awaiting.ruled_by = actor
    awaiting.ruled_at = timezone.now()
    awaiting.save(update_fields=["ruling", "ruling_note", "ruled_by", "ruled_at"])
    # Given to the branch again: it signs for it within a new sign-for limit.
    return [*fields, *clock_of(issue).given_to_branch(issue, awaiting.ruled_at)]


def _describe_rule_return(issue, values, before) -> str:
    if values["ruling"] == IssueReturn.Ruling.REASSIGN:
        return _("Reassigned to {person}; to be signed for by {date}.").format(
            person=person_name(values["responsible"]), date=issue.sign_deadline.isoformat()
        )
    return _("Insisted: the branch handles it; to be signed for by {date}.").format(
        date=issue.sign_deadline.isoformat()
    )


def _check_new_deadline(issue: Issue, new_deadline) -> None:
    today = clock_of(issue).today()
    if new_deadline is None or new_deadline <= issue.deadline:
        raise ValidationError(
            {
                "new_deadline": _(
                    "The new deadline must be after the current one ({date})."
                ).format(date=issue.deadline.isoformat())
            }
        )
    if new_deadline < today:
        raise ValidationError({"new_deadline": _("The new deadline cannot be in the past.")})
    if new_deadline > today + MAX_EXTENSION:
        raise ValidationError({"new_deadline": _("The new deadline is more than a year away.")})


def _apply_request_extension(issue, actor, *, new_deadline, reason, **_unused) -> list[str]:
    _check_new_deadline(issue, new_deadline)
    DeadlineExtension.objects.create(
        issue=issue,
        old_deadline=issue.deadline,
        new_deadline=new_deadline,
        reason=reason,
        requested_by=actor,
    )
    return []


def _describe_request_extension(issue, values, before) -> str:
    return _("Deadline {old} → {new} asked for: {reason}").format(
        old=issue.deadline.isoformat(),
        new=values["new_deadline"].isoformat(),
        reason=values["reason"],
    )


def _apply_decide_extension(issue, actor, *, outcome, extension_id, note="", **_unused):
    # The request the page showed (``extension_id``), still waiting for a decision.
    pending = issue.extensions.pending().select_for_update().filter(pk=extension_id).first()
    if pending is None:
        raise StaleTransition(
            _(
                "This extension request no longer waits for a decision. Nothing was done; "
                "look at it again."
            ),
            code="stale",
        )
    if pending.old_deadline != issue.deadline:
        # Asked against a deadline that no longer stands (a decision, a reopening set another).
        raise StaleTransition(
            _(
                "This request asked to move the deadline {old}, which is now {current}. "
                "Nothing was done; the branch may ask again."
            ).format(
                old=pending.old_deadline.isoformat(),
                current=issue.deadline.isoformat() if issue.deadline else _("not set"),
            ),
            code="stale",
        )
    if outcome not in (DeadlineExtension.Status.APPROVED, DeadlineExtension.Status.REFUSED):
        raise ValidationError({"outcome": _("Approve or refuse the request.")})
    pending.status = outcome
    pending.decided_by = actor
    pending.decided_at = timezone.now()
    pending.decision_note = note
    pending.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    issue._decided_extension = pending
    if outcome == DeadlineExtension.Status.APPROVED:
        issue.deadline = pending.new_deadline
        return ["deadline"]
    return []


def _describe_decide_extension(issue, values, before) -> str:
    pending = issue._decided_extension
    if pending.status == DeadlineExtension.Status.APPROVED:
        text = _("Extension approved: deadline {old} → {new}.")
    else:
        text = _("Extension refused: the deadline stays {old} (asked for {new}).")
    return text.format(old=before["deadline"].isoformat(), new=pending.new_deadline.isoformat())


def _apply_office_extend(issue, actor, *, new_deadline, reason, **_unused) -> list[str]:
    _check_new_deadline(issue, new_deadline)
    now = timezone.now()
    DeadlineExtension.objects.create(
        issue=issue,
        old_deadline=issue.deadline,
        new_deadline=new_deadline,
        reason=reason,
        requested_by=actor,
        requested_at=now,
        status=DeadlineExtension.Status.APPROVED,
        decided_by=actor,
        decided_at=now,
    )
    issue.deadline = new_deadline
    return ["deadline"]


def _describe_office_extend(issue, values, before) -> str:
    return _("Extended by the office: deadline {old} → {new}. {reason}").format(
        old=before["deadline"].isoformat(), new=issue.deadline.isoformat(), reason=values["reason"]
    )


#: How far an extension may reach from today.
MAX_EXTENSION = timedelta(days=366)
#: Where an issue given to the branch may wait for signing, and be worked on with a deadline.
SIGNING_STATES = frozenset({State.COLLECTED, State.RECTIFYING})


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "plan",
            gettext_lazy("Plan the rectification"),
            frozenset({State.COLLECTED}),
            State.RECTIFYING,
            BRANCH_WORKERS,
            required=("measures", "responsible"),
            apply=_apply_plan,
            when=is_signed,
        ),
        Transition(
            "fix_now",
            gettext_lazy("Fixed on the spot"),
            frozenset({State.COLLECTED}),
            State.RECTIFIED,
            BRANCH_WORKERS,
            required=("rectification",),
            apply=_apply_fix_now,
            when=is_signed,
            button_class="btn-success",
        ),
        Transition(
            "escalate",
            gettext_lazy("Escalate to the province"),
            frozenset({State.COLLECTED, State.RECTIFYING}),
            State.ESCALATED,
            frozenset({Role.LEAD}),
            required=("reason",),
            apply=_apply_escalate,
            when=is_signed,
            button_class="btn-warning",
        ),
        Transition(
            "decide",
            gettext_lazy("Record the provincial decision"),
            frozenset({State.ESCALATED}),
            State.RECTIFYING,
            frozenset({Role.OFFICE}),
            required=("meeting", "decision"),
            apply=_apply_decide,
        ),
        Transition(
            "verify",
            gettext_lazy("Verify the rectification"),
            frozenset({State.RECTIFYING}),
            State.RECTIFIED,
            frozenset({Role.LEAD}),
            guard=_guard_rectification_reported,
            apply=_apply_verify,
            when=is_signed,
            button_class="btn-success",
        ),
        Transition(
            "answer",
            gettext_lazy("Mark as answered"),
            frozenset({State.RECTIFIED}),
            State.ANSWERED,
            BRANCH_WORKERS,
            guard=_guard_all_replied,
            apply=_apply_answer,
            button_class="btn-success",
        ),
        Transition(
            "reopen",
            gettext_lazy("Reopen for rectification"),
            frozenset({State.ANSWERED}),
            State.RECTIFYING,
            frozenset({Role.LEAD}),
            required=("note",),
            guard=_guard_unsatisfied_reply,
            apply=_apply_reopen,
            button_class="btn-outline-danger",
        ),
        Transition(
            "sign_for",
            gettext_lazy("Sign for it"),
            SIGNING_STATES,
            None,
            BRANCH_WORKERS,
            apply=_apply_sign_for,
            when=awaits_signature,
            event_kind=IssueEvent.Kind.SIGNED,
            describe=_describe_sign_for,
            button_class="btn-success",
        ),
        Transition(
            "return",
            gettext_lazy("Return it"),
            SIGNING_STATES,
            None,
            BRANCH_WORKERS,
            required=("reason", "note"),
            apply=_apply_return,
            when=may_be_returned,
            event_kind=IssueEvent.Kind.RETURNED,
            describe=_describe_return,
            button_class="btn-outline-danger",
        ),
        Transition(
            "rule_return",
            gettext_lazy("Rule on the return"),
            SIGNING_STATES,
            None,
            frozenset({Role.OFFICE}),
            required=("ruling", "note", "return_id"),
            apply=_apply_rule_return,
            when=return_awaiting_ruling,
            event_kind=IssueEvent.Kind.RETURN_RULED,
            describe=_describe_rule_return,
            button_class="btn-warning",
        ),
        Transition(
            "request_extension",
            gettext_lazy("Ask for an extension"),
            SIGNING_STATES,
            None,
            BRANCH_WORKERS,
            required=("new_deadline", "reason"),
            apply=_apply_request_extension,
            when=may_ask_for_extension,
            who=_responsible_or_lead,
            event_kind=IssueEvent.Kind.EXTENSION_REQUESTED,
            describe=_describe_request_extension,
            button_class="btn-outline-secondary",
        ),
        Transition(
            "decide_extension",
            gettext_lazy("Decide on the extension"),
            SIGNING_STATES | {State.ESCALATED},
            None,
            frozenset({Role.LEAD, Role.OFFICE}),
            required=("outcome", "extension_id"),
            apply=_apply_decide_extension,
            when=has_pending_extension,
            who=_decides_extension,
            event_kind=IssueEvent.Kind.EXTENSION_DECIDED,
            describe=_describe_decide_extension,
            button_class="btn-warning",
        ),
        Transition(
            "office_extend",
            gettext_lazy("Extend the overdue deadline"),
            SIGNING_STATES,
            None,
            frozenset({Role.OFFICE}),
            required=("new_deadline", "reason"),
            apply=_apply_office_extend,
            when=may_be_extended_by_the_office,
            event_kind=IssueEvent.Kind.EXTENSION_DECIDED,
            describe=_describe_office_extend,
            button_class="btn-outline-secondary",
        ),
        # Supervision (督办): the office's notice by hand on a late or stuck issue, and the
        # branch lead's written answer (the automatic notices: issues/supervision.py).
        Transition(
            "supervise",
            gettext_lazy("Issue a supervision notice"),
            frozenset(Issue.UNRECTIFIED_STATES),
            None,
            frozenset({Role.OFFICE}),
            required=("content",),
            apply=apply_supervise,
            button_class="btn-outline-danger",
            event_kind=IssueEvent.Kind.SUPERVISED,
        ),
        Transition(
            "answer_supervision",
            gettext_lazy("Answer the supervision notice"),
            frozenset(State.values),
            None,
            frozenset({Role.LEAD}),
            required=("answer", "notice_id"),
            apply=apply_answer_supervision,
            when=has_open_notice,
            button_class="btn-danger",
            event_kind=IssueEvent.Kind.SUPERVISION_ANSWERED,
        ),
    )
}


# --- who may do what ----------------------------------------------------------------------


def role_may(user, transition: Transition, issue: Issue) -> bool:
    """Role and scope allow ``user`` to make ``transition`` on ``issue`` (state aside)."""
    if not user.is_authenticated or not user.is_active:
        return False
    membership = membership_of(user)
    if membership is None or membership.role not in transition.roles:
        return False
    if membership.role in BRANCH_WORKERS:
        if not branch_rules.works_in_branch(user, issue.branch_id):
            return False
    elif not scope_of(user).all_branches:
        return False
    return transition.who is None or transition.who(user, issue)


def available_transitions(user, issue: Issue) -> list[Transition]:
    """The transitions ``user`` may make on ``issue`` now: exactly the buttons to show."""
    if issue.merged_into_id or issue.withdrawn_at:
        return []
    return [
        t
        for t in TRANSITIONS.values()
        if issue.state in t.sources
        and (t.when is None or t.when(issue))
        and role_may(user, t, issue)
    ]


# --- the one writer ------------------------------------------------------------------------


class StaleTransition(ValidationError):
    """The issue moved on since the user's page was drawn; nothing was changed."""


def apply_transition(
    *,
    issue_id: int,
    name: str,
    actor,
    expected_state: str,
    note: str = "",
    today: date | None = None,
    **values,
) -> Issue:
    """Move the issue by transition ``name`` if it is still in ``expected_state``.

    ``values`` are the action's fields (measures, responsible, deadline, rectification,
    reason, meeting, decision, owner). Raises PermissionDenied for a role or scope that may
    not, StaleTransition when the issue changed meanwhile, ValidationError otherwise.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(_("Unknown action."), code="unknown_transition")
    with transaction.atomic():
        issue = Issue.objects.select_for_update().visible_to(actor).filter(pk=issue_id).first()
        if issue is None:
            raise PermissionDenied(_("This issue is outside your scope."))
        if not role_may(actor, transition, issue):
            raise PermissionDenied(_("Your role may not do this."))
        if issue.state != expected_state or issue.state not in transition.sources:
            raise StaleTransition(
                _(
                    "This issue changed while you were looking at it: it is now “{state}”. "
                    "Nothing was done; look at it again before acting."
                ).format(state=issue.get_state_display()),
                code="stale",
            )
        if issue.merged_into_id or issue.withdrawn_at:
            raise ValidationError(_("A merged or withdrawn issue no longer moves."), code="closed")
        if transition.when is not None and not transition.when(issue):
            raise StaleTransition(
                _("This action is not open on this issue now. Nothing was done; look at it again."),
                code="stale",
            )
        missing = [
            name_
            for name_ in transition.required
            if not _filled(values.get(name_, note if name_ == "note" else None))
        ]
        if missing:
            raise ValidationError(
                {name_: _("This field is required.") for name_ in missing}, code="required"
            )
        if transition.guard:
            transition.guard(issue)
        before = {"deadline": issue.deadline, "responsible_id": issue.responsible_id}
        changed = transition.apply(issue, actor, note=note, **values) if transition.apply else []
        from_state = issue.state
        if transition.target is not None:
            issue.state = transition.target
            changed.append("state")
        issue.save(update_fields=["updated_at", *dict.fromkeys(changed)])
        IssueEvent.objects.create(
            issue=issue,
            kind=transition.event_kind,
            from_state=from_state if transition.target else "",
            to_state=transition.target or "",
            note=(
                "\n".join(filter(None, [transition.describe(issue, values, before), note]))
                if transition.describe
                else note or _event_note(name, values)
            ),
            actor=actor,
        )
        # Told only once the move is committed (a caller may hold a larger transaction).
        transaction.on_commit(
            lambda: signals.transition_made.send(
                sender=Issue, issue=issue, transition=transition, actor=actor, values=values
            )
        )
    return issue


def _filled(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None


def _event_note(name: str, values: dict) -> str:
    for key in ("measures", "rectification", "reason", "decision", "content", "answer"):
        if values.get(key):
            return str(values[key])
    return ""
