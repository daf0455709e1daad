"""The demo's activities: visits, forums, the survey, hotlines and on-site service.

Each branch holds the numbers of visits and forums of the seed report on working days
spread over the campaign; ``plan_minutes`` writes their minutes once the opinions heard
at each are known.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from demo.data import content as C
from outreach.models import Activity

from .plans import ActivityPlan, BranchContext, EnterprisePlan
from .story import full_name, weighted

LAST_ACTIVITY_DAY = date(2026, 11, 20)
# No visits on the Mid-Autumn festival and the National Day holidays.
HOLIDAYS = (date(2026, 9, 25), *(date(2026, 10, day) for day in range(1, 8)))


def workdays(first: date, last: date) -> list[date]:
    """The working days from ``first`` to ``last`` (both included), holidays left out."""
    days, day = [], first
    while day <= last:
        if day.weekday() < 5 and day not in HOLIDAYS:
            days.append(day)
        day += timedelta(days=1)
    return days


class ActivityPlanner:
    """Plans each branch's activities from its figures (``content.FIGURES``)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def _spread(self, count: int, first: date, last: date, jitter: int = 2) -> list[date]:
        """``count`` workdays spread evenly from ``first`` to ``last`` (both included)."""
        days = workdays(first, last)
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

    def plan(self, ctx: BranchContext):
        """Add the branch's activities to ``ctx.activities``; each visited enterprise is
        visited exactly once."""
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
            county = weighted(rng, dict(ctx.counties))
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
            self._add_activity(
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


def plan_minutes(ctx: BranchContext):
    """The minutes of the branch's visits, enterprise forums and survey, from what was heard."""
    lead_name = full_name(ctx.lead)
    for activity in ctx.activities:
        count = len(activity.items)
        if activity.kind == Activity.Kind.VISIT:
            names = "、".join(e.name for e in activity.enterprises[:3])
            words = "、".join(
                dict.fromkeys(C.EQUIPMENT_TITLE[c] for e in activity.enterprises for c in e.classes)
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
