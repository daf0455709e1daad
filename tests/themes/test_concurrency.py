"""Two searches at once (the nightly one and the office's button), and two decisions on one
theme at once (two tabs): one theme per problem, one decision, every time.

Each runs in its own thread on its own connection, released together by a barrier. The
search serialises on an advisory lock; a decision locks the theme's row. PostgreSQL only
(SQLite serialises whole-database writes): CI runs it on PostgreSQL.
"""

from __future__ import annotations

import importlib
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.factories import BranchFactory, FeedbackCategoryFactory, IssueFactory
from tests.reference import put_back_role_groups
from themes import finding, services
from themes.models import Theme, ThemeIssue, ThemeSearch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("concurrency")]

TZ = ZoneInfo("Asia/Shanghai")
MONTH = date(2026, 11, 1)
TEXTS = [
    (
        "电梯定期检验报告出具慢",
        "企业反映电梯定期检验后报告要等二十多天才能拿到，影响使用标志更新。",
    ),
    (
        "电梯检验报告出具太慢",
        "物业公司反映电梯定期检验结束二十多天仍拿不到检验报告，使用标志无法更新。",
    ),
    ("电梯定期检验后报告迟迟不出", "小区电梯检验完二十多天报告还没出具，使用标志到期无法更换。"),
]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the locks need PostgreSQL: SQLite serialises every write")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    from django.apps import apps

    reference = importlib.import_module("outreach.migrations.0002_reference_data")
    put_back_role_groups()
    reference.seed(apps, None)


def together(*calls):
    """Run each call in its own thread, released at once; their results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except Exception as error:  # reported through the outcome
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _recurring_issues():
    category = FeedbackCategoryFactory()
    for n, (title, description) in enumerate(TEXTS):
        issue = IssueFactory(
            branch=BranchFactory(), category=category, title=title, description=description
        )
        type(issue).objects.filter(pk=issue.pk).update(
            created_at=datetime(2026, 11, 3 + n, 10, tzinfo=TZ)
        )


def test_two_searches_at_once_propose_one_theme():
    for _round in range(3):
        _recurring_issues()
    outcomes = together(*[lambda: finding.search(MONTH) for _n in range(4)])
    assert [kind for kind, _value in outcomes] == ["ok"] * 4, outcomes
    assert Theme.objects.count() == 3
    assert ThemeIssue.objects.count() == 9
    assert sum(search.themes_proposed for search in ThemeSearch.objects.all()) == 3


def test_two_adoptions_at_once_adopt_once(office, leader):
    _recurring_issues()
    finding.search(MONTH)
    theme = Theme.objects.get()
    issues = list(theme.members.values_list("issue_id", flat=True))

    def adopt(owner):
        return lambda: services.adopt(
            office,
            theme.pk,
            title=f"由{owner.username}牵头",
            owner=owner,
            deadline=timezone.localdate() + timedelta(days=30),
            decision="统一整改",
            issue_ids=issues,
        )

    outcomes = together(adopt(office), adopt(leader))
    kinds = sorted(kind for kind, _value in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ValidationError)
    theme.refresh_from_db()
    winner = next(value for kind, value in outcomes if kind == "ok")
    assert theme.owner == winner.owner and theme.title == winner.title


def test_a_merge_while_a_search_groups_loses_no_issue(office, monkeypatch):
    """The search groups outside its transaction; a merge done meanwhile is seen when it
    writes: the new issue joins the theme the merged one went into."""
    _recurring_issues()
    finding.search(MONTH)
    theme = Theme.objects.get()
    into = Theme.objects.create(
        title="检验报告出具慢",
        category=theme.category,
        proposed_in=MONTH,
        proposed_at=timezone.now(),
        found_at=timezone.now(),
    )
    later = IssueFactory(
        branch=BranchFactory(), category=theme.category, title=TEXTS[0][0], description=TEXTS[0][1]
    )
    type(later).objects.filter(pk=later.pk).update(created_at=datetime(2026, 11, 20, tzinfo=TZ))
    grouping, merged = threading.Event(), threading.Event()
    group_texts = finding.group_texts

    def slow_grouping(texts, **kwargs):
        grouping.set()
        assert merged.wait(timeout=30)
        return group_texts(texts, **kwargs)

    monkeypatch.setattr(finding, "group_texts", slow_grouping)

    def merge():
        assert grouping.wait(timeout=30)
        try:
            return services.merge(office, theme.pk, into_id=into.pk)
        finally:
            merged.set()

    outcomes = together(lambda: finding.search(MONTH), merge)
    assert [kind for kind, _value in outcomes] == ["ok", "ok"], outcomes
    assert ThemeIssue.objects.get(issue=later).theme_id == into.pk
    assert not ThemeIssue.objects.filter(theme=theme).exists()
