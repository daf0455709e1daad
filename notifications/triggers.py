"""Who hears about what happens to an issue, and the deadline reminders.

The workflow sends ``issues.signals`` once a change committed; ``connect`` (called by
``NotificationsConfig.ready``) hands them to ``after_transition``, ``after_reply`` and
``after_instruction``. Each picks the people DESIGN.md names, never the person who acted,
and hands them to ``services``, which creates each notification at most once and emails
it. ``chase`` takes late issues through the chasing and supervision steps
(``issues.supervision``) for ``manage.py send_reminders``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib.auth import get_user_model

from branches.models import Membership
from issues import signals, supervision
from issues.clock import Clock
from issues.models import Issue, IssueEvent, ProvincialDecision, Reply, SupervisionNotice

from .models import Notification
from .services import Draft, deliver, notify

Kind = Notification.Kind
Role = Membership.Role


def _people(**membership):
    """Active users whose membership matches, e.g. ``_people(branch_id=1, role__in=...)``."""
    lookups = {f"membership__{name}": value for name, value in membership.items()}
    return get_user_model().objects.filter(is_active=True, **lookups)


def _branch_workers(branch_id: int):
    return _people(branch_id=branch_id, role__in=[Role.STAFF, Role.LEAD])


def _but(people, actor) -> list:
    """``people`` (users or None) without the actor, the inactive and repeats."""
    seen, kept = set(), []
    for person in people:
        if person is None or not person.is_active or person.pk in seen:
            continue
        if actor is not None and person.pk == actor.pk:
            continue
        seen.add(person.pk)
        kept.append(person)
    return kept


def _last_transition_event_id(issue: Issue) -> int | None:
    return (
        IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.TRANSITION)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )


def after_transition(*, issue: Issue, transition, actor, values: dict) -> None:
    """Notify the people a committed transition concerns."""
    handler = _ON_TRANSITION.get(transition.name)
    if handler is not None:
        handler(issue, actor, values)


def _on_plan(issue: Issue, actor, values: dict) -> None:
    notify(
        recipients=_but([issue.responsible], actor),
        kind=Kind.RESPONSIBLE,
        issue=issue,
        key_suffix=_last_transition_event_id(issue),
        actor=actor,
        deadline=issue.deadline,
    )


def _on_escalate(issue: Issue, actor, values: dict) -> None:
    escalation = issue.escalations.order_by("-requested_at", "-id").first()
    notify(
        recipients=_but(_people(role=Role.OFFICE), actor),
        kind=Kind.ESCALATION,
        issue=issue,
        key_suffix=escalation.pk if escalation else _last_transition_event_id(issue),
        actor=actor,
    )


def _on_decide(issue: Issue, actor, values: dict) -> None:
    decision = (
        ProvincialDecision.objects.filter(escalation__issue=issue)
        .order_by("-created_at", "-id")
        .first()
    )
    recipients = [*_branch_workers(issue.branch_id), values.get("owner"), issue.responsible]
    notify(
        recipients=_but(recipients, actor),
        kind=Kind.DECISION,
        issue=issue,
        key_suffix=decision.pk if decision else _last_transition_event_id(issue),
        actor=actor,
        deadline=decision.deadline if decision else None,
    )


def _on_reopen(issue: Issue, actor, values: dict) -> None:
    notify(
        recipients=_but([issue.responsible], actor),
        kind=Kind.REOPENED,
        issue=issue,
        key_suffix=_last_transition_event_id(issue),
        actor=actor,
        deadline=issue.deadline,
    )


def _on_supervise(issue: Issue, actor, values: dict) -> None:
    """The office's notice by hand: the branch lead(s) answer it in writing."""
    notice = (
        SupervisionNotice.objects.filter(issue=issue, automatic=False)
        .order_by("-issued_at", "-id")
        .first()
    )
    notify(
        recipients=_but(_people(branch_id=issue.branch_id, role=Role.LEAD), actor),
        kind=Kind.SUPERVISED,
        issue=issue,
        key_suffix=f"notice-{notice.pk}" if notice else _last_event_id(issue),
        actor=actor,
        deadline=issue.deadline,
    )


def _on_answer_supervision(issue: Issue, actor, values: dict) -> None:
    """The branch lead's written answer: the office (and whoever issued the notice)."""
    notice = (
        SupervisionNotice.objects.filter(issue=issue, answered_at__isnull=False)
        .select_related("issued_by")
        .order_by("-answered_at", "-id")
        .first()
    )
    recipients = [*_people(role=Role.OFFICE), notice.issued_by if notice else None]
    notify(
        recipients=_but(recipients, actor),
        kind=Kind.SUPERVISION_ANSWERED,
        issue=issue,
        key_suffix=f"notice-{notice.pk}" if notice else _last_event_id(issue),
        actor=actor,
    )


def _last_event_id(issue: Issue) -> int | None:
    events = IssueEvent.objects.filter(issue=issue).order_by("-id")
    return events.values_list("id", flat=True).first()


