"""``manage.py seed_demo`` builds the campaign of the seed report, exactly and only once.

The command runs once for the whole module inside a transaction that is rolled back at the
end, so the other test modules never see the demo data.
"""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Min

from branches.models import Branch, County, Liaison, Membership
from issues.models import (
    Escalation,
    Instruction,
    Issue,
    IssueEvent,
    ProvincialDecision,
    ProvincialMeeting,
    Reply,
)
from outreach.models import REPLIED, UNREPLIED, Activity, Campaign, Enterprise, FeedbackItem
from outreach.validators import validate_uscc

pytestmark = pytest.mark.django_db

KIND = Activity.Kind
STATE = Issue.State

# The report's figures per branch: distinct enterprises visited, enterprise forums, internal
# forums, opinions heard, problems found, fixed on the spot, escalated, planned.
REPORT = {
    "quanzhou": (32, 3, 8, 35, 14, 9, 4, 1),
    "ningde": (26, 3, 7, 92, 17, 10, 6, 1),
    "putian": (64, 2, 7, 13, 9, 6, 2, 1),
    "nanping": (29, 2, 7, 98, 19, 12, 6, 1),
    "sanming": (30, 3, 7, 96, 20, 12, 7, 1),
    "longyan": (28, 3, 7, 92, 18, 12, 6, 0),
    "zhangzhou": (24, 3, 9, 84, 19, 12, 6, 1),
}
MODELS = (
    Branch,
    County,
    get_user_model(),
    Membership,
    Liaison,
    Campaign,
    Enterprise,
    Activity,
    FeedbackItem,
    Issue,
    Escalation,
    ProvincialMeeting,
    ProvincialDecision,
    Reply,
    Instruction,
    IssueEvent,
)


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    """The command's output; its rows live until the module's transaction is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


#: Opinions left in the online opinion box by ``demo/box.py``, by branch: the demo's, not
#: the report's (the report counts what staff heard at the campaign's activities).
BOX_OPINIONS = {"quanzhou": 3}


def reported():
    """The opinions the report counts: all but the online box's."""
    return FeedbackItem.objects.exclude(activity__kind=KIND.ONLINE_BOX)


def row_counts():
    return {model.__name__: model._default_manager.count() for model in MODELS}


def test_province_figures_match_the_report():
    visited = Enterprise.objects.filter(activities__kind=KIND.VISIT).distinct().count()
    issues = Issue.objects.filter(campaign__code="mass-line-2")
    assert visited == 233
    assert Activity.objects.filter(kind=KIND.ENTERPRISE_FORUM).count() == 19
    assert Activity.objects.filter(kind=KIND.INTERNAL_FORUM).count() >= 50
    assert reported().count() == 510
    assert FeedbackItem.objects.count() == 510 + sum(BOX_OPINIONS.values())
    assert issues.count() == 116
    assert (
        issues.filter(immediate_fix=True, state__in=[STATE.RECTIFIED, STATE.ANSWERED]).count() == 73
    )
    assert issues.filter(escalations__isnull=False).distinct().count() == 37


@pytest.mark.parametrize("code", REPORT)
def test_branch_figures_match_the_report(code):
    branch = Branch.objects.get(code=code)
    activities = Activity.objects.filter(branch=branch)
    issues = Issue.objects.filter(branch=branch)
    assert FeedbackItem.objects.filter(branch=branch, activity__kind=KIND.ONLINE_BOX).count() == (
        BOX_OPINIONS.get(code, 0)
    )
    figures = (
        Enterprise.objects.filter(activities__kind=KIND.VISIT, activities__branch=branch)
        .distinct()
        .count(),
        activities.filter(kind=KIND.ENTERPRISE_FORUM).count(),
        activities.filter(kind=KIND.INTERNAL_FORUM).count(),
        reported().filter(branch=branch).count(),
        issues.count(),
        issues.filter(immediate_fix=True).count(),
        issues.filter(escalations__isnull=False).distinct().count(),
        issues.filter(immediate_fix=False, escalations__isnull=True).count(),
    )
    assert figures == REPORT[code]


def test_quanzhou_heard_35_opinions():
    assert reported().filter(branch__code="quanzhou").count() == 35


def test_putian_visited_64_and_sent_over_100_survey_forms():
    putian = Branch.objects.get(code="putian")
    survey = Activity.objects.get(branch=putian, kind=KIND.SURVEY)
    assert survey.forms_sent >= 100
    assert survey.forms_returned <= survey.forms_sent
    assert (
        Enterprise.objects.filter(activities__kind=KIND.VISIT, activities__branch=putian)
        .distinct()
        .count()
        == 64
    )
    opinions = FeedbackItem.objects.filter(branch=putian)
    assert opinions.count() == 13
    assert set(opinions.values_list("activity__kind", flat=True)) <= {
        KIND.VISIT,
        KIND.SURVEY,
        KIND.ENTERPRISE_FORUM,
    }
    assert opinions.filter(activity=survey).exists()


