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
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches import rules as branch_rules
from branches.models import Membership
from branches.scoping import membership_of, scope_of
from outreach.models import UNREPLIED

from . import signals
from .clock import Clock
from .models import Escalation, Issue, IssueEvent, ProvincialDecision
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


def _guard_unsatisfied_reply(issue: Issue) -> None:
    if not _items_with_latest_reply_unsatisfied(issue).exists():
        raise ValidationError(
            _("An issue is reopened when an enterprise's latest reply says it is not satisfied."),
            code="no_unsatisfied_reply",
        )


def is_signed(issue: Issue) -> bool:
    return issue.signed_at is not None


def _apply_plan(issue, actor, *, measures, responsible, **_unused) -> list[str]:
    # The deadline is the clock's (set at signing), not the planner's.
    issue.measures = measures
    issue.responsible = responsible
    return ["measures", "responsible"]


def _apply_fix_now(issue, actor, *, rectification, **_unused) -> list[str]:
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
            required=("answer",),
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
        return branch_rules.works_in_branch(user, issue.branch_id)
    return scope_of(user).all_branches


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
        changed = transition.apply(issue, actor, **values) if transition.apply else []
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
            note=note or _event_note(name, values),
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
