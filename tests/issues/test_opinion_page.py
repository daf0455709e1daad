"""The opinion page (``issues:feedback_detail``) and its actions: a reply, closing as
unreachable; the bulk reply page for opinions ticked on a list; "my work"'s opinions.

Outside the user's scope an opinion is a 404; the province reads it, the branch acts on it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.models import Reply
from outreach.models import FeedbackItem
from tests.db_state import database_rows
from tests.factories import EnterpriseFactory, FeedbackItemFactory, IssueFactory, ReplyFactory

pytestmark = pytest.mark.django_db

S = Reply.Satisfaction


def page_url(item):
    return reverse("issues:feedback_detail", args=[item.pk])


def reply_url(item):
    return reverse("issues:feedback_reply", args=[item.pk])


def unreachable_url(item):
    return reverse("issues:feedback_close_unreachable", args=[item.pk])


BULK = reverse("issues:feedback_reply_bulk")


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def reply_data(**changes):
    return {
        "channel": "phone",
        "content": "已电话向企业说明收费依据",
        "replied_on": days_ago(0),
        "satisfaction": "satisfied",
        "seen_reply_id": 0,
        **changes,
    }


@pytest.fixture
def closed(world):
    """A praise of world A's enterprise closed with a reason, not replied yet."""
    return FeedbackItemFactory(
        activity=world.a.activity,
        enterprise=world.a.enterprise,
        kind=FeedbackItem.Kind.PRAISE,
        closed=True,
        content="检验员服务热情",
    )


# --- the page -------------------------------------------------------------------------------


def test_the_page_shows_the_opinion_its_issue_and_its_replies(client, world, staff_a):
    item = world.a.feedback  # in world A's issue, with one reply
    attempt = ReplyFactory(feedback_item=item, replied_by=staff_a, satisfaction=S.NOT_REACHABLE)
    client.force_login(staff_a)
    response = client.get(page_url(item))
    assert response.status_code == 200
    body = response.content.decode()
    assert item.content[:20] in body
    assert world.a.enterprise.name in body
    assert reverse("issues:issue_detail", args=[world.a.issue.pk]) in body
    assert reverse("outreach:activity_detail", args=[world.a.activity.pk]) in body
    assert [r.pk for r in response.context["replies"]] == [world.a.reply.pk, attempt.pk]
    assert 'data-attempt="yes"' in body and 'data-attempt="no"' in body
    assert response.context["reply_form"] is not None


@pytest.mark.parametrize("persona", ["office", "leader", "admin_user"])
def test_the_province_reads_the_page_without_forms(client, personas, persona, closed):
    client.force_login(personas[persona])
    response = client.get(page_url(closed))
    assert response.status_code == 200
    assert response.context["reply_form"] is None
    assert response.context["unreachable_form"] is None
    assert not response.context["may_dispose"]


@pytest.mark.parametrize("persona", ["staff_b", "lead_b", "no_role_user"])
def test_another_branch_gets_a_404(client, personas, persona, closed):
    client.force_login(personas[persona])
    assert client.get(page_url(closed)).status_code == 404
    assert client.post(reply_url(closed), reply_data()).status_code == 404
    assert client.post(unreachable_url(closed), {"reason": "x"}).status_code == 404
    assert not Reply.objects.filter(feedback_item=closed).exists()


def test_an_undisposed_opinion_offers_the_dispose_page(client, world, staff_a):
    item = FeedbackItemFactory(activity=world.a.activity)
    client.force_login(staff_a)
    response = client.get(page_url(item))
    assert response.context["may_dispose"]
    assert reverse("issues:feedback_dispose") in response.content.decode()


# --- replying from the page ------------------------------------------------------------------


