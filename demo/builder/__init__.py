"""Build the demo campaign of the seed report, the same on every run.

The builder first plans every row in memory with one seeded random generator and fixed
dates (it never reads the clock), then writes the plan in bulk. ``build`` runs it in
one transaction and does nothing when the campaign already exists.

State, timeline and replies are written as they would be at the end of the demo's story
(2026-11-24): the seed writes ``Issue.state`` directly rather than through the workflow,
and an IssueEvent row for every step the workflow would have taken, each created once.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from branches.models import Branch, County, Membership
from branches.services import liaison_set, membership_set
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
from outreach.models import (
    Activity,
    Campaign,
    Enterprise,
    EquipmentClass,
    FeedbackCategory,
    FeedbackItem,
)
from outreach.services import enterprise_name_key
from outreach.validators import USCC_ALPHABET, uscc_check_digit

TZ = ZoneInfo("Asia/Shanghai")
SEED = 20260901

FIRST_DAY = date(2026, 9, 1)
LAST_ACTIVITY_DAY = date(2026, 11, 20)
CAMPAIGN_ENDS = date(2026, 12, 31)
MEETING_DAY = date(2026, 10, 28)
USERS_JOINED = datetime(2026, 8, 24, 9, 0, tzinfo=TZ)
CAMPAIGN_CREATED = datetime(2026, 8, 28, 10, 0, tzinfo=TZ)
# The demo's "now": nothing on a timeline happens after it.
CUTOFF = datetime(2026, 11, 24, 17, 30, tzinfo=TZ)
ESCALATIONS_BY = datetime(2026, 10, 26, 17, 0, tzinfo=TZ)
# No visits on the Mid-Autumn festival and the National Day holidays.
HOLIDAYS = (date(2026, 9, 25), *(date(2026, 10, day) for day in range(1, 8)))

# Which opinions an issue can be made of: escalated problems were found early enough to
# reach the director meeting, late immediate fixes are still waiting for their replies.
ESCALATED_ITEMS_BY = date(2026, 10, 16)
REOPENED_ITEMS_BY = date(2026, 10, 9)
PLANNED_ITEMS_BY = date(2026, 11, 5)
ANSWERED_FIX_ITEMS_BY = date(2026, 11, 16)
LATE_ITEMS_FROM = date(2026, 11, 4)
UNDISPOSED_ITEMS_FROM = date(2026, 11, 9)
REPLIES_FOR_CLOSED_BY = date(2026, 11, 20)
# Branches with one escalated issue past its provincial deadline.
OVERDUE_ESCALATIONS = ("ningde", "nanping", "sanming", "zhangzhou")

S = Issue.State
SAT = Reply.Satisfaction
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Fixed Chinese words for the timeline notes, whatever language the command runs in.
SATISFACTION_LABELS = {
    SAT.SATISFIED: "满意",
    SAT.BASICALLY_SATISFIED: "基本满意",
    SAT.UNSATISFIED: "不满意",
    SAT.NOT_REACHABLE: "未联系上",
    "": "公开答复",
}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def full_name(user) -> str:
    return f"{user.last_name}{user.first_name}"


def org_code_check(body: str) -> str:
    """The 9th character of an organisation code (GB 11714) for its first eight."""
    total = sum(
        (int(ch) if ch.isdigit() else ord(ch) - 55) * weight
        for ch, weight in zip(body, ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


class Clock:
    """The moments of one timeline: each later than the last, none (much) past CUTOFF."""

    def __init__(self, rng: random.Random, start: datetime):
        self.rng = rng
        self.now = start

    def next(self, min_days: int = 0, max_days: int = 0, ceiling: datetime = CUTOFF) -> datetime:
        day = self.now.date() + timedelta(days=self.rng.randint(min_days, max_days))
        moment = at(day, self.rng.randint(8, 17), self.rng.choice(range(0, 60, 5)))
        if moment <= self.now or moment > ceiling:
            moment = self.now + timedelta(minutes=self.rng.randint(5, 40))
        self.now = moment
        return moment

    def soon(self) -> datetime:
        self.now += timedelta(minutes=self.rng.randint(1, 5))
        return self.now

    def jump_to(self, moment: datetime) -> datetime:
        self.now = max(self.now + timedelta(minutes=1), moment)
        return self.now


# --- the plan ---------------------------------------------------------------------------


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


# --- the builder ------------------------------------------------------------------------


class DemoBuilder:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.User = get_user_model()
        self._password_hash = None
        self.contexts: list[BranchContext] = []
        self.usccs: set[str] = set()
        self.enterprise_names: set[str] = set()
        self.contents: set[str] = set()  # every opinion's text, to keep them all different
        self.title_uses: dict[str, int] = {}

    # Organisation and people ---------------------------------------------------------

    def build(self) -> Campaign:
        self._reference_data()
        self._organisation()
        self._campaign()
        for ctx in self.contexts:
            self._plan_enterprises(ctx)
            self._plan_activities(ctx)
            self._plan_issues(ctx)
            self._plan_items(ctx)
        self._plan_timelines()
        self._plan_minutes()
        self._write()
        return self.campaign

    def _reference_data(self):
        self.categories = {c.name: c for c in FeedbackCategory.objects.all()}
        self.equipment_classes = {e.code: e for e in EquipmentClass.objects.all()}
        wanted = set(O.CATEGORY_WEIGHTS)
        if not wanted <= set(self.categories) or len(self.equipment_classes) < 8:
            raise ImproperlyConfigured(
                "The feedback categories and equipment classes are missing: run migrate first."
            )

    def _password(self) -> str:
        # Argon2 is slow on purpose: hash the one demo password once for every demo user.
        if self._password_hash is None:
            self._password_hash = make_password(C.DEMO_PASSWORD)
        return self._password_hash

    def _user(self, username, surname="", given="", *, superuser=False):
        user = self.User.objects.filter(username=username).first()
        if user is None:
            user = self.User(
                username=username,
                last_name=surname,
                first_name=given,
                email=f"{username}@example.com",
                date_joined=USERS_JOINED,
                is_staff=superuser,
                is_superuser=superuser,
            )
            user.password = self._password()
            user.save()
        return user

    def _organisation(self):
        province = Branch.objects.filter(kind=Branch.Kind.PROVINCE).first()
        if province is None:
            province = Branch.objects.create(
                kind=Branch.Kind.PROVINCE,
                code=C.PROVINCE["code"],
                name=C.PROVINCE["name"],
                name_en=C.PROVINCE["name_en"],
                short_name=C.PROVINCE["short_name"],
                sort_order=0,
            )
        self.province = province
        for order, spec in enumerate(C.BRANCHES, start=1):
            branch, _ = Branch.objects.get_or_create(
                code=spec["code"],
                defaults={
                    "name": C.BRANCH_NAME.format(short=spec["short"]),
                    "name_en": C.BRANCH_NAME_EN.format(pinyin=C.PINYIN[spec["code"]]),
                    "short_name": spec["short"],
                    "kind": Branch.Kind.CITY,
                    "parent": province,
                    "region_code": spec["region"],
                    "sort_order": order,
                },
            )
            counties = []
            for code, name, name_en, weight in spec["counties"]:
                county, _ = County.objects.get_or_create(
                    code=code, defaults={"branch": branch, "name": name, "name_en": name_en}
                )
                counties.append((county, weight))
            users = []
            for suffix, (surname, given, title) in zip(
                C.BRANCH_USER_SUFFIXES, C.BRANCH_PEOPLE[spec["code"]], strict=True
            ):
                user = self._user(f"{spec['code']}_{suffix}", surname, given)
                role = Membership.Role.LEAD if suffix == "lead" else Membership.Role.STAFF
                membership_set(user=user, branch=branch, role=role, job_title=title)
                users.append(user)
            self.contexts.append(
                BranchContext(spec, C.FIGURES[spec["code"]], branch, counties, *users)
            )
        by_code = {ctx.code: ctx.branch for ctx in self.contexts}
        self.provincial = {}
        for username, surname, given, role, title, liaisons in C.PROVINCIAL_PEOPLE:
            user = self._user(username, surname, given)
            membership_set(user=user, branch=province, role=role, job_title=title)
            if liaisons:
                liaison_set(leader=user, branches=[by_code[code] for code in liaisons])
            self.provincial[username] = user
        self.office = self.provincial["office"]
        self._user("admin", superuser=True)

    def _campaign(self):
        self.campaign = Campaign.objects.create(
            name=C.CAMPAIGN_NAME,
            code=C.CAMPAIGN_CODE,
            starts_on=FIRST_DAY,
            ends_on=CAMPAIGN_ENDS,
            description=C.CAMPAIGN_DESCRIPTION,
            created_at=CAMPAIGN_CREATED,
        )

    # Enterprises ---------------------------------------------------------------------

    def _weighted(self, weights: dict):
        keys = [k for k, w in weights.items() if w > 0]
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def _uscc(self, county_code: str) -> str:
        rng = self.rng
        while True:
            if rng.random() < 0.4:  # registered since 2015: the organisation code starts MA
                body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
            else:
                body = "".join(rng.choice("0123456789") for _ in range(8))
            first17 = "91" + county_code + body + org_code_check(body)
            code = first17 + uscc_check_digit(first17)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def _enterprise_name(self, spec, industry: str, county: County) -> str:
        rng = self.rng
        county_short = county.name[:-1]
        endings = C.INDUSTRIES[industry][0]
        while True:
            if industry == "hospital":
                brand = rng.choice(C.HOSPITAL_BRANDS)
                name = rng.choice(
                    [f"{county_short}{brand}医院", f"{spec['short']}{brand}医院有限公司"]
                )
            else:
                brand, ending, form = rng.choice(C.BRANDS), rng.choice(endings), rng.random()
                if form < 0.45:
                    name = f"{county_short}{brand}{ending}"
                elif form < 0.75:
                    name = f"{spec['short']}{brand}{ending}"
                elif form < 0.95 and county.name.endswith("区"):
                    name = f"{spec['city']}{county.name}{brand}{ending}"
                elif form < 0.95:
                    name = f"{county.name}{brand}{ending}"
                else:
                    name = f"福建{brand}{ending}"
            if name not in self.enterprise_names:
                self.enterprise_names.add(name)
                return name

    def _phone(self, spec) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            return f"{spec['area_code']}-2{rng.randint(0, 9_999_999):07d}"
        return f"{rng.choice(C.MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"

    def _person_name(self) -> str:
        return self.rng.choice(C.SURNAMES) + self.rng.choice(C.GIVEN_NAMES)

    def _plan_enterprises(self, ctx: BranchContext):
        rng, spec, fig = self.rng, ctx.spec, ctx.figures
        weights = {key: base for key, (_endings, _classes, base) in C.INDUSTRIES.items()}
        for key, extra in spec["industries"].items():
            weights[key] += extra
        extra_count = 4
        total = fig["visited"] + extra_count
        industries = list(spec["must_have"])
        industries += [self._weighted(weights) for _ in range(total - len(industries))]
        county_weights = dict(ctx.counties)
        homes = {county.code: county for county, _weight in ctx.counties}
        for index, industry in enumerate(industries):
            visited = index < fig["visited"]
            if industry in spec.get("homes", {}):
                county = homes[spec["homes"][industry]]
            elif ctx.code == "nanping" and visited:
                # The report: 南平's lead visited 29 enterprises in all 10 counties.
                county = ctx.counties[index % len(ctx.counties)][0]
            else:
                county = self._weighted(county_weights)
            classes = C.INDUSTRIES[industry][1]
            count = min(len(classes), rng.choice([1, 2, 2, 3]))
            # Drawn in this order (the generator's sequence makes the data).
            name = self._enterprise_name(spec, industry, county)
            uscc = self._uscc(county.code)
            street = f"{rng.choice(C.ROADS)}{rng.randint(1, 399)}号"
            ctx.enterprises.append(
                EnterprisePlan(
                    name=name,
                    uscc=uscc,
                    county=county,
                    address=f"{spec['city']}{county.name}{street}",
                    contact_name=self._person_name(),
                    contact_phone=self._phone(spec),
                    classes=rng.sample(classes, count),
                    industry=industry,
                    visited=visited,
                )
            )

    # Activities ----------------------------------------------------------------------

    @staticmethod
    def _workdays(first: date, last: date) -> list[date]:
        days, day = [], first
        while day <= last:
            if day.weekday() < 5 and day not in HOLIDAYS:
                days.append(day)
            day += timedelta(days=1)
        return days

    def _spread(self, count: int, first: date, last: date, jitter: int = 2) -> list[date]:
        """``count`` workdays spread evenly from ``first`` to ``last`` (both included)."""
        days = self._workdays(first, last)
        if count == 1:
            return [days[len(days) // 2]]
        picked = []
        for i in range(count):
            position = round(i * (len(days) - 1) / (count - 1))
            if 0 < i < count - 1:
                position += self.rng.randint(-jitter, jitter)
            picked.append(days[max(0, min(len(days) - 1, position))])
        return sorted(picked)

    def _add_activity(self, ctx, kind, title, day, place, enterprises, staff, **extra):
        activity = ActivityPlan(
            kind=kind,
            title=title,
            day=day,
            place=place,
            enterprises=list(enterprises),
            staff=list(staff),
            created_by=extra.pop("created_by", ctx.staff),
            **extra,
        )
        for enterprise in enterprises:
            if enterprise.first_day is None or day < enterprise.first_day:
                enterprise.first_day = day
        ctx.activities.append(activity)
        return activity

    def _visit_groups(self, ctx) -> list[list[EnterprisePlan]]:
        visited = sorted((e for e in ctx.enterprises if e.visited), key=lambda e: e.county.code)
        if ctx.code == "nanping":
            groups = []
            for pair in C.NANPING_TRIPS:
                groups.append([e for e in visited if e.county.code in pair])
            return groups
        sizes = [2, 3, 3, 4, 5] if ctx.code == "putian" else [1, 2, 2, 3, 3, 4]
        groups, index = [], 0
        while index < len(visited):
            size = self.rng.choice(sizes)
            groups.append(visited[index : index + size])
            index += size
        return groups

    def _plan_activities(self, ctx: BranchContext):
        rng, spec, fig = self.rng, ctx.spec, ctx.figures
        city, room, short = spec["city"], spec["room"], spec["short"]
        lead_name = full_name(ctx.lead)

        # Visits (走访调研): each visited enterprise in exactly one visit.
        groups = self._visit_groups(ctx)
        rng.shuffle(groups)
        if ctx.code == "nanping":
            days = [
                date(2026, 9, 8),
                date(2026, 9, 22),
                date(2026, 10, 13),
                date(2026, 10, 27),
                date(2026, 11, 10),
            ]
        else:
            days = self._spread(len(groups), date(2026, 9, 3), LAST_ACTIVITY_DAY)
        for group, day in zip(groups, days, strict=True):
            first = group[0]
            more = f"等{len(group)}家企业" if len(group) > 1 else ""
            led = ctx.code == "nanping" or rng.random() < 0.4
            if ctx.code == "nanping":
                counties = "、".join(dict.fromkeys(e.county.name for e in group))
                title = f"南平分院主要负责人带队走访{counties}{len(group)}家企业"
            elif led and ctx.code == "quanzhou":
                title = f"分院负责人深入基层联系点走访{first.name}{more}"
            elif led:
                title = f"分院负责人带队走访{first.name}{more}"
            else:
                title = f"走访{first.name}{more}"
            staff = [ctx.lead, rng.choice(ctx.inspectors)] if led else rng.sample(ctx.workers, 2)
            self._add_activity(
                ctx,
                Activity.Kind.VISIT,
                title,
                day,
                f"{city}{first.county.name}",
                group,
                staff,
                created_by=staff[-1],
            )

        everyone = list(ctx.enterprises)
        extras = [e for e in ctx.enterprises if not e.visited]

        # Enterprise forums (企业座谈会).
        titles = rng.sample(C.ENTERPRISE_FORUM_TITLES, fig["ent_forums"])
        for index, day in enumerate(
            self._spread(fig["ent_forums"], date(2026, 9, 15), date(2026, 11, 13))
        ):
            county = self._weighted(dict(ctx.counties))
            if ctx.code == "ningde" and index == 0:
                guests = extras + rng.sample([e for e in everyone if e.visited], 12)
                self._add_activity(
                    ctx,
                    Activity.Kind.ENTERPRISE_FORUM,
                    C.NINGDE_FORUM_TITLE,
                    day,
                    f"{short}{room}",
                    guests,
                    [ctx.lead, *ctx.workers],
                    attendee_count=63,
                )
                continue
            guests = rng.sample(extras, 2) + rng.sample(
                [e for e in everyone if e.visited], min(rng.randint(5, 10), fig["visited"])
            )
            title = titles[index].format(short=short, county=county.name)
            self._add_activity(
                ctx,
                Activity.Kind.ENTERPRISE_FORUM,
                title,
                day,
                f"{short}{room}",
                guests,
                [ctx.lead, *rng.sample(ctx.workers, 2)],
                attendee_count=len(guests) + rng.randint(8, 16),
            )

        # Internal forums (内部座谈会).
        middle = rng.sample(C.INTERNAL_FORUM_MIDDLE, fig["int_forums"] - 2)
        middle.sort(key=C.INTERNAL_FORUM_MIDDLE.index)
        titles = [C.INTERNAL_FORUM_FIRST, *middle, C.INTERNAL_FORUM_LAST]
        days = self._spread(fig["int_forums"], date(2026, 9, 1), date(2026, 11, 19), jitter=3)
        for title, day in zip(titles, days, strict=True):
            count = rng.randint(12, 36)
            self._add_activity(
                ctx,
                Activity.Kind.INTERNAL_FORUM,
                title,
                day,
                f"{short}{room}",
                [],
                [ctx.lead, *ctx.workers],
                attendee_count=count,
                minutes=f"{lead_name}主持召开{title}，{count}名干部职工参加，会议"
                f"{C.INTERNAL_FORUM_TOPICS[title]}。",
            )

        # 莆田's survey forms (行风回访表、征求意见表).
        if ctx.code == "putian":
            self.survey = self._add_activity(
                ctx,
                Activity.Kind.SURVEY,
                "发放行风回访表、征求意见表",
                date(2026, 9, 29),
                f"{city}辖区企业",
                rng.sample([e for e in everyone if e.visited], 20),
                [ctx.staff],
                forms_sent=106,
                forms_returned=88,
            )

        # Hotline or online channel.
        hotline = {
            "ningde": (
                "开通24小时企业服务专线，指定技术骨干对口联系重点企业",
                "设立专门联系电话，确保24小时通讯畅通，对企业需求第一时间响应、限时办理。",
            ),
            "zhangzhou": (
                "建立企业QQ联络群，在线答复作业人员培训咨询",
                "建立QQ联络群，安排专人实时在线答复企业咨询，解决企业培训“两头跑”问题。",
            ),
        }.get(
            ctx.code,
            (
                "服务热线受理企业咨询汇总（10月）",
                "汇总10月服务热线受理的报检、收费、培训咨询，均已当场答复。",
            ),
        )
        self._add_activity(
            ctx,
            Activity.Kind.HOTLINE,
            hotline[0],
            date(2026, 10, 30),
            f"{short}分院",
            rng.sample(everyone, 3) if ctx.code == "ningde" else [],
            [ctx.staff],
            minutes=hotline[1],
        )

        # On-site service: 龙岩's lead at five livelihood-project sites, one visit elsewhere.
        if ctx.code == "longyan":
            builders = [
                e
                for e in everyone
                if e.industry in ("realestate", "elevator_install", "construction")
            ]
            days = self._spread(len(C.LONGYAN_ONSITE_SITES), date(2026, 10, 19), date(2026, 11, 13))
            for site, day in zip(C.LONGYAN_ONSITE_SITES, days, strict=True):
                self._add_activity(
                    ctx,
                    Activity.Kind.ONSITE_SERVICE,
                    f"分院负责人深入{site}检验现场服务",
                    day,
                    f"{city}{site}",
                    rng.sample(builders or everyone, 1),
                    [ctx.lead, ctx.staff2],
                    minutes=f"{lead_name}带头深入{site}检验现场，主动询问企业存在的问题、困难，"
                    "对收集的问题归类梳理，一一落实整改。",
                )
        else:
            enterprise = rng.choice(everyone)
            word = C.EQUIPMENT_TITLE[enterprise.classes[0]]
            self._add_activity(
                ctx,
                Activity.Kind.ONSITE_SERVICE,
                f"上门为{enterprise.name}开展{word}检验服务",
                date(2026, 10, 22),
                enterprise.address,
                [enterprise],
                [ctx.staff2, ctx.staff3],
                minutes=f"应企业要求安排检验人员上门开展{word}检验，现场讲解检验发现的问题和整改要求。",
            )

    # Issues and the opinions behind them --------------------------------------------

    def _plan_issues(self, ctx: BranchContext):
        rng, fig, code = self.rng, ctx.figures, ctx.code
        plan_topic = O.PLAN_TOPICS.get(code) if fig["plan"] else None
        excluded = set(plan_topic.get("excludes", [])) if plan_topic else set()

        story = [t for t in O.FIX_TOPICS if t.get("story") == code]
        generic = [t for t in O.FIX_TOPICS if "story" not in t and t["key"] not in excluded]
        fix_topics = story + rng.sample(generic, fig["fix"] - len(story))
        fix_issues = [IssuePlan(ctx, "fix", topic, S.ANSWERED) for topic in fix_topics]
        # The last few immediate fixes came late and are still waiting for replies.
        for issue in fix_issues[len(fix_issues) - fig["fix_rectified"] :]:
            issue.state, issue.late = S.RECTIFIED, True

        story = [t for t in O.ESCALATION_TOPICS if t.get("story") == code]
        generic = [
            t for t in O.ESCALATION_TOPICS if "story" not in t and code in t.get("branches", [code])
        ]
        esc_topics = story + rng.sample(generic, fig["esc"] - len(story))
        states = {"A": S.ANSWERED, "R": S.RECTIFIED, "G": S.RECTIFYING}
        esc_issues = [
            IssuePlan(ctx, "esc", topic, states[letter])
            for topic, letter in zip(esc_topics, fig["esc_states"], strict=True)
        ]
        if code in OVERDUE_ESCALATIONS:
            next(i for i in esc_issues if i.state == S.RECTIFYING).overdue = True

        plan_issues = [IssuePlan(ctx, "plan", plan_topic, S.RECTIFYING)] if plan_topic else []
        ctx.issues = esc_issues + plan_issues + fix_issues

        # How many opinions each issue distils: 1 to 3, ``linked`` in all.
        counts = {id(issue): 1 for issue in ctx.issues}
        for _ in range(fig["linked"] - len(ctx.issues)):
            issue = rng.choice([i for i in ctx.issues if counts[id(i)] < 3])
            counts[id(issue)] += 1
        self._issue_sizes = counts

    def _sources(self, ctx):
        """(activity, enterprise) pairs an opinion can come from, by kind of activity."""
        kinds = (Activity.Kind.VISIT, Activity.Kind.ENTERPRISE_FORUM, Activity.Kind.SURVEY)
        return [(a, e) for a in ctx.activities if a.kind in kinds for e in a.enterprises]

    def _pick_source(
        self, ctx, *, latest=None, earliest=None, prefer=(), avoid=(), anonymous=False
    ):
        """One (activity, enterprise) for a new opinion; enterprise None when anonymous."""
        rng = self.rng

        def in_window(activity, latest, earliest):
            return (latest is None or activity.day <= latest) and (
                earliest is None or activity.day >= earliest
            )

        if anonymous:
            forums = [a for a in ctx.activities if a.kind == Activity.Kind.ENTERPRISE_FORUM]
            window = [a for a in forums if in_window(a, latest, earliest)]
            if window:
                return rng.choice(window), None
        sources = self._sources(ctx)
        for window_latest, window_earliest, exclude in (
            (latest, earliest, avoid),
            (latest, None, avoid),
            (None, None, avoid),
            (None, None, ()),
        ):
            pool = [
                (a, e)
                for a, e in sources
                if in_window(a, window_latest, window_earliest) and e not in exclude
            ]
            if pool:
                break
        # Prefer the trades the topic is about, then enterprises with its equipment.
        for wanted in prefer:
            preferred = [
                (a, e)
                for a, e in pool
                if e.industry in wanted or any(c in wanted for c in e.classes)
            ]
            if preferred:
                return rng.choice(preferred)
        forum_share = ctx.figures["forum_share"]
        shares = {
            Activity.Kind.VISIT: 1 - forum_share,
            Activity.Kind.ENTERPRISE_FORUM: forum_share,
            Activity.Kind.SURVEY: 0.4,
        }
        buckets = {}
        for source in pool:
            buckets.setdefault(source[0].kind, []).append(source)
        kind = self._weighted({k: shares[k] for k in buckets})
        return rng.choice(buckets[kind])

    def _equipment_word(self, enterprise, cls=None) -> tuple[str, str]:
        """(class, word) for an opinion: the class given, else one of the enterprise's."""
        if cls is None:
            cls = self.rng.choice(enterprise.classes if enterprise else ["elevator", "boiler"])
        return cls, self.rng.choice(C.EQUIPMENT_WORDS[cls])

    def _opinion(self, ctx, candidates, enterprise, day, *, kind=None, cls=None):
        """(text, candidate, kind) for a new opinion, worded unlike every earlier one.

        ``candidates`` are templates (or (template, reason, reply) triples) tried in turn:
        a few random fillings each (lead, equipment word), then every filling in order.
        """
        rng = self.rng
        county = enterprise.county.name if enterprise else rng.choice(ctx.counties)[0].name
        staff = full_name(rng.choice(ctx.inspectors))
        classes = [cls] if cls else (enterprise.classes if enterprise else ["elevator", "boiler"])

        def fillings(candidate, exhaustive):
            template = candidate[0] if isinstance(candidate, tuple) else candidate
            this_kind = kind or (
                FeedbackItem.Kind.SUGGESTION
                if template.startswith(("希望", "建议"))
                else FeedbackItem.Kind.PROBLEM
            )
            leads = O.OPINION_LEADS["anonymous" if enterprise is None else this_kind]
            if exhaustive:
                combos = [
                    (lead, word) for lead in leads for c in classes for word in C.EQUIPMENT_WORDS[c]
                ]
            else:
                combos = [
                    (rng.choice(leads), self._equipment_word(enterprise, cls)[1]) for _ in range(4)
                ]
            for lead, word in combos:
                text = lead + template.format(
                    equip=word, county=county, month=f"{day.month}月", staff=staff
                )
                yield text, candidate, this_kind

        for exhaustive in (False, True):
            for candidate in candidates:
                for text, chosen, this_kind in fillings(candidate, exhaustive):
                    if text not in self.contents:
                        self.contents.add(text)
                        return text, chosen, this_kind
        return text, chosen, this_kind  # every wording taken: repeat the last one

    def _new_item(self, ctx, activity, enterprise, category, kind, content) -> ItemPlan:
        recorder = self.rng.choice([ctx.staff, *activity.staff])
        item = ItemPlan(
            activity=activity,
            enterprise=enterprise,
            category=category,
            kind=kind,
            content=content,
            created_by=recorder,
            recorded_at=at(activity.day, self.rng.randint(10, 15), self.rng.randint(0, 59)),
        )
        activity.items.append(item)
        ctx.items.append(item)
        return item

    def _plan_items(self, ctx: BranchContext):
        rng, fig = self.rng, ctx.figures
        ctx.anonymous_left = fig["anonymous"]

        # Opinions distilled into issues.
        for issue in ctx.issues:
            topic, size = issue.topic, self._issue_sizes[id(issue)]
            reopen = "reopen" in topic
            if issue.mode == "esc":
                window = {"latest": ESCALATED_ITEMS_BY}
            elif issue.mode == "plan":
                window = {"latest": REOPENED_ITEMS_BY if reopen else PLANNED_ITEMS_BY}
            elif issue.late:
                window = {"earliest": LATE_ITEMS_FROM}
            else:
                window = {"latest": ANSWERED_FIX_ITEMS_BY}
            allowed = topic.get("classes")
            sources, used, first = [], [], None
            for _ in range(size):
                # Prefer the topic's trades, then enterprises with the issue's equipment.
                classes = [issue.equipment] if first else allowed
                prefer = [tier for tier in (topic.get("prefer"), classes) if tier]
                anonymous = not reopen and ctx.anonymous_left > 0 and rng.random() < 0.07
                activity, enterprise = self._pick_source(
                    ctx, prefer=prefer, avoid=used, anonymous=anonymous, **window
                )
                if enterprise is None:
                    ctx.anonymous_left -= 1
                else:
                    used.append(enterprise)
                sources.append((activity, enterprise))
                if enterprise is not None and first is None:
                    # The issue speaks of one class of equipment, from its first enterprise.
                    first = enterprise
                    candidates = [c for c in first.classes if not allowed or c in allowed]
                    issue.equipment = rng.choice(candidates) if candidates else allowed[0]
            if first is None:
                issue.equipment = (allowed or ["elevator"])[0]
            phrases = rng.sample(topic["phrases"], len(topic["phrases"]))
            for index, (activity, enterprise) in enumerate(sources):
                # Each opinion first tries its own phrase, then the topic's others.
                turn = index % len(phrases)
                text, _phrase, kind = self._opinion(
                    ctx,
                    phrases[turn:] + phrases[:turn],
                    enterprise,
                    activity.day,
                    cls=issue.equipment,
                )
                item = self._new_item(ctx, activity, enterprise, topic["category"], kind, text)
                item.issue = issue
                issue.items.append(item)

        # Opinions still waiting for a disposition: the most recent ones.
        for _ in range(fig["undisposed"]):
            activity, enterprise = self._pick_source(ctx, earliest=UNDISPOSED_ITEMS_FROM)
            category = self._weighted(O.CATEGORY_WEIGHTS)
            kind = rng.choice([FeedbackItem.Kind.PROBLEM, FeedbackItem.Kind.SUGGESTION])
            candidates = O.FREE_OPINIONS[category][kind]
            text, _candidate, _kind = self._opinion(
                ctx, rng.sample(candidates, len(candidates)), enterprise, activity.day, kind=kind
            )
            self._new_item(ctx, activity, enterprise, category, kind, text)

        # Everything else: praise, suggestions taken on board, problems explained.
        remaining = fig["feedback"] - len(ctx.items)
        for index in range(remaining):
            anonymous = index < ctx.anonymous_left
            activity, enterprise = self._pick_source(ctx, anonymous=anonymous)
            weights = dict(O.CATEGORY_WEIGHTS)
            if anonymous:  # back-to-back opinions speak more of conduct, attitude and fees
                for category in (O.INTEGRITY, O.ATTITUDE, O.FEES):
                    weights[category] *= 3
            category = self._weighted(weights)
            kinds = (
                {"problem": 5, "suggestion": 4, "praise": 1}
                if anonymous
                else {"problem": 33, "suggestion": 40, "praise": 27}
            )
            kind = self._weighted(kinds)
            candidates = O.FREE_OPINIONS[category][kind]
            text, chosen, _kind = self._opinion(
                ctx, rng.sample(candidates, len(candidates)), enterprise, activity.day, kind=kind
            )
            if kind == "problem":
                _template, reason, reply_body = chosen
            else:
                closings = O.PRAISE_CLOSINGS if kind == "praise" else O.SUGGESTION_CLOSINGS
                reason, reply_body = rng.choice(closings)
            item = self._new_item(ctx, activity, enterprise, category, kind, text)
            clock = Clock(rng, at(activity.day, 17, 0))
            item.closed_at = clock.next(1, 6)
            item.closed_by = rng.choice([ctx.lead, ctx.lead, ctx.staff])
            item.closed_reason = reason
            if item.closed_at.date() <= REPLIES_FOR_CLOSED_BY and rng.random() < 0.92:
                item.reply = self._reply(
                    ctx,
                    item,
                    reply_body,
                    clock.next(0, 2),
                    satisfaction=self._closed_satisfaction(kind),
                )
        ctx.anonymous_left = 0

    def _closed_satisfaction(self, kind: str) -> str:
        weights = {
            "praise": {SAT.SATISFIED: 90, SAT.BASICALLY_SATISFIED: 10},
            "suggestion": {SAT.SATISFIED: 60, SAT.BASICALLY_SATISFIED: 35, SAT.NOT_REACHABLE: 5},
            "problem": {
                SAT.SATISFIED: 42,
                SAT.BASICALLY_SATISFIED: 40,
                SAT.UNSATISFIED: 11,
                SAT.NOT_REACHABLE: 7,
            },
        }[kind]
        return self._weighted(weights)

    def _reply(self, ctx, item, body, moment, *, satisfaction=None) -> ReplyPlan:
        rng = self.rng
        if satisfaction is None:
            satisfaction = self._weighted(
                {SAT.SATISFIED: 70, SAT.BASICALLY_SATISFIED: 27, SAT.NOT_REACHABLE: 3}
            )
        by = rng.choice([ctx.staff, ctx.staff, ctx.staff2, ctx.staff3, ctx.lead])
        if item.enterprise is None:
            channel = rng.choice([Reply.Channel.ONLINE, Reply.Channel.MEETING])
            text = O.ANONYMOUS_REPLY_LEADS[channel] + body
            return ReplyPlan(channel, text, moment, by, "")
        contact = item.enterprise.contact_name
        if satisfaction == SAT.NOT_REACHABLE:
            text = O.NOT_REACHABLE_REPLY.format(contact=contact, body=body)
            return ReplyPlan(Reply.Channel.PHONE, text, moment, by, satisfaction)
        channels = {
            Reply.Channel.PHONE: 55,
            Reply.Channel.VISIT: 20,
            Reply.Channel.ONLINE: 10,
            Reply.Channel.LETTER: 5,
        }
        if item.activity.kind == Activity.Kind.ENTERPRISE_FORUM:
            channels[Reply.Channel.MEETING] = 10
        channel = self._weighted(channels)
        text = (
            O.REPLY_LEADS[channel].format(contact=contact)
            + body
            + rng.choice(O.SATISFACTION_TAILS[satisfaction])
        )
        return ReplyPlan(channel, text, moment, by, satisfaction)

    # Timelines -------------------------------------------------------------------------

    def _plan_timelines(self):
        rng = self.rng
        for author_name, branch_code, topic_key, text, acknowledged in O.INSTRUCTIONS:
            ctx = next(c for c in self.contexts if c.code == branch_code)
            issue = next(
                i
                for i in ctx.issues
                if i.mode == "esc"
                and (i.topic["key"] == topic_key or (topic_key is None and i.state == S.RECTIFYING))
            )
            issue.instruction = (self.provincial[author_name], text, acknowledged)
        decision_moment = at(MEETING_DAY, 9, 30)
        for ctx in self.contexts:
            for issue in ctx.issues:
                issue.created_by = rng.choice([ctx.staff, ctx.staff, *ctx.inspectors])
                issue.responsible = rng.choice(
                    ctx.inspectors if issue.mode == "fix" else [ctx.lead, ctx.staff2]
                )
                issue.title = self._title(issue)
                issue.measures = issue.text("measures")
                issue.severity = issue.topic.get("severity") or (
                    rng.choice([Issue.Severity.SERIOUS, Issue.Severity.NORMAL])
                    if issue.mode == "esc"
                    else Issue.Severity.NORMAL
                )
                issue.description = self._issue_description(issue)
                clock = Clock(rng, at(max(i.activity.day for i in issue.items), 16, 30))
                issue.created_at = clock.next(0, 1)
                issue.event(
                    IssueEvent.Kind.CREATED,
                    issue.created_at,
                    issue.created_by,
                    note=f"由{len(issue.items)}条意见归集立项。",
                )
                for item in issue.items:
                    issue.event(
                        IssueEvent.Kind.FEEDBACK_LINKED,
                        clock.soon(),
                        issue.created_by,
                        note=item.content[:80],
                    )
                if issue.mode == "fix":
                    self._fix_timeline(ctx, issue, clock)
                elif issue.mode == "esc":
                    decision_moment += timedelta(minutes=5)
                    self._escalation_timeline(ctx, issue, clock, decision_moment)
                else:
                    self._plan_timeline(ctx, issue, clock)

    def _title(self, issue: IssuePlan) -> str:
        """The topic's least used title so far, so the province's ledger reads varied."""
        titles = [t.format(equip=C.EQUIPMENT_TITLE[issue.equipment]) for t in issue.topic["titles"]]
        self.rng.shuffle(titles)
        title = min(titles, key=lambda t: self.title_uses.get(t, 0))
        self.title_uses[title] = self.title_uses.get(title, 0) + 1
        return title

    def _issue_description(self, issue: IssuePlan) -> str:
        named = list(dict.fromkeys(i.enterprise.name for i in issue.items if i.enterprise))
        anonymous = sum(1 for i in issue.items if i.enterprise is None)
        sources = "、".join(named)
        if anonymous:
            sources = (
                f"{sources}及背靠背意见{anonymous}条" if sources else f"背靠背意见{anonymous}条"
            )
        return f"{issue.text('description')}\n归集意见{len(issue.items)}条，来源：{sources}。"

    def _rectify(self, issue, clock, moment, from_state, note_prefix):
        ctx = issue.ctx
        issue.rectification = issue.text("rectification")
        issue.rectified_at = moment
        issue.verified_by = ctx.lead
        issue.transition(
            moment, ctx.lead, from_state, S.RECTIFIED, note=f"{note_prefix}{issue.rectification}"
        )

    def _reply_items(self, issue, clock, items, *, unsatisfied=None):
        for item in items:
            satisfaction = SAT.UNSATISFIED if item is unsatisfied else None
            if item is unsatisfied:
                complaint = issue.topic["reopen"]["complaint"]
                item.reply = ReplyPlan(
                    Reply.Channel.PHONE,
                    O.REPLY_LEADS["phone"].format(contact=item.enterprise.contact_name)
                    + issue.text("reply")
                    + f"企业表示不满意，反映{complaint}。",
                    clock.next(0, 2),
                    issue.ctx.staff,
                    SAT.UNSATISFIED,
                )
            else:
                item.reply = self._reply(
                    issue.ctx,
                    item,
                    issue.text("reply"),
                    clock.next(0, 2),
                    satisfaction=satisfaction,
                )
            label = SATISFACTION_LABELS[item.reply.satisfaction]
            who = item.enterprise.name if item.enterprise else "背靠背意见"
            issue.event(
                IssueEvent.Kind.REPLY,
                item.reply.moment,
                item.reply.by,
                note=f"答复{who}（{label}）",
            )

    def _answer(self, issue, clock):
        issue.answered_at = clock.soon()
        issue.transition(
            issue.answered_at,
            issue.ctx.lead,
            S.RECTIFIED,
            S.ANSWERED,
            note="所有意见均已答复，办结。",
        )

    def _fix_timeline(self, ctx, issue, clock):
        self._rectify(issue, clock, clock.next(0, 2), S.COLLECTED, "立行立改：")
        if issue.state == S.ANSWERED:
            self._reply_items(issue, clock, issue.items)
            self._answer(issue, clock)
        else:
            self._reply_items(
                issue, clock, issue.items[: self.rng.randint(0, len(issue.items) - 1)]
            )

    def _escalation_timeline(self, ctx, issue, clock, decision_moment):
        rng = self.rng
        requested = clock.next(1, 4, ceiling=ESCALATIONS_BY)
        reason = issue.text("reason")
        issue.escalation = {"reason": reason, "requested_by": ctx.lead, "requested_at": requested}
        issue.event(IssueEvent.Kind.ESCALATED, requested, ctx.lead, note=reason)
        issue.transition(
            clock.soon(), ctx.lead, S.COLLECTED, S.ESCALATED, note="提请省院院长办公会研究。"
        )

        if issue.topic.get("story"):
            deadline = date(2026, 11, 30)
        elif issue.overdue:
            deadline = date(2026, 11, rng.choice([13, 16, 20]))
        elif issue.state == S.RECTIFYING:
            deadline = date(2026, 12, rng.choice([10, 15, 20, 25, 31]))
        else:
            deadline = rng.choice([date(2026, 11, 20), date(2026, 11, 30), date(2026, 12, 15)])
        decided = clock.jump_to(decision_moment)
        decision = issue.text("decision")
        issue.decision = {
            "decision": decision,
            "owner": ctx.lead,
            "deadline": deadline,
            "recorded_at": decided,
        }
        issue.deadline = deadline
        issue.event(IssueEvent.Kind.DECISION, decided, self.office, note=decision)
        issue.transition(
            clock.soon(),
            self.office,
            S.ESCALATED,
            S.RECTIFYING,
            note=f"按院长办公会决定整改，完成时限{deadline:%Y-%m-%d}。",
        )
        if issue.instruction:
            author, text, acknowledged = issue.instruction
            written = clock.next(1, 2)
            issue.event(IssueEvent.Kind.INSTRUCTION, written, author, note=text)
            acknowledged_at = None
            if acknowledged:
                acknowledged_at = clock.next(0, 1)
                issue.event(
                    IssueEvent.Kind.ACKNOWLEDGED,
                    acknowledged_at,
                    ctx.lead,
                    note=O.ACKNOWLEDGEMENT_NOTE,
                )
            issue.instruction = (author, text, written, acknowledged_at)
        if issue.state == S.RECTIFYING:
            if rng.random() < 0.7:
                note = issue.topic.get("progress") or rng.choice(O.GENERIC_PROGRESS)
                issue.event(
                    IssueEvent.Kind.COMMENT, clock.next(5, 18), issue.responsible, note=note
                )
            return
        self._rectify(issue, clock, clock.next(5, 14), S.RECTIFYING, "整改完成并经分院负责人验证：")
        if issue.state == S.ANSWERED:
            self._reply_items(issue, clock, issue.items)
            self._answer(issue, clock)
        else:
            self._reply_items(issue, clock, issue.items[: rng.randint(0, len(issue.items) - 1)])

    def _plan_timeline(self, ctx, issue, clock):
        topic = issue.topic
        issue.deadline = date(*topic["deadline"])
        issue.transition(
            clock.next(1, 3),
            ctx.lead,
            S.COLLECTED,
            S.RECTIFYING,
            note=f"制定整改计划：{issue.measures}完成时限{issue.deadline:%Y-%m-%d}。",
        )
        reopen = topic.get("reopen")
        if not reopen:
            issue.event(
                IssueEvent.Kind.COMMENT,
                clock.next(7, 20),
                issue.responsible,
                note=topic["progress"],
            )
            return
        self._rectify(issue, clock, clock.next(7, 10), S.RECTIFYING, "整改完成并经分院负责人验证：")
        unsatisfied = next(i for i in issue.items if i.enterprise is not None)
        self._reply_items(issue, clock, issue.items, unsatisfied=unsatisfied)
        self._answer(issue, clock)
        issue.transition(
            clock.next(1, 3),
            ctx.lead,
            S.ANSWERED,
            S.RECTIFYING,
            note=f"{unsatisfied.enterprise.name}对答复不满意（{reopen['complaint']}），重新整改："
            f"{reopen['measures']}",
        )
        issue.reopen_count = 1
        issue.measures = f"{issue.measures}\n重新整改：{reopen['measures']}"
        issue.deadline = date(*reopen["deadline"])
        issue.rectified_at = issue.answered_at = issue.verified_by = None

    def _plan_minutes(self):
        for ctx in self.contexts:
            lead_name = full_name(ctx.lead)
            for activity in ctx.activities:
                count = len(activity.items)
                if activity.kind == Activity.Kind.VISIT:
                    names = "、".join(e.name for e in activity.enterprises[:3])
                    words = "、".join(
                        dict.fromkeys(
                            C.EQUIPMENT_TITLE[c] for e in activity.enterprises for c in e.classes
                        )
                    )
                    who = lead_name if ctx.lead in activity.staff else full_name(activity.staff[0])
                    heard = (
                        f"现场收集意见建议{count}条。"
                        if count
                        else "企业对检验服务总体满意，未提出具体意见。"
                    )
                    activity.minutes = (
                        f"{who}带队走访{names}{'等企业' if len(activity.enterprises) > 3 else ''}，"
                        f"实地察看{words}使用管理情况，面对面听取企业对检验服务的意见建议，"
                        f"{heard}"
                    )
                elif activity.kind == Activity.Kind.ENTERPRISE_FORUM:
                    if activity.title == C.NINGDE_FORUM_TITLE:
                        activity.minutes = C.NINGDE_FORUM_MINUTES.format(count=count)
                    else:
                        anonymous = sum(1 for i in activity.items if i.enterprise is None)
                        activity.minutes = (
                            f"{lead_name}主持座谈，{len(activity.enterprises)}家企业代表参加，"
                            f"采取“面对面”发言和“背靠背”填写意见表相结合的方式听取意见，"
                            f"共收集意见建议{count}条（其中背靠背{anonymous}条）。"
                        )
                elif activity.kind == Activity.Kind.SURVEY:
                    activity.minutes = (
                        f"向辖区企业发放行风回访表、征求意见表{activity.forms_sent}份，"
                        f"收回{activity.forms_returned}份，整理出企业意见建议{count}条。"
                    )

    # Writing ---------------------------------------------------------------------------

    def _write(self):
        rng = self.rng
        contexts = self.contexts

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
                self._stamp(plan.obj, moment, ctx.staff)
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
            self._stamp(plan.obj, moment, plan.created_by)
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

        issues = [i for ctx in contexts for i in ctx.issues]
        escalated = [i for i in issues if i.escalation]
        meeting = ProvincialMeeting(
            title=O.MEETING_TITLE,
            held_on=MEETING_DAY,
            attendees=O.MEETING_ATTENDEES,
            minutes=O.MEETING_MINUTES.format(count=len(escalated)),
            recorded_by=self.office,
            created_at=at(MEETING_DAY, 17, 30),
        )
        self._stamp(meeting, meeting.created_at, self.office)
        meeting.save()

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
                deadline=plan.deadline,
                rectification=plan.rectification,
                rectified_at=plan.rectified_at,
                verified_by=plan.verified_by,
                answered_at=plan.answered_at,
                reopen_count=plan.reopen_count,
                created_by=plan.created_by,
                created_at=plan.created_at,
                updated_at=last,
            )
            self._stamp(plan.obj, plan.created_at, plan.created_by)
        bulk_create_with_history(
            [i.obj for i in sorted(issues, key=lambda i: i.created_at)], Issue, batch_size=500
        )

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
            self._stamp(plan.obj, plan.recorded_at, plan.created_by)
        bulk_create_with_history([i.obj for i in items], FeedbackItem, batch_size=500)

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
            self._stamp(obj, d["recorded_at"], self.office)
            decisions.append(obj)
        bulk_create_with_history(decisions, ProvincialDecision, batch_size=500)

        replies = []
        for plan in sorted((i for i in items if i.reply), key=lambda i: i.reply.moment):
            reply = plan.reply
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
            self._stamp(obj, reply.moment, reply.by)
            replies.append(obj)
        bulk_create_with_history(replies, Reply, batch_size=500)

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

    @staticmethod
    def _stamp(obj, moment, user):
        """What simple_history records as the time and author of the row's creation."""
        obj._history_date = moment
        obj._history_user = user


def build(seed: int = SEED) -> Campaign | None:
    """Create the demo campaign in one transaction; None (and nothing written) if it exists."""
    if Campaign.objects.filter(code=C.CAMPAIGN_CODE).exists():
        return None
    with (
        transaction.atomic(),
        explicit_timestamps(
            Campaign,
            Enterprise,
            Activity,
            FeedbackItem,
            Issue,
            Reply,
            ProvincialMeeting,
            ProvincialDecision,
        ),
    ):
        return DemoBuilder(seed).build()
