"""Fill PostgreSQL with a province's ten years of outreach data, at a chosen scale.

Scale 1 is one province over ten years: the institute and its 7 city branches, 50,000
enterprises, 100,000 activities in 20 campaigns (2017–2026, two a year), 1,000,000 feedback
items, 250,000 counted issues in every state (plus merged and withdrawn ones), replies for
most items, escalations decided at provincial meetings, and the timeline events all those
histories imply. Scale ``s`` multiplies every count.

How it is fast enough (scale 1 in a few minutes on two cores):

* The organisation (branches, counties, users, memberships, liaisons) is made by the demo
  builder's public ``demo.builder.organisation.ensure_organisation`` through the ORM: a few
  hundred rows.
* Everything else is planned in plain Python with one ``random.Random(seed)`` (no model
  instances, no clock), formatted straight into PostgreSQL ``COPY`` text lines, and loaded
  with ``COPY ... FROM STDIN`` in chunks. Ids are assigned here; sequences are reset after.
* Times are integer minutes (Asia/Shanghai) and dates integer days, turned into text through
  lookup tables.
* The row triggers on replies and opinions (``TRIGGERED_TABLES``: issues/migrations/0005,
  0008-0011, outreach/migrations/0012) are disabled while copying: the generator writes
  ``FeedbackItem.last_replied_on``/``satisfaction`` itself, and a SQL check at the end
  proves they equal what the trigger would have written; the loading tests check the
  opinions' links. The branches' issue counts (issues/migrations/0018) are recounted once
  after the load.

Nothing reads the clock: the data ends on ``AS_OF`` whatever day it is generated, so the
same seed and scale always give the same rows. (Overdue is judged by the app against the
real date; deadlines of unfinished issues are before ``AS_OF`` or just after it.)
"""

from __future__ import annotations

import io
import json
import random
import time
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from branches.models import Membership
from branches.services import membership_set
from demo.builder.enterprises import org_code_check
from demo.builder.organisation import ensure_organisation, ensure_user, reference_data
from demo.data import content as C
from demo.data import opinions as O
from issues.counts import branch_issue_count_mismatches, rebuild_branch_issue_counts
from outreach.models import EquipmentClass, FeedbackCategory
from outreach.names import enterprise_name_key
from outreach.validators import uscc_check_digit
from summaries import sql as summaries_sql

BENCH_PASSWORD = "Bench#2026"  # noqa: S105 - printed for every benchmark to log in with
AS_OF = date(2026, 11, 20)
FIRST_YEAR, LAST_YEAR = 2017, 2026
OUT_DIR = Path(__file__).resolve().parent / "out"

#: Counts at scale 1.
SCALE_1 = {
    "enterprises": 50_000,
    "activities": 100_000,
    "feedback_items": 1_000_000,
    "issues": 250_000,
}
#: Extra branch staff per branch at scale 1 (beyond the demo's lead and three staff).
EXTRA_STAFF_PER_BRANCH = 25
CHUNK_ROWS = 50_000

# The domain tables a run empties first: every table of these apps but the reference data.
DOMAIN_APPS = ("outreach", "issues", "imports", "notifications", "summaries")
REFERENCE_TABLES = {"outreach_equipmentclass", "outreach_feedbackcategory"}

# --- skew -------------------------------------------------------------------------------

BRANCH_WEIGHTS = {
    "quanzhou": 30,
    "zhangzhou": 20,
    "putian": 12,
    "ningde": 10,
    "longyan": 10,
    "sanming": 7,
    "nanping": 6,
}
CATEGORY_WEIGHTS = {
    "服务效率": 30,
    "技术指导(含问题设备后处理)": 20,
    "服务态度": 14,
    "收费": 11,
    "作业人员培训": 8,
    "沟通渠道": 6,
    "检验能力与范围": 5,
    "其他": 4,
    "廉政作风": 2,
}
# kind: (share of activities, mean opinions, share of opinions with a named enterprise,
#        how many enterprises are met)
ACTIVITY_KINDS = {
    "visit": (58, 8.0, 0.99, (1, 1, 1, 1, 1, 2, 2, 2, 3, 4, 5)),
    "enterprise_forum": (7, 30.0, 0.92, (3, 4, 5)),
    "internal_forum": (9, 3.0, 0.0, (0,)),
    "survey": (8, 20.0, 0.95, (2, 3, 4, 5)),
    "hotline": (10, 12.0, 0.97, (1, 2, 3)),
    "onsite_service": (8, 6.0, 0.99, (1, 1, 2)),
}
FEEDBACK_KINDS = {"problem": 58, "suggestion": 30, "praise": 12}
# Chance an opinion is distilled into an issue (the rest is closed with a reason).
LINK_CHANCE = {"problem": 0.90, "suggestion": 0.10, "praise": 0.0}
# Final states by the campaign's age (0 = the newest campaign).
STATE_MIX = (
    (0, {"collected": 20, "rectifying": 28, "escalated": 7, "rectified": 20, "answered": 25}),
    (1, {"collected": 2, "rectifying": 12, "escalated": 3, "rectified": 15, "answered": 68}),
    (3, {"collected": 1, "rectifying": 4, "escalated": 1, "rectified": 6, "answered": 88}),
    (
        99,
        {
            "collected": 0.2,
            "rectifying": 0.6,
            "escalated": 0.15,
            "rectified": 1.5,
            "answered": 97.55,
        },
    ),
)
ESCALATE_CHANCE = 0.04
FIX_CHANCE = 0.45
REOPEN_CHANCE = 0.03  # answered / rectified issues that went through a reopening
REOPENED_RECTIFYING_CHANCE = 0.10  # rectifying issues that are rectifying again
MERGE_CHANCE = 0.02
WITHDRAW_CHANCE = 0.001
LONG_TIMELINE_EVERY = 1000
INSTRUCTION_CHANCE = 0.15
REPLY_SATISFACTION = {
    "satisfied": 72,
    "basically_satisfied": 20,
    "unsatisfied": 2,
    "not_reachable": 3,
    "": 3,
}
SEVERITIES = {"normal": 85, "serious": 12, "critical": 3}
CHANNELS = {"phone": 55, "visit": 20, "online": 12, "letter": 5, "meeting": 8}
SATISFACTION_LABELS = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "unsatisfied": "不满意",
    "not_reachable": "未联系上",
    "": "公开答复",
}
RECORDED = ("satisfied", "basically_satisfied", "unsatisfied")
WITHDRAW_REASONS = (
    "重复录入，已删除重复记录。",
    "录入错误，已重新录入。",
    "非本次活动收集的意见，误录。",
)
ISSUE_WITHDRAW_REASONS = ("误建问题，相关意见已归入其他问题。", "重复立项，已撤回。")
DEPARTMENTS = ("检验一科", "检验二科", "机电科", "承压科", "综合办公室", "窗口服务中心")
INSTRUCTIONS = (
    "请分院高度重视，抓紧整改，及时答复企业。",
    "此事关系企业切身利益，省院相关部门要全力支持，按期办结。",
    "请院办公室跟踪督办，办结后报告整改情况。",
    "要举一反三，全面排查类似问题，建立长效机制。",
)
MONTH_WORDS = [f"{m}月" for m in range(1, 13)] + ["上个月", "前段时间", "今年"]

# --- time as integers ---------------------------------------------------------------------

EPOCH = date(2016, 1, 1)
EPOCH_ORD = EPOCH.toordinal()
N_DAYS = (date(2028, 12, 31) - EPOCH).days
DAY_TEXT = [(EPOCH + timedelta(days=d)).isoformat() for d in range(N_DAYS)]
TIME_TEXT = [f" {m // 60:02d}:{m % 60:02d}:00+08" for m in range(1440)]
EPOCH_WEEKDAY = EPOCH.weekday()


def day_of(d: date) -> int:
    return d.toordinal() - EPOCH_ORD


