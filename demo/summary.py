"""What the demo holds: its logins and the row counts and figures of its campaign."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from branches.models import Branch
from demo.data.content import (
    BRANCH_PEOPLE,
    BRANCH_USER_SUFFIXES,
    BRANCHES,
    CAMPAIGN_CODE,
    PROVINCE,
    PROVINCIAL_PEOPLE,
)
from issues.models import (
    FIXED_ON_THE_SPOT,
    DeadlineExtension,
    Issue,
    IssueReturn,
    Reply,
    ReplyDraft,
    SupervisionNotice,
    decided_condition,
)
from outreach.models import Activity, Enterprise, FeedbackItem

ROLE_LABELS = {
    "lead": "branch lead 分院负责人",
    "staff": "branch staff 分院工作人员",
    "office": "provincial office 省院办公室",
    "leader": "institute leader 院领导",
}


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, branch) of every demo account, in the order to print them."""
    short = {spec["code"]: spec["short"] for spec in BRANCHES}
    rows = [("admin", "system admin 系统管理员", "-")]
    for username, _surname, _given, role, title, liaisons in PROVINCIAL_PEOPLE:
        label = f"{ROLE_LABELS[role]} ({title})"
        if liaisons:
            label += " 挂点 " + "、".join(short[code] for code in liaisons)
        rows.append((username, label, PROVINCE["short_name"]))
    for spec in BRANCHES:
        for suffix, (_surname, _given, title) in zip(
            BRANCH_USER_SUFFIXES, BRANCH_PEOPLE[spec["code"]], strict=True
        ):
            role = "lead" if suffix == "lead" else "staff"
            rows.append(
                (f"{spec['code']}_{suffix}", f"{ROLE_LABELS[role]} ({title})", spec["short"])
            )
    return rows


def demo_summary() -> dict[str, int]:
    """Row counts of the demo campaign and the figures of its briefing (0 if absent)."""
    kind = Activity.Kind
    activities = Activity.objects.filter(campaign__code=CAMPAIGN_CODE)
    by_kind = activities.aggregate(
        activities=Count("id"),
        enterprise_forums=Count("id", filter=Q(kind=kind.ENTERPRISE_FORUM)),
        internal_forums=Count("id", filter=Q(kind=kind.INTERNAL_FORUM)),
    )
    issues = Issue.objects.filter(campaign__code=CAMPAIGN_CODE)
    return {
        "branches": Branch.objects.count(),
        "users": get_user_model().objects.count(),
        "enterprises": Enterprise.objects.count(),
        **by_kind,
        "enterprises visited": Enterprise.objects.filter(
            activities__campaign__code=CAMPAIGN_CODE, activities__kind=kind.VISIT
        )
        .distinct()
        .count(),
        "feedback items": FeedbackItem.objects.filter(
            activity__campaign__code=CAMPAIGN_CODE
        ).count(),
        "issues": issues.count(),
        "fixed on the spot": issues.filter(FIXED_ON_THE_SPOT).count(),
        "escalated": issues.filter(escalations__isnull=False).distinct().count(),
        "studied by the meeting": issues.filter(decided_condition()).count(),
        "replies": Reply.objects.filter(
            feedback_item__activity__campaign__code=CAMPAIGN_CODE
        ).count(),
        "to sign for": issues.awaiting_signature().count(),
        "returns": IssueReturn.objects.filter(issue__in=issues).count(),
        "extensions": DeadlineExtension.objects.filter(issue__in=issues).count(),
        "supervision notices": SupervisionNotice.objects.filter(issue__in=issues).count(),
        "reply drafts": ReplyDraft.objects.filter(
            feedback_item__activity__campaign__code=CAMPAIGN_CODE
        ).count(),
    }