def test_staff_reply_from_the_page_and_the_opinion_is_answered(client, closed, staff_a):
    client.force_login(staff_a)
    response = client.post(reply_url(closed), reply_data(), follow=True)
    assert response.redirect_chain[-1][0] == page_url(closed)
    reply = Reply.objects.get(feedback_item=closed)
    assert (reply.channel, reply.satisfaction, reply.replied_by) == ("phone", "satisfied", staff_a)
    assert FeedbackItem.objects.get(pk=closed.pk).is_answered


def test_an_attempt_from_the_page_leaves_the_opinion_waiting(client, closed, staff_a):
    client.force_login(staff_a)
    client.post(reply_url(closed), reply_data(satisfaction="not_reachable"))
    assert not FeedbackItem.objects.get(pk=closed.pk).is_answered
    response = client.get(page_url(closed))
    assert response.context["attempt_days"] == 1


def test_an_incomplete_reply_comes_back_with_its_errors(client, closed, staff_a):
    client.force_login(staff_a)
    before = database_rows()
    response = client.post(reply_url(closed), reply_data(content=""))
    assert response.status_code == 200
    assert response.context["reply_open"]
    assert "content" in response.context["reply_form"].errors
    assert database_rows() == before


def test_a_double_submitted_reply_is_recorded_once(client, closed, staff_a):
    client.force_login(staff_a)
    client.post(reply_url(closed), reply_data())
    client.post(reply_url(closed), reply_data())
    assert Reply.objects.filter(feedback_item=closed).count() == 1


@pytest.mark.parametrize("persona", ["office", "leader", "admin_user"])
def test_the_province_may_not_reply(client, personas, persona, closed):
    client.force_login(personas[persona])
    assert client.post(reply_url(closed), reply_data()).status_code == 403
    assert not Reply.objects.filter(feedback_item=closed).exists()


def test_a_get_on_the_actions_is_refused(client, closed, staff_a):
    client.force_login(staff_a)
    for url in (reply_url(closed), unreachable_url(closed), BULK):
        assert client.get(url).status_code == 405


# --- closing as unreachable from the page ----------------------------------------------------


def two_attempts(item, by):
    for day in (3, 1):
        ReplyFactory(
            feedback_item=item,
            replied_by=by,
            satisfaction=S.NOT_REACHABLE,
            replied_on=timezone.localdate() - timedelta(days=day),
        )


def test_the_lead_closes_as_unreachable_from_the_page(client, closed, staff_a, lead_a):
    two_attempts(closed, staff_a)
    client.force_login(lead_a)
    page = client.get(page_url(closed))
    assert page.context["unreachable_form"] is not None
    response = client.post(unreachable_url(closed), {"reason": "企业已搬迁"}, follow=True)
    assert response.redirect_chain[-1][0] == page_url(closed)
    stored = FeedbackItem.objects.get(pk=closed.pk)
    assert stored.unreachable_by == lead_a and stored.is_answered


def test_staff_see_no_closing_form_and_get_a_403(client, closed, staff_a):
    two_attempts(closed, staff_a)
    client.force_login(staff_a)
    assert client.get(page_url(closed)).context["unreachable_form"] is None
    assert client.post(unreachable_url(closed), {"reason": "企业已搬迁"}).status_code == 403
    assert FeedbackItem.objects.get(pk=closed.pk).unreachable_at is None


