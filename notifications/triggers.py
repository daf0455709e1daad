"""Who hears about what happens to an issue, and the deadline reminders.

The workflow sends ``issues.signals`` once a change committed; ``connect`` (called by
``NotificationsConfig.ready``) hands them to ``after_transition``, ``after_reply`` and
``after_instruction``. Each picks the people DESIGN.md names, never the person who acted,
and hands them to ``services``, which creates each notification at most once and emails
it. ``deadline_reminders`` plans the reminders ``manage.py send_reminders`` sends.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from branches.models import Membership
from issues import signals
from issues.models import Issue, IssueEvent, ProvincialDecision, Reply

from .models import Notification
from .services import Draft, notify

Kind = Notification.Kind
Role = Membership.Role

#: A deadline this many days ahead (or nearer) gets its "deadline approaching" reminder.
REMINDER_DAYS = 3


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


# fix_now, verify and answer concern nobody but the branch that made them.
_ON_TRANSITION = {
    "plan": _on_plan,
    "escalate": _on_escalate,
    "decide": _on_decide,
    "reopen": _on_reopen,
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


# --- deadline reminders -------------------------------------------------------------------


def deadline_reminders(today: date) -> list[Draft]:
    """The reminders due on ``today`` for counted, not yet rectified issues.

    A deadline within ``REMINDER_DAYS`` (today included): "deadline approaching" to the
    responsible person, or the branch lead(s) when nobody is. A deadline passed: "overdue"
    to the responsible person and the branch lead(s). Each is keyed by the deadline, so
    it is sent once per deadline, and again only when the deadline changes. Two queries.
    """
    issues = list(
        Issue.objects.counted()
        .filter(
            state__in=Issue.UNRECTIFIED_STATES,
            deadline__isnull=False,
            deadline__lte=today + timedelta(days=REMINDER_DAYS),
        )
        .select_related("responsible")
        .order_by("deadline", "id")
    )
    leads: dict[int, list[int]] = defaultdict(list)
    for branch_id, user_id in Membership.objects.filter(
        role=Role.LEAD,
        branch_id__in={issue.branch_id for issue in issues},
        user__is_active=True,
    ).values_list("branch_id", "user_id"):
        leads[branch_id].append(user_id)

    drafts = []
    for issue in issues:
        responsible = [issue.responsible_id] if _active(issue.responsible) else []
        if issue.deadline < today:
            kind, recipients = Kind.OVERDUE, [*responsible, *leads[issue.branch_id]]
        else:
            kind, recipients = Kind.DEADLINE_SOON, responsible or leads[issue.branch_id]
        drafts += [
            Draft(
                recipient_id=user_id,
                kind=kind,
                issue_id=issue.pk,
                key_suffix=issue.deadline.isoformat(),
                deadline=issue.deadline,
            )
            for user_id in dict.fromkeys(recipients)
        ]
    return drafts


def _active(user) -> bool:
    return user is not None and user.is_active
