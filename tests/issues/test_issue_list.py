"""The issue list: scope first, then each filter narrows, at a constant query cost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue
from tests.clock import overdue_deadline
from tests.factories import (
    CampaignFactory,
    EscalationFactory,
    FeedbackCategoryFactory,
    IssueFactory,
)
from tests.issues.screens import issue_in

pytestmark = pytest.mark.django_db

LIST = reverse("issues:issue_list")
State = Issue.State


def listed(client, **params) -> set[int]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return {issue.pk for issue in response.context["object_list"]}


@pytest.fixture
def issues(world, staff_a, lead_a):
    """Branch A's issues besides ``world.a.issue`` (escalated, decided, no deadline):

    - ``overdue``: rectifying, deadline yesterday, responsible staff_a, category 收费公示;
    - ``fixed``: fixed on the spot (rectified, no plan), title mentions 锅炉, second campaign;
    - ``answered``: answered, deadline long past (rectified, so not overdue), lead_a;
    - ``escalated_before``: rectifying again after a decided escalation, 报告时限.
    The two categories are new ones, so the world's own issue (a seeded category) is in
    neither.
    Also one merged and one withdrawn issue of A, which no list shows.
    """
    fees = FeedbackCategoryFactory(name="收费公示")
    speed = FeedbackCategoryFactory(name="报告时限")
    yesterday = overdue_deadline()  # overdue on any day of the week
    overdue = issue_in(
        world, State.RECTIFYING, deadline=yesterday, responsible=staff_a, category=fees
    )
    fixed = issue_in(
        world,
        State.RECTIFIED,
        immediate_fix=True,
        measures="",
        responsible=None,
        deadline=None,
        title="锅炉检验报告错字",
        description="现场改正",
        campaign=CampaignFactory(name="第二轮"),
        category=speed,
    )
    answered = issue_in(
        world,
        State.ANSWERED,
        deadline=timezone.localdate() - timedelta(days=90),
        responsible=lead_a,
        category=fees,
        description="与锅炉房有关",
    )
    escalated_before = issue_in(world, State.RECTIFYING, category=speed, responsible=lead_a)
    EscalationFactory(issue=escalated_before)
    issue_in(world, State.COLLECTED, merged_into=overdue, merged_at=timezone.now(), items=0)
    issue_in(world, State.COLLECTED, withdrawn_at=timezone.now(), withdrawn_reason="重复", items=0)
    return {
        "world": world.a.issue.pk,
        "overdue": overdue.pk,
        "fixed": fixed.pk,
        "answered": answered.pk,
        "escalated_before": escalated_before.pk,
    }


def test_branch_staff_list_their_branch_only(client, world, issues, staff_a):
    client.force_login(staff_a)
    assert listed(client) == set(issues.values())


def test_provincial_roles_list_every_branch(client, world, issues, office, leader):
    for user in (office, leader):
        client.force_login(user)
        assert listed(client) == {*issues.values(), world.b.issue.pk}


def test_a_user_without_role_lists_nothing(client, world, no_role_user):
    client.force_login(no_role_user)
    assert listed(client) == set()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "锅炉"}, {"fixed", "answered"}),
        ({"state": "rectifying"}, {"overdue", "escalated_before"}),
        ({"state": "escalated"}, {"world"}),
        ({"overdue": "yes"}, {"overdue"}),
        ({"escalated": "yes"}, {"world", "escalated_before"}),
        ({"escalated": "no"}, {"overdue", "fixed", "answered"}),
        ({"immediate_fix": "yes"}, {"fixed"}),
        ({"immediate_fix": "reopened"}, set()),
        ({"immediate_fix": "no"}, {"world", "overdue", "answered", "escalated_before"}),
        # The world's escalation was decided; escalated_before's latest one was not.
        ({"provincial": "decided"}, {"world"}),
        ({"provincial": "waiting"}, {"escalated_before"}),
        ({"state": "rectifying", "escalated": "yes"}, {"escalated_before"}),
    ],
)
def test_filters_narrow_the_list(client, world, issues, staff_a, params, expected):
    client.force_login(staff_a)
    assert listed(client, **params) == {issues[name] for name in expected}


def test_a_reopened_fix_is_listed_apart_from_the_fixes(client, world, issues, staff_a):
    Issue.objects.filter(pk=issues["fixed"]).update(reopen_count=1, state=State.RECTIFYING)
    client.force_login(staff_a)
    assert listed(client, immediate_fix="yes") == set()
    assert listed(client, immediate_fix="reopened") == {issues["fixed"]}
    assert issues["fixed"] not in listed(client, immediate_fix="no")


def test_filters_by_category_responsible_and_campaign(client, world, issues, staff_a, lead_a):
    client.force_login(staff_a)
    fees = FeedbackCategoryFactory(name="收费公示")
    assert listed(client, category=fees.pk) == {issues["overdue"], issues["answered"]}
    assert listed(client, responsible=lead_a.pk) == {
        issues["answered"],
        issues["escalated_before"],
    }
    assert listed(client, responsible=staff_a.pk) == {issues["overdue"]}
    second = Issue.objects.get(pk=issues["fixed"]).campaign
    assert listed(client, campaign=second.pk) == {issues["fixed"]}
    assert issues["fixed"] not in listed(client, campaign=world.campaign.pk)


def test_only_provincial_roles_filter_by_branch(client, world, issues, staff_a, office):
    client.force_login(office)
    assert listed(client, branch=world.b.branch.pk) == {world.b.issue.pk}
    assert "branch" in client.get(LIST).context["filter"].form.fields
    client.force_login(staff_a)
    assert "branch" not in client.get(LIST).context["filter"].form.fields
    # The parameter is ignored for a branch role: it cannot widen the scope.
    assert listed(client, branch=world.b.branch.pk) == set(issues.values())


def test_responsible_choices_are_people_of_the_scope(client, world, staff_a, staff_b, lead_a):
    client.force_login(staff_a)
    field = client.get(LIST).context["filter"].form.fields["responsible"]
    assert set(field.queryset) == {staff_a, lead_a}
    # Someone of branch B is not a valid choice for staff of A.
    response = client.get(LIST, {"responsible": staff_b.pk})
    assert response.context["filter"].errors


def test_rows_show_the_overdue_badge_and_the_filter_chips(client, world, issues, staff_a):
    client.force_login(staff_a)
    response = client.get(LIST, {"overdue": "yes"})
    body = response.content.decode()
    assert body.count('data-testid="overdue"') == 1
    assert [chip["name"] for chip in response.context["active_filters"]] == ["overdue"]
    assert Issue.objects.get(pk=issues["overdue"]).title in body


def bulk_issues(world, count: int) -> None:
    """``count`` issues of branch A, each with a responsible person and a deadline."""
    staff = world.a.activity.staff.first()
    Issue.objects.bulk_create(
        IssueFactory.build(
            branch=world.a.branch,
            campaign=world.campaign,
            category=world.a.issue.category,
            state=State.RECTIFYING,
            responsible=staff,
            deadline=timezone.localdate() - timedelta(days=n % 3),
            created_by=staff,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("persona", ["staff_a", "office"])
def test_list_costs_the_same_queries_at_10_and_200_rows(client, personas, world, persona):
    client.force_login(personas[persona])
    bulk_issues(world, 9)
    params = {"state": "rectifying", "escalated": "no", "q": ""}
    client.get(LIST, params)  # the first request after login refreshes the session
    with CaptureQueriesContext(connection) as few:
        response = client.get(LIST, params)
    assert response.context["paginator"].count == 9
    bulk_issues(world, 191)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST, params)
    assert response.context["paginator"].count == 200
    assert len(response.context["object_list"]) == 25
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 15
