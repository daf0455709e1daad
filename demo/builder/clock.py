"""The demo's clock (docs/clock.md): sign-fors and deadlines counted in working days, a few
returns, extensions, supervision notices and replies waiting for approval.

Runs after ``workflow``, in two parts. ``plan`` (before the writer) sets every issue's clock
with ``issues.clock.Clock`` and the working-day calendar, so the National Day week of 2026
and its make-up working days (Sun 20 Sep, Sat 10 Oct) show in the deadlines:

- an issue a branch opened was signed for by its creator when opened (plan and
  rectification deadlines from the office's limits; an issue planned in the seed report keeps
  the deadline its plan set);
- an escalated issue was given back to its branch at the provincial decision and signed for
  within the sign-for limit, its deadline the decision's;
- a rectified issue's replies are due within the reply limit.

It adds the rows of the clock's screens, each with its events on the timeline: a return
ruled "insist" then signed, a return ruled "reassign" on the demo's day (so one issue waits
to be signed for), extensions approved, refused and waiting, an automatic supervision notice
answered in writing and a manual one still open, and one branch whose replies need the
lead's approval, with drafts waiting and one sent back. ``write`` (after the writer) stores
those rows. None of this changes a figure of the report: states, replies and the deadlines
of unrectified issues stay as the story has them, apart from the approved extension.

It draws nothing from the story's random generator: the choices follow the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from simple_history.utils import bulk_create_with_history

from branches.models import Branch
from demo.data import clock as K
from demo.data import opinions as O
from issues.clock import Clock
from issues.models import (
    DeadlineExtension,
    Issue,
    IssueEvent,
    IssueReturn,
    Reply,
    ReplyDraft,
    ReturnReason,
    SupervisionNotice,
    TimeLimit,
)

from .organisation import Organisation
from .plans import IssuePlan, ItemPlan
from .story import CUTOFF, MEETING_DAY, at, full_name
from .writer import stamp

S = Issue.State
E = IssueEvent.Kind
Step = TimeLimit.Step
EXT = DeadlineExtension.Status

# The branches where the clock's rows land, so each screen shows a different branch.
RETURN_INSISTED_BRANCH = "longyan"
RETURN_REASSIGNED_BRANCH = "nanping"
APPROVAL_BRANCH = "ningde"
#: When the office switched on the lead's approval of replies for APPROVAL_BRANCH (after
#: its last reply of the story: every reply since is a draft).
APPROVAL_FROM = at(date(2026, 11, 23), 9, 0)
#: Extensions stay within 2026, the last year the calendar package knows.
LAST_KNOWN_DAY = date(2026, 12, 31)


@dataclass(eq=False)
class DraftPlan:
    item: ItemPlan
    channel: str
    content: str
    drafted_by: object
    drafted_at: datetime
    status: str = ReplyDraft.Status.PENDING
    reviewed_by: object = None
    reviewed_at: datetime | None = None
    review_comment: str = ""


class ClockPlanner:
    """Sets the clock of every planned issue and plans the clock's own rows."""

    def __init__(self, organisation: Organisation, clock: Clock | None = None):
        self.contexts = organisation.branches
        self.office = organisation.office
        self.clock = clock or Clock()
        self.issues = [i for ctx in self.contexts for i in ctx.issues]
        self.returns: list[tuple[IssuePlan, IssueReturn]] = []
        self.extensions: list[tuple[IssuePlan, DeadlineExtension]] = []
        self.notices: list[tuple[IssuePlan, SupervisionNotice]] = []
        self.drafts: list[DraftPlan] = []
        self.used: set[int] = set()  # issues that already carry one of the rows above
        self.reasons = {r.name: r for r in ReturnReason.objects.all()}

    # --- the clock of every issue ---------------------------------------------------------

    def plan(self):
        for k, issue in enumerate(self.issues):
            self._sign(issue, k)
        self._returns()
        self._extensions()
        self._supervision()
        self._drafts()

    def _sign(self, issue: IssuePlan, k: int):
        clock = self.clock
        explicit = issue.deadline
        # Opened by the branch: signed for by its creator at once (it was "collected" then).
        state, issue.state = issue.state, S.COLLECTED
        clock.signed_at_once(issue, issue.created_by, issue.created_at)
        issue.state = state
        if issue.mode == "plan":
            issue.deadline = explicit  # the report's planned deadline (or its reopening's)
        if issue.decision:
            given = self._decided_at(issue)
            clock.given_to_branch(issue, given)
            moment = given + timedelta(minutes=60 + 25 * (k % 6))
            self._signed(issue, moment, issue.responsible)
        if issue.rectified_at:
            clock.rectified(issue, issue.rectified_at)

    def _signed(self, issue: IssuePlan, moment: datetime, by):
        """Signed for at ``moment`` (or just before the next step, if that comes sooner)."""
        later = self._next_event(issue, moment - timedelta(minutes=1))
        if later is not None and later <= moment:
            moment = later - timedelta(minutes=2)
        self.clock.signed(issue, moment, explicit_deadline=issue.decision["deadline"])
        issue.signed_at, issue.signed_by = moment, by
        issue.event(E.SIGNED, moment, by, note=K.SIGNED_NOTE.format(date=issue.deadline))

    @staticmethod
    def _decided_at(issue: IssuePlan) -> datetime:
        """The moment the decision moved the issue (escalated -> rectifying)."""
        return next(
            e.moment
            for e in issue.events
            if e.kind == E.TRANSITION and e.from_state == S.ESCALATED and e.to_state == S.RECTIFYING
        )

    @staticmethod
    def _next_event(issue: IssuePlan, after: datetime) -> datetime | None:
        return min((e.moment for e in issue.events if e.moment > after), default=None)

    def _pick(self, predicate, *, branch: str | None = None) -> IssuePlan:
        """The first unused issue (of ``branch`` first, if given) that ``predicate`` accepts."""
        issues = self.issues
        if branch:
            issues = [i for i in issues if i.ctx.code == branch] + [
                i for i in issues if i.ctx.code != branch
            ]
        issue = next(i for i in issues if id(i) not in self.used and predicate(i))
        self.used.add(id(issue))
        return issue

    # --- returns (退单) and the office's rulings -------------------------------------------

    def _quiet_after_decision(self, issue: IssuePlan, until: datetime) -> bool:
        """Decided, without an instruction, nothing on its timeline from the decision to
        ``until`` but the sign-for."""
        if not issue.decision or issue.instruction or issue.overdue or issue.topic.get("story"):
            return False
        decided = self._decided_at(issue)
        return not any(decided < e.moment <= until and e.kind != E.SIGNED for e in issue.events)

    def _returns(self):
        office = self.office
        # Returned on the day of the decision; the office insisted the next morning; signed.
        issue = self._pick(
            lambda i: (
                i.state == S.RECTIFIED
                and self._quiet_after_decision(i, at(MEETING_DAY + timedelta(days=2), 18))
            ),
            branch=RETURN_INSISTED_BRANCH,
        )
        self._unsign(issue)
        decided = self._decided_at(issue)
        returned = decided + timedelta(hours=3)
        ruled = at(MEETING_DAY + timedelta(days=1), 10, 20)
        text = K.RETURN_INSISTED
        self._return(issue, text, returned, ruled, IssueReturn.Ruling.INSIST)
        self.clock.given_to_branch(issue, ruled)
        issue.event(
            E.RETURN_RULED,
            ruled,
            office,
            note=K.INSISTED_NOTE.format(date=issue.sign_deadline, note=text["ruling_note"]),
        )
        self._signed(issue, ruled + timedelta(hours=4, minutes=10), issue.ctx.lead)

        # Returned the day after the decision; ruled "reassign" on the demo's day: the new
        # responsible person has not signed for it yet.
        issue = self._pick(
            lambda i: i.state == S.RECTIFYING and self._quiet_after_decision(i, CUTOFF),
            branch=RETURN_REASSIGNED_BRANCH,
        )
        self._unsign(issue)
        ctx = issue.ctx
        returned = at(MEETING_DAY + timedelta(days=1), 9, 15)
        ruled = at(CUTOFF.date(), 15, 40)
        text = K.RETURN_REASSIGNED
        self._return(issue, text, returned, ruled, IssueReturn.Ruling.REASSIGN)
        # To the inspection section: its head, or its inspector if the head had it.
        issue.responsible = ctx.staff3 if issue.responsible is ctx.staff2 else ctx.staff2
        self.clock.given_to_branch(issue, ruled)
        issue.event(
            E.RETURN_RULED,
            ruled,
            office,
            note=K.REASSIGNED_NOTE.format(
                person=full_name(issue.responsible),
                date=issue.sign_deadline,
                note=text["ruling_note"],
            ),
        )

    def _unsign(self, issue: IssuePlan):
        """Undo the sign-for ``_sign`` planned: the branch returned the issue instead."""
        issue.events = [e for e in issue.events if e.kind != E.SIGNED]
        issue.signed_at = issue.signed_by = None

    def _return(self, issue, text, returned, ruled, ruling):
        by = issue.ctx.lead
        # The office's list is seeded by a migration, but the office may have renamed a
        # reason (and a flushed test database has none): the demo's own is made if missing.
        reason = (
            self.reasons.get(text["reason"])
            or ReturnReason.objects.get_or_create(name=text["reason"])[0]
        )
        row = IssueReturn(
            reason=reason,
            note=text["note"],
            returned_by=by,
            returned_at=returned,
            ruling=ruling,
            ruling_note=text["ruling_note"],
            ruled_by=self.office,
            ruled_at=ruled,
        )
        self.returns.append((issue, row))
        issue.event(
            E.RETURNED, returned, by, note=K.RETURNED_NOTE.format(reason=reason, note=text["note"])
        )

    # --- extensions (延期) ------------------------------------------------------------------

    def _open_and_signed(self, issue: IssuePlan) -> bool:
        """Being rectified, signed for, and its deadline still ahead on the demo's day (an
        extension then changes no figure of the report)."""
        return (
            issue.state == S.RECTIFYING
            and issue.signed_at is not None
            and not issue.overdue
            and not issue.reopen_count
            and not issue.topic.get("story")
            and issue.deadline is not None
            and CUTOFF.date() < issue.deadline <= LAST_KNOWN_DAY - timedelta(days=10)
        )

    def _extensions(self):
        calendar = self.clock.calendar
        # Approved by the branch lead: an issue the branch planned, asked by its
        # responsible person (not the lead, who decides).
        asked = at(date(2026, 11, 16), 10, 20)
        issue = self._pick(
            lambda i: (
                i.mode == "plan" and self._open_and_signed(i) and i.responsible is not i.ctx.lead
            )
        )
        old = issue.deadline
        new = calendar.add_working_days(old, 5)
        text = K.EXTENSION_APPROVED
        self._extension(issue, issue.responsible, asked, new, text["reason"])
        decided = at(date(2026, 11, 17), 9, 40)
        self._decide(issue, issue.ctx.lead, decided, EXT.APPROVED, text["note"])
        issue.deadline = new

        # Refused by the office: the provincial meeting set the deadline.
        asked = at(date(2026, 11, 18), 15, 5)
        issue = self._pick(lambda i: i.decision and self._open_and_signed(i))
        new = calendar.add_working_days(issue.deadline, 5)
        text = K.EXTENSION_REFUSED
        self._extension(issue, issue.responsible, asked, new, text["reason"])
        self._decide(issue, self.office, at(date(2026, 11, 19), 11, 30), EXT.REFUSED, text["note"])

        # Waiting for the office on the demo's day.
        asked = at(date(2026, 11, 23), 16, 45)
        issue = self._pick(lambda i: i.decision and self._open_and_signed(i))
        new = calendar.add_working_days(issue.deadline, 5)
        self._extension(issue, issue.ctx.lead, asked, new, K.EXTENSION_PENDING["reason"])

    def _extension(self, issue, by, asked, new, reason):
        row = DeadlineExtension(
            old_deadline=issue.deadline,
            new_deadline=new,
            reason=reason,
            requested_by=by,
            requested_at=asked,
        )
        self.extensions.append((issue, row))
        issue.event(
            E.EXTENSION_REQUESTED,
            asked,
            by,
            note=K.EXTENSION_REQUESTED_NOTE.format(old=issue.deadline, new=new, reason=reason),
        )

    def _decide(self, issue, by, moment, status, note):
        row = self.extensions[-1][1]
        row.status, row.decided_by, row.decided_at, row.decision_note = status, by, moment, note
        words = K.EXTENSION_APPROVED_NOTE if status == EXT.APPROVED else K.EXTENSION_REFUSED_NOTE
        issue.event(
            E.EXTENSION_DECIDED,
            moment,
            by,
            note=words.format(old=row.old_deadline, new=row.new_deadline, note=note),
        )

    # --- chasing and supervision (催办、督办) ------------------------------------------------

    def _supervision(self):
        clock, calendar = self.clock, self.clock.calendar
        after = clock.limits[Step.SUPERVISE_AFTER]
        before = clock.limits[Step.REMIND_BEFORE]

        def answered_by_cutoff(issue):
            issued = calendar.add_working_days(issue.deadline, after)
            return calendar.add_working_days(issued, 1) < CUTOFF.date()

        # Automatic: reminded before the deadline and on it, then the notice N working days
        # after it, answered in writing by the branch lead the next working day.
        issue = self._pick(lambda i: i.overdue and answered_by_cutoff(i))
        ctx, deadline = issue.ctx, issue.deadline
        reminded = deadline
        while calendar.working_days_between(reminded, deadline) < before:
            reminded -= timedelta(days=1)
        issue.event(
            E.CHASED,
            at(reminded, 8, 30),
            None,
            note=K.REMINDED_NOTE.format(
                date=deadline, days=before, person=full_name(issue.responsible)
            ),
        )
        issue.event(
            E.CHASED,
            at(deadline, 8, 30),
            None,
            note=K.DUE_NOTE.format(date=deadline, person=full_name(ctx.lead)),
        )
        issued = at(calendar.add_working_days(deadline, after), 8, 30)
        answered = at(calendar.add_working_days(issued, 1), 16, 20)
        notice = SupervisionNotice(
            deadline=deadline,
            automatic=True,
            content=K.AUTOMATIC_NOTICE.format(date=deadline, days=after),
            issued_by=None,
            issued_at=issued,
            answer=K.AUTOMATIC_ANSWER,
            answered_by=ctx.lead,
            answered_at=answered,
        )
        self.notices.append((issue, notice))
        issue.event(E.SUPERVISED, issued, None, note=notice.content)
        issue.event(
            E.SUPERVISION_ANSWERED,
            answered,
            ctx.lead,
            note=K.ANSWERED_NOTE.format(answer=notice.answer),
        )

        # By hand: the office supervises an overdue planned issue; not answered yet.
        issued = at(date(2026, 11, 23), 10, 30)
        issue = self._pick(
            lambda i: (
                i.mode == "plan"
                and i.state == S.RECTIFYING
                and i.deadline < calendar.working_day_back(issued, after)
            )
        )
        notice = SupervisionNotice(
            deadline=issue.deadline,
            automatic=False,
            content=K.MANUAL_NOTICE.format(
                date=issue.deadline, reply_by=calendar.add_working_days(issued, 3)
            ),
            issued_by=self.office,
            issued_at=issued,
        )
        self.notices.append((issue, notice))
        issue.event(E.SUPERVISED, issued, self.office, note=notice.content)

    # --- replies waiting for the branch lead's approval ------------------------------------

    def _drafts(self):
        ctx = next(c for c in self.contexts if c.code == APPROVAL_BRANCH)
        items = [
            item
            for issue in ctx.issues
            if issue.state == S.RECTIFIED and issue.rectified_at < APPROVAL_FROM
            for item in issue.items
            if item.reply is None and not item.attempts and item.enterprise is not None
        ]
        plans = [
            (ctx.staff3, at(date(2026, 11, 23), 9, 50), ReplyDraft.Status.SENT_BACK),
            (ctx.staff, at(date(2026, 11, 23), 16, 5), ReplyDraft.Status.PENDING),
            (ctx.staff2, at(CUTOFF.date(), 10, 40), ReplyDraft.Status.PENDING),
        ]
        for item, (by, moment, status) in zip(items[: len(plans)], plans, strict=True):
            issue = item.issue
            # A written reply, sent once the lead approves it: no answer from the enterprise yet.
            channel = Reply.Channel.LETTER
            content = O.REPLY_LEADS[channel] + issue.text("reply")
            draft = DraftPlan(item, channel, content, by, moment, status)
            self.drafts.append(draft)
            issue.event(
                E.REPLY_DRAFTED, moment, by, note=K.DRAFTED_NOTE.format(who=item.enterprise.name)
            )
            if status == ReplyDraft.Status.SENT_BACK:
                draft.reviewed_by = ctx.lead
                draft.reviewed_at = moment + timedelta(hours=5, minutes=25)
                draft.review_comment = K.SENT_BACK_COMMENT
                issue.event(
                    E.REPLY_SENT_BACK,
                    draft.reviewed_at,
                    ctx.lead,
                    note=K.SENT_BACK_NOTE.format(comment=K.SENT_BACK_COMMENT),
                )

    # --- writing, once the issues and opinions have their rows ------------------------------

    def write(self):
        returns = []
        for issue, row in self.returns:
            row.issue = issue.obj
            stamp(row, row.returned_at, row.returned_by)
            returns.append(row)
        bulk_create_with_history(returns, IssueReturn)
        extensions = []
        for issue, row in self.extensions:
            row.issue = issue.obj
            stamp(row, row.requested_at, row.requested_by)
            extensions.append(row)
        bulk_create_with_history(extensions, DeadlineExtension)
        notices = []
        for issue, row in self.notices:
            row.issue = issue.obj
            stamp(row, row.issued_at, row.issued_by)
            notices.append(row)
        bulk_create_with_history(notices, SupervisionNotice)
        drafts = []
        for plan in self.drafts:
            row = ReplyDraft(
                feedback_item=plan.item.obj,
                channel=plan.channel,
                content=plan.content,
                replied_on=plan.drafted_at.date(),
                drafted_by=plan.drafted_by,
                drafted_at=plan.drafted_at,
                status=plan.status,
                reviewed_by=plan.reviewed_by,
                reviewed_at=plan.reviewed_at,
                review_comment=plan.review_comment,
            )
            stamp(row, plan.drafted_at, plan.drafted_by)
            drafts.append(row)
        bulk_create_with_history(drafts, ReplyDraft)
        Branch.objects.filter(code=APPROVAL_BRANCH).update(replies_need_approval=True)
