"""notifications.services: each key once, one email each in Chinese, marking read."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from notifications import services
from notifications.models import Notification
from notifications.services import Draft, deliver, email_pending, mark_read, notify
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def test_notify_creates_one_notification_per_recipient_and_key(
    issue_a, staff_a, lead_a, mailoutbox
):
    first = notify(recipients=[staff_a, lead_a], kind=Kind.ESCALATION, issue=issue_a, key_suffix=7)
    again = notify(recipients=[staff_a, lead_a], kind=Kind.ESCALATION, issue=issue_a, key_suffix=7)

    assert {n.recipient_id for n in first} == {staff_a.pk, lead_a.pk}
    assert again == []
    assert Notification.objects.count() == 2
    assert len(mailoutbox) == 2
    assert Notification.objects.get(recipient=staff_a).dedupe_key == (
        f"escalation:{issue_a.pk}:{staff_a.pk}:7"
    )


def test_a_new_event_on_the_same_issue_is_a_new_notification(issue_a, staff_a):
    notify(recipients=[staff_a], kind=Kind.INSTRUCTION, issue=issue_a, key_suffix=1)
    notify(recipients=[staff_a], kind=Kind.INSTRUCTION, issue=issue_a, key_suffix=2)
    assert Notification.objects.filter(recipient=staff_a).count() == 2


def test_repeated_drafts_in_one_call_make_one_notification(issue_a, staff_a):
    draft = Draft(recipient_id=staff_a.pk, kind=Kind.OVERDUE, issue_id=issue_a.pk, key_suffix="x")
    assert len(deliver([draft, draft])) == 1


def test_the_email_is_in_chinese_with_title_branch_deadline_and_link(
    issue_a, lead_a, mailoutbox, settings
):
    settings.OUTREACH_SITE_URL = "https://outreach.example.org/"
    with translation.override("en"):  # whatever the sender's language
        notify(
            recipients=[lead_a],
            kind=Kind.RESPONSIBLE,
            issue=issue_a,
            key_suffix=1,
            deadline=date(2026, 4, 30),
        )

    (email,) = mailoutbox
    assert email.subject == f"被指定为责任人：{issue_a.title}"
    assert f"您被指定为“{issue_a.title}”的整改责任人" in email.body
    assert "分院：泉州分院" in email.body
    assert "2026年4月30日" in email.body
    path = services.issue_path(issue_a.pk)
    if path:  # the issue pages are there
        assert f"https://outreach.example.org{path}" in email.body


def test_people_without_an_email_address_get_the_notification_only(issue_a, mailoutbox):
    no_address = UserFactory(email="")
    (notification,) = notify(
        recipients=[no_address], kind=Kind.DECISION, issue=issue_a, key_suffix=1
    )
    assert mailoutbox == []
    assert notification.emailed_at is None


def test_a_failed_email_is_kept_for_the_next_run(issue_a, staff_a, lead_a, monkeypatch):
    real_send = mail.send_mail

    def failing_for_staff(subject, body, sender, to, **kwargs):
        if to == [staff_a.email]:
            raise OSError("mail server down")
        return real_send(subject, body, sender, to, **kwargs)

    monkeypatch.setattr(mail, "send_mail", failing_for_staff)
    notify(recipients=[staff_a, lead_a], kind=Kind.INSTRUCTION, issue=issue_a, key_suffix=1)
    assert [m.to for m in mail.outbox] == [[lead_a.email]]
    assert Notification.objects.get(recipient=staff_a).emailed_at is None

    monkeypatch.setattr(mail, "send_mail", real_send)
    assert email_pending(since=timezone.now() - timedelta(days=1)) == 1
    assert [m.to for m in mail.outbox] == [[lead_a.email], [staff_a.email]]
    assert email_pending(since=timezone.now() - timedelta(days=1)) == 0


def test_the_message_is_written_in_the_readers_language(issue_a):
    notification = NotificationFactory(issue=issue_a, kind=Kind.OVERDUE, deadline=date(2026, 3, 1))
    with translation.override("en"):
        assert notification.message == (
            f"“{issue_a.title}” is overdue: it was due on March 1, 2026 and is not rectified yet."
        )
    with translation.override("zh-hans"):
        assert notification.message == (
            f"“{issue_a.title}”已逾期：整改时限为2026年3月1日，至今尚未整改完成。"
        )


@pytest.mark.parametrize("kind", Notification.Kind.values)
def test_every_kind_has_a_message(issue_a, kind):
    notification = NotificationFactory(issue=issue_a, kind=kind)
    assert issue_a.title in notification.message


def test_mark_read_marks_only_the_users_own_notifications(staff_a, lead_a):
    mine = NotificationFactory.create_batch(2, recipient=staff_a)
    theirs = NotificationFactory(recipient=lead_a)

    assert mark_read(user=staff_a, ids=[mine[0].pk, theirs.pk]) == 1
    assert Notification.objects.for_user(staff_a).unread().get() == mine[1]
    assert Notification.objects.for_user(lead_a).unread().get() == theirs

    assert mark_read(user=staff_a) == 1
    assert not Notification.objects.for_user(staff_a).unread().exists()
    assert Notification.objects.for_user(lead_a).unread().exists()
