"""Withdrawing an opinion: with a reason, by its branch, never deleted."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from outreach.models import FeedbackItem
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


def withdraw_url(item):
    return reverse("outreach:feedback_withdraw", kwargs={"pk": item.pk})


def activity_url(item):
    return reverse("outreach:activity_detail", kwargs={"pk": item.activity_id})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def errors_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


@pytest.fixture
def item(world):
    """An opinion of branch A not yet linked to an issue."""
    return FeedbackItemFactory(activity=world.a.activity, content="重复录入的一条")


def test_staff_withdraws_an_opinion_with_a_reason(client, staff_a, item):
    client.force_login(staff_a)
    response = client.post(withdraw_url(item), {"reason": "与第3条重复"})
    assert response.status_code == 302 and response.url == activity_url(item)
    item.refresh_from_db()
    assert item.is_withdrawn
    assert item.withdrawn_by == staff_a
    assert item.withdrawn_reason == "与第3条重复"
    assert FeedbackItem.objects.filter(pk=item.pk).exists()  # kept, only withdrawn
    assert item.history.first().history_change_reason == "与第3条重复"
    assert messages_of(response) == ["意见已撤销。"]


def test_withdrawn_opinion_leaves_the_list(client, staff_a, item):
    client.force_login(staff_a)
    client.post(withdraw_url(item), {"reason": "重复"})
    listed = client.get(reverse("outreach:feedback_list")).context["filter"].qs
    assert item not in listed


def test_a_reason_is_required(client, lead_a, item):
    client.force_login(lead_a)
    response = client.post(withdraw_url(item), {"reason": "  "})
    assert response.status_code == 302 and response.url == activity_url(item)
    item.refresh_from_db()
    assert not item.is_withdrawn
    assert len(errors_of(response)) == 1


def test_an_opinion_in_an_issue_cannot_be_withdrawn(client, staff_a, world):
    client.force_login(staff_a)
    response = client.post(withdraw_url(world.a.feedback), {"reason": "误录"})
    assert response.status_code == 302
    world.a.feedback.refresh_from_db()
    assert not world.a.feedback.is_withdrawn
    assert len(errors_of(response)) == 1


def test_withdrawing_twice_says_so(client, staff_a, item):
    client.force_login(staff_a)
    client.post(withdraw_url(item), {"reason": "重复"})
    response = client.post(withdraw_url(item), {"reason": "再次"})
    assert len(errors_of(response)) == 1
    item.refresh_from_db()
    assert item.withdrawn_reason == "重复"


def test_get_is_refused(client, staff_a, item):
    client.force_login(staff_a)
    assert client.get(withdraw_url(item)).status_code == 405
    item.refresh_from_db()
    assert not item.is_withdrawn


def test_staff_of_another_branch_gets_404(client, staff_b, item):
    client.force_login(staff_b)
    assert client.post(withdraw_url(item), {"reason": "x"}).status_code == 404
    item.refresh_from_db()
    assert not item.is_withdrawn


@pytest.mark.parametrize("persona", ["leader", "no_role_user"])
def test_readers_cannot_withdraw(client, personas, item, persona):
    client.force_login(personas[persona])
    expected = {"leader": 403, "no_role_user": 404}[persona]
    assert client.post(withdraw_url(item), {"reason": "x"}).status_code == expected
    item.refresh_from_db()
    assert not item.is_withdrawn


def test_anonymous_visitor_is_sent_to_log_in(client, item):
    response = client.post(withdraw_url(item), {"reason": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