def ts(minute: int) -> str:
    """COPY text of a moment (minutes since EPOCH, Asia/Shanghai)."""
    return DAY_TEXT[minute // 1440] + TIME_TEXT[minute % 1440]


AS_OF_DAY = day_of(AS_OF)
#: Nothing on a timeline is planned after this moment (the generator's "now").
CAP = AS_OF_DAY * 1440 + 17 * 60 + 30

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def esc(text: str) -> str:
    """Text for a COPY text-format field."""
    return text.translate(_ESCAPES)


def nul(value) -> str:
    return "\\N" if value is None else str(value)


class Weighted:
    """Fast repeated weighted choice."""

    def __init__(self, rng: random.Random, weights: dict):
        self.keys = [k for k, w in weights.items() if w > 0]
        self.cum = []
        total = 0.0
        for k in self.keys:
            total += weights[k]
            self.cum.append(total)
        self.total = total
        self.random = rng.random

    def __call__(self):
        return self.keys[bisect(self.cum, self.random() * self.total)]


# --- the plan's records ------------------------------------------------------------------


@dataclass
class BranchInfo:
    index: int
    branch: object
    spec: dict
    counties: list  # [(county_id, name, weight)]
    lead: int
    workers: list  # user ids of lead and staff
    staff: list  # user ids of branch staff (no lead)
    enterprises: list = field(default_factory=list)  # enterprise ids, most visited first
    pools: dict = field(default_factory=dict)  # (category, kind) -> [(content, reason, reply)]


@dataclass
class CampaignInfo:
    id: int
    index: int
    year: int
    half: int
    start: int  # day
    end: int  # last activity day
    ends_on: int
    name: str
    meetings: list = field(default_factory=list)  # [(id, held_day)]


class Item:
    __slots__ = (
        "activity",
        "category",
        "closed_at",
        "closed_by",
        "closed_reason",
        "contact",
        "content",
        "created",
        "created_by",
        "enterprise",
        "id",
        "issue",
        "kind",
        "reason",
        "received",
        "replies",
        "reply_body",
        "updated",
        "withdrawn",
    )


class IssuePlan:
    __slots__ = (
        "answered_at",
        "category",
        "created",
        "created_by",
        "deadline",
        "description",
        "events",
        "id",
        "immediate_fix",
        "items",
        "kind",
        "measures",
        "merged_at",
        "merged_into",
        "rectification",
        "rectified_at",
        "reopen_count",
        "responsible",
        "severity",
        "state",
        "title",
        "topic",
        "updated",
        "verified_by",
        "withdrawn",
    )


class Loader:
    """Accumulates COPY lines per table and writes them in chunks."""

    def __init__(self, cursor, stats: dict):
        # psycopg2's own cursor: with DEBUG on, Django's debug wrapper does not pass
        # copy_expert's ``size`` through.
        self.cursor = getattr(cursor, "cursor", cursor)
        self.stats = stats

    def copy(self, table: str, columns: str, lines: list[str]) -> None:
        started = time.monotonic()
        sql = f"COPY {table} ({columns}) FROM STDIN"
        for start in range(0, len(lines), CHUNK_ROWS):
            data = "".join(lines[start : start + CHUNK_ROWS]).encode()
            self.cursor.copy_expert(sql, io.BytesIO(data), size=1 << 20)
        entry = self.stats.setdefault(table, {"rows": 0, "seconds": 0.0})
        entry["rows"] += len(lines)
        entry["seconds"] += time.monotonic() - started


# --- the generator -------------------------------------------------------------------------


class Generator:
    def __init__(self, scale: float, seed: int = 1, log=print):
        if scale <= 0:
            raise ValueError("The scale must be positive.")
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        self.log = log
        self.counts = {key: max(1, round(n * scale)) for key, n in SCALE_1.items()}
        self.stats: dict[str, dict] = {}
        self.lines: dict[str, list[str]] = {}
        self.timings: dict[str, float] = {}
        self.next_id = {"event": 1, "reply": 1, "escalation": 1, "decision": 1, "instruction": 1}
        self.long_timeline_issue = None
        self.counted_seen = 0

    # Organisation ------------------------------------------------------------------------

    def organisation(self):
        rng = self.rng
        self.password_hash = make_password(BENCH_PASSWORD)
        reference_data()  # refuses before anything is written if migrate has not run
        organisation = ensure_organisation(self.password_hash)
        User = get_user_model()
        self.office = organisation.office.pk
        self.leaders = [u.pk for name, u in organisation.provincial.items() if name != "office"]
        self.province = organisation.province
        extra = round(EXTRA_STAFF_PER_BRANCH * self.scale)
        self.branches: list[BranchInfo] = []
        for index, ctx in enumerate(organisation.branches):
            staff = [ctx.staff.pk, ctx.staff2.pk, ctx.staff3.pk]
            for n in range(extra):
                username = f"{ctx.code}_staff{n + 4}"
                user = ensure_user(
                    username,
                    rng.choice(C.SURNAMES),
                    rng.choice(C.GIVEN_NAMES),
                    password_hash=self.password_hash,
                )
                if not Membership.objects.filter(user=user).exists():
                    membership_set(
                        user=user, branch=ctx.branch, role=Membership.Role.STAFF, job_title="检验员"
                    )
                staff.append(user.pk)
            self.branches.append(
                BranchInfo(
                    index=index,
                    branch=ctx.branch,
                    spec=ctx.spec,
                    counties=[(c.pk, c.name, w) for c, w in ctx.counties],
                    lead=ctx.lead.pk,
                    workers=[ctx.lead.pk, *staff],
                    staff=staff,
                )
            )
        # Every bench user logs in with the bench password, whatever made them before.
        branches = organisation.branches
        usernames = [u for b in branches for u in (f"{b.code}_{s}" for s in C.BRANCH_USER_SUFFIXES)]
        usernames += [name for name, *_ in C.PROVINCIAL_PEOPLE] + ["admin"]
        usernames += [f"{b.code}_staff{n + 4}" for b in branches for n in range(extra)]
        User.objects.filter(username__in=usernames).update(password=self.password_hash)
        self.categories = list(FeedbackCategory.objects.order_by("sort_order", "id"))
        self.equipment = [e.pk for e in EquipmentClass.objects.order_by("sort_order", "id")]
        self.equipment_codes = {e.pk: e.code for e in EquipmentClass.objects.all()}
        if not self.categories or len(self.equipment) < 8:
            raise ImproperlyConfigured("Reference data is missing: run migrate first.")

    # Text pools -----------------------------------------------------------------------------

    def _topics(self):
        by_category: dict[str, list] = {}
        for topic in [*O.FIX_TOPICS, *O.PLAN_TOPICS.values(), *O.ESCALATION_TOPICS]:
            by_category.setdefault(topic["category"], []).append(topic)
        esc_by_category: dict[str, list] = {}
        for topic in O.ESCALATION_TOPICS:
            esc_by_category.setdefault(topic["category"], []).append(topic)
        self.topics = by_category
        self.esc_topics = esc_by_category

    def _fill(self, template: str, binfo: BranchInfo, equip: str | None = None) -> str:
        rng = self.rng
        return template.format(
            equip=equip or rng.choice(rng.choice(list(C.EQUIPMENT_WORDS.values()))),
            month=rng.choice(MONTH_WORDS),
            staff=rng.choice(C.SURNAMES) + "工",
            county=rng.choice(binfo.counties)[1],
            short=binfo.spec["short"],
        )

    def text_pools(self):
        """Per branch, category and kind: a few hundred opinions with how to close them."""
        rng = self.rng
        self._topics()
        for binfo in self.branches:
            for cat in self.categories:
                free = O.FREE_OPINIONS.get(cat.name) or O.FREE_OPINIONS["其他"]
                topics = self.topics.get(cat.name) or self.topics["其他"]
                for kind in FEEDBACK_KINDS:
                    pool = []
                    for _ in range(60):
                        lead = rng.choice(O.OPINION_LEADS[kind])
                        if kind == "problem":
                            if rng.random() < 0.5:
                                text, reason, reply = rng.choice(free["problem"])
                            else:
                                text = rng.choice(rng.choice(topics)["phrases"])
                                reason = "经核实，企业反映的情况已在日常工作中解决，已当面说明。"
                                reply = "分院已核实企业反映的情况并当面说明处理结果。"
                        elif kind == "suggestion":
                            text = rng.choice(free["suggestion"])
                            reason, reply = rng.choice(O.SUGGESTION_CLOSINGS)
                        else:
                            text = rng.choice(free["praise"])
                            reason, reply = rng.choice(O.PRAISE_CLOSINGS)
                        pool.append(
                            (
                                esc(lead + self._fill(text, binfo)),
                                esc(reason),
                                self._fill(reply, binfo),
                            )
                        )
                    binfo.pools[(cat.pk, kind)] = pool

    # Campaigns, enterprises, activities -----------------------------------------------

    def campaigns(self):
        self.campaign_list: list[CampaignInfo] = []
        lines = []
        meeting_lines = []
        meeting_id = 1
        cid = 1
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for half in (1, 2):
                starts = date(year, 3 if half == 1 else 9, 1)
                ends_on = date(year, 6, 30) if half == 1 else date(year, 12, 31)
                start, end = day_of(starts), min(day_of(ends_on) - 10, AS_OF_DAY)
                half_word = "上半年" if half == 1 else "下半年"
                name = f"{year}年{half_word}“走访企业、改进服务”专项活动"
                info = CampaignInfo(cid, cid - 1, year, half, start, end, day_of(ends_on), name)
                description = (
                    f"{year}年{half_word}全省各分院走访企业、召开座谈会、发放征求意见表，"
                    "听取企业对检验服务的意见建议，做到“条条有落实，件件有反馈”。"
                )
                name_en = (
                    f"{year} {'spring' if half == 1 else 'autumn'} campaign: visit enterprises, "
                    "improve service"
                )
                lines.append(
                    f"{cid}\t{name}\t{name_en}\tbench-{year}-{half}\t{DAY_TEXT[start]}\t"
                    f"{DAY_TEXT[info.ends_on]}\t"
                    f"{description}\t{ts((start - 5) * 1440 + 600)}\n"
                )
                for n, offset in enumerate((45, 85, 125), start=1):
                    held = start + offset
                    if held > AS_OF_DAY:
                        continue
                    title = f"{year}年第{(half - 1) * 3 + n}次院长办公会（专项活动问题专题）"
                    minutes = esc(O.MEETING_MINUTES.format(count="若干"))
                    meeting_lines.append(
                        f"{meeting_id}\t{title}\t{DAY_TEXT[held]}\t{esc(O.MEETING_ATTENDEES)}\t"
                        f"{minutes}\t{ts(held * 1440 + 12 * 60)}\t{self.office}\n"
                    )
                    info.meetings.append((meeting_id, held))
                    meeting_id += 1
                self.campaign_list.append(info)
                cid += 1
        self.lines["campaigns"] = lines
        self.lines["meetings"] = meeting_lines

    def _uscc(self, county_code: str, seen: set) -> str:
        rng = self.rng
        while True:
            if rng.random() < 0.4:
                body = "MA" + "".join(rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=6))
            else:
                body = "".join(rng.choices("0123456789", k=8))
            first17 = "91" + county_code + body + org_code_check(body)
            code = first17 + uscc_check_digit(first17)
            if code not in seen:
                seen.add(code)
                return code

    def enterprises(self):
        rng = self.rng
        n = self.counts["enterprises"]
        pick_branch = Weighted(
            rng, {b.index: BRANCH_WEIGHTS.get(b.spec["code"], 5) for b in self.branches}
        )
        county_codes = dict(apps.get_model("branches", "County").objects.values_list("pk", "code"))
        industries = list(C.INDUSTRIES.items())
        county_pickers = {
            b.index: Weighted(rng, {i: w for i, (_c, _n, w) in enumerate(b.counties)})
            for b in self.branches
        }
        names: set[str] = set()
        usccs: set[str] = set()
        lines, class_lines = [], []
        self.ent_name: list[str] = [""]
        self.ent_contact: list[str] = [""]
        self.ent_address: list[str] = [""]
        self.ent_branch: list[int] = [-1]
        for eid in range(1, n + 1):
            binfo = self.branches[pick_branch()]
            county_id, county_name, _w = binfo.counties[county_pickers[binfo.index]()]
            _key, (endings, classes, _base) = rng.choice(industries)
            brand = rng.choice(C.HOSPITAL_BRANDS if not endings else C.BRANDS)
            ending = rng.choice(endings) if endings else "医院"
            prefix = county_name[:-1] if rng.random() < 0.6 else binfo.spec["short"]
            name = f"{prefix}{brand}{ending}"
            if name in names:
                name = f"{prefix}{brand}{rng.choice(C.ROADS)[:-1]}{ending}"
                while name in names:
                    site = f"{rng.choice(DEPARTMENTS[:4])}{rng.randint(2, 99)}号厂区"
                    name = f"{prefix}{brand}{ending}（{site}）"
            names.add(name)
            uscc = self._uscc(county_codes[county_id], usccs) if rng.random() < 0.75 else ""
            address = (
                f"{binfo.spec['city']}{county_name}{rng.choice(C.ROADS)}{rng.randint(1, 399)}号"
            )
            contact = rng.choice(C.SURNAMES) + rng.choice(C.GIVEN_NAMES)
            if rng.random() < 0.25:
                phone = f"{binfo.spec['area_code']}-2{rng.randint(0, 9_999_999):07d}"
            else:
                phone = f"{rng.choice(C.MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"
            created = ts(day_of(date(2016, 12, 1)) * 1440 + rng.randint(0, 40 * 1440))
            lines.append(
                f"{eid}\t{created}\t{created}\t\\N\t\t{esc(name)}\t{uscc}\t{esc(address)}\t"
                f"{contact}\t{phone}\t{binfo.branch.pk}\t{county_id}\t\\N\t\\N\t"
                f"{esc(enterprise_name_key(name))}\n"
            )
            if rng.random() < 0.6:
                codes = rng.sample(classes, min(len(classes), rng.choice((1, 1, 2, 3))))
                for code in codes:
                    class_lines.append(f"{eid}\t{self.equipment_by_code[code]}\n")
            self.ent_name.append(name)
            self.ent_contact.append(contact)
            self.ent_address.append(address)
            self.ent_branch.append(binfo.index)
            binfo.enterprises.append(eid)
        for binfo in self.branches:
            rng.shuffle(binfo.enterprises)  # the first ones are the most often met
        self.lines["enterprises"] = lines
        self.lines["enterprise_classes"] = class_lines

    def activities(self):
        """Plan every activity: (campaign, branch) buckets of (id, kind, day, enterprises...)."""
        rng = self.rng
        n = self.counts["activities"]
        pick_campaign = Weighted(
            rng,
            {
                c.index: (1 + 0.1 * c.index) * (c.end - c.start + 1) / 120
                for c in self.campaign_list
            },
        )
        pick_branch = Weighted(
            rng, {b.index: BRANCH_WEIGHTS.get(b.spec["code"], 5) for b in self.branches}
        )
        pick_kind = Weighted(rng, {k: v[0] for k, v in ACTIVITY_KINDS.items()})
        planned = []
        for _ in range(n):
            camp = self.campaign_list[pick_campaign()]
            day = rng.randint(camp.start, camp.end)
            weekday = (EPOCH_WEEKDAY + day) % 7
            if weekday >= 5:  # weekends move to Friday
                day -= weekday - 4
            planned.append((day, pick_branch(), camp.index, pick_kind()))
        planned.sort()
        weights = []
        for _day, _b, _c, kind in planned:
            mean = ACTIVITY_KINDS[kind][1]
            if kind == "visit" and rng.random() < 0.1:
                weights.append(0.0)
            else:
                weights.append(mean * (0.3 + 1.4 * rng.random()))
        factor = self.counts["feedback_items"] / sum(weights)
        self.buckets: dict[tuple[int, int], list] = {}
        for aid, ((day, b, c, kind), weight) in enumerate(zip(planned, weights, strict=True), 1):
            binfo = self.branches[b]
            size = rng.choice(ACTIVITY_KINDS[kind][3])
            ents = []
            pool = binfo.enterprises
            while len(ents) < min(size, len(pool)):
                eid = pool[int(len(pool) * rng.random() ** 1.8)]
                if eid not in ents:
                    ents.append(eid)
            x = weight * factor
            count = int(x) + (1 if rng.random() < x - int(x) else 0)
            staff = rng.sample(binfo.workers, rng.choice((1, 1, 2)))
            created_by = rng.choice(binfo.staff)
            self.buckets.setdefault((c, b), []).append(
                (aid, kind, day, ents, staff, created_by, count)
            )

    def activity_lines(self):
        rng = self.rng
        lines, ent_lines, staff_lines = [], [], []
        camps = self.campaign_list
        for (c, b), acts in sorted(self.buckets.items()):
            binfo, camp = self.branches[b], camps[c]
            short = binfo.spec["short"]
            half_word = "上半年" if camp.half == 1 else "下半年"
            for aid, kind, day, ents, staff, created_by, count in acts:
                county = rng.choice(binfo.counties)[1]
                attendees = forms_sent = forms_returned = "\\N"
                place = ""
                if kind == "visit":
                    first = self.ent_name[ents[0]]
                    title = f"走访{first}" if len(ents) == 1 else f"走访{first}等{len(ents)}家企业"
                    place = self.ent_address[ents[0]]
                    attendees = rng.randint(2, 8)
                    minutes = f"走访企业{len(ents)}家，面对面听取意见建议，收集意见{count}条。"
                elif kind == "enterprise_forum":
                    title = rng.choice(C.ENTERPRISE_FORUM_TITLES).format(short=short, county=county)
                    place = f"{short}分院会议室"
                    attendees = rng.randint(10, 40)
                    minutes = (
                        f"{len(ents)}家企业代表参加座谈，“面对面”与“背靠背”相结合，"
                        f"收集意见{count}条。"
                    )
                elif kind == "internal_forum":
                    topic = rng.choice(C.INTERNAL_FORUM_MIDDLE)
                    title = f"{short}分院{topic}（{rng.choice(DEPARTMENTS)}）"
                    place = f"{short}分院会议室"
                    attendees = rng.randint(6, 25)
                    minutes = f"查摆服务企业方面的不足，梳理意见{count}条。"
                elif kind == "survey":
                    title = f"{short}分院{camp.year}年{half_word}征求意见表发放回收"
                    sent = rng.randint(20, 200)
                    forms_sent, forms_returned = sent, rng.randint(sent // 2, sent)
                    minutes = f"发放征求意见表{sent}份，收回{forms_returned}份，整理意见{count}条。"
                elif kind == "hotline":
                    month = int(DAY_TEXT[day][5:7])
                    title = f"{short}分院服务热线及网上意见收集（{month}月）"
                    minutes = f"整理热线和网上渠道意见{count}条。"
                else:
                    title = f"{county}现场服务日"
                    place = f"{county}{rng.choice(C.ROADS)}"
                    attendees = rng.randint(2, 6)
                    minutes = f"上门为企业提供检验咨询和技术服务，收集意见{count}条。"
                created = ts(day * 1440 + rng.randint(16 * 60, 18 * 60 + 30))
                lines.append(
                    f"{aid}\t{created}\t{created}\t\\N\t\t{kind}\t{esc(title[:200])}\t{DAY_TEXT[day]}\t"
                    f"{esc(place[:200])}\t{attendees}\t{forms_sent}\t{forms_returned}\t{minutes}\t"
                    f"{binfo.branch.pk}\t{created_by}\t\\N\t{camp.id}\n"
                )
                for eid in ents:
                    ent_lines.append(f"{aid}\t{eid}\n")
                for uid in staff:
                    staff_lines.append(f"{aid}\t{uid}\n")
        self.lines["activities"] = lines
        self.lines["activity_enterprises"] = ent_lines
        self.lines["activity_staff"] = staff_lines

    # Opinions, issues, replies, events ------------------------------------------------

    def feedback_and_issues(self):
        rng = self.rng
        r = rng.random
        ri = rng.randint
        pick_cat = Weighted(rng, {c.pk: CATEGORY_WEIGHTS.get(c.name, 3) for c in self.categories})
        pick_kind = Weighted(rng, FEEDBACK_KINDS)
        self.pick_satisfaction = Weighted(rng, REPLY_SATISFACTION)
        self.pick_channel = Weighted(rng, CHANNELS)
        self.pick_severity = Weighted(rng, SEVERITIES)
        state_pickers = [(age, Weighted(rng, mix)) for age, mix in STATE_MIX]
        self.cat_name = {c.pk: c.name for c in self.categories}
        for key in (
            "items",
            "issues",
            "replies",
            "events",
            "escalations",
            "decisions",
            "instructions",
        ):
            self.lines[key] = []
        self.item_id = 1
        self.issue_id = 1
        newest = len(self.campaign_list) - 1
        self.state_counts: dict[str, int] = {}
        for (c, b), acts in sorted(self.buckets.items()):
            binfo, camp = self.branches[b], self.campaign_list[c]
            age = newest - c
            state_pick = next(p for limit, p in state_pickers if age <= limit)
            items: list[Item] = []
            for aid, kind, day, ents, _staff, created_by, count in acts:
                named = ACTIVITY_KINDS[kind][2]
                for _ in range(count):
                    it = Item()
                    it.id = self.item_id
                    self.item_id += 1
                    it.activity = aid
                    it.enterprise = ents[int(len(ents) * r())] if ents and r() < named else None
                    it.category = pick_cat()
                    it.kind = pick_kind()
                    content, it.reason, it.reply_body = binfo.pools[(it.category, it.kind)][
                        int(60 * r())
                    ]
                    if it.enterprise is None and kind != "internal_forum":
                        content = rng.choice(O.OPINION_LEADS["anonymous"]) + content
                    it.content = content
                    it.contact = ""
                    if it.enterprise and r() < 0.3:
                        it.contact = self.ent_contact[it.enterprise]
                    x = r()
                    it.received = min(day + (0 if x < 0.8 else 1 if x < 0.95 else 2), AS_OF_DAY)
                    it.created_by = created_by
                    it.created = it.received * 1440 + ri(9 * 60, 19 * 60)
                    it.updated = it.created
                    it.issue = None
                    it.closed_at = None
                    it.closed_by = None
                    it.closed_reason = ""
                    it.withdrawn = None
                    it.replies = []
                    items.append(it)
            linked, closed = [], []
            for it in items:
                if age == 0 and it.received >= AS_OF_DAY - 21:
                    undisposed = r() < 0.7
                elif age == 0:
                    undisposed = r() < 0.04
                else:
                    undisposed = age == 1 and r() < 0.005
                if undisposed:
                    if r() < 0.002:
                        self._withdraw_item(it, binfo)
                elif r() < LINK_CHANCE[it.kind]:
                    linked.append(it)
                else:
                    closed.append(it)
            for it in closed:
                self._close_item(it, binfo, age)
            self._issues(linked, len(items), binfo, camp, age, state_pick)
            for it in items:
                self._item_line(it, binfo)

    def _withdraw_item(self, it: Item, binfo: BranchInfo):
        at = min(it.created + self.rng.randint(30, 3 * 1440), CAP)
        it.withdrawn = (at, binfo.lead, self.rng.choice(WITHDRAW_REASONS))
        it.updated = max(it.updated, at)

    def _close_item(self, it: Item, binfo: BranchInfo, age: int):
        rng = self.rng
        at = it.received * 1440 + rng.randint(0, 5) * 1440 + rng.randint(9 * 60, 17 * 60)
        at = max(min(at, CAP), it.created + 10)
        it.closed_at = at
        it.closed_by = rng.choice(binfo.workers)
        it.closed_reason = it.reason
        it.updated = at
        if rng.random() < 0.002:
            self._withdraw_item(it, binfo)
            return
        if rng.random() < (0.96 if age else 0.6):
            moment = at + rng.randint(0, 7) * 1440 + rng.randint(-120, 120)
            if moment <= CAP:
                self._reply(it, binfo, max(moment, at + 5), it.reply_body)

    def _reply(self, it: Item, binfo: BranchInfo, moment: int, body: str, satisfaction=None):
        """Record a reply to ``it`` (lines written with the item); returns (by, satisfaction)."""
        rng = self.rng
        by = rng.choice(binfo.workers)
        if it.enterprise is None:
            channel = rng.choice(("online", "meeting"))
            text = O.ANONYMOUS_REPLY_LEADS[channel] + body
            satisfaction = ""
        else:
            if satisfaction is None:
                satisfaction = self.pick_satisfaction()
            contact = self.ent_contact[it.enterprise]
            if satisfaction == "not_reachable":
                channel = "phone"
                text = O.NOT_REACHABLE_REPLY.format(contact=contact, body=body)
            else:
                channel = self.pick_channel()
                text = (
                    O.REPLY_LEADS[channel].format(contact=contact)
                    + body
                    + rng.choice(O.SATISFACTION_TAILS[satisfaction])
                )
        it.replies.append((self.next_id["reply"], moment, channel, esc(text), by, satisfaction))
        self.next_id["reply"] += 1
        it.updated = max(it.updated, moment)
        return by, satisfaction

    def _item_line(self, it: Item, binfo: BranchInfo):
        last_day, satisfaction, latest = None, "", None
        for rid, moment, channel, text, by, sat in it.replies:
            day = moment // 1440
            # As the database's trigger: a "not reachable" attempt is no reply's date.
            if sat != "not_reachable" and (last_day is None or day > last_day):
                last_day = day
            if sat in RECORDED and (latest is None or (day, rid) > latest):
                latest, satisfaction = (day, rid), sat
            self.lines["replies"].append(
                f"{rid}\t{ts(moment)}\t{ts(moment)}\t{channel}\t{text}\t{DAY_TEXT[day]}\t{sat}\t"
                f"{it.id}\t{by}\n"
            )
        if it.withdrawn:
            w_at, w_by, w_reason = it.withdrawn
            withdrawn = f"{ts(w_at)}\t{w_reason}"
        else:
            w_by, withdrawn = None, "\\N\t"
        self.lines["items"].append(
            f"{it.id}\t{ts(it.created)}\t{ts(it.updated)}\t{withdrawn}\t{it.kind}\t{it.content}\t"
            f"{it.contact}\t{DAY_TEXT[it.received]}\t{it.closed_reason}\t"
            f"{ts(it.closed_at) if it.closed_at else chr(92) + 'N'}\t{it.activity}\t"
            f"{binfo.branch.pk}\t{it.category}\t{nul(it.closed_by)}\t{it.created_by}\t"
            f"{nul(it.enterprise)}\t{nul(it.issue)}\t{nul(w_by)}\t"
            f"{DAY_TEXT[last_day] if last_day is not None else chr(92) + 'N'}\t{satisfaction}\n"
        )

    # Issues --------------------------------------------------------------------------------

    def _issues(self, linked, n_items, binfo, camp, age, state_pick):
        rng = self.rng
        groups = self._group(linked, n_items)
        plans = []
        for group in groups:
            p = IssuePlan()
            p.items = group
            p.category = group[0].category
            p.created = max(
                group[0].created + rng.randint(30, 1440), group[0].received * 1440 + 600
            )
            p.created = min(p.created, max(CAP, group[0].created + 30))
            p.created_by = rng.choice(binfo.staff)
            p.kind = "counted"
            plans.append(p)
        plans.sort(key=lambda p: p.created)
        # The newest campaign's first branch shows every case even at the smallest scales.
        forced = []
        if age == 0 and binfo.index == 0:
            forced = ["collected", "rectifying*", "escalated", "rectified", "answered", "reopened"]
        ordered = []
        for n, p in enumerate(plans):
            ordered.append(p)
            if rng.random() < MERGE_CHANCE or (forced and n == 2):
                ordered.append(self._shadow(p, binfo, "merged"))
            if rng.random() < WITHDRAW_CHANCE or (forced and n == 3):
                ordered.append(self._shadow(p, binfo, "withdrawn"))
        for p in ordered:
            p.id = self.issue_id
            self.issue_id += 1
        n_counted = 0
        for p in ordered:
            if p.kind != "counted":
                continue
            state = forced[n_counted] if n_counted < len(forced) else state_pick()
            n_counted += 1
            self.counted_seen += 1
            long_timeline = self.counted_seen % LONG_TIMELINE_EVERY == 37
            self._timeline(p, binfo, camp, state, long_timeline)
        for p in ordered:
            if p.kind != "counted":
                self._shadow_timeline(p, binfo)
        for p in ordered:
            self._issue_lines(p, binfo, camp)

    def _group(self, linked: list, n_items: int) -> list[list]:
        """Cut a bucket's linked opinions into about ``issues / feedback_items`` issues per
        opinion heard, each of one category (except at tiny scales)."""
        rng = self.rng
        if not linked:
            return []
        x = n_items * self.counts["issues"] / self.counts["feedback_items"]
        wanted = min(len(linked), max(1, int(x) + (1 if rng.random() < x - int(x) else 0)))
        # Cut at category changes first (an issue is about one thing), then at random.
        its = sorted(linked, key=lambda it: (it.category, it.received, it.id))
        boundaries = [i for i in range(1, len(its)) if its[i].category != its[i - 1].category]
        if len(boundaries) >= wanted - 1:
            cuts = set(rng.sample(boundaries, wanted - 1))
        else:
            cuts = set(boundaries)
            others = [i for i in range(1, len(its)) if i not in cuts]
            cuts.update(rng.sample(others, wanted - 1 - len(cuts)))
        groups, start = [], 0
        for cut in [*sorted(cuts), len(its)]:
            groups.append(its[start:cut])
            start = cut
        return groups

    def _shadow(self, survivor: IssuePlan, binfo: BranchInfo, kind: str) -> IssuePlan:
        """A duplicate opened beside ``survivor``: later merged into it or withdrawn."""
        rng = self.rng
        p = IssuePlan()
        p.kind = kind
        p.items = []
        p.category = survivor.category
        p.created = min(survivor.created + rng.randint(10, 600), CAP)
        p.created_by = rng.choice(binfo.staff)
        p.merged_into = survivor
        return p

    def _topic(self, category: int, escalated: bool) -> dict:
        name = self.cat_name[category]
        if escalated and self.esc_topics.get(name):
            return self.rng.choice(self.esc_topics[name])
        topics = self.topics.get(name) or self.topics["其他"]
        return self.rng.choice(topics)

    def _text(self, p: IssuePlan, key: str, binfo: BranchInfo, default: str = "") -> str:
        template = p.topic.get(key) or default
        return template.format(equip=p.topic["_equip"], short=binfo.spec["short"])

    def _base_fields(self, p: IssuePlan, binfo: BranchInfo, escalated: bool):
        rng = self.rng
        p.topic = dict(self._topic(p.category, escalated))
        classes = p.topic.get("classes") or ["elevator"]
        p.topic["_equip"] = C.EQUIPMENT_TITLE[rng.choice(classes)]
        p.title = rng.choice(p.topic["titles"]).format(
            equip=p.topic["_equip"], short=binfo.spec["short"]
        )
        n = len(p.items)
        p.description = (
            f"{self._text(p, 'description', binfo)}\n归集意见{n}条。"
            if n
            else self._text(p, "description", binfo)
        )
        p.severity = self.pick_severity()
        if escalated and p.severity == "normal" and rng.random() < 0.5:
            p.severity = "serious"
        p.state = "collected"
        p.immediate_fix = False
        p.measures = p.rectification = ""
        p.responsible = p.deadline = p.rectified_at = p.verified_by = p.answered_at = None
        p.reopen_count = 0
        p.merged_at = None
        p.withdrawn = None
        p.events = []

    def _timeline(
        self, p: IssuePlan, binfo: BranchInfo, camp: CampaignInfo, target: str, long_timeline: bool
    ):
        rng = self.rng
        ri = rng.randint
        overdue_forced = target == "rectifying*"
        reopened = target == "reopened"
        target = {"rectifying*": "rectifying", "reopened": "rectifying"}.get(target, target)
        if target == "rectifying" and rng.random() < REOPENED_RECTIFYING_CHANCE:
            reopened = True
        if target in ("answered", "rectified") and rng.random() < REOPEN_CHANCE:
            reopened = True
        escalated = target == "escalated" or (
            target in ("rectifying", "rectified", "answered") and rng.random() < ESCALATE_CHANCE
        )
        self._base_fields(p, binfo, escalated)
        ev = p.events
        lead = binfo.lead
        now = p.created

        def step(dmin, dmax):
            nonlocal now
            m = (now // 1440 + ri(dmin, dmax)) * 1440 + ri(8 * 60, 17 * 60 + 30)
            if m <= now or m > CAP:
                m = now + ri(5, 40)
            now = m
            return m

        def soon():
            nonlocal now
            now += ri(1, 5)
            return now

        def event(kind, moment, actor, note="", from_state="", to_state=""):
            ev.append((moment, kind, from_state, to_state, note, actor))

        def transition(moment, actor, to_state, note):
            event("transition", moment, actor, note, p.state, to_state)
            p.state = to_state

        first = p.items[0]
        event("created", p.created, p.created_by, f"由{len(p.items)}条意见归集立项：#{first.id}")
        for it in p.items[1:]:
            now = max(it.created + ri(10, 600), now + 1)
            event("feedback_linked", now, p.created_by, f"意见：#{it.id}")
        for it in p.items:
            it.issue = p.id
            it.updated = max(it.updated, now)

        def plan():
            p.measures = self._text(p, "measures", binfo, "制定整改措施，明确责任人和时限。")
            p.responsible = rng.choice(binfo.workers)
            moment = step(1, 5)
            p.deadline = moment // 1440 + (ri(1, 5) if overdue_forced else ri(15, 60))
            transition(
                moment,
                rng.choice((lead, p.responsible)),
                "rectifying",
                f"制定整改计划：{p.measures}完成时限{DAY_TEXT[p.deadline]}。",
            )

        def rectify():
            p.rectification = self._text(p, "rectification", binfo, "已按整改措施完成整改。")
            event("comment", step(3, 25), p.responsible or lead, f"整改情况报告：{p.rectification}")
            p.rectified_at = step(0, 3)
            p.verified_by = lead
            transition(
                p.rectified_at, lead, "rectified", f"整改完成并经分院负责人验证：{p.rectification}"
            )

        def reply_round(items, satisfaction=None, reach=False):
            """A reply to each item; with ``reach`` (the issue is answered next), an item
            whose call did not reach its enterprise is visited after the attempt."""
            body = self._text(p, "reply", binfo, "分院已完成整改并向企业说明。")
            for it in items:
                by, sat = self._reply(it, binfo, step(0, 2), body, satisfaction)
                who = self.ent_name[it.enterprise] if it.enterprise else "背靠背意见"
                event("reply", now, by, f"答复{who}（{SATISFACTION_LABELS[sat]}）")
                if reach and sat == "not_reachable":
                    by, sat = self._reply(it, binfo, step(0, 2), body, "basically_satisfied")
                    event("reply", now, by, f"答复{who}（{SATISFACTION_LABELS[sat]}）")

        def answer():
            p.answered_at = soon()
            transition(p.answered_at, lead, "answered", "所有意见均已答复，办结。")

        if target == "collected":
            if rng.random() < 0.3:
                event("comment", step(0, 3), p.created_by, rng.choice(O.GENERIC_PROGRESS))
            self._finish(p, long_timeline)
            return

        fix = (
            (not escalated)
            and (not reopened or rng.random() < 0.5)
            and target in ("rectified", "answered", "rectifying")
            and rng.random() < FIX_CHANCE
        )
        if target == "rectifying" and not reopened:
            fix = False
        if fix:
            p.immediate_fix = True
            p.responsible = rng.choice(binfo.workers)
            p.rectification = self._text(p, "rectification", binfo, "已当场整改。")
            p.rectified_at = step(0, 2)
            p.verified_by = p.responsible
            transition(p.rectified_at, p.responsible, "rectified", f"立行立改：{p.rectification}")
        elif escalated:
            if rng.random() < 0.4 or overdue_forced:
                plan()
            reason = self._text(p, "reason", binfo, "问题涉及省院统一政策，须提交院长办公会研究。")
            requested = step(1, 10)
            esc_id = self.next_id["escalation"]
            self.next_id["escalation"] += 1
            self.lines["escalations"].append(
                f"{esc_id}\t{esc(reason)}\t{ts(requested)}\t{lead}\t{p.id}\n"
            )
            event("escalated", requested, lead, reason)
            transition(soon(), lead, "escalated", "提请省院院长办公会研究。")
            meeting = next(
                ((mid, held) for mid, held in camp.meetings if held * 1440 + 570 > now), None
            )
            if rng.random() < INSTRUCTION_CHANCE:
                self._instruction(p, binfo, step(1, 5), event, step)
            if target == "escalated" or meeting is None:
                self._finish(p, long_timeline)
                return
            mid, held = meeting
            decided = max(held * 1440 + 570 + ri(0, 120), now + 1)
            now = decided
            decision = self._text(
                p, "decision", binfo, "由分院牵头整改，省院相关部门给予支持，限期办结并答复企业。"
            )
            deadline = held + ri(30, 90)
            dec_id = self.next_id["decision"]
            self.next_id["decision"] += 1
            self.lines["decisions"].append(
                f"{dec_id}\t{esc(decision)}\t{DAY_TEXT[deadline]}\t{ts(decided)}\t{esc_id}\t{lead}\t"
                f"{self.office}\t{mid}\n"
            )
            event("decision", decided, self.office, decision)
            p.deadline = deadline
            p.responsible = lead
            if not p.measures:
                p.measures = decision
            transition(
                soon(),
                self.office,
                "rectifying",
                f"按院长办公会决定整改，完成时限{DAY_TEXT[deadline]}。",
            )
        else:
            plan()
        if target == "rectifying" and not reopened:
            if rng.random() < 0.5:
                event("comment", step(3, 20), p.responsible or lead, rng.choice(O.GENERIC_PROGRESS))
            self._finish(p, long_timeline)
            return
        if p.state == "rectifying":
            rectify()
        if target == "rectified" and not reopened:
            reply_round(p.items[: rng.randint(0, len(p.items) - 1)])
            self._finish(p, long_timeline)
            return
        # Answered (perhaps then reopened).
        named = [it for it in p.items if it.enterprise is not None]
        if reopened and named:
            unhappy = rng.choice(named)
            reply_round([it for it in p.items if it is not unhappy], reach=True)
            reply_round([unhappy], "unsatisfied")
            answer()
            p.reopen_count = 1
            complaint = (p.topic.get("reopen") or {}).get("complaint", "问题没有根本解决")
            p.measures = f"{p.measures}\n重新整改：针对企业反映的{complaint}，进一步落实整改。"
            p.rectified_at = p.answered_at = p.verified_by = None
            p.rectification = ""
            moment = step(1, 5)
            p.deadline = moment // 1440 + ri(10, 40)
            transition(
                moment,
                lead,
                "rectifying",
                f"{self.ent_name[unhappy.enterprise]}对答复不满意（{complaint}），重新整改。",
            )
            if target == "rectifying":
                self._finish(p, long_timeline)
                return
            rectify()
            reply_round([unhappy], rng.choice(("satisfied", "basically_satisfied")))
            if target == "answered":
                answer()
        else:
            reply_round(p.items, reach=True)
            answer()
        self._finish(p, long_timeline)

    def _instruction(self, p, binfo, written, event, step):
        rng = self.rng
        author = rng.choice(self.leaders)
        text = rng.choice(INSTRUCTIONS)
        acknowledged = None
        event("instruction", written, author, text)
        if rng.random() < 0.8:
            acknowledged = step(0, 2)
            event("acknowledged", acknowledged, binfo.lead, O.ACKNOWLEDGEMENT_NOTE)
        iid = self.next_id["instruction"]
        self.next_id["instruction"] += 1
        self.lines["instructions"].append(
            f"{iid}\t{esc(text)}\t{ts(written)}\t"
            f"{ts(acknowledged) if acknowledged else chr(92) + 'N'}\t"
            f"{binfo.lead if acknowledged else chr(92) + 'N'}\t{author}\t{p.id}\n"
        )

    def _finish(self, p: IssuePlan, long_timeline: bool):
        rng = self.rng
        if long_timeline:
            start = p.created
            end = max(p.events[-1][0], start + 60 * 1440)
            if end > CAP:
                end = max(CAP, start + 200)
            for k in range(rng.randint(105, 140)):
                moment = rng.randint(start + 1, end)
                note = f"跟踪督办记录（第{k + 1}次）：{rng.choice(O.GENERIC_PROGRESS)}"
                p.events.append(
                    (moment, "comment", "", "", note, rng.choice([*self.leaders, self.office]))
                )
            if self.long_timeline_issue is None:
                self.long_timeline_issue = p.id
        self.state_counts[p.state] = self.state_counts.get(p.state, 0) + 1

    def _shadow_timeline(self, p: IssuePlan, binfo: BranchInfo):
        rng = self.rng
        survivor = p.merged_into
        self._base_fields(p, binfo, False)
        p.title, p.description, p.topic = survivor.title, survivor.description, survivor.topic
        p.events.append((p.created, "created", "", "", "由1条意见归集立项。", p.created_by))
        if p.kind == "merged":
            first_move = min(
                (m for m, kind, *_ in survivor.events if kind == "transition"), default=CAP + 1440
            )
            at = min(p.created + rng.randint(30, 1440), CAP, first_move - 1)
            p.merged_at = max(at, p.created + 1)
            p.events.append(
                (
                    p.merged_at,
                    "merged",
                    "",
                    "",
                    f"合并至#{survivor.id} {survivor.title}",
                    binfo.lead,
                )
            )
            survivor.events.append(
                (
                    p.merged_at,
                    "feedback_linked",
                    "",
                    "",
                    f"接收#{p.id} {p.title}及其意见",
                    binfo.lead,
                )
            )
        else:
            p.merged_into = None
            at = max(min(p.created + rng.randint(30, 3 * 1440), CAP), p.created + 1)
            p.withdrawn = (at, binfo.lead, rng.choice(ISSUE_WITHDRAW_REASONS))
            p.events.append((at, "withdrawn", "", "", p.withdrawn[2], binfo.lead))

    def _issue_lines(self, p: IssuePlan, binfo: BranchInfo, camp: CampaignInfo):
        events = self.lines["events"]
        p.events.sort(key=lambda e: e[0])
        p.updated = p.events[-1][0]
        for moment, kind, from_state, to_state, note, actor in p.events:
            events.append(
                f"{self.next_id['event']}\t{kind}\t{from_state}\t{to_state}\t{esc(note)}\t"
                f"{ts(moment)}\t{nul(actor)}\t{p.id}\n"
            )
            self.next_id["event"] += 1
        N = "\\N"
        if p.withdrawn:
            w_at, w_by, w_reason = p.withdrawn
            withdrawn = f"{ts(w_at)}\t{w_reason}"
        else:
            w_by, withdrawn = None, f"{N}\t"
        merged_into = p.merged_into.id if p.kind == "merged" else None
        self.lines["issues"].append(
            f"{p.id}\t{ts(p.created)}\t{ts(p.updated)}\t{withdrawn}\t{esc(p.title[:200])}\t"
            f"{esc(p.description)}\t{p.severity}\t{p.state}\t{'t' if p.immediate_fix else 'f'}\t"
            f"{esc(p.measures)}\t{DAY_TEXT[p.deadline] if p.deadline else N}\t"
            f"{esc(p.rectification)}\t{ts(p.rectified_at) if p.rectified_at else N}\t"
            f"{ts(p.answered_at) if p.answered_at else N}\t{p.reopen_count}\t"
            f"{ts(p.merged_at) if p.merged_at else N}\t{binfo.branch.pk}\t{camp.id}\t"
            f"{p.category}\t{p.created_by}\t{nul(merged_into)}\t{nul(p.responsible)}\t"
            f"{nul(p.verified_by)}\t{nul(w_by)}\n"
        )

    # Plan everything ----------------------------------------------------------------------

    def plan(self):
        started = time.monotonic()
        self.equipment_by_code = {code: pk for pk, code in self.equipment_codes.items()}
        self.text_pools()
        self.campaigns()
        self.enterprises()
        self.activities()
        self.activity_lines()
        self.feedback_and_issues()
        self.timings["plan"] = time.monotonic() - started


# --- loading ---------------------------------------------------------------------------------

TABLES = (
    # (plan key, table, columns)
    (
        "campaigns",
        "outreach_campaign",
        "id, name, name_en, code, starts_on, ends_on, description, created_at",
    ),
    (
        "meetings",
        "issues_provincialmeeting",
        "id, title, held_on, attendees, minutes, created_at, recorded_by_id",
    ),
    (
        "enterprises",
        "outreach_enterprise",
        "id, created_at, updated_at, withdrawn_at, withdrawn_reason, name, uscc, address, "
        "contact_name, contact_phone, branch_id, county_id, created_by_id, withdrawn_by_id, "
        "name_key",
    ),
    (
        "enterprise_classes",
        "outreach_enterprise_equipment_classes",
        "enterprise_id, equipmentclass_id",
    ),
    (
        "activities",
        "outreach_activity",
        "id, created_at, updated_at, withdrawn_at, withdrawn_reason, kind, title, occurred_on, "
        "place, "
        "attendee_count, forms_sent, forms_returned, minutes, branch_id, created_by_id, "
        "withdrawn_by_id, campaign_id",
    ),
    ("activity_enterprises", "outreach_activity_enterprises", "activity_id, enterprise_id"),
    ("activity_staff", "outreach_activity_staff", "activity_id, user_id"),
    (
        "issues",
        "issues_issue",
        "id, created_at, updated_at, withdrawn_at, withdrawn_reason, title, description, severity, "
        "state, immediate_fix, measures, deadline, rectification, rectified_at, answered_at, "
        "reopen_count, merged_at, branch_id, campaign_id, category_id, created_by_id, "
        "merged_into_id, responsible_id, verified_by_id, withdrawn_by_id",
    ),
    ("escalations", "issues_escalation", "id, reason, requested_at, requested_by_id, issue_id"),
    (
        "decisions",
        "issues_provincialdecision",
        "id, decision, deadline, created_at, escalation_id, owner_id, recorded_by_id, meeting_id",
    ),
    (
        "instructions",
        "issues_instruction",
        "id, content, created_at, acknowledged_at, acknowledged_by_id, author_id, issue_id",
    ),
    (
        "items",
        "outreach_feedbackitem",
        "id, created_at, updated_at, withdrawn_at, withdrawn_reason, kind, content, contact, "
        "received_on, closed_reason, closed_at, activity_id, branch_id, category_id, closed_by_id, "
        "created_by_id, enterprise_id, issue_id, withdrawn_by_id, last_replied_on, satisfaction",
    ),
    (
        "replies",
        "issues_reply",
        "id, created_at, updated_at, channel, content, replied_on, satisfaction, "
        "feedback_item_id, replied_by_id",
    ),
    (
        "events",
        "issues_issueevent",
        "id, kind, from_state, to_state, note, created_at, actor_id, issue_id",
    ),
)

# Row triggers switched off while loading: the generator writes the reply summary itself
# (checked by SUMMARY_MISMATCH_SQL), links opinions only to counted issues and closes none
# as unreachable (checked by the loading tests); one lookup per row would slow the load.
SUMMARY_MISMATCH_SQL = """
SELECT count(*) FROM outreach_feedbackitem f
LEFT JOIN LATERAL (
    SELECT max(r.replied_on) AS last_day FROM issues_reply r
    WHERE r.feedback_item_id = f.id AND r.satisfaction <> 'not_reachable'
) latest ON true
LEFT JOIN LATERAL (
    SELECT r.satisfaction FROM issues_reply r
    WHERE r.feedback_item_id = f.id
      AND r.satisfaction IN ('satisfied', 'basically_satisfied', 'unsatisfied')
    ORDER BY r.replied_on DESC, r.id DESC LIMIT 1
) recorded ON true
WHERE f.last_replied_on IS DISTINCT FROM latest.last_day
   OR f.satisfaction <> COALESCE(recorded.satisfaction, '')
"""

#: Opinions whose branch is not their activity's, or whose issue has another branch or
#: campaign: the copies the database otherwise keeps (docs/derived-data.md).
COPIES_MISMATCH_SQL = """
SELECT count(*) FROM outreach_feedbackitem f
JOIN outreach_activity a ON a.id = f.activity_id
LEFT JOIN issues_issue i ON i.id = f.issue_id
WHERE f.branch_id <> a.branch_id OR i.branch_id <> f.branch_id OR i.campaign_id <> a.campaign_id
"""
#: Tables with triggers that fire on insert (all keep derived data): off during the load,
#: what they keep is counted once afterwards (the issues' count per branch, in
#: issues/migrations/0018, the escalation copies and the dashboard's summaries).
TRIGGERED_TABLES = (
    "outreach_activity",
    "outreach_activity_enterprises",
    "outreach_feedbackitem",
    "issues_issue",
    "issues_escalation",
    "issues_provincialdecision",
    "issues_reply",
)


ESCALATION_COPIES_SQL = """
UPDATE issues_issue i SET
    ever_escalated = TRUE,
    ever_decided = EXISTS (
        SELECT 1 FROM issues_provincialdecision d JOIN issues_escalation e ON e.id = d.escalation_id
        WHERE e.issue_id = i.id
    ),
    decision_awaited = NOT EXISTS (
        SELECT 1 FROM issues_provincialdecision d WHERE d.escalation_id = (
            SELECT e.id FROM issues_escalation e WHERE e.issue_id = i.id
            ORDER BY e.requested_at DESC, e.id DESC LIMIT 1
        )
    )
WHERE EXISTS (SELECT 1 FROM issues_escalation e WHERE e.issue_id = i.id)
"""


class RefusedError(Exception):
    """The database is not one the generator may fill."""


def domain_tables() -> list[str]:
    tables = []
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = model._meta.db_table
            if table not in REFERENCE_TABLES:
                tables.append(table)
    return sorted(set(tables))


def check_database(*, replace: bool) -> None:
    if connection.vendor != "postgresql":
        raise RefusedError(
            "generate_scale_data loads with PostgreSQL COPY and runs on PostgreSQL only "
            f"(this database is {connection.vendor}); set DATABASE_URL=postgres://..."
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM outreach_feedbackitem),"
            " (SELECT count(*) FROM outreach_enterprise), (SELECT count(*) FROM outreach_campaign)"
        )
        items, enterprises, campaigns = cursor.fetchone()
    if (items or enterprises or campaigns) and not replace:
        raise RefusedError(
            f"This database already holds data ({items} feedback items, {enterprises} "
            f"enterprises, {campaigns} campaigns). Give --yes to empty the domain tables "
            "(TRUNCATE ... RESTART IDENTITY CASCADE) and generate afresh."
        )


def generate(
    scale: float, seed: int = 1, *, replace: bool = False, log=print, out_dir=OUT_DIR
) -> dict:
    """Empty the domain tables, load the data set at ``scale``, check it, describe it."""
    check_database(replace=replace)
    started = time.monotonic()
    gen = Generator(scale, seed, log=log)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(domain_tables())} RESTART IDENTITY CASCADE")
        gen.organisation()
    log(f"Organisation ready; planning scale {scale} (seed {seed})...")
    gen.plan()
    log(f"Planned in {gen.timings['plan']:.1f} s; loading with COPY...")
    load_started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        # Check foreign keys at the end of each COPY, not all at the final commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL synchronous_commit = off")
        loader = Loader(cursor, gen.stats)
        # The rows carry their derived copies already (an opinion's branch and reply
        # summary); the triggers that keep them would cost a lookup per row, so they are off
        # during the load and the copies are checked afterwards (COPIES_MISMATCH_SQL).
        for table in TRIGGERED_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            for key, table, columns in TABLES:
                loader.copy(table, columns, gen.lines.pop(key))
            # What the switched-off triggers would have written: the issues' copies of
            # their escalations (the summary rows are counted after the triggers are on).
            cursor.execute(ESCALATION_COPIES_SQL)
        finally:
            for table in TRIGGERED_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        rebuild_branch_issue_counts()
        _reset_sequences(cursor)
        for statement in summaries_sql.rebuild(connection.vendor):
            cursor.execute(statement)
    gen.timings["load"] = time.monotonic() - load_started
    analyze_started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        gen.timings["analyze"] = time.monotonic() - analyze_started
        cursor.execute(SUMMARY_MISMATCH_SQL)
        mismatches = cursor.fetchone()[0]
        cursor.execute(COPIES_MISMATCH_SQL)
        copy_mismatches = cursor.fetchone()[0]
    gen.timings["total"] = time.monotonic() - started
    dataset = describe(gen, mismatches, copy_mismatches)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "dataset.json").write_text(json.dumps(dataset, ensure_ascii=False, indent=2))
    return dataset


