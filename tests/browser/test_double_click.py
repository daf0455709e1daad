"""A double click on a form's button saves once: the browser sends the form twice, the
second copy lands on the first one's result (``core.submissions``).

Seen before: every reply doubled by a double click on "reply to every enterprise" with
"only opinions without a reply" unticked. Each test also counts the POSTs the browser
sent, so it shows the double click really did send the form twice. PostgreSQL only, like
``tests/test_submitted_once_concurrently.py``; CI runs them there. A form sent without its
key (a page drawn before keys existed) is refused with a page that says so.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection  # noqa: F401  (the skip condition reads it)
from playwright.sync_api import expect

from core import submissions
from issues.models import Reply
from outreach.models import FeedbackCategory, FeedbackItem
from tests.factories import PASSWORD
from tests.issues.screens import issue_in

pytestmark = pytest.mark.django_db(transaction=True)

on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="needs PostgreSQL (set DATABASE_URL): the test database of SQLite is shared "
    "in memory, where the second copy does not wait for the first to commit",
)

#: How long the first submission takes: the second click lands while it is in flight,
#: as on a slow network (a local server answers before a person clicks twice).
SLOW_SECONDS = 1.0
#: Between the two clicks of the double click (down and up take this long each).
CLICK_DELAY_MS = 150


@pytest.fixture(autouse=True)
def _slow_server(monkeypatch):
    claim = submissions._claim

    def slow(request, key, fingerprint):
        claimed = claim(request, key, fingerprint)
        if claimed:
            time.sleep(SLOW_SECONDS)
        return claimed

    monkeypatch.setattr(submissions, "_claim", slow)


def count_posts(page, path: str) -> list:
    """The POSTs the page sends to ``path`` from now on."""
    sent: list = []

    def note(request) -> None:
        if request.method == "POST" and request.url.endswith(path):
            sent.append(request)

    page.on("request", note)
    return sent


@on_postgresql
def test_a_double_click_on_reply_to_every_enterprise_replies_once_to_each(
    log_in, live_server, world, staff_a, screenshot
):
    issue = issue_in(world, "rectified", items=3, replied=True)
    page = log_in(staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    page.get_by_test_id("reply-all-details").locator("summary").click()
    form = page.get_by_test_id("reply-form-all")
    form.get_by_label("答复方式").select_option("phone")
    form.get_by_label("答复内容").fill("整改已完成，已电话逐一告知")
    form.locator("input[name=only_unreplied]").uncheck()
    posts = count_posts(page, f"/issues/{issue.pk}/replies/")

    form.get_by_test_id("submit-reply-all").dblclick(delay=CLICK_DELAY_MS)

    page.wait_for_load_state("networkidle")
    expect(page.locator(".alert").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert len(posts) == 2, "the double click should have sent the form twice"
    replies = Reply.objects.filter(feedback_item__issue=issue)
    assert replies.count() == 3 + 3  # the three earlier replies, and one more each
    assert replies.filter(content="整改已完成，已电话逐一告知").count() == 3
    expect(page.locator("[data-testid=reply]", has_text="已电话逐一告知")).to_have_count(3)
    screenshot("double-click-reply-all")


@on_postgresql
def test_a_double_click_on_save_opinions_records_them_once(
    log_in, live_server, world, staff_a, screenshot
):
    activity = world.a.activity
    fees = FeedbackCategory.objects.get(name="收费")
    page = log_in(staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/outreach/activities/{activity.pk}/feedback/new/")
    page.get_by_test_id("add-row").click()  # a fourth row, drawn in the browser
    expect(page.locator("#id_feedback-3-content")).to_be_visible()
    for index, content in ((0, "检验收费标准不够透明"), (3, "领取发票需往返市区")):
        page.locator(f"#id_feedback-{index}-category").select_option(label=fees.name)
        page.locator(f"#id_feedback-{index}-content").fill(content)
    posts = count_posts(page, f"/outreach/activities/{activity.pk}/feedback/new/")

    page.get_by_test_id("save-feedback").dblclick(delay=CLICK_DELAY_MS)

    expect(page.get_by_test_id("activity-feedback")).to_contain_text("领取发票需往返市区")
    page.wait_for_load_state("networkidle")
    # The entry form is sent by script (static/js/kept_forms.js), which holds the second
    # click while the first is on its way; the server's one-time key stays the backstop.
    assert len(posts) == 1, "the second click of the double click is held in the browser"
    contents = ["检验收费标准不够透明", "领取发票需往返市区"]
    assert FeedbackItem.objects.filter(activity=activity, content__in=contents).count() == 2
    screenshot("double-click-opinions")


def test_a_form_without_its_key_is_refused_with_a_page_that_says_so(
    log_in, live_server, world, staff_a, screenshot
):
    """A page drawn before the keys existed: nothing is saved, and the way back is offered."""
    activity = world.a.activity
    page = log_in(staff_a.username, PASSWORD)
    entry = f"{live_server.url}/outreach/activities/{activity.pk}/feedback/new/"
    page.goto(entry)
    page.locator("#id_feedback-0-content").fill("检验收费标准不够透明")
    page.locator("input[name=submission_key]").evaluate("input => input.remove()")
    before = FeedbackItem.objects.count()

    page.get_by_test_id("save-feedback").click()

    refused = page.get_by_test_id("submission-refused")
    expect(refused).to_contain_text("未保存任何内容")
    assert FeedbackItem.objects.count() == before
    screenshot("submission-refused")
    refused.get_by_role("link").click()
    expect(page).to_have_url(entry)
