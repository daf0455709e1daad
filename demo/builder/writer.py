"""Writing the planned demo: one bulk insert per table, parents before children.

Rows carry the story's dates (``explicit_timestamps``) and their history rows the story's
time and author (``stamp``), not the moment the seed ran.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import datetime

from simple_history.utils import bulk_create_with_history

from demo.data import content as C
from demo.data import opinions as O
from issues.models import (
    Escalation,
    Instruction,
    Issue,
    IssueEvent,
    ProvincialDecision,
    ProvincialMeeting,
    Reply,
)
from outreach.models import Activity, Campaign, Enterprise, FeedbackItem
from outreach.names import enterprise_name_key

from .organisation import ReferenceData
from .plans import BranchContext
from .story import CAMPAIGN_ENDS, FIRST_DAY, MEETING_DAY, TZ, at

CAMPAIGN_CREATED = datetime(2026, 8, 28, 10, 0, tzinfo=TZ)


@contextmanager
def explicit_timestamps(*models):
    """Let the demo set ``created_at``/``updated_at`` itself, so rows carry the dates of the
    story rather than the moment the seed ran (auto_now fields ignore a given value)."""
    changed = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in changed:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def stamp(obj, moment, user):
    """What simple_history records as the time and author of the row's creation."""
    obj._history_date = moment
    obj._history_user = user


def create_campaign() -> Campaign:
    """The demo campaign, created before the plan so nothing is planned for a second one."""
    return Campaign.objects.create(
        name=C.CAMPAIGN_NAME,
        name_en=C.CAMPAIGN_NAME_EN,
        code=C.CAMPAIGN_CODE,
        starts_on=FIRST_DAY,
        ends_on=CAMPAIGN_ENDS,
        description=C.CAMPAIGN_DESCRIPTION,
        created_at=CAMPAIGN_CREATED,
    )


