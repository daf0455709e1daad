"""Chasing and supervision (催办 → 督办) of late issues, counted in working days.

For each deadline of a counted, unrectified issue, the office's time limits
(``TimeLimit``: remind_before, supervise_after, attention_after) and the working-day
calendar set the steps:

========== ======================================== ==========================================
step       when (w = working days from today to     what
           the deadline, negative when late)
========== ======================================== ==========================================
remind     w <= remind_before, until the deadline   the responsible person is reminded
due        from the deadline day                    the branch lead(s) are told (催办)
overdue    w <= -1 (the next working day)           the responsible person is told
supervise  w <= -supervise_after                    the office is told, and a supervision
                                                    notice (督办单) is recorded on the issue
attention  w <= -attention_after                    the issue is on the leaders' attention
                                                    list (a query: ``attention_condition``)
========== ======================================== ==========================================

A step missed (the job did not run that day) is caught up on the next run. Each step
happens once per deadline, whatever runs it: the notifications are keyed by issue, step,
person and deadline (``notifications``), the automatic notice by the database's unique
(issue, deadline) for automatic notices. A new deadline (an extension, a decision) starts
the steps again. The office may also issue a notice by hand (transition ``supervise``); the
branch lead answers the oldest open one in writing (``answer_supervision``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .clock import Clock
from .models import Issue, IssueEvent, SupervisionNotice, TimeLimit, overdue_condition

Step = TimeLimit.Step

REMIND = "remind"
DUE = "due"
OVERDUE = "overdue"
SUPERVISE = "supervise"


@dataclass(frozen=True)
class Chase:
    """One issue at its steps today, with the working days to its deadline."""

    issue: Issue
    working_days_left: int
    steps: frozenset[str]


def steps_for(working_days_left: int, deadline: date, today: date, limits: dict) -> set[str]:
    """The steps an issue has reached today (each to happen once per deadline)."""
    steps = set()
    if deadline >= today and working_days_left <= limits[Step.REMIND_BEFORE]:
        steps.add(REMIND)
    if deadline <= today:
        steps.add(DUE)
    if working_days_left <= -1:
        steps.add(OVERDUE)
    if working_days_left <= -limits[Step.SUPERVISE_AFTER]:
        steps.add(SUPERVISE)
    return steps


def chases(today: date, clock: Clock | None = None) -> list[Chase]:
    """Every counted, unrectified issue with a deadline that has reached a step today,
    deadline first (one query)."""
    clock = clock or Clock()
    calendar = clock.calendar
    # working days left <= remind_before  <=>  the deadline is before the next working day
    horizon = calendar.add_working_days(today, clock.limits[Step.REMIND_BEFORE] + 1)
    issues = (
        Issue.objects.counted()
        .filter(state__in=Issue.UNRECTIFIED_STATES, deadline__isnull=False, deadline__lt=horizon)
        .select_related("responsible")
        .order_by("deadline", "id")
    )
    found = []
    for issue in issues:
        left = calendar.working_days_between(today, issue.deadline)
        steps = steps_for(left, issue.deadline, today, clock.limits)
        if steps:
            found.append(Chase(issue, left, frozenset(steps)))
    return found


def automatic_notice_text(deadline: date, days_overdue: int) -> str:
    """The automatic notice's text, in the site's language (it is kept, not re-translated)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Overdue by {days} working days (deadline {deadline}) and not rectified. The branch "
            "lead answers in writing: what stands in the way, what is being done and by when."
        ).format(days=days_overdue, deadline=formats.date_format(deadline, "Y-m-d"))


def supervise_overdue(chased: list[Chase]) -> list[SupervisionNotice]:
    """Record the automatic notice of each issue at the supervise step that has none for its
    deadline yet; returns the notices this call made (two runs at once make one each: the
    loser's insert fails on the unique constraint inside its savepoint)."""
    due = [chase for chase in chased if SUPERVISE in chase.steps]
    if not due:
        return []
    existing = set(
        SupervisionNotice.objects.filter(
            automatic=True, issue_id__in=[chase.issue.pk for chase in due]
        ).values_list("issue_id", "deadline")
    )
    made = []
    for chase in due:
        issue = chase.issue
        if (issue.pk, issue.deadline) in existing:
            continue
        notice = notice_automatic(issue=issue, days_overdue=-chase.working_days_left)
        if notice is not None:
            made.append(notice)
    return made