def _reset_sequences(cursor) -> None:
    for _key, table, _columns in TABLES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute(
                f"SELECT setval(%s, COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)",  # noqa: S608
                [row[0]],
            )


def describe(gen: Generator, mismatches: int, copy_mismatches: int) -> dict:
    from issues.models import Issue

    newest = gen.campaign_list[-1]
    quanzhou = next(b for b in gen.branches if b.spec["code"] == "quanzhou")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM issues_issueevent WHERE issue_id = %s", [gen.long_timeline_issue]
        )
        long_events = cursor.fetchone()[0]
    counted = Issue.objects.counted()
    return {
        "scale": gen.scale,
        "seed": gen.seed,
        "as_of": AS_OF.isoformat(),
        "password": BENCH_PASSWORD,
        "users": {
            "leader": "leader",
            "office": "office",
            "branch_staff": "quanzhou_staff",
            "branch_lead": "quanzhou_lead",
        },
        "branch_id": quanzhou.branch.pk,
        "branch_code": "quanzhou",
        "newest_campaign_id": newest.id,
        "campaign_ids": [c.id for c in gen.campaign_list],
        "long_timeline_issue_id": gen.long_timeline_issue,
        "long_timeline_events": long_events,
        "rows": {table: entry["rows"] for table, entry in gen.stats.items()},
        "seconds": {table: round(entry["seconds"], 2) for table, entry in gen.stats.items()},
        "timings": {key: round(value, 2) for key, value in gen.timings.items()},
        "issue_states": dict(sorted(gen.state_counts.items())),
        "counted_issues": counted.count(),
        "merged_issues": Issue.objects.filter(merged_into__isnull=False).count(),
        "withdrawn_issues": Issue.objects.filter(withdrawn_at__isnull=False).count(),
        "reopened_issues": counted.filter(reopen_count__gt=0).count(),
        "overdue_issues": counted.overdue().count(),
        "reply_summary_mismatches": mismatches,
        "branch_issue_count_mismatches": len(branch_issue_count_mismatches()),
        "copy_mismatches": copy_mismatches,
    }
