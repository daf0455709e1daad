"""The deadlines of an issue, counted in working days from the office's time limits.

Each deadline is computed when its step starts and kept on the issue (so lists and figures
filter on it in SQL): the sign-for deadline when the issue is given to the branch, the plan
and rectification deadlines at signing (an explicit provincial deadline wins), the reply
deadline at rectification. A later change of a limit applies to steps that start later.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property

from django.utils import timezone

from workdays.calendar import WorkingCalendar, local_date

from .models import Issue, TimeLimit

Step = TimeLimit.Step
RECTIFY_STEP = {
    Issue.Severity.NORMAL: Step.RECTIFY,
    Issue.Severity.SERIOUS: Step.RECTIFY_SERIOUS,
    Issue.Severity.CRITICAL: Step.RECTIFY_CRITICAL,
}


class Clock:
    """The calendar and the limits, each loaded once for a piece of work, when first used
    (two small queries for the calendar, one for the limits): a page that shows no open
    deadline reads neither."""

    def __init__(self, calendar: WorkingCalendar | None = None, limits: dict | None = None):
        if calendar is not None:
            self.calendar = calendar
        if limits:
            self.limits = limits

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar.load()

    @cached_property
    def limits(self) -> dict:
        return TimeLimit.current()

    def today(self) -> date:
        """Today in Asia/Shanghai."""
        return local_date(timezone.now())

    def after(self, moment: date | datetime, step: str) -> date:
        return self.calendar.add_working_days(moment, self.limits[step])

    def rectify_deadline(self, issue: Issue, moment) -> date:
        return self.after(moment, RECTIFY_STEP.get(issue.severity, Step.RECTIFY))

    # --- the steps: each sets the fields it names and returns them ------------------------

    def signed_at_once(self, issue: Issue, actor, moment=None) -> list[str]:
        """An issue the branch opened itself: signed by its creator when opened."""
        moment = moment or timezone.now()
        issue.assigned_at = moment
        issue.signed_at = moment
        issue.signed_by = actor
        return ["assigned_at", "signed_at", "signed_by", *self.signed(issue, moment)]

    def given_to_branch(self, issue: Issue, moment=None) -> list[str]:
        """Given to the branch from above (a provincial decision, a ruling): it waits to be
        signed for, within the sign-for limit; the next step's clock starts at signing."""
        moment = moment or timezone.now()
        issue.assigned_at = moment
        issue.signed_at = None
        issue.signed_by = None
        issue.sign_deadline = self.after(moment, Step.SIGN_FOR)
        # A plan deadline of an earlier signing no longer applies (signing sets a new one
        # if the issue still needs a plan).
        issue.plan_deadline = None
        return ["assigned_at", "signed_at", "signed_by", "sign_deadline", "plan_deadline"]

    def signed(self, issue: Issue, moment, *, explicit_deadline: date | None = None) -> list[str]:
        """The steps after signing: plan (for an issue still collected) and rectify."""
        fields = ["deadline"]
        if issue.state == Issue.State.COLLECTED:
            issue.plan_deadline = self.after(moment, Step.PLAN)
            fields.append("plan_deadline")
        issue.deadline = explicit_deadline or self.rectify_deadline(issue, moment)
        return fields

    def rectified(self, issue: Issue, moment=None) -> list[str]:
        issue.reply_deadline = self.after(moment or timezone.now(), Step.REPLY)
        return ["reply_deadline"]

    def reopened(self, issue: Issue, moment=None) -> list[str]:
        """Back in rectification: a new rectification limit from now; replies due again
        once it is rectified."""
        issue.deadline = self.rectify_deadline(issue, moment or timezone.now())
        issue.reply_deadline = None
        return ["deadline", "reply_deadline"]

    # --- what the pages show ---------------------------------------------------------------

    def working_days_left(self, deadline: date | None, today: date | None = None) -> int | None:
        """Working days from today to the deadline: 0 on the day itself, negative when late
        (by working days: a Friday deadline is 0 on Saturday, -1 on Monday)."""
        if deadline is None:
            return None
        today = local_date(today or timezone.localdate())
        return self.calendar.working_days_between(today, deadline)
