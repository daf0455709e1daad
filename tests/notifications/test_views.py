"""The bell, the list, opening a notification, marking all read: each person's own only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.services import membership_set
from notifications.models import Notification
from notifications.services import issue_path
from tests.factories import IssueFactory, NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:notification_list")
MARK_ALL = reverse("notifications:mark_all_read")


def open_url(notification) -> str:
    return reverse("notifications:notification_open", args=[notification.pk])


# --- the bell -----------------------------------------------------------------------------


def test_the_bell_counts_the_users_unread_notifications(client, staff_a, lead_a):
    NotificationFactory.create_batch(2, recipient=staff_a)
    NotificationFactory(recipient=staff_a, read_at=timezone.now())
    NotificationFactory(recipient=lead_a)
    client.force_login(staff_a)

    response = client.get(reverse("reports:home"))

    assert response.context["notifications_unread"]() == 2
    body = response.content.decode()
    assert 'data-testid="notification-bell"' in body
    assert 'data-testid="notification-count">2</span>' in body


def test_the_bell_shows_no_badge_when_all_is_read(client, staff_a):
    NotificationFactory(recipient=staff_a, read_at=timezone.now())
    client.force_login(staff_a)
    body = client.get(reverse("reports:home")).content.decode()
    assert 'data-testid="notification-bell"' in body
    assert 'data-testid="notification-count"' not in body


def test_the_bell_caps_its_badge_at_99(client, staff_a, issue_a):
    NotificationFactory.create_batch(100, recipient=staff_a, issue=issue_a)
    client.force_login(staff_a)
    body = client.get(LIST).content.decode()
    assert 'data-testid="notification-count">99+</span>' in body


def test_anonymous_visitors_get_no_count(client):
    response = client.get(reverse("login"))
    assert "notifications_unread" not in response.context
    assert 'data-testid="notification-bell"' not in response.content.decode()


# --- the list -----------------------------------------------------------------------------


def test_the_list_shows_the_users_own_notifications_newest_first(client, staff_a, lead_a):
    now = timezone.now()
    old = NotificationFactory(recipient=staff_a, created_at=now - timedelta(days=2))
    new = NotificationFactory(recipient=staff_a, created_at=now)
    NotificationFactory(recipient=lead_a)
    client.force_login(staff_a)

    response = client.get(LIST)

    assert list(response.context["notifications"]) == [new, old]
    assert new.message in response.content.decode()


def test_the_list_highlights_unread_notifications_and_links_them(client, staff_a):
    unread = NotificationFactory(recipient=staff_a)
    NotificationFactory(recipient=staff_a, read_at=timezone.now())
    client.force_login(staff_a)

    body = client.get(LIST).content.decode()

    assert body.count('data-unread="true"') == 1
    if issue_path(unread.issue_id):  # the issue pages are there
        assert open_url(unread) in body


def test_the_list_pages_by_25(client, staff_a, issue_a):
    NotificationFactory.create_batch(30, recipient=staff_a, issue=issue_a)
    client.force_login(staff_a)
    assert len(client.get(LIST).context["notifications"]) == 25
    assert len(client.get(LIST, {"page": 2}).context["notifications"]) == 5


def test_the_list_hides_issues_the_user_no_longer_sees(client, staff_a, branch_b):
    old_branch = NotificationFactory(recipient=staff_a)
    membership_set(user=staff_a, branch=branch_b, role="staff")
    new_branch = NotificationFactory(recipient=staff_a, issue=IssueFactory(branch=branch_b))
    client.force_login(staff_a)

    response = client.get(LIST)

    assert list(response.context["notifications"]) == [new_branch]
    assert response.context["notifications_unread"]() == 1
    assert client.get(open_url(old_branch)).status_code == 404


def test_the_list_speaks_the_readers_language(client, staff_a):
    notification = NotificationFactory(recipient=staff_a, kind=Notification.Kind.INSTRUCTION)
    client.force_login(staff_a)
    client.cookies["django_language"] = "en"
    body = client.get(LIST).content.decode()
    assert f"An institute leader wrote an instruction on “{notification.issue.title}”" in body


@pytest.mark.parametrize("rows", [10, 200])
def test_the_list_costs_the_same_queries_at_any_size(
    client, staff_a, issue_a, rows, django_assert_num_queries
):
    NotificationFactory.create_batch(rows, recipient=staff_a, issue=issue_a, actor=staff_a)
    client.force_login(staff_a)
    client.get(LIST)  # the first request after login refreshes the session
    # session, user, membership, unread count, page count, page (issue, branch, actor joined)
    with django_assert_num_queries(6):
        client.get(LIST)


# --- opening one --------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_issue(client, staff_a):
    notification = NotificationFactory(recipient=staff_a)
    client.force_login(staff_a)

    response = client.get(open_url(notification))

    notification.refresh_from_db()
    assert notification.read_at is not None
    assert response.status_code == 302
    assert response.url == (issue_path(notification.issue_id) or LIST)


def test_opening_it_again_keeps_the_first_read_time(client, staff_a):
    read_at = timezone.now() - timedelta(days=1)
    notification = NotificationFactory(recipient=staff_a, read_at=read_at)
    client.force_login(staff_a)
    client.get(open_url(notification))
    notification.refresh_from_db()
    assert notification.read_at == read_at


def test_someone_elses_notification_is_a_404_and_stays_unread(client, staff_a, lead_a):
    theirs = NotificationFactory(recipient=lead_a)
    client.force_login(staff_a)
    assert client.get(open_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- marking all read ---------------------------------------------------------------------


def test_mark_all_read_marks_only_the_users_own(client, staff_a, lead_a):
    NotificationFactory.create_batch(3, recipient=staff_a)
    theirs = NotificationFactory(recipient=lead_a)
    client.force_login(staff_a)

    response = client.post(MARK_ALL)

    assert response.status_code == 302
    assert response.url == LIST
    assert not Notification.objects.for_user(staff_a).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_is_offered_only_while_something_is_unread(client, staff_a):
    NotificationFactory(recipient=staff_a)
    client.force_login(staff_a)
    assert 'data-testid="mark-all-read"' in client.get(LIST).content.decode()
    client.post(MARK_ALL)
    assert 'data-testid="mark-all-read"' not in client.get(LIST).content.decode()


def test_mark_all_read_refuses_a_get(client, staff_a):
    NotificationFactory(recipient=staff_a)
    client.force_login(staff_a)
    assert client.get(MARK_ALL).status_code == 405
    assert Notification.objects.for_user(staff_a).unread().exists()
