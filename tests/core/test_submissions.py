"""Every submission exactly once, one request after another (the races are in
``tests/test_submitted_once_concurrently.py``, on PostgreSQL).

A form's one-time key plus its content make a submission: sending it again (a double
click, a retry, the browser's "resend") does nothing more and lands where the first went,
with what the first said; a POST without a key is refused and changes nothing.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.models import SubmissionReceipt
from core.submissions import FIELD
from issues.models import Reply
from outreach.models import Activity, ActivityAttachment
from tests import samples
from tests.db_state import database_rows
from tests.issues.screens import issue_in
from tests.submissions import keyed

pytestmark = pytest.mark.django_db

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def visit_data(world, staff, **changes) -> dict:
    return {
        "campaign": world.campaign.pk,
        "occurred_on": timezone.localdate().isoformat(),
        "enterprises": [world.a.enterprise.pk],
        "staff": [staff.pk],
        "place": "晋江市",
        "title": "走访安泰锅炉",
        "minutes": "",
        **changes,
    }


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def zh(text: str) -> str:
    """``text`` as the pages say it (Chinese first)."""
    with translation.override("zh-hans"):
        return gettext(text)


def as_double_click(client) -> None:
    """Drop what the first response would have shown: a double click never shows it."""
    client.cookies.pop("messages", None)


def create_url() -> str:
    return reverse("outreach:activity_create", args=["visit"])


# --- the key in the page ------------------------------------------------------------------


def test_the_tag_draws_a_new_hidden_key_each_time():
    template = Template("{% load submissions %}{% submission_key %}{% submission_key %}")
    html = template.render(Context())
    keys = re.findall(rf'<input type="hidden" name="{FIELD}" value="({UUID})">', html)
    assert len(keys) == 2 and keys[0] != keys[1]


def test_the_form_page_carries_a_key_and_a_reload_draws_another(client, world, staff_a):
    client.force_login(staff_a)
    first = client.get(create_url()).content.decode()
    second = client.get(create_url()).content.decode()
    pattern = rf'name="{FIELD}" value="({UUID})"'
    assert re.findall(pattern, first) != re.findall(pattern, second)
    assert len(re.findall(pattern, first)) == 1


# --- a repeat -----------------------------------------------------------------------------


def test_the_same_form_sent_twice_logs_one_activity_and_both_land_on_it(client, world, staff_a):
    client.force_login(staff_a)
    data = keyed(visit_data(world, staff_a))
    first = client.post(create_url(), data)
    as_double_click(client)
    second = client.post(create_url(), data)
    activity = Activity.objects.get(title="走访安泰锅炉")
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("outreach:activity_detail", args=[activity.pk])
    # The repeat says what the first said, and that it was acted on once.
    assert texts(second) == [
        zh("Activity logged."),
        zh("This form was sent more than once; it was acted on only once."),
    ]
    receipt = SubmissionReceipt.objects.get()
    assert receipt.user == staff_a and receipt.result_url == first.url
    assert receipt.path == create_url()


def test_a_page_brought_back_and_changed_is_a_new_submission(client, world, staff_a):
    """The browser's back button restores the page with its old key: with other content,
    it is another activity, not a repeat of the first."""
    client.force_login(staff_a)
    data = keyed(visit_data(world, staff_a))
    client.post(create_url(), data)
    client.post(create_url(), {**data, "title": "回访安泰锅炉"})
    assert Activity.objects.filter(title__in=["走访安泰锅炉", "回访安泰锅炉"]).count() == 2


def test_the_same_key_from_another_user_is_their_own_submission(client, world, staff_a, lead_a):
    data = keyed(visit_data(world, staff_a))
    client.force_login(staff_a)
    client.post(create_url(), data)
    client.force_login(lead_a)
    response = client.post(create_url(), data)
    assert response.status_code == 302
    assert Activity.objects.filter(title="走访安泰锅炉").count() == 2
    assert SubmissionReceipt.objects.count() == 2


def test_a_form_with_errors_keeps_nothing_and_the_corrected_form_goes_through(
    client, world, staff_a
):
    client.force_login(staff_a)
    data = keyed(visit_data(world, staff_a, enterprises=[]))
    assert client.post(create_url(), data).status_code == 200
    assert not SubmissionReceipt.objects.exists()
    corrected = {**data, "enterprises": [world.a.enterprise.pk]}
    assert client.post(create_url(), corrected).status_code == 302
    assert client.post(create_url(), corrected).status_code == 302
    assert Activity.objects.filter(title="走访安泰锅炉").count() == 1


def test_a_repeated_refusal_shows_the_refusal_again(client, world, staff_a):
    """A repeat gets the first one's result, whatever it was: here "choose a file"."""
    client.force_login(staff_a)
    url = reverse("outreach:attachment_add", args=[world.a.activity.pk])
    data = keyed()
    client.post(url, data)
    as_double_click(client)
    repeat = client.post(url, data)
    assert repeat.url == reverse("outreach:activity_detail", args=[world.a.activity.pk])
    assert texts(repeat) == [
        zh("Choose a file to upload."),
        zh("This form was sent more than once; it was acted on only once."),
    ]


