"""The feedback list: scope first, then every filter narrows, at a constant query cost."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.models import Reply
from outreach.models import Activity, FeedbackItem
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    EnterpriseFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    IssueFactory,
    ReplyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("outreach:feedback_list")


@pytest.fixture
def items(world, staff_a):
    """Three opinions of branch A besides ``world.a.feedback`` (linked to an issue, replied).

    - ``open``: a problem from 厦门锅炉厂 at a visit of campaign one, 2026-03-01,
      not disposed, not replied;
    - ``closed``: an anonymous suggestion at an enterprise forum of campaign two,
      2026-03-10, closed with a reason, replied;
    - ``linked``: praise from world.a.enterprise at the same visit, 2026-03-20, linked to
      an issue, not replied.
    """
    fees = FeedbackCategoryFactory(name="收费")
    speed = FeedbackCategoryFactory(name="服务效率")
    # world.a.feedback's category comes from the factory's cycle of seeded names: keep it
    # out of the two this module filters by, whatever order the tests ran in.
    FeedbackItem.objects.filter(pk=world.a.feedback.pk).update(
        category=FeedbackCategoryFactory(name="其他")
    )
    boiler = EnterpriseFactory(branch=world.a.branch, name="厦门锅炉厂")
    second = CampaignFactory(name="第二轮")
    visit = ActivityFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        kind=Activity.Kind.VISIT,
        occurred_on=date(2026, 3, 1),
        enterprises=[boiler, world.a.enterprise],
    )
    forum = ActivityFactory(
        branch=world.a.branch,
        campaign=second,
        kind=Activity.Kind.ENTERPRISE_FORUM,
        occurred_on=date(2026, 3, 10),
    )
    open_item = FeedbackItemFactory(
        activity=visit,
        enterprise=boiler,
        category=fees,
        kind=FeedbackItem.Kind.PROBLEM,
        content="检验收费标准不透明",
        contact="王工 13800000000",
        received_on=date(2026, 3, 1),
    )
    closed_item = FeedbackItemFactory(
        activity=forum,
        anonymous=True,
        closed=True,
        category=speed,
        kind=FeedbackItem.Kind.SUGGESTION,
        content="希望开通网上预约",
        received_on=date(2026, 3, 10),
    )
    ReplyFactory(feedback_item=closed_item, replied_by=staff_a)
    linked_item = FeedbackItemFactory(
        activity=visit,
        enterprise=world.a.enterprise,
        category=speed,
        kind=FeedbackItem.Kind.PRAISE,
        content="检验员服务热情",
        contact="",
        received_on=date(2026, 3, 20),
    )
    IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        title="表扬汇总",
        feedback_items=[linked_item],
    )
    return SimpleNamespace(
        open=open_item.pk,
        closed=closed_item.pk,
        linked=linked_item.pk,
        world=world.a.feedback.pk,
        fees=fees,
        speed=speed,
        boiler=boiler,
        second=second,
        visit=visit,
    )


def listed(client, **params) -> set[int]:
    """The primary keys the list shows for ``params`` (every page)."""
    response = client.get(LIST, params)
    assert response.status_code == 200
    return {item.pk for item in response.context["filter"].qs}


@pytest.fixture
def as_staff_a(client, staff_a):
    client.force_login(staff_a)
    return client


def test_staff_lists_own_branch_opinions_only(as_staff_a, world, items):
    assert listed(as_staff_a) == {items.open, items.closed, items.linked, items.world}


def test_withdrawn_opinions_are_not_listed(as_staff_a, world, items):
    FeedbackItem.objects.filter(pk=items.open).update(
        withdrawn_at=timezone.now(), withdrawn_reason="重复录入"
    )
    assert items.open not in listed(as_staff_a)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "problem"}, {"open", "world"}),
        ({"kind": "suggestion"}, {"closed"}),
        ({"kind": "praise"}, {"linked"}),
        ({"activity_kind": "enterprise_forum"}, {"closed"}),
        ({"received_on_after": "2026-03-05"}, {"closed", "linked", "world"}),
        ({"received_on_before": "2026-03-10"}, {"open", "closed"}),
        ({"received_on_after": "2026-03-05", "received_on_before": "2026-03-15"}, {"closed"}),
        ({"disposition": "open"}, {"open"}),
        ({"disposition": "linked"}, {"linked", "world"}),
        ({"disposition": "closed"}, {"closed"}),
        ({"replied": "yes"}, {"closed", "world"}),
        ({"replied": "no"}, {"open", "linked"}),
        ({"q": "收费标准"}, {"open"}),
        ({"q": "13800000000"}, {"open"}),
        ({"q": "锅炉厂"}, {"open"}),
        ({"q": "没有这句话"}, set()),
    ],
)
def test_each_filter_narrows_the_list(as_staff_a, world, items, params, expected):
    # world.a.feedback was received a week ago (after every date above), is a problem and
    # is linked to an escalated issue with a reply.
    assert listed(as_staff_a, **params) == {getattr(items, name) for name in expected}


def test_filter_by_category(as_staff_a, world, items):
    assert listed(as_staff_a, category=items.fees.pk) == {items.open}
    speed = listed(as_staff_a, category=items.speed.pk)
    assert {items.closed, items.linked} <= speed
    assert items.open not in speed


def test_filter_by_campaign(as_staff_a, world, items):
    assert listed(as_staff_a, campaign=items.second.pk) == {items.closed}
    assert listed(as_staff_a, campaign=world.campaign.pk) == {items.open, items.linked, items.world}


def chips_of(response) -> dict[str, tuple[str, str]]:
    return {c["name"]: (c["value"], c["remove"]) for c in response.context["active_filters"]}


def test_filter_by_enterprise_shows_its_name_as_a_removable_chip(as_staff_a, world, items):
    response = as_staff_a.get(LIST, {"enterprise": items.boiler.pk, "kind": "problem"})
    assert {item.pk for item in response.context["filter"].qs} == {items.open}
    chips = chips_of(response)
    assert chips["enterprise"] == ("厦门锅炉厂", "kind=problem")  # × keeps the other filter
    assert chips["kind"] == ("问题", f"enterprise={items.boiler.pk}")
    body = response.content.decode()
    assert 'data-filter="enterprise"' in body
    assert 'href="?kind=problem"' in body


def test_every_filter_in_use_gets_a_chip(as_staff_a, world, items):
    params = {
        "q": "收费",
        "category": items.fees.pk,
        "replied": "no",
        "received_on_after": "2026-03-01",
        "sort": "received_on",
        "page": "1",
        "kind": "",
    }
    chips = chips_of(as_staff_a.get(LIST, params))
    assert {name: value for name, (value, _remove) in chips.items()} == {
        "q": "收费",
        "category": str(items.fees),
        "replied": "未答复",
        "received_on_after": "2026-03-01",
    }
    # Removing one keeps the others and the order, and goes back to page one.
    assert "page" not in chips["replied"][1] and "sort=received_on" in chips["replied"][1]
    assert "replied" not in chips["replied"][1]


def test_enterprise_of_another_branch_lists_only_what_my_branch_heard(as_staff_a, world, items):
    # The enterprise is the province's (its name is shared); B's opinions stay B's.
    response = as_staff_a.get(LIST, {"enterprise": world.b.enterprise.pk})
    assert list(response.context["filter"].qs) == []
    assert [chip["value"] for chip in response.context["active_filters"]] == [
        world.b.enterprise.name
    ]
    assert world.b.feedback.content not in response.content.decode()


def test_combined_filters_narrow_together(as_staff_a, world, items):
    assert listed(as_staff_a, category=items.speed.pk, replied="no") == {items.linked}


def test_branch_filter_is_hidden_from_branch_roles_and_cannot_widen(as_staff_a, world, items):
    response = as_staff_a.get(LIST, {"branch": world.b.branch.pk})
    assert "branch" not in response.context["filter"].form.fields
    shown = {item.pk for item in response.context["filter"].qs}
    assert world.b.feedback.pk not in shown
    assert not FeedbackItem.objects.filter(pk__in=shown, branch=world.b.branch).exists()
    assert world.b.feedback.content[:20] not in response.content.decode()


@pytest.mark.parametrize("persona", ["office", "leader", "admin_user"])
def test_provincial_roles_filter_by_branch(client, personas, world, items, persona):
    client.force_login(personas[persona])
    assert listed(client) == {
        items.open,
        items.closed,
        items.linked,
        items.world,
        world.b.feedback.pk,
    }
    response = client.get(LIST, {"branch": world.b.branch.pk})
    assert "branch" in response.context["filter"].form.fields
    assert {item.pk for item in response.context["filter"].qs} == {world.b.feedback.pk}
    assert response.context["shows_branch"]


def test_branch_filter_offers_city_branches_only(client, office, world):
    client.force_login(office)
    field = client.get(LIST).context["filter"].form.fields["branch"]
    assert set(field.queryset) == {world.a.branch, world.b.branch}


def test_staff_of_other_branch_sees_none_of_a(client, staff_b, world, items):
    client.force_login(staff_b)
    assert listed(client) == {world.b.feedback.pk}


def test_user_without_role_sees_an_empty_list(client, no_role_user, world):
    client.force_login(no_role_user)
    assert listed(client) == set()


def test_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_rows_show_what_each_opinion_is_and_where_it_stands(as_staff_a, world, items):
    body = as_staff_a.get(LIST).content.decode()
    assert "厦门锅炉厂" in body
    assert "匿名" in body  # the back-to-back suggestion
    assert "表扬汇总" in body  # the linked issue's title
    assert "表扬意见，无需整改" in body  # the closing reason
    assert "未答复" in body and "已答复" in body
    assert reverse("outreach:activity_detail", kwargs={"pk": items.visit.pk}) in body
    assert as_staff_a.get(LIST).context["shows_branch"] is False


def test_filtered_count_is_shown(as_staff_a, world, items):
    response = as_staff_a.get(LIST, {"replied": "no"})
    assert response.context["paginator"].count == 2
    body = response.content.decode()
    counter = body[body.index('data-testid="result-count"') :].split("</span>")[0]
    assert "2" in counter


def test_sorted_by_received_date_newest_first_and_back(as_staff_a, world, items):
    newest = [item.pk for item in as_staff_a.get(LIST).context["object_list"]]
    assert newest == [items.world, items.linked, items.closed, items.open]
    oldest = as_staff_a.get(LIST, {"sort": "received_on"}).context["object_list"]
    assert [item.pk for item in oldest] == [items.open, items.closed, items.linked, items.world]
    body = as_staff_a.get(LIST, {"sort": "received_on", "kind": "problem"}).content.decode()
    assert "?sort=-received_on&amp;kind=problem" in body


def test_list_is_paginated_by_25(as_staff_a, world):
    bulk_feedback(world.a.activity, 30)
    first = as_staff_a.get(LIST)
    assert len(first.context["object_list"]) == 25
    assert first.context["is_paginated"]
    second = as_staff_a.get(LIST, {"page": 2})
    assert len(second.context["object_list"]) == 31 - 25


def test_invalid_filter_value_shows_nothing_rather_than_everything(as_staff_a, world, items):
    response = as_staff_a.get(LIST, {"received_on_after": "not-a-date"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []


def bulk_feedback(activity, count: int, enterprise=None) -> None:
    """``count`` opinions at ``activity`` in one INSERT, some linked, closed or replied."""
    category = FeedbackCategoryFactory(name="其他")
    enterprise = enterprise or EnterpriseFactory(branch=activity.branch)
    issue = IssueFactory(branch=activity.branch, campaign=activity.campaign)
    built = FeedbackItemFactory.build_batch(
        count, activity=activity, enterprise=enterprise, category=category
    )
    for index, item in enumerate(built):
        if index % 3 == 1:
            item.issue = issue
        elif index % 3 == 2:
            item.closed_at, item.closed_reason = timezone.now(), "无需整改"
    FeedbackItem.objects.bulk_create(built)
    replier = UserFactory()
    replied = FeedbackItem.objects.filter(activity=activity).order_by("-id")[: count // 2]
    Reply.objects.bulk_create(
        ReplyFactory.build(feedback_item=item, replied_by=replier) for item in replied
    )


@pytest.mark.parametrize("persona", ["staff_a", "office"])
def test_list_costs_the_same_queries_at_10_and_200_rows(
    client, personas, world, persona, django_assert_num_queries
):
    client.force_login(personas[persona])
    enterprise = EnterpriseFactory(branch=world.a.branch)
    bulk_feedback(world.a.activity, 10, enterprise)
    params = {"sort": "received_on", "replied": "no", "enterprise": enterprise.pk}
    client.get(LIST, params)  # the first request after login refreshes the session
    # session, user, membership; count, page; the filter form's campaigns and categories
    # (and branches for the province); the enterprise chip; the bell's unread count.
    expected = {"staff_a": 9, "office": 10}[persona]
    with django_assert_num_queries(expected):
        client.get(LIST, params)
    bulk_feedback(world.a.activity, 190, enterprise)
    with django_assert_num_queries(expected):
        response = client.get(LIST, params)
    assert len(response.context["object_list"]) == 25
    assert response.context["paginator"].count == 200 - 200 // 2