# fix_now, verify and answer concern nobody but the branch that made them.
_ON_TRANSITION = {
    "plan": _on_plan,
    "escalate": _on_escalate,
    "decide": _on_decide,
    "reopen": _on_reopen,
    "supervise": _on_supervise,
    "answer_supervision": _on_answer_supervision,
}


def after_reply(*, reply: Reply) -> None:
    """An enterprise unsatisfied with a reply on an issue: its branch's lead may reopen it.

    A reply to an opinion closed without an issue has no issue to reopen: no notification.
    """
    if reply.satisfaction != Reply.Satisfaction.UNSATISFIED:
        return
    item = reply.feedback_item
    if not item.issue_id:
        return
    notify(
        recipients=_but(_people(branch_id=item.branch_id, role=Role.LEAD), reply.replied_by),
        kind=Kind.UNSATISFIED_REPLY,
        issue=Issue(pk=item.issue_id),
        key_suffix=reply.pk,
        actor=reply.replied_by,
    )


def after_instruction(*, instruction) -> None:
    """A leader's instruction: the issue's branch, staff and lead, read and acknowledge it."""
    issue = instruction.issue
    notify(
        recipients=_but(_branch_workers(issue.branch_id), instruction.author),
        kind=Kind.INSTRUCTION,
        issue=issue,
        key_suffix=instruction.pk,
        actor=instruction.author,
    )


def connect() -> None:
    """Listen to the workflow's signals (once, from ``NotificationsConfig.ready``)."""
    signals.transition_made.connect(_transition_made, dispatch_uid="notifications.transition")
    signals.reply_recorded.connect(_reply_recorded, dispatch_uid="notifications.reply")
    signals.instruction_written.connect(
        _instruction_written, dispatch_uid="notifications.instruction"
    )


def _transition_made(sender, *, issue, transition, actor, values, **kwargs) -> None:
    after_transition(issue=issue, transition=transition, actor=actor, values=values)


def _reply_recorded(sender, *, reply, **kwargs) -> None:
    after_reply(reply=reply)


def _instruction_written(sender, *, instruction, **kwargs) -> None:
    after_instruction(instruction=instruction)


# --- chasing and supervision (催办 → 督办) --------------------------------------------------


def chase(today: date) -> list[Notification]:
    """The steps due on ``today`` (``issues.supervision``): records the automatic supervision
    notices, then creates each step's notifications (emailed by the caller) and the
    timeline's "chased" line the first time a deadline's leads are told. Returns the
    notifications this run created; a step already done (by this run before, or by another
    at the same moment) creates nothing."""
    clock = Clock()
    chased = supervision.chases(today, clock)
    supervision.supervise_overdue(chased)
    due = {(c.issue.pk, c.issue.deadline) for c in chased if supervision.DUE in c.steps}
    told_before = set(
        Notification.objects.filter(
            kind=Kind.DUE_TODAY, issue_id__in={pk for pk, _deadline in due}
        ).values_list("issue_id", "deadline")
    )
    created = deliver(chasing_drafts(chased), email=False)
    first_told = {
        (n.issue_id, n.deadline)
        for n in created
        if n.kind == Kind.DUE_TODAY and (n.issue_id, n.deadline) not in told_before
    }
    supervision.record_chased(sorted(first_told))
    return created


def chasing_drafts(chased: list[supervision.Chase]) -> list[Draft]:
    """The notifications of each issue's steps, keyed by step (kind), issue, person and
    deadline. Two queries (the leads, the office)."""
    leads: dict[int, list[int]] = defaultdict(list)
    for branch_id, user_id in Membership.objects.filter(
        role=Role.LEAD,
        branch_id__in={chase.issue.branch_id for chase in chased},
        user__is_active=True,
    ).values_list("branch_id", "user_id"):
        leads[branch_id].append(user_id)
    office: list[int] = []
    if any(supervision.SUPERVISE in chase.steps for chase in chased):
        office = list(_people(role=Role.OFFICE).order_by("pk").values_list("pk", flat=True))

    drafts = []
    for chase in chased:
        issue, steps = chase.issue, chase.steps
        responsible = [issue.responsible_id] if _active(issue.responsible) else []
        branch_leads = leads[issue.branch_id]
        to_tell = []
        if supervision.REMIND in steps:
            to_tell.append((Kind.DEADLINE_SOON, responsible or branch_leads))
        if supervision.DUE in steps:
            to_tell.append((Kind.DUE_TODAY, branch_leads))
        if supervision.OVERDUE in steps:
            to_tell.append((Kind.OVERDUE, responsible))
        if supervision.SUPERVISE in steps:
            to_tell.append((Kind.SUPERVISED, [*office, *branch_leads]))
        drafts += [
            Draft(
                recipient_id=user_id,
                kind=kind,
                issue_id=issue.pk,
                key_suffix=issue.deadline.isoformat(),
                deadline=issue.deadline,
            )
            for kind, recipients in to_tell
            for user_id in dict.fromkeys(recipients)
        ]
    return drafts


def deadline_reminders(today: date) -> list[Draft]:
    """The notifications of the steps due on ``today``, without recording anything (the
    automatic notices are ``chase``'s)."""
    return chasing_drafts(supervision.chases(today))


def _active(user) -> bool:
    return user is not None and user.is_active