def test_closing_after_one_day_of_attempts_is_refused_with_a_message(client, closed, lead_a):
    ReplyFactory(feedback_item=closed, replied_by=lead_a, satisfaction=S.NOT_REACHABLE)
    client.force_login(lead_a)
    page = client.get(page_url(closed))
    assert b'data-testid="unreachable-not-yet"' in page.content
    response = client.post(unreachable_url(closed), {"reason": "企业已搬迁"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert FeedbackItem.objects.get(pk=closed.pk).unreachable_at is None


# --- one reply to opinions ticked on a list --------------------------------------------------


@pytest.fixture
def of_one_enterprise(world, closed):
    activity, enterprise = world.a.activity, world.a.enterprise
    undisposed = FeedbackItemFactory(activity=activity, enterprise=enterprise)
    linked = FeedbackItemFactory(activity=activity, enterprise=enterprise)
    IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        category=linked.category,
        feedback_items=[linked],
    )
    return [closed, undisposed, linked]


def ids(items):
    return [item.pk for item in items]


def test_ticked_opinions_are_listed_with_one_reply_form(client, staff_a, of_one_enterprise):
    client.force_login(staff_a)
    response = client.post(BULK, {"items": ids(of_one_enterprise), "next": "/outreach/feedback/"})
    assert response.status_code == 200
    assert [item.pk for item in response.context["items"]] == sorted(ids(of_one_enterprise))
    assert response.context["form"] is not None
    assert not Reply.objects.filter(feedback_item__in=of_one_enterprise).exists()


def test_one_reply_is_recorded_on_each_ticked_opinion(client, staff_a, of_one_enterprise):
    client.force_login(staff_a)
    back = "/outreach/feedback/?replied=no"
    response = client.post(
        BULK, {"items": ids(of_one_enterprise), "next": back, "action": "reply", **reply_data()}
    )
    assert response.status_code == 302 and response.url == back
    replies = Reply.objects.filter(feedback_item__in=of_one_enterprise)
    assert replies.count() == 3
    assert set(replies.values_list("content", flat=True)) == {"已电话向企业说明收费依据"}
    # The same page sent again records nothing more.
    client.post(BULK, {"items": ids(of_one_enterprise), "action": "reply", **reply_data()})
    assert replies.count() == 3


def test_opinions_of_two_enterprises_are_refused_with_a_clear_message(
    client, world, staff_a, of_one_enterprise
):
    other = FeedbackItemFactory(
        activity=world.a.activity, enterprise=EnterpriseFactory(branch=world.a.branch)
    )
    client.force_login(staff_a)
    chosen = [*ids(of_one_enterprise), other.pk]
    response = client.post(BULK, {"items": chosen, "action": "reply", **reply_data()})
    assert response.status_code == 200
    assert response.context["form"] is None
    assert len(response.context["errors"]) == 1
    assert b'data-testid="reply-error"' in response.content
    assert not Reply.objects.filter(feedback_item__in=chosen).exists()


def test_an_opinion_outside_the_scope_makes_the_bulk_page_a_404(client, world, staff_a, closed):
    client.force_login(staff_a)
    response = client.post(BULK, {"items": [closed.pk, world.b.feedback.pk]})
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["office", "leader", "admin_user", "no_role_user"])
def test_only_branch_workers_reach_the_bulk_page(client, personas, persona, closed):
    client.force_login(personas[persona])
    assert client.post(BULK, {"items": [closed.pk]}).status_code == 403


def test_the_lists_link_to_the_opinion_page_and_the_bulk_reply(client, world, staff_a, closed):
    client.force_login(staff_a)
    for url in (
        reverse("outreach:feedback_list"),
        reverse("outreach:activity_detail", args=[world.a.activity.pk]),
        reverse("outreach:enterprise_detail", args=[world.a.enterprise.pk]),
    ):
        body = client.get(url).content.decode()
        assert page_url(closed) in body, url
        assert BULK in body, url


# --- my work ----------------------------------------------------------------------------------


def test_my_work_lists_the_branchs_opinions_lacking_a_disposition_or_a_reply(
    client, world, staff_a, closed
):
    undisposed_but_replied = FeedbackItemFactory(activity=world.a.activity)
    ReplyFactory(feedback_item=undisposed_but_replied, replied_by=staff_a)
    done = FeedbackItemFactory(activity=world.a.activity, closed=True)
    ReplyFactory(feedback_item=done, replied_by=staff_a)
    client.force_login(staff_a)
    response = client.get(reverse("issues:my_work"))
    section = next(s for s in response.context["sections"] if s["key"] == "opinions")
    assert {item.pk for item in section["items"]} == {closed.pk, undisposed_but_replied.pk}
    assert page_url(closed) in response.content.decode()