def test_the_same_file_sent_twice_is_attached_once(client, world, staff_a):
    client.force_login(staff_a)
    url = reverse("outreach:attachment_add", args=[world.a.activity.pk])
    key = keyed()[FIELD]
    before = ActivityAttachment.objects.count()
    for _ in range(2):
        upload = samples.upload("签到表.png", samples.PNG)
        assert client.post(url, keyed({"file": upload}, key=key)).status_code == 302
    assert ActivityAttachment.objects.count() == before + 1
    # Another file with the same key is another submission.
    other = samples.upload("签到表2.png", samples.PNG)
    client.post(url, keyed({"file": other}, key=key))
    assert ActivityAttachment.objects.count() == before + 2


def test_a_double_click_on_reply_to_every_enterprise_replies_once_to_each(client, world, staff_a):
    """Seen: every reply doubled, with "only opinions without a reply" unticked."""
    issue = issue_in(world, "rectified", items=3)
    client.force_login(staff_a)
    data = keyed(
        {
            "channel": "phone",
            "content": "已电话告知整改结果",
            "replied_on": timezone.localdate().isoformat(),
            "satisfaction": "satisfied",
        }
    )
    url = reverse("issues:reply_add", args=[issue.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Reply.objects.filter(feedback_item__issue=issue).count() == 3


# --- no key -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "not-a-key"])
def test_a_post_without_a_valid_key_is_refused_and_changes_nothing(world, staff_a, key):
    client = Client()  # posts exactly what it is given
    client.force_login(staff_a)
    data = visit_data(world, staff_a)
    if key is not None:
        data[FIELD] = key
    before = database_rows()
    response = client.post(create_url(), data, HTTP_REFERER="http://testserver" + create_url())
    assert response.status_code == 400
    body = response.content.decode()
    assert zh("Nothing was saved") in body
    assert (
        zh("This form came without its one-time key, so a repeat of it could not be recognised.")
        in body
    )
    assert f'href="http://testserver{create_url()}"' in body
    assert database_rows() == before


def test_the_refusal_page_never_links_to_another_site(world, staff_a):
    client = Client()
    client.force_login(staff_a)
    response = client.post(create_url(), {}, HTTP_REFERER="https://evil.example/form")
    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()


def test_a_refusal_by_scope_or_role_keeps_no_receipt(client, world, staff_b, office):
    data = keyed({"reason": "重复录入"})
    url = reverse("outreach:activity_withdraw", args=[world.a.activity.pk])
    client.force_login(staff_b)
    assert client.post(url, data).status_code == 404
    client.force_login(office)
    assert client.post(url, data).status_code == 403
    assert not SubmissionReceipt.objects.exists()


def test_a_get_passes_through_without_a_key(client, world, staff_a):
    client.force_login(staff_a)
    assert Client().get(create_url()).status_code == 302  # to the login page
    assert client.get(create_url()).status_code == 200


# --- expiry -------------------------------------------------------------------------------


def test_old_receipts_are_cleared_and_recent_ones_kept(client, world, staff_a):
    client.force_login(staff_a)
    client.post(create_url(), keyed(visit_data(world, staff_a)))
    client.post(create_url(), keyed(visit_data(world, staff_a, title="回访")))
    old, recent = SubmissionReceipt.objects.order_by("created_at")
    SubmissionReceipt.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    call_command("clear_submission_receipts")
    assert list(SubmissionReceipt.objects.values_list("pk", flat=True)) == [recent.pk]
    call_command("clear_submission_receipts", "--days", "1")
    assert SubmissionReceipt.objects.count() == 1