class PlanWriter:
    """Writes the branches' plans into the campaign, in bulk, keeping each plan's row on ``obj``."""

    def __init__(self, rng: random.Random, campaign: Campaign, reference: ReferenceData, office):
        self.rng = rng
        self.campaign = campaign
        self.categories = reference.categories
        self.equipment_classes = reference.equipment_classes
        self.office = office

    def write(self, contexts: list[BranchContext]):
        """Write every branch's plan; the draws (creation minutes) follow the plan's order."""
        self._enterprises(contexts)
        self._activities(contexts)
        issues = [i for ctx in contexts for i in ctx.issues]
        escalated = [i for i in issues if i.escalation]
        meeting = self._meeting(escalated)
        self._issues(issues)
        items = self._items(contexts)
        self._escalations(escalated, meeting)
        self._replies(items)
        self._instructions(issues)
        self._events(issues)

    def _enterprises(self, contexts):
        rng = self.rng
        enterprises = []
        for ctx in contexts:
            for plan in ctx.enterprises:
                moment = at(plan.first_day or FIRST_DAY, 8, rng.randint(0, 59))
                plan.obj = Enterprise(
                    name=plan.name,
                    name_key=enterprise_name_key(plan.name),
                    uscc=plan.uscc,
                    branch=ctx.branch,
                    county=plan.county,
                    address=plan.address,
                    contact_name=plan.contact_name,
                    contact_phone=plan.contact_phone,
                    created_by=ctx.staff,
                    created_at=moment,
                    updated_at=moment,
                )
                stamp(plan.obj, moment, ctx.staff)
                enterprises.append(plan)
        bulk_create_with_history([p.obj for p in enterprises], Enterprise, batch_size=500)
        Through = Enterprise.equipment_classes.through
        Through.objects.bulk_create(
            [
                Through(enterprise_id=p.obj.pk, equipmentclass_id=self.equipment_classes[c].pk)
                for p in enterprises
                for c in p.classes
            ]
        )

    def _activities(self, contexts):
        rng = self.rng
        kind_order = [k.value for k in Activity.Kind]
        activities = sorted(
            (a for ctx in contexts for a in ctx.activities),
            key=lambda a: (a.day, kind_order.index(a.kind)),
        )
        branch_of = {id(a): ctx.branch for ctx in contexts for a in ctx.activities}
        for plan in activities:
            moment = at(plan.day, 17, rng.randint(0, 59))
            plan.obj = Activity(
                campaign=self.campaign,
                branch=branch_of[id(plan)],
                kind=plan.kind,
                title=plan.title[:200],
                occurred_on=plan.day,
                place=plan.place[:200],
                attendee_count=plan.attendee_count,
                forms_sent=plan.forms_sent,
                forms_returned=plan.forms_returned,
                minutes=plan.minutes,
                created_by=plan.created_by,
                created_at=moment,
                updated_at=moment,
            )
            stamp(plan.obj, moment, plan.created_by)
        bulk_create_with_history([a.obj for a in activities], Activity, batch_size=500)
        Met = Activity.enterprises.through
        Met.objects.bulk_create(
            [
                Met(activity_id=a.obj.pk, enterprise_id=e.obj.pk)
                for a in activities
                for e in a.enterprises
            ]
        )
        Present = Activity.staff.through
        Present.objects.bulk_create(
            [Present(activity_id=a.obj.pk, user_id=u.pk) for a in activities for u in a.staff]
        )

    def _meeting(self, escalated) -> ProvincialMeeting:
        meeting = ProvincialMeeting(
            title=O.MEETING_TITLE,
            held_on=MEETING_DAY,
            attendees=O.MEETING_ATTENDEES,
            minutes=O.MEETING_MINUTES.format(count=len(escalated)),
            recorded_by=self.office,
            created_at=at(MEETING_DAY, 17, 30),
        )
        stamp(meeting, meeting.created_at, self.office)
        meeting.save()
        return meeting

    def _issues(self, issues):
        for plan in sorted(issues, key=lambda i: i.created_at):
            last = max(e.moment for e in plan.events)
            plan.obj = Issue(
                branch=plan.ctx.branch,
                campaign=self.campaign,
                title=plan.title[:200],
                description=plan.description,
                category=self.categories[plan.topic["category"]],
                severity=plan.severity,
                state=plan.state,
                immediate_fix=plan.mode == "fix",
                measures=plan.measures,
                responsible=plan.responsible,
                assigned_at=plan.assigned_at,
                sign_deadline=plan.sign_deadline,
                signed_at=plan.signed_at,
                signed_by=plan.signed_by,
                plan_deadline=plan.plan_deadline,
                deadline=plan.deadline,
                reply_deadline=plan.reply_deadline,
                rectification=plan.rectification,
                rectified_at=plan.rectified_at,
                verified_by=plan.verified_by,
                answered_at=plan.answered_at,
                reopen_count=plan.reopen_count,
                created_by=plan.created_by,
                created_at=plan.created_at,
                updated_at=last,
            )
            stamp(plan.obj, plan.created_at, plan.created_by)
        bulk_create_with_history(
            [i.obj for i in sorted(issues, key=lambda i: i.created_at)], Issue, batch_size=500
        )

    def _items(self, contexts) -> list:
        items = sorted(
            (item for ctx in contexts for item in ctx.items),
            key=lambda i: (i.recorded_at, i.activity.obj.pk),
        )
        branch_of_item = {id(item): ctx.branch for ctx in contexts for item in ctx.items}
        for plan in items:
            enterprise = plan.enterprise.obj if plan.enterprise else None
            contact = (
                f"{plan.enterprise.contact_name} {plan.enterprise.contact_phone}"
                if plan.enterprise
                else ""
            )
            updated = max(
                filter(
                    None,
                    [
                        plan.recorded_at,
                        plan.closed_at,
                        plan.issue.created_at if plan.issue else None,
                    ],
                )
            )
            plan.obj = FeedbackItem(
                activity=plan.activity.obj,
                branch=branch_of_item[id(plan)],
                enterprise=enterprise,
                category=self.categories[plan.category],
                kind=plan.kind,
                content=plan.content,
                contact=contact,
                received_on=plan.activity.day,
                issue=plan.issue.obj if plan.issue else None,
                closed_reason=plan.closed_reason,
                closed_at=plan.closed_at,
                closed_by=plan.closed_by,
                created_by=plan.created_by,
                created_at=plan.recorded_at,
                updated_at=updated,
            )
            stamp(plan.obj, plan.recorded_at, plan.created_by)
        bulk_create_with_history([i.obj for i in items], FeedbackItem, batch_size=500)
        return items

    def _escalations(self, escalated, meeting):
        escalations = []
        for plan in escalated:
            esc = plan.escalation
            esc["obj"] = Escalation(
                issue=plan.obj,
                reason=esc["reason"],
                requested_by=esc["requested_by"],
                requested_at=esc["requested_at"],
            )
            escalations.append(esc["obj"])
        Escalation.objects.bulk_create(escalations)
        decisions = []
        for plan in escalated:
            d = plan.decision
            obj = ProvincialDecision(
                meeting=meeting,
                escalation=plan.escalation["obj"],
                decision=d["decision"],
                owner=d["owner"],
                deadline=d["deadline"],
                recorded_by=self.office,
                created_at=d["recorded_at"],
            )
            stamp(obj, d["recorded_at"], self.office)
            decisions.append(obj)
        bulk_create_with_history(decisions, ProvincialDecision, batch_size=500)

    def _replies(self, items):
        replies = []
        planned = [(plan, reply) for plan in items for reply in (*plan.attempts, plan.reply)]
        for plan, reply in sorted(
            ((plan, reply) for plan, reply in planned if reply), key=lambda pair: pair[1].moment
        ):
            obj = Reply(
                feedback_item=plan.obj,
                channel=reply.channel,
                content=reply.content,
                replied_on=reply.moment.date(),
                replied_by=reply.by,
                satisfaction=reply.satisfaction,
                created_at=reply.moment,
                updated_at=reply.moment,
            )
            stamp(obj, reply.moment, reply.by)
            replies.append(obj)
        bulk_create_with_history(replies, Reply, batch_size=500)

    def _instructions(self, issues):
        Instruction.objects.bulk_create(
            [
                Instruction(
                    issue=plan.obj,
                    author=plan.instruction[0],
                    content=plan.instruction[1],
                    created_at=plan.instruction[2],
                    acknowledged_by=plan.ctx.lead if plan.instruction[3] else None,
                    acknowledged_at=plan.instruction[3],
                )
                for plan in issues
                if plan.instruction
            ]
        )

    def _events(self, issues):
        # Events in time order, so their ids follow the timeline too. Created once each:
        # the table refuses updates.
        events = sorted(
            ((e, plan) for plan in issues for e in plan.events),
            key=lambda pair: pair[0].moment,
        )
        IssueEvent.objects.bulk_create(
            [
                IssueEvent(
                    issue=plan.obj,
                    kind=e.kind,
                    from_state=e.from_state,
                    to_state=e.to_state,
                    note=e.note,
                    actor=e.actor,
                    created_at=e.moment,
                )
                for e, plan in events
            ],
            batch_size=500,
        )
