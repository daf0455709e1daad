"""The search for recurring problems: what it proposes, what it adds to themes already
there, and that it can run again without writing anything twice."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import BranchFactory, FeedbackCategoryFactory, IssueFactory
from themes import finding
from themes.models import Theme, ThemeIssue, ThemeSearch

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
MONTH = date(2026, 11, 1)
REPORT_SLOW = [
    (
        "电梯定期检验报告出具慢",
        "企业反映电梯定期检验后报告要等二十多天才能拿到，影响使用标志更新。",
    ),
    (
        "电梯检验报告出具太慢",
        "物业公司反映电梯定期检验结束二十多天仍拿不到检验报告，使用标志无法更新。",
    ),
    ("电梯定期检验后报告迟迟不出", "小区电梯检验完二十多天报告还没出具，使用标志到期无法更换。"),
    ("电梯检验报告要等二十多天", "电梯定期检验后二十多天才拿到检验报告，使用标志更新不了。"),
]
OTHER = ("检验人员收受企业购物卡", "个别检验人员节日期间收受企业购物卡，企业反映强烈。")


@pytest.fixture
def category():
    return FeedbackCategoryFactory()


@pytest.fixture
def branches(province):
    return [BranchFactory(parent=province) for _ in range(4)]


def opened(branch, category, text, day: date, **fields):
    issue = IssueFactory(
        branch=branch, category=category, title=text[0], description=text[1], **fields
    )
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=TZ)
    type(issue).objects.filter(pk=issue.pk).update(created_at=moment)
    return issue


def test_a_problem_of_three_branches_is_proposed_with_its_issues(branches, category):
    issues = [
        opened(branch, category, text, date(2026, 11, 3 + n))
        for n, (branch, text) in enumerate(zip(branches[:3], REPORT_SLOW, strict=False))
    ]
    lone = opened(branches[0], category, OTHER, date(2026, 11, 5))
    search = finding.search(MONTH)
    theme = Theme.objects.get()
    assert theme.state == Theme.State.PROPOSED
    assert theme.proposed_in == MONTH and theme.category == category
    assert set(theme.members.values_list("issue_id", flat=True)) == {i.pk for i in issues}
    assert theme.title in {text[0] for text in REPORT_SLOW}
    assert not ThemeIssue.objects.filter(issue=lone).exists()
    assert (search.issues_read, search.themes_proposed, search.issues_added) == (4, 1, 3)


def test_a_problem_of_two_branches_is_not_proposed_unless_it_grows(branches, category):
    for n, text in enumerate(REPORT_SLOW[:2]):
        opened(branches[n], category, text, date(2026, 11, 3))
    finding.search(MONTH)
    assert not Theme.objects.exists()
    # A third issue this month, none the month before: growing.
    opened(branches[0], category, REPORT_SLOW[2], date(2026, 11, 20))
    finding.search(MONTH)
    assert Theme.objects.get().members.count() == 3


def test_not_growing_when_the_month_before_had_as_many(branches, category):
    for n, text in enumerate(REPORT_SLOW[:3]):
        opened(branches[n % 2], category, text, date(2026, 10, 5))
    opened(branches[0], category, REPORT_SLOW[3], date(2026, 11, 5))
    finding.search(MONTH)
    assert not Theme.objects.exists()


def test_a_second_search_writes_nothing_twice(branches, category):
    for n, (branch, text) in enumerate(zip(branches, REPORT_SLOW[:3], strict=False)):
        opened(branch, category, text, date(2026, 11, 3 + n))
    finding.search(MONTH)
    again = finding.search(MONTH)
    assert Theme.objects.count() == 1 and ThemeIssue.objects.count() == 3
    assert (again.themes_proposed, again.issues_added) == (0, 0)
    assert ThemeSearch.objects.count() == 2


def test_a_new_issue_of_the_problem_joins_its_theme_whatever_was_decided(branches, category):
    for n, (branch, text) in enumerate(zip(branches, REPORT_SLOW[:3], strict=False)):
        opened(branch, category, text, date(2026, 11, 3 + n))
    finding.search(MONTH)
    theme = Theme.objects.get()
    Theme.objects.filter(pk=theme.pk).update(state=Theme.State.DISMISSED, decision="个案")
    later = opened(branches[3], category, REPORT_SLOW[3], date(2026, 11, 25))
    finding.search(MONTH)
    assert Theme.objects.count() == 1, "a dismissed problem is not proposed again"
    member = ThemeIssue.objects.get(issue=later)
    assert member.theme_id == theme.pk and not member.linked


def test_withdrawn_merged_and_old_issues_are_not_read(branches, category):
    opened(branches[0], category, REPORT_SLOW[0], date(2026, 11, 3))
    opened(branches[1], category, REPORT_SLOW[1], date(2026, 11, 3), withdrawn=True)
    survivor = opened(branches[2], category, REPORT_SLOW[2], date(2026, 11, 3))
    opened(
        branches[3],
        category,
        REPORT_SLOW[3],
        date(2026, 11, 3),
        merged_into=survivor,
        merged_at=datetime(2026, 11, 4, tzinfo=TZ),
    )
    opened(branches[1], category, REPORT_SLOW[1], MONTH - timedelta(days=200))
    search = finding.search(MONTH)
    assert search.issues_read == 2
    assert not Theme.objects.exists()


def test_issues_of_different_categories_are_not_one_problem(branches, category):
    other = FeedbackCategoryFactory()
    for n, text in enumerate(REPORT_SLOW[:3]):
        opened(branches[n], category if n < 2 else other, text, date(2026, 11, 3))
    finding.search(MONTH)
    assert not Theme.objects.exists()


def test_issues_opened_after_the_month_wait_for_its_search(branches, category):
    for n, text in enumerate(REPORT_SLOW[:3]):
        opened(branches[n], category, text, date(2026, 12, 2))
    finding.search(MONTH)
    assert not Theme.objects.exists()
    finding.search(date(2026, 12, 1))
    assert Theme.objects.get().proposed_in == date(2026, 12, 1)


def test_a_problem_decided_long_ago_keeps_collecting_its_issues(branches, category):
    """Its issues are older than the window: the new ones still join it, not a new theme."""
    old = date(2026, 3, 1)
    for n, (branch, text) in enumerate(zip(branches, REPORT_SLOW[:3], strict=False)):
        opened(branch, category, text, date(2026, 3, 3 + n))
    finding.search(old)
    theme = Theme.objects.get()
    Theme.objects.filter(pk=theme.pk).update(state=Theme.State.DISMISSED, decision="个案")
    for n, (branch, text) in enumerate(zip(branches[1:], REPORT_SLOW[1:], strict=False)):
        opened(branch, category, text, date(2026, 11, 3 + n))
    finding.search(MONTH)
    assert Theme.objects.count() == 1
    assert theme.members.count() == 6


def test_the_nightly_search_judges_yesterdays_month(monkeypatch):
    """On the 1st at night, the month just ended is searched with all its days."""
    from themes import tasks

    searched = []
    monkeypatch.setattr(tasks.finding, "search", lambda day, **kwargs: searched.append(day))
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2026, 12, 1))
    tasks.search_recurring_problems()
    assert searched == [date(2026, 11, 30)]
