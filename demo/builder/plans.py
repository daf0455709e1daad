"""The plan of the demo in memory: one dataclass per kind of row, filled step by step.

The planning steps fill these in the story's order; ``writer`` then turns each into its
model instance (kept on ``obj``) and writes them in bulk. ``BranchContext`` gathers one
branch, its people and everything planned for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from branches.models import Branch, County
from demo.data import content as C
from issues.models import Issue, IssueEvent
from outreach.models import Activity, Enterprise, FeedbackItem


@dataclass(eq=False)
class EnterprisePlan:
    name: str
    uscc: str
    county: County
    address: str
    contact_name: str
    contact_phone: str
    classes: list[str]
    industry: str
    visited: bool
    first_day: date | None = None
    obj: Enterprise | None = None


@dataclass(eq=False)
class ActivityPlan:
    kind: str
    title: str
    day: date
    place: str
    enterprises: list[EnterprisePlan]
    staff: list
    created_by: object
    attendee_count: int | None = None
    forms_sent: int | None = None
    forms_returned: int | None = None
    minutes: str = ""
    items: list = field(default_factory=list)
    obj: Activity | None = None


@dataclass(eq=False)
class ReplyPlan:
    channel: str
    content: str
    moment: datetime
    by: object
    satisfaction: str


@dataclass(eq=False)
class ItemPlan:
    activity: ActivityPlan
    enterprise: EnterprisePlan | None
    category: str
    kind: str
    content: str
    created_by: object
    recorded_at: datetime
    issue: IssuePlan | None = None
    closed_reason: str = ""
    closed_at: datetime | None = None
    closed_by: object = None
    reply: ReplyPlan | None = None
    #: Replies besides ``reply``: "not reachable" attempts before or after it.
    attempts: list = field(default_factory=list)
    obj: FeedbackItem | None = None


@dataclass(eq=False)
class EventPlan:
    kind: str
    moment: datetime
    actor: object
    from_state: str = ""
    to_state: str = ""
    note: str = ""


@dataclass(eq=False)
class IssuePlan:
    ctx: BranchContext
    mode: str  # "fix", "esc" or "plan"
    topic: dict
    state: str
    late: bool = False
    overdue: bool = False
    opinion_count: int = 1  # how many opinions the issue distils (1 to 3)
    items: list[ItemPlan] = field(default_factory=list)
    equipment: str = "elevator"
    title: str = ""
    description: str = ""
    severity: str = Issue.Severity.NORMAL
    measures: str = ""
    rectification: str = ""
    rectified_at: datetime | None = None
    answered_at: datetime | None = None
    verified_by: object = None
    deadline: date | None = None
    responsible: object = None
    created_by: object = None
    created_at: datetime | None = None
    reopen_count: int = 0
    # The clock (``clock``): when the branch was given it and signed for it, and each deadline.
    assigned_at: datetime | None = None
    sign_deadline: date | None = None
    signed_at: datetime | None = None
    signed_by: object = None
    plan_deadline: date | None = None
    reply_deadline: date | None = None
    events: list[EventPlan] = field(default_factory=list)
    escalation: dict | None = None
    decision: dict | None = None
    instruction: tuple | None = None
    obj: Issue | None = None

    def event(self, kind, moment, actor, *, from_state="", to_state="", note=""):
        self.events.append(EventPlan(kind, moment, actor, from_state, to_state, note))

    def transition(self, moment, actor, from_state, to_state, note=""):
        self.event(
            IssueEvent.Kind.TRANSITION,
            moment,
            actor,
            from_state=from_state,
            to_state=to_state,
            note=note,
        )

    def text(self, key: str) -> str:
        return self.topic.get(key, "").format(
            equip=C.EQUIPMENT_TITLE[self.equipment], short=self.ctx.spec["short"]
        )


@dataclass(eq=False)
class BranchContext:
    spec: dict
    figures: dict
    branch: Branch
    counties: list[tuple[County, int]]
    lead: object
    staff: object
    staff2: object
    staff3: object
    enterprises: list[EnterprisePlan] = field(default_factory=list)
    activities: list[ActivityPlan] = field(default_factory=list)
    issues: list[IssuePlan] = field(default_factory=list)
    items: list[ItemPlan] = field(default_factory=list)
    anonymous_left: int = 0

    @property
    def code(self) -> str:
        return self.spec["code"]

    @property
    def workers(self) -> list:
        return [self.staff, self.staff2, self.staff3]

    @property
    def inspectors(self) -> list:
        return [self.staff2, self.staff3]
