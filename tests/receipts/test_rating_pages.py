"""The enterprise rates its answers on its receipt page; the branch lead follows up the
unsatisfied and "not solved" ones (the rating pages, "my work", the issue page)."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from issues.models import Issue
from notifications.models import Notification
from receipts.models import EnterpriseRating
from receipts.services import receipt_issue
from tests.factories import FeedbackItemFactory, ReplyFactory
from tests.receipts.rows import enterprise_rating, rating_post

pytestmark = pytest.mark.django_db

UNSATISFIED = EnterpriseRating.Level.UNSATISFIED
SATISFIED = EnterpriseRating.Level.SATISFIED


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def rate_url(code, number=1):
    return reverse("track:rate", args=[code, number])


def page_url(code):
    return reverse("track:receipt", args=[code])


def rate(client, code, number=1, **data):
    data.setdefault("level", str(SATISFIED))
    return client.post(rate_url(code, number), rating_post(code, number, **data))


def ratings_of(world):
    return EnterpriseRating.objects.filter(feedback_item=world.a.feedback)


# --- the public page -----------------------------------------------------------------------


def test_the_page_offers_the_five_levels_for_the_newest_answer(client, world, staff_a):
    body = client.get(page_url(world.a.receipt_code)).content.decode()
    assert body.count('data-testid="rating-form"') == 1
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert f">{label}</label>" in body
    assert f'action="{rate_url(world.a.receipt_code)}"' in body
    assert "csrfmiddlewaretoken" in body
    # Positions, not ids: the opinion's database id is nowhere in a link or a form.
    FeedbackItemFactory.create_batch(3, activity=world.b.activity)
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    ReplyFactory(feedback_item=item, replied_by=staff_a)
    _receipt, code = receipt_issue(
        activity=world.a.activity, actor=staff_a, feedback_items=[item], requested=True
    )
    body = client.get(page_url(code)).content.decode()
    assert f'action="{rate_url(code, 1)}"' in body
    assert item.pk > 1
    assert f"/{item.pk}/" not in body and f'"{item.pk}"' not in body


def test_a_rating_is_recorded_then_shown_back_with_thanks(client, world):
    code = world.a.receipt_code
    response = rate(client, code, level=str(UNSATISFIED), comment="报告还是太慢")
    assert response.status_code == 302
    assert response.url == page_url(code) + "#opinion-1"
    [rating] = ratings_of(world)
    assert (rating.level, rating.comment, rating.not_solved, rating.reply) == (
        UNSATISFIED,
        "报告还是太慢",
        False,
        world.a.reply,
    )
    body = client.get(response.url).content.decode()
    assert "谢谢" in body
    mine = re.search(r'data-testid="my-rating".*?</div>\s*</div>', body, re.DOTALL)[0]
    assert "不满意" in mine and "报告还是太慢" in body
    assert "再次评价" in body


def test_the_same_rating_twice_is_one_row_and_a_change_of_mind_a_new_one(client, world):
    code = world.a.receipt_code
    for _ in range(2):
        assert rate(client, code, level="2", comment="慢").status_code == 302
    assert ratings_of(world).count() == 1
    assert rate(client, code, level="4").status_code == 302
    assert ratings_of(world).count() == 2
    latest = ratings_of(world).get(is_latest=True)
    assert latest.level == SATISFIED
    body = client.get(page_url(code)).content.decode()
    assert 'data-testid="my-rating-level">满意<' in body


def test_not_solved_without_a_reason_is_refused_in_the_visitors_language(client, world):
    code = world.a.receipt_code
    response = rate(client, code, level="3", not_solved="on", comment="  ")
    assert response.status_code == 200
    assert not EnterpriseRating.objects.exists()
    body = response.content.decode()
    assert 'data-testid="error-comment"' in body
    assert "请说明" in body
    client.cookies["django_language"] = "en"
    response = rate(client, code, level="3", not_solved="on")
    assert "Say what is still not solved." in response.content.decode()
    assert not EnterpriseRating.objects.exists()


@pytest.mark.parametrize("level", ["", "0", "6", "满意", "2.5"])
def test_a_level_that_is_not_one_of_the_five_records_nothing(client, world, level):
    response = rate(client, world.a.receipt_code, level=level)
    assert response.status_code == 200
    assert 'data-testid="error-level"' in response.content.decode()
    assert not EnterpriseRating.objects.exists()


def test_not_solved_with_a_reason_is_recorded_and_notifies_the_leads(
    client, world, lead_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = rate(
            client, world.a.receipt_code, level="3", not_solved="on", comment="设备仍未检验"
        )
    assert response.status_code == 302
    rating = ratings_of(world).get()
    assert rating.not_solved and rating.awaits_follow_up
    note = Notification.objects.get(recipient=lead_a, kind=Notification.Kind.ENTERPRISE_RATING)
    assert note.issue == world.a.issue
    body = client.get(page_url(world.a.receipt_code)).content.decode()
    assert 'data-testid="my-rating-not-solved"' in body


def test_the_rating_form_enforces_csrf(world):
    client = Client(enforce_csrf_checks=True)
    response = rate(client, world.a.receipt_code)
    assert response.status_code == 403
    assert not EnterpriseRating.objects.exists()
    # With the page's token it goes through.
    body = client.get(page_url(world.a.receipt_code)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]
    response = rate(client, world.a.receipt_code, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert ratings_of(world).count() == 1


def not_found_body(response):
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    return re.sub(r'name="next" value="[^"]*"', "", body)


def test_a_wrong_or_revoked_code_and_a_bad_position_get_the_same_not_found(client, world, lead_a):
    from receipts.services import receipt_revoke

    answers = [rate(client, "0" * 36), rate(client, world.a.receipt_code, 2)]
    answers.append(rate(client, world.a.receipt_code, 0))
    receipt_revoke(receipt=world.a.receipt, actor=lead_a)
    answers.append(rate(client, world.a.receipt_code))
    assert {answer.status_code for answer in answers} == {404}
    assert len({not_found_body(answer) for answer in answers}) == 1
    assert not EnterpriseRating.objects.exists()


def test_an_opinion_without_an_answer_cannot_be_rated(client, world, staff_a):
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    _receipt, code = receipt_issue(
        activity=world.a.activity, actor=staff_a, feedback_items=[item], requested=True
    )
    body = client.get(page_url(code)).content.decode()
    assert 'data-testid="rating-form"' not in body
    assert rate(client, code).status_code == 404
    ReplyFactory(feedback_item=item, replied_by=staff_a)
    assert rate(client, code).status_code == 302


def test_ratings_count_against_the_lookup_limit(client, world, settings):
    settings.RECEIPT_LOOKUPS_PER_MINUTE = 2
    assert rate(client, world.a.receipt_code, level="4").status_code == 302
    assert rate(client, world.a.receipt_code, level="5").status_code == 302
    refused = rate(client, world.a.receipt_code, level="1")
    assert refused.status_code == 429
    assert ratings_of(world).count() == 2


def test_another_holders_rating_is_never_shown(client, world, staff_a):
    """Two receipts over one opinion (the enterprise's, and one issued after a merge moved
    it): each holder sees back only what it said itself."""
    code = world.a.receipt_code
    rate(client, code, level="1", comment="只给自己看的评论")
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    ReplyFactory(feedback_item=item, replied_by=staff_a)
    _receipt, other = receipt_issue(
        activity=world.a.activity, actor=staff_a, feedback_items=[item], requested=True
    )
    body = client.get(page_url(other)).content.decode()
    assert "只给自己看的评论" not in body
    assert 'data-testid="my-rating"' not in body


def test_a_reissued_receipt_shows_the_holders_earlier_rating(client, world, staff_a):
    from receipts.services import receipt_reissue

    rate(client, world.a.receipt_code, level="2", comment="之前的评价")
    _new, code = receipt_reissue(receipt=world.a.receipt, actor=staff_a)
    body = client.get(page_url(code)).content.decode()
    assert "之前的评价" in body


# --- the staff's pages ---------------------------------------------------------------------


def test_the_list_is_scoped_and_filtered(client, world, staff_b, office, lead_a):
    rating_a = enterprise_rating(world.a)
    rating_b = enterprise_rating(world.b)
    client.force_login(lead_a)
    body = client.get(reverse("receipts:rating_list")).content.decode()
    assert f'data-pk="{rating_a.pk}"' in body and f'data-pk="{rating_b.pk}"' not in body
    client.force_login(office)
    body = client.get(reverse("receipts:rating_list")).content.decode()
    assert f'data-pk="{rating_a.pk}"' in body and f'data-pk="{rating_b.pk}"' in body
    client.force_login(staff_b)
    assert client.get(reverse("receipts:rating_detail", args=[rating_a.pk])).status_code == 404
    # Followed up: gone from "awaiting", still in "negative" and "all".
    EnterpriseRating.objects.filter(pk=rating_a.pk).update(
        followed_up_at=rating_a.rated_at, followed_up_by=lead_a, follow_up="noted"
    )
    client.force_login(lead_a)
    for show, shown in (("awaiting", False), ("negative", True), ("all", True)):
        body = client.get(reverse("receipts:rating_list"), {"show": show}).content.decode()
        assert (f'data-pk="{rating_a.pk}"' in body) is shown, show


def test_a_note_follows_a_rating_up_only_by_the_branch_lead(client, world, staff_a, lead_a):
    rating = enterprise_rating(world.a)
    url = reverse("receipts:rating_follow_up", args=[rating.pk])
    client.force_login(staff_a)
    page = client.get(reverse("receipts:rating_detail", args=[rating.pk])).content.decode()
    assert 'data-testid="form-follow-up"' not in page
    assert client.post(url, {"note": "已沟通"}).status_code == 403
    client.force_login(lead_a)
    page = client.get(reverse("receipts:rating_detail", args=[rating.pk])).content.decode()
    assert 'data-testid="form-follow-up"' in page
    assert 'data-testid="form-reopen"' not in page  # the issue is not answered
    response = client.post(url, {"note": "已上门沟通，约定下周出具"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.follow_up, rating.followed_up_by) == ("noted", lead_a)


def test_an_empty_note_is_refused(client, world, lead_a):
    rating = enterprise_rating(world.a)
    client.force_login(lead_a)
    response = client.post(reverse("receipts:rating_follow_up", args=[rating.pk]), {"note": " "})
    assert response.status_code == 200
    rating.refresh_from_db()
    assert rating.followed_up_at is None


def test_the_lead_reopens_the_answered_issue_from_the_rating_page(
    client, world, lead_a, django_capture_on_commit_callbacks
):
    rating = enterprise_rating(world.a)
    issue = world.a.issue
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.ANSWERED)
    client.force_login(lead_a)
    page = client.get(reverse("receipts:rating_detail", args=[rating.pk])).content.decode()
    assert 'data-testid="form-reopen"' in page
    action = reverse("issues:issue_transition", args=[issue.pk, "reopen"])
    assert f'action="{action}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action,
            {"expected_state": "answered", "note": "企业称仍未解决"},
        )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == Issue.State.RECTIFYING
    rating.refresh_from_db()
    assert rating.follow_up == EnterpriseRating.FollowUp.REOPENED
    assert rating.followed_up_by == lead_a
    page = client.get(reverse("receipts:rating_detail", args=[rating.pk])).content.decode()
    assert 'data-testid="followed-up"' in page


def test_the_issue_and_opinion_pages_show_the_complaint(client, world, lead_a, staff_a):
    rating = enterprise_rating(world.a)
    Issue.objects.filter(pk=world.a.issue.pk).update(state=Issue.State.ANSWERED)
    client.force_login(lead_a)
    body = client.get(reverse("issues:issue_detail", args=[world.a.issue.pk])).content.decode()
    assert 'data-testid="enterprise-complaint"' in body
    assert 'data-testid="action-reopen"' in body
    assert "报告还是拿不到" in body
    assert reverse("receipts:rating_detail", args=[rating.pk]) in body
    body = client.get(reverse("issues:feedback_detail", args=[world.a.feedback.pk])).content
    assert b'data-testid="enterprise-rating"' in body
    # Followed up: the complaint leaves the issue page, the rating stays on the opinion.
    client.force_login(lead_a)
    client.post(
        reverse("receipts:rating_follow_up", args=[rating.pk]),
        {"note": "已处理"},
    )
    body = client.get(reverse("issues:issue_detail", args=[world.a.issue.pk])).content.decode()
    assert 'data-testid="enterprise-complaint"' not in body
    assert 'data-testid="enterprise-rating"' in body


def test_my_work_of_the_lead_lists_the_ratings_awaiting_follow_up(client, world, lead_a, staff_a):
    rating = enterprise_rating(world.a)
    client.force_login(lead_a)
    response = client.get(reverse("issues:my_work"))
    sections = {section["key"]: section for section in response.context["sections"]}
    assert [r.pk for r in sections["enterprise_ratings"]["items"]] == [rating.pk]
    assert reverse("receipts:rating_detail", args=[rating.pk]) in response.content.decode()
    client.force_login(staff_a)
    response = client.get(reverse("issues:my_work"))
    assert "enterprise_ratings" not in {s["key"] for s in response.context["sections"]}


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_rating_list_and_my_work_cost_the_same_for_one_row_or_many(
    client, world, lead_a, staff_a
):
    enterprise_rating(world.a)
    client.force_login(lead_a)
    urls = [reverse("receipts:rating_list"), reverse("issues:my_work")]
    urls.append(reverse("receipts:rating_list") + "?show=all")
    client.get(urls[0])  # the session's first request reads more
    few = [_count_queries(client, url) for url in urls]
    for _ in range(5):
        item = FeedbackItemFactory(activity=world.a.activity, enterprise=world.a.enterprise)
        EnterpriseRating.objects.create(
            receipt=world.a.receipt,
            feedback_item=item,
            reply=ReplyFactory(feedback_item=item, replied_by=staff_a),
            level=1,
        )
    many = [_count_queries(client, url) for url in urls]
    assert many == few


# --- limits and what the form names --------------------------------------------------------


def test_an_opinion_rated_too_often_today_is_refused_in_the_visitors_language(
    client, world, settings
):
    settings.RECEIPT_RATINGS_PER_OPINION_PER_DAY = 2
    code = world.a.receipt_code
    assert rate(client, code, level="4").status_code == 302
    assert rate(client, code, level="2").status_code == 302
    refused = rate(client, code, level="1", comment="再试一次")
    assert refused.status_code == 429
    assert "次数过多" in refused.content.decode()
    client.cookies["django_language"] = "en"
    refused = rate(client, code, level="5")
    assert "rated too many times today" in refused.content.decode()
    assert ratings_of(world).count() == 2
    assert ratings_of(world).get(is_latest=True).level == 2


def test_a_rating_body_over_the_limit_is_refused_before_it_is_read(world):
    from urllib.parse import urlencode

    code = world.a.receipt_code

    def post(client, comment):
        # As a browser sends the form: percent-encoded, 9 bytes a Chinese character.
        body = urlencode(rating_post(code, level="2", comment=comment))
        return client.post(rate_url(code), body, "application/x-www-form-urlencoded")

    # Refused before the CSRF check reads the form: a 413, not a 403.
    response = post(Client(enforce_csrf_checks=True), "评" * 1400)
    assert response.status_code == 413
    assert 'data-testid="too-large"' in response.content.decode()
    assert not EnterpriseRating.objects.exists()
    # The longest comment the form takes, in Chinese, fits.
    assert post(Client(), "评" * 1000).status_code == 302
    assert ratings_of(world).get().comment == "评" * 1000


def test_the_form_names_its_opinion_and_answer_by_an_opaque_token(client, world):
    body = client.get(page_url(world.a.receipt_code)).content.decode()
    token = re.search(r'name="answer" value="([^"]+)"', body)[1]
    # A signature alone: no value in front of it (a signed dump would carry the ids).
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", token)


def _two_answered_opinions(world, staff_a):
    items = [
        FeedbackItemFactory(activity=world.a.activity, anonymous=True, content=f"意见{n}")
        for n in (1, 2)
    ]
    for item in items:
        ReplyFactory(feedback_item=item, replied_by=staff_a)
    _receipt, code = receipt_issue(
        activity=world.a.activity, actor=staff_a, feedback_items=items, requested=True
    )
    return items, code


def page_token(client, code, number):
    body = client.get(page_url(code)).content.decode()
    form = re.search(rf'id="opinion-{number}".*?</form>', body, re.DOTALL)[0]
    return re.search(r'name="answer" value="([^"]+)"', form)[1]


def test_a_rating_never_lands_on_another_opinion_after_a_withdrawal(client, world, staff_a):
    from django.utils import timezone

    from outreach.models import FeedbackItem

    items, code = _two_answered_opinions(world, staff_a)
    token = page_token(client, code, 1)
    FeedbackItem.objects.filter(pk=items[0].pk).update(
        withdrawn_at=timezone.now(), withdrawn_reason="重复录入"
    )
    # The page showed opinion 1; place 1 is now the second opinion.
    response = client.post(rate_url(code, 1), {"level": "1", "answer": token})
    assert response.status_code == 409
    assert 'data-testid="public-notice"' in response.content.decode()
    assert "变化" in response.content.decode()
    assert not EnterpriseRating.objects.exists()
    # Read again, the page's new token rates the opinion now at that place.
    token = page_token(client, code, 1)
    assert client.post(rate_url(code, 1), {"level": "1", "answer": token}).status_code == 302
    assert EnterpriseRating.objects.get().feedback_item == items[1]


def test_a_rating_never_lands_on_an_answer_the_page_did_not_show(client, world, staff_a):
    items, code = _two_answered_opinions(world, staff_a)
    token = page_token(client, code, 2)
    ReplyFactory(feedback_item=items[1], replied_by=staff_a, content="新的答复")
    client.cookies["django_language"] = "en"
    response = client.post(rate_url(code, 2), {"level": "2", "answer": token})
    assert response.status_code == 409
    body = response.content.decode()
    assert "The answers changed since you opened the page" in body
    assert "新的答复" in body
    assert not EnterpriseRating.objects.exists()


@pytest.mark.parametrize("token", [None, "", "forged", "1:1"])
def test_a_missing_or_forged_token_records_nothing(client, world, token):
    data = {"level": "4"} if token is None else {"level": "4", "answer": token}
    response = client.post(rate_url(world.a.receipt_code), data)
    assert response.status_code == 409
    assert not EnterpriseRating.objects.exists()


def test_the_lead_cannot_follow_up_a_rating_the_enterprise_replaced(client, world, lead_a):
    older = enterprise_rating(world.a)
    rate(client, world.a.receipt_code, level="1", comment="更不满意")
    client.force_login(lead_a)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("receipts:rating_follow_up", args=[older.pk]), {"note": "已沟通"}, follow=True
    )
    assert "its later rating is the one to follow up" in response.content.decode()
    older.refresh_from_db()
    assert older.followed_up_at is None