def test_nanping_visited_29_enterprises_in_all_10_counties():
    nanping = Branch.objects.get(code="nanping")
    visited = Enterprise.objects.filter(activities__kind=KIND.VISIT, activities__branch=nanping)
    assert visited.distinct().count() == 29
    assert visited.values("county").distinct().count() == 10
    assert nanping.counties.count() == 10


def test_ningde_held_the_integrity_forum_with_over_60_industry_heads():
    forum = Activity.objects.get(
        branch__code="ningde", kind=KIND.ENTERPRISE_FORUM, title__contains="院企共建"
    )
    assert forum.attendee_count >= 60
    assert forum.enterprises.count() >= 5


def test_counties_use_the_current_division_codes():
    names = dict(County.objects.values_list("code", "name"))
    assert names["350783"] == "建瓯市"
    assert names["350404"] == "三元区" and names["350405"] == "沙县区"
    assert names["350604"] == "龙海区" and names["350605"] == "长泰区"
    assert "350402" not in names  # 梅列区 merged into 三元区 in 2021
    assert County.objects.filter(branch__code="sanming").count() == 11


def test_every_enterprise_has_a_valid_unique_uscc_and_its_branch_county():
    enterprises = Enterprise.objects.select_related("county")
    for enterprise in enterprises:
        validate_uscc(enterprise.uscc)
        assert enterprise.uscc[2:8] == enterprise.county.code
        assert enterprise.county.branch_id == enterprise.branch_id
    assert Enterprise.objects.values("uscc").distinct().count() == enterprises.count()
    assert not Enterprise.objects.annotate(n=Count("equipment_classes")).filter(n=0).exists()


def test_enterprises_met_belong_to_the_activity_branch():
    through = Activity.enterprises.through.objects
    assert not through.exclude(activity__branch=F("enterprise__branch")).exists()


def test_activities_fall_within_the_campaign():
    # The box's standing activity is dated the day its first opinion came (demo/box.py).
    dates = Activity.objects.exclude(kind=KIND.ONLINE_BOX).aggregate(
        first=Min("occurred_on"), last=Max("occurred_on")
    )
    assert dates == {"first": date(2026, 9, 1), "last": date(2026, 11, 20)}


def test_opinions_are_disposed_except_a_few_recent_ones():
    items = reported()
    undisposed = items.undisposed()
    assert 8 <= undisposed.count() <= 16
    assert not undisposed.filter(replies__isnull=False).exists()
    assert not items.filter(issue__isnull=True, closed_at__isnull=False, closed_reason="").exists()
    assert not items.exclude(branch=F("activity__branch")).exists()
    assert not items.exclude(received_on=F("activity__occurred_on")).exists()
    assert (
        not items.filter(issue__isnull=False)
        .exclude(kind__in=[FeedbackItem.Kind.PROBLEM, FeedbackItem.Kind.SUGGESTION])
        .exists()
    )
    assert not items.filter(issue__isnull=False).exclude(branch=F("issue__branch")).exists()
    assert items.filter(kind=FeedbackItem.Kind.PRAISE).exists()


def test_anonymous_opinions_come_from_enterprise_forums():
    anonymous = reported().filter(enterprise__isnull=True)
    assert 30 <= anonymous.count() <= 52  # about 8%
    assert set(anonymous.values_list("activity__kind", flat=True)) == {KIND.ENTERPRISE_FORUM}
    met = set(Activity.enterprises.through.objects.values_list("activity_id", "enterprise_id"))
    named = reported().filter(enterprise__isnull=False)
    assert set(named.values_list("activity_id", "enterprise_id")) <= met


def test_opinions_are_all_worded_differently():
    assert FeedbackItem.objects.values("content").distinct().count() == 510 + sum(
        BOX_OPINIONS.values()
    )


def test_every_issue_distils_one_to_three_opinions():
    sizes = Issue.objects.annotate(n=Count("feedback_items")).values_list("n", flat=True)
    assert set(sizes) <= {1, 2, 3}


def test_latest_transition_of_every_issue_is_its_state():
    for issue in Issue.objects.all():
        events = issue.events.order_by("created_at", "id")
        assert events.first().kind == IssueEvent.Kind.CREATED
        latest = events.filter(kind=IssueEvent.Kind.TRANSITION).last()
        assert latest.to_state == issue.state, issue.title
        times = list(events.values_list("created_at", flat=True))
        assert times == sorted(times)


