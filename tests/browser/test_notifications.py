"""The bell: a branch worker sees what is new, reads the list and marks it all read."""

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from notifications.services import notify
from tests.factories import PASSWORD

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_reads_notifications_under_the_bell(log_in, world, staff_a, leader, screenshot):
    world.a.notification.delete()
    notify(
        recipients=[staff_a],
        kind=Notification.Kind.INSTRUCTION,
        issue=world.a.issue,
        key_suffix=world.a.instruction.pk,
        actor=leader,
    )
    notify(
        recipients=[staff_a],
        kind=Notification.Kind.DEADLINE_SOON,
        issue=world.a.issue,
        key_suffix="soon",
        deadline=world.a.decision.deadline,
    )

    page = log_in(staff_a.username, PASSWORD)
    expect(page.get_by_test_id("notification-count")).to_have_text("2")

    page.get_by_test_id("notification-bell").click()
    items = page.get_by_test_id("notification-list")
    expect(items).to_contain_text(f"院领导对“{world.a.issue.title}”作出批示")
    expect(items).to_contain_text("即将到期")
    expect(items.locator("[data-unread]")).to_have_count(2)
    screenshot("notifications-staff-zh")

    page.get_by_test_id("mark-all-read").click()
    expect(items.locator("[data-unread]")).to_have_count(0)
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    expect(page.get_by_test_id("mark-all-read")).to_have_count(0)