def notice_automatic(*, issue: Issue, days_overdue: int) -> SupervisionNotice | None:
    """The automatic notice for the issue's current deadline, with its timeline event;
    None when one exists already (made by another run meanwhile)."""
    content = automatic_notice_text(issue.deadline, days_overdue)
    try:
        with transaction.atomic():
            notice = SupervisionNotice.objects.create(
                issue=issue, deadline=issue.deadline, automatic=True, content=content
            )
            IssueEvent.objects.create(
                issue=issue, kind=IssueEvent.Kind.SUPERVISED, note=content, actor=None
            )
    except IntegrityError:
        return None
    return notice


def record_chased(first_told: list[tuple[int, date]]) -> None:
    """The timeline's "chased" line of each (issue, deadline) whose branch lead(s) were just
    told for the first time that the deadline is reached (once per deadline: the caller
    passes only the deadlines whose notifications it created first)."""
    if not first_told:
        return
    with translation.override(settings.LANGUAGE_CODE):
        IssueEvent.objects.bulk_create(
            IssueEvent(
                issue_id=issue_id,
                kind=IssueEvent.Kind.CHASED,
                note=_(
                    "The deadline {deadline} is reached and the issue is not rectified: the "
                    "branch lead was told."
                ).format(deadline=formats.date_format(deadline, "Y-m-d")),
            )
            for issue_id, deadline in first_told
        )


# --- the attention list -------------------------------------------------------------------


def attention_condition(today: date | None = None, clock: Clock | None = None) -> Q:
    """On the leaders' attention list: at least ``attention_after`` working days overdue and
    not rectified (with ``Issue.objects.counted()``)."""
    clock = clock or Clock()
    return overdue_condition(
        today or timezone.localdate(),
        working_days=clock.limits[Step.ATTENTION_AFTER],
        calendar=clock.calendar,
    )


# --- the transitions' effects (issues.transitions) ------------------------------------------

_UNKNOWN = object()


def has_open_notice(issue: Issue) -> bool:
    """A supervision notice on the issue waits for the branch's written answer (the issue
    page annotates it as ``open_notice``; otherwise one query)."""
    annotated = getattr(issue, "open_notice", None)
    if annotated is not None:
        return annotated
    return issue.supervision_notices.open().exists()


def apply_supervise(issue: Issue, actor, *, content: str, **_unused) -> list[str]:
    """The office's notice by hand, about the issue's current deadline."""
    SupervisionNotice.objects.create(
        issue=issue,
        deadline=issue.deadline,
        automatic=False,
        content=content.strip(),
        issued_by=actor,
        issued_at=timezone.now(),
    )
    return []


def oldest_open_notice_id(issue: Issue) -> int | None:
    """The notice the page's answer form answers: the oldest open one (annotated by the
    issue page as ``open_notice_id``; otherwise one query)."""
    annotated = getattr(issue, "open_notice_id", _UNKNOWN)
    if annotated is not _UNKNOWN:
        return annotated
    return (
        issue.supervision_notices.open()
        .order_by("issued_at", "id")
        .values_list("pk", flat=True)
        .first()
    )


def apply_answer_supervision(
    issue: Issue, actor, *, answer: str, notice_id: int, **_unused
) -> list[str]:
    """The branch lead's written answer to the open notice the page showed (``notice_id``;
    the issue's row is locked by the transition, so two answers cannot take the same
    notice): answered meanwhile, or not this issue's, the answer is refused as stale."""
    from .transitions import StaleTransition

    notice = issue.supervision_notices.open().filter(pk=notice_id).first()
    if notice is None:
        raise StaleTransition(
            _(
                "This supervision notice was answered meanwhile. Nothing was done; look at "
                "the issue again."
            ),
            code="stale",
        )
    notice.answer = answer.strip()
    notice.answered_by = actor
    notice.answered_at = timezone.now()
    notice.save(update_fields=["answer", "answered_by", "answered_at"])
    return []