def test_immediate_fixes_are_mostly_answered():
    fixes = Issue.objects.filter(immediate_fix=True)
    assert fixes.filter(state=STATE.ANSWERED).count() >= 60
    assert not fixes.filter(rectified_at__isnull=True).exists()
    assert not fixes.filter(escalations__isnull=False).exists()


def test_answered_issues_have_a_reply_on_every_item():
    answered = FeedbackItem.objects.filter(issue__state=STATE.ANSWERED)
    assert answered.exists()
    # A reply that reached the enterprise: a "not reachable" call is followed by a visit.
    assert not answered.filter(UNREPLIED).exists()
    assert answered.filter(replies__satisfaction=Reply.Satisfaction.NOT_REACHABLE).exists()
    assert not Issue.objects.filter(state=STATE.ANSWERED, answered_at__isnull=True).exists()


def test_unreached_enterprises_were_called_again_on_another_day():
    """Opinions closed without an issue whose enterprise was not reached: still unanswered,
    most with attempts on two days, which lets their branch lead close them as unreachable."""
    attempted = FeedbackItem.objects.filter(
        closed_at__isnull=False, replies__satisfaction=Reply.Satisfaction.NOT_REACHABLE
    ).distinct()
    assert attempted.exists()
    assert not attempted.filter(REPLIED).exists()
    days = attempted.annotate(days=Count("replies__replied_on", distinct=True))
    assert days.filter(days__gte=2).exists()


def test_rectified_issues_wait_for_some_replies():
    rectified = Issue.objects.filter(state=STATE.RECTIFIED)
    assert rectified.exists()
    for issue in rectified:
        assert issue.feedback_items.filter(replies__isnull=True).exists()


def test_escalations_were_decided_at_one_director_meeting():
    meeting = ProvincialMeeting.objects.get()
    assert meeting.held_on == date(2026, 10, 28)
    assert Escalation.objects.count() == 37
    assert meeting.decisions.count() == 37
    assert not Escalation.objects.exclude(requested_by__membership__role="lead").exists()
    assert not Escalation.objects.filter(requested_at__date__gte=meeting.held_on).exists()
    escalated = Issue.objects.filter(escalations__isnull=False)
    states = dict(escalated.values_list("state").annotate(n=Count("id")))
    assert states == {STATE.RECTIFYING: 20, STATE.RECTIFIED: 10, STATE.ANSWERED: 7}
    for issue in escalated.filter(state=STATE.RECTIFYING):
        assert issue.deadline == issue.escalations.get().decision.deadline


def test_some_issues_are_overdue_on_the_demo_day():
    overdue = Issue.objects.overdue(today=date(2026, 11, 25))
    planned = overdue.filter(immediate_fix=False, escalations__isnull=True)
    assert planned.count() == 2
    assert overdue.count() > planned.count()


def test_one_planned_issue_was_reopened_after_an_unsatisfied_reply():
    issue = Issue.objects.get(reopen_count=1)
    assert issue.state == STATE.RECTIFYING
    assert Reply.objects.filter(
        feedback_item__issue=issue, satisfaction=Reply.Satisfaction.UNSATISFIED
    ).exists()
    reopen = issue.events.filter(kind=IssueEvent.Kind.TRANSITION).order_by("created_at").last()
    assert (reopen.from_state, reopen.to_state) == (STATE.ANSWERED, STATE.RECTIFYING)


def test_leaders_wrote_instructions_one_acknowledged():
    instructions = Instruction.objects.all()
    assert 2 <= instructions.count() <= 3
    assert instructions.filter(acknowledged_at__isnull=False).count() == 1
    assert not instructions.filter(issue__escalations__isnull=True).exists()
    assert set(instructions.values_list("author__membership__role", flat=True)) == {"leader"}


def test_replies_come_after_the_opinion_and_mostly_satisfy():
    replies = Reply.objects.all()
    assert not replies.filter(replied_on__lt=F("feedback_item__received_on")).exists()
    satisfied = replies.filter(satisfaction__in=["satisfied", "basically_satisfied"]).count()
    assert satisfied > 0.8 * replies.count()
    assert replies.filter(satisfaction=Reply.Satisfaction.NOT_REACHABLE).exists()


