"""The enterprise's page: its own opinions and answers, nothing else; a wrong, revoked or
expired code all look the same; lookups are rate limited."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue, IssueEvent
from receipts.services import receipt_issue, receipt_revoke
from tests.factories import FeedbackItemFactory, IssueEventFactory, ReplyFactory

pytestmark = pytest.mark.django_db

#: Where the staff's pages live: a public page links to none of them.
STAFF_PREFIXES = (
    "/issues/",
    "/outreach/",
    "/admin/",
    "/receipts/",
    "/import/",
    "/notifications/",
    "/calendar/",
    "/dashboard/",
    "/briefing/",
    "/api/",
    "/accounts/",
)


def page(client, code):
    return client.get(reverse("track:receipt", args=[code]))


def test_the_page_shows_the_receipts_opinions_and_answers(client, world):
    response = page(client, world.a.receipt_code)
    assert response.status_code == 200
    body = response.content.decode()
    assert world.a.feedback.content in body
    assert world.a.reply.content in body
    assert world.a.enterprise.name in body


def test_the_page_never_shows_what_is_not_the_enterprises(client, world, staff_a, lead_a):
    staff_a.first_name, staff_a.last_name = "甲员", "测试"
    staff_a.save()
    issue = world.a.issue
    issue.measures = "更换报告模板"
    issue.save(update_fields=["measures"])
    IssueEventFactory(
        issue=issue, kind=IssueEvent.Kind.COMMENT, note="内部备注：勿外传", actor=lead_a
    )
    closed = FeedbackItemFactory(
        activity=world.a.activity,
        enterprise=world.a.enterprise,
        closed=True,
        closed_reason="内部理由：不予立项",
    )
    neighbour = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    ReplyFactory(
        feedback_item=world.a.feedback,
        replied_by=staff_a,
        satisfaction="not_reachable",
        content="电话无人接听的尝试",
    )
    _receipt, code = receipt_issue(
        activity=world.a.activity, enterprise=world.a.enterprise, actor=staff_a
    )
    body = page(client, code).content.decode()
    assert closed.content in body and "更换报告模板" in body
    for secret in (
        "内部备注：勿外传",
        "内部理由：不予立项",
        "电话无人接听的尝试",
        neighbour.content,
        world.b.feedback.content,
        world.b.enterprise.name,
        issue.title,
        staff_a.username,
        "测试甲员",
        staff_a.get_full_name(),
        lead_a.get_full_name(),
        lead_a.username,
    ):
        assert secret not in body, secret
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', body)
    assert hrefs
    for href in hrefs:
        assert not href.startswith(STAFF_PREFIXES), href
    assert f">{issue.pk}<" not in body


@pytest.mark.parametrize(
    ("item_setup", "word"),
    [
        ("open", "Received"),
        ("handling", "Being handled"),
        ("rectified", "Rectified"),
        ("answered", "Answered"),
    ],
)
def test_each_opinion_says_where_it_stands_in_plain_words(client, world, staff_a, item_setup, word):
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    if item_setup != "open":
        state = Issue.State.RECTIFYING if item_setup == "handling" else Issue.State.RECTIFIED
        world.a.issue.state = state
        world.a.issue.save(update_fields=["state"])
        item.issue = world.a.issue
        item.save(update_fields=["issue"])
    if item_setup == "answered":
        ReplyFactory(feedback_item=item, replied_by=staff_a)
    _receipt, code = receipt_issue(
        activity=world.a.activity, actor=staff_a, feedback_items=[item], requested=True
    )
    client.cookies["django_language"] = "en"
    body = page(client, code).content.decode()
    status = re.search(r'data-testid="public-status">([^<]*)<', body)
    assert status[1] == word


def not_found_text(response):
    """The page without what differs by request: the CSRF token and the path to return to
    after a language switch."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    return re.sub(r'name="next" value="[^"]*"', "", body)


def test_a_wrong_a_revoked_and_an_expired_code_look_the_same(client, world, lead_a, settings):
    wrong = "0" * 36
    answers = [page(client, wrong)]
    receipt_revoke(receipt=world.a.receipt, actor=lead_a)
    answers.append(page(client, world.a.receipt_code))
    settings.RECEIPT_DAYS_AFTER_LAST_ANSWER = 10
    item = world.b.feedback
    for reply in item.replies.all():
        reply.replied_on = timezone.localdate() - timedelta(days=30)
        reply.save()
    item.refresh_from_db()
    assert item.is_answered
    answers.append(page(client, world.b.receipt_code))
    answers.append(client.get(reverse("track:lookup"), {"code": "not a code"}))
    assert {response.status_code for response in answers} == {404}
    assert len({not_found_text(response) for response in answers}) == 1


def test_the_lookup_form_leads_to_the_page(client, world):
    response = client.get(reverse("track:lookup"), {"code": world.a.receipt_code.lower()})
    assert response.status_code == 302
    assert response.url == reverse("track:receipt", args=[world.a.receipt_code])


def test_lookups_beyond_the_limit_get_a_429_page_in_their_language(client, world, settings):
    settings.RECEIPT_LOOKUPS_PER_MINUTE = 3
    for _ in range(3):
        assert page(client, "0" * 36).status_code == 404
    refused = page(client, world.a.receipt_code)
    assert refused.status_code == 429
    assert "尝试次数过多" in refused.content.decode()
    client.cookies["django_language"] = "en"
    refused = page(client, world.a.receipt_code)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    # Another address is not held back.
    other = client.get(
        reverse("track:receipt", args=[world.a.receipt_code]), REMOTE_ADDR="10.9.8.7"
    )
    assert other.status_code == 200


@pytest.mark.parametrize("which", ["page", "not_found", "lookup"])
def test_public_pages_are_not_stored_referred_or_indexed(client, world, which):
    url = {
        "page": reverse("track:receipt", args=[world.a.receipt_code]),
        "not_found": reverse("track:receipt", args=["0" * 36]),
        "lookup": reverse("track:lookup"),
    }[which]
    response = client.get(url)
    assert response["Cache-Control"] == "no-store"
    # No referrer to another site; our own forms keep theirs (CSRF needs the origin).
    assert response["Referrer-Policy"] == "same-origin"
    assert 'content="same-origin"' in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]


def test_opening_the_page_is_counted(client, world):
    page(client, world.a.receipt_code)
    page(client, world.a.receipt_code)
    world.a.receipt.refresh_from_db()
    assert world.a.receipt.opened_count == 2
    assert world.a.receipt.first_opened_at is not None


def test_the_language_switch_works_for_an_anonymous_visitor(client, world):
    url = reverse("track:receipt", args=[world.a.receipt_code])
    response = client.post(reverse("set_language"), {"language": "en", "next": url}, follow=True)
    assert response.status_code == 200
    assert "Your opinions" in response.content.decode()


def test_the_page_costs_the_same_queries_with_more_opinions(client, world, staff_a):
    def queries(count):
        items = FeedbackItemFactory.create_batch(count, activity=world.a.activity, anonymous=True)
        for item in items:
            ReplyFactory(feedback_item=item, replied_by=staff_a)
        _receipt, code = receipt_issue(
            activity=world.a.activity, actor=staff_a, feedback_items=items, requested=True
        )
        with CaptureQueriesContext(connection) as captured:
            assert page(client, code).status_code == 200
        return len(captured)

    queries(1)  # the lookup counter of this address exists from here on
    assert queries(1) == queries(6)