def test_users_memberships_and_liaisons():
    User = get_user_model()
    for code in REPORT:
        assert Membership.objects.get(user__username=f"{code}_staff").role == "staff"
        lead = Membership.objects.get(user__username=f"{code}_lead")
        assert (lead.role, lead.branch.code) == ("lead", code)
        assert User.objects.get(username=f"{code}_lead").last_name
    assert Membership.objects.get(user__username="office").role == "office"
    assert set(
        Liaison.objects.filter(leader__username="leader").values_list("branch__code", flat=True)
    ) == {"quanzhou", "ningde"}
    assert set(
        Liaison.objects.filter(leader__username="leader2").values_list("branch__code", flat=True)
    ) == {"nanping", "sanming", "longyan"}
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and not Membership.objects.filter(user=admin).exists()
    assert User.objects.get(username="quanzhou_staff").check_password("Outreach#2026")


def test_output_lists_the_logins_and_the_password(seeded):
    assert "Outreach#2026" in seeded
    for username in ("admin", "office", "leader", "leader2", "quanzhou_staff", "zhangzhou_lead"):
        assert username in seeded


def test_second_run_changes_nothing():
    before = row_counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert row_counts() == before
    assert "already exists" in out.getvalue()
    assert "Outreach#2026" in out.getvalue()


DEMO_LOGINS = [
    ("quanzhou_staff", "福建省特种设备检验研究院泉州分院"),
    ("putian_lead", "福建省特种设备检验研究院莆田分院"),
    ("zhangzhou_staff", "福建省特种设备检验研究院漳州分院"),
    ("office", "全省概况"),
    ("leader", "全省概况"),
    ("leader2", "全省概况"),
    ("admin", "全省概况"),
]


@pytest.mark.parametrize(("username", "heading"), DEMO_LOGINS)
def test_demo_users_log_in_with_the_demo_password_and_see_their_scope(client, username, heading):
    from django.urls import reverse

    response = client.post(reverse("login"), {"username": username, "password": "Outreach#2026"})
    assert response.status_code == 302, username
    page = client.get(reverse("reports:home"))
    body = page.content.decode()
    assert '<html lang="zh-hans">' in body
    assert heading in body
    feedback = page.context["feedback"]["feedback"]
    user = get_user_model().objects.get(username=username)
    assert feedback == FeedbackItem.objects.visible_to(user).active().count()
    code = username.split("_")[0]
    box = sum(BOX_OPINIONS.values()) if heading == "全省概况" else BOX_OPINIONS.get(code, 0)
    assert feedback == (510 if heading == "全省概况" else REPORT[code][3]) + box


def test_the_online_box_holds_a_few_opinions_waiting_for_quanzhou(seeded):
    from receipts.models import BoxOpinion

    stated = BoxOpinion.objects.select_related(
        "feedback_item__activity", "feedback_item__enterprise"
    )
    assert stated.count() == 3
    assert {s.feedback_item.activity.kind for s in stated} == {KIND.ONLINE_BOX}
    assert {s.feedback_item.branch.code for s in stated} == {"quanzhou"}
    anonymous = stated.get(anonymous=True)
    assert anonymous.stated_name == anonymous.stated_uscc == ""
    registered = stated.get(stated_uscc__gt="")
    assert registered.feedback_item.enterprise is None  # never filed on the word alone
    assert Enterprise.objects.filter(uscc=registered.stated_uscc).exists()
    assert all(s.feedback_item.receipts.count() == 1 for s in stated)
    assert all(s.feedback_item in FeedbackItem.objects.undisposed() for s in stated)
    assert "/r/box/" in seeded


def test_a_second_run_leaves_no_more_box_opinions():
    from demo.box import demo_box_opinions

    assert demo_box_opinions(Campaign.objects.get(code="mass-line-2")) == []


def test_the_demo_holds_recurring_problems_the_search_found():
    """At least one theme across three branches or more, proposed by the app's own search
    (its records are there, month by month); emptied and searched again, the same themes
    come back: they were found, not written by the demo."""
    from django.db.models import Sum

    from themes import finding
    from themes.models import Theme, ThemeIssue, ThemeSearch

    widest = (
        Theme.objects.annotate(branches=Count("members__issue__branch", distinct=True))
        .order_by("-branches")
        .first()
    )
    assert widest.branches >= 3
    assert ThemeSearch.objects.count() >= 3
    assert ThemeSearch.objects.aggregate(n=Sum("themes_proposed"))["n"] == Theme.objects.count()
    found = {
        theme.title: set(theme.members.values_list("issue_id", flat=True))
        for theme in Theme.objects.all()
    }
    ThemeIssue.objects.all().delete()
    Theme.objects.all().delete()
    for month in ("2026-09-01", "2026-10-01", "2026-11-01"):
        finding.search(date.fromisoformat(month))
    again = {
        theme.title: set(theme.members.values_list("issue_id", flat=True))
        for theme in Theme.objects.all()
    }
    assert again == found
