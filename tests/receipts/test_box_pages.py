"""The online opinion box's public form (意见箱): end to end, its CSRF, challenge, ticket,
limits, and that nothing a sender writes reaches another visitor."""

import re

import pytest
from captcha.models import CaptchaStore
from django.test import Client
from django.urls import reverse

from outreach.models import Activity, Campaign, FeedbackItem
from receipts import box
from receipts.models import BoxOpinion, Receipt
from tests.factories import FeedbackCategoryFactory

pytestmark = pytest.mark.django_db

BOX = "/r/box/"
#: A valid unified social credit code (the check digit included).
VALID_USCC = "91350100M000100Y43"


def form_fields(body: str) -> dict[str, str]:
    """The hidden values a real form carries: CSRF token, ticket, challenge key."""
    fields = {}
    for name in ("csrfmiddlewaretoken", "ticket", "captcha_0"):
        match = re.search(rf'name="{name}" value="([^"]*)"', body)
        if match:
            fields[name] = match.group(1)
    return fields


def answer(key: str) -> str:
    """The challenge's answer, read where the server keeps it."""
    return CaptchaStore.objects.get(hashkey=key).response


def filled(client, branch, category, **overrides):
    """A GET of the box and the POST a person would make from it, correctly answered."""
    body = client.get(BOX).content.decode()
    fields = form_fields(body)
    data = {
        **fields,
        "branch": branch.pk,
        "category": category.pk,
        "kind": FeedbackItem.Kind.PROBLEM,
        "content": "检验报告出具太慢，希望缩短时间",
        "contact": "13800000000",
        "enterprise_name": "某某锅炉有限公司",
        "credit_code": "",
        "captcha_1": answer(fields["captcha_0"]),
    }
    data.update(overrides)
    return data


@pytest.fixture
def category(world):
    return world.a.feedback.category


def test_an_opinion_left_in_the_box_lands_on_its_receipt_page(client, world, category):
    response = client.post(BOX, filled(client, world.a.branch, category), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "检验报告出具太慢" in body
    assert 'data-testid="box-received"' in body and 'data-testid="box-qr"' in body
    shown = re.search(r'data-testid="box-code">([^<]+)<', body).group(1)
    code = response.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[-1]
    assert shown == "-".join(code[i : i + 4] for i in range(0, len(code), 4))
    item = FeedbackItem.objects.get(content="检验报告出具太慢，希望缩短时间")
    assert item.activity.kind == Activity.Kind.ONLINE_BOX
    assert item.branch == world.a.branch and item.contact == "13800000000"
    assert item.box_opinion.stated_name == "某某锅炉有限公司"
    # The "received" block is shown once: opening the link again shows the opinion only.
    again = client.get(reverse("track:receipt", args=[code])).content.decode()
    assert "检验报告出具太慢" in again and 'data-testid="box-received"' not in again


def test_the_box_page_is_public_mobile_and_kept_out_of_caches(client, world):
    response = client.get(BOX)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    # Not "no-referrer": the browser would then post the form with "Origin: null", which
    # the CSRF check refuses (tests/browser/test_online_box_phone.py posts it for real).
    assert response["Referrer-Policy"] == "same-origin"
    body = response.content.decode()
    assert '<meta name="referrer" content="same-origin">' in body
    assert 'name="viewport"' in body and 'inputmode="numeric"' in body
    assert str(world.b.branch.name) in body
    assert "/issues/" not in body and "/outreach/" not in body
    # The lookup page leads to it.
    assert BOX in client.get(reverse("track:lookup")).content.decode()


def test_the_form_offers_city_branches_and_active_categories_only(client, world, province):
    retired = FeedbackCategoryFactory(name="停用分类", is_active=False)
    body = client.get(BOX).content.decode()
    assert f'value="{province.pk}"' not in re.search(
        r'<select name="branch".*?</select>', body, re.S
    ).group(0)
    assert retired.name not in body


def test_a_closed_box_shows_no_form(client, world):
    Campaign.objects.update(starts_on="2999-01-01")
    response = client.get(BOX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="box-closed"' in body and "<textarea" not in body


def test_csrf_is_enforced(world, category):
    client = Client(enforce_csrf_checks=True)
    data = filled(client, world.a.branch, category)
    data.pop("csrfmiddlewaretoken")
    response = client.post(BOX, data)
    assert response.status_code == 403
    assert not BoxOpinion.objects.exists()
    # With its token the same form goes through.
    ok = client.post(BOX, filled(client, world.a.branch, category))
    assert ok.status_code == 302 and BoxOpinion.objects.count() == 1


@pytest.mark.parametrize("given", ["", "999", "passed"])
def test_a_wrong_or_missing_answer_records_nothing(client, world, category, given):
    data = filled(client, world.a.branch, category)
    if given == "999":
        given = str(int(data["captcha_1"]) + 1)
    data["captcha_1"] = given
    response = client.post(BOX, data)
    assert response.status_code == 400
    assert 'data-testid="captcha-error"' in response.content.decode()
    assert (
        not BoxOpinion.objects.exists()
        and not Receipt.objects.filter(activity__kind=Activity.Kind.ONLINE_BOX).exists()
    )
    if given:
        # A tried challenge is spent: the right answer sent next is refused too.
        assert not CaptchaStore.objects.filter(hashkey=data["captcha_0"]).exists()


def test_full_width_digits_answer_the_challenge(client, world, category):
    data = filled(client, world.a.branch, category)
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    data["captcha_1"] = data["captcha_1"].translate(full_width)
    assert client.post(BOX, data).status_code == 302


@pytest.mark.parametrize("ticket", ["", "garbage", "forged:ABC"])
def test_a_forged_or_missing_ticket_is_refused(client, world, category, ticket):
    data = filled(client, world.a.branch, category, ticket=ticket)
    response = client.post(BOX, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="box-errors"' in body
    # The form comes back filled, with a fresh ticket to send it again.
    assert "检验报告出具太慢" in body
    assert box.ticket_code(form_fields(body)["ticket"]) is not None
    assert not BoxOpinion.objects.exists()


def test_an_expired_ticket_is_refused(client, world, category, monkeypatch):
    data = filled(client, world.a.branch, category)
    monkeypatch.setattr(box, "TICKET_MAX_AGE", -1)
    assert client.post(BOX, data).status_code == 400
    assert not BoxOpinion.objects.exists()


def test_the_same_form_sent_twice_leaves_one_opinion(client, world, category):
    data = filled(client, world.a.branch, category)
    first = client.post(BOX, data)
    # The challenge was spent by the first; the second still finds the receipt.
    second = client.post(BOX, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert BoxOpinion.objects.count() == 1


def test_the_submissions_are_limited_per_address(client, world, category, settings, staff_a):
    settings.RECEIPT_BOX_SUBMISSIONS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(BOX, filled(client, world.a.branch, category)).status_code == 302
    refused = client.post(BOX, filled(client, world.a.branch, category))
    assert refused.status_code == 429
    assert 'data-testid="too-many"' in refused.content.decode()
    assert BoxOpinion.objects.count() == 2
    # Another address is not held back, and the staff's pages answer as usual.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(BOX, filled(other, world.a.branch, category)).status_code == 302
    staff = Client()
    staff.force_login(staff_a)
    assert staff.get(reverse("issues:my_work")).status_code == 200


def test_an_oversized_body_is_refused_before_it_is_read(client, world, category):
    data = filled(client, world.a.branch, category, content="意" * 8000)
    response = client.post(BOX, data)
    assert response.status_code == 413
    assert 'data-testid="too-large"' in response.content.decode()
    assert not BoxOpinion.objects.exists()


def test_content_over_2000_characters_is_refused_by_the_form(client, world, category):
    response = client.post(BOX, filled(client, world.a.branch, category, content="长" * 2001))
    assert response.status_code == 400
    assert not BoxOpinion.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "校验码（第18位）"), ("en", "The check character (character 18)")],
)
def test_a_bad_credit_code_is_explained_in_the_visitors_language(
    client, world, category, language, expected
):
    client.cookies["django_language"] = language
    data = filled(client, world.a.branch, category, credit_code="91350100M000100Y4X")
    response = client.post(BOX, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not BoxOpinion.objects.exists()


def test_a_registered_enterprises_credit_code_never_files_the_opinion_as_its(
    client, world, category, staff_a
):
    """Credit codes are public: on the sender's word alone the opinion is nobody's, and
    staff are shown the registered enterprise with that code to check the sender."""
    enterprise = world.a.enterprise
    data = filled(client, world.a.branch, category, credit_code=enterprise.uscc.lower())
    assert client.post(BOX, data).status_code == 302
    stated = BoxOpinion.objects.get()
    assert stated.feedback_item.enterprise is None
    assert stated.stated_uscc == enterprise.uscc
    assert not enterprise.feedback_items.filter(pk=stated.feedback_item_id).exists()
    client.force_login(staff_a)
    page = client.get(reverse("issues:feedback_detail", args=[stated.feedback_item_id]))
    hint = page.content.decode()
    assert 'data-testid="box-registered"' in hint
    assert reverse("outreach:enterprise_detail", args=[enterprise.pk]) in hint


def test_the_branchs_box_closes_for_an_hour_past_its_ceiling(client, world, category, settings):
    settings.RECEIPT_BOX_PER_BRANCH_PER_HOUR = 2
    for _ in range(2):
        assert client.post(BOX, filled(client, world.a.branch, category)).status_code == 302
    refused = client.post(BOX, filled(client, world.a.branch, category))
    assert refused.status_code == 400
    assert "过去一小时" in refused.content.decode() or "last hour" in refused.content.decode()
    assert BoxOpinion.objects.count() == 2
    # Another branch's box is still open.
    assert client.post(BOX, filled(client, world.b.branch, category)).status_code == 302


def test_an_anonymous_opinion_keeps_no_name_or_code(client, world, category):
    data = filled(client, world.a.branch, category, anonymous="on", credit_code="not even a code")
    assert client.post(BOX, data).status_code == 302
    stated = BoxOpinion.objects.get()
    assert stated.anonymous and stated.stated_name == "" and stated.stated_uscc == ""
    assert stated.feedback_item.enterprise is None


def test_a_senders_text_never_appears_on_another_receipts_page(client, world, category):
    first = client.post(BOX, filled(client, world.a.branch, category, content="甲的意见甲甲甲"))
    second = client.post(BOX, filled(client, world.a.branch, category, content="乙的意见乙乙乙"))
    other = client.get(second["Location"]).content.decode()
    assert "乙的意见乙乙乙" in other and "甲的意见甲甲甲" not in other
    assert "某某锅炉有限公司" not in client.get(first["Location"]).content.decode()
    # Nor on the staff-issued receipt of the same branch.
    staff_receipt = client.get(reverse("track:receipt", args=[world.a.receipt_code]))
    assert "甲的意见甲甲甲" not in staff_receipt.content.decode()


def test_the_challenge_pictures_are_drawn_and_limited(client, world, settings):
    settings.RECEIPT_BOX_CAPTCHAS_PER_MINUTE = 3
    key = form_fields(client.get(BOX).content.decode())["captcha_0"]
    image = client.get(f"/r/captcha/image/{key}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    refresh = client.get("/r/captcha/refresh/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert refresh.status_code == 200 and "image_url" in refresh.json()
    assert client.get(f"/r/captcha/image/{key}/").status_code == 429
    assert client.get(BOX).status_code == 429


def test_the_same_form_sent_twice_at_once_leaves_one_opinion(client, world, category, monkeypatch):
    """The other request made the receipt between this one's check and its write: the
    database refuses a second receipt with the code, and this one goes to the first's."""
    data = filled(client, world.a.branch, category)
    code = box.ticket_code(data["ticket"])
    box.box_submit(
        code=code, branch=world.a.branch, category=category, content="先到的那一份", anonymous=True
    )
    real = box.existing_receipt
    calls = []

    def not_yet_then_real(code):
        calls.append(code)
        return None if len(calls) == 1 else real(code)

    monkeypatch.setattr(box, "existing_receipt", not_yet_then_real)
    response = client.post(BOX, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("track:receipt", args=[code])
    assert len(calls) == 2
    assert BoxOpinion.objects.count() == 1
    assert not FeedbackItem.objects.filter(content="检验报告出具太慢，希望缩短时间").exists()


def test_the_landing_after_the_box_says_received_once(client, world, category):
    response = client.post(BOX, filled(client, world.a.branch, category), follow=True)
    body = response.content.decode()
    message = re.search(r'data-testid="box-received">\s*<p[^>]*>.*?</i> ([^<]+)</p>', body)[1]
    assert body.count(message.strip()) == 1
    assert 'data-testid="public-message"' not in body


def test_the_landing_after_the_box_is_not_an_opening(client, world, category):
    response = client.post(BOX, filled(client, world.a.branch, category), follow=True)
    code = response.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[-1]
    receipt = Receipt.objects.get(feedback_items__content="检验报告出具太慢，希望缩短时间")
    # The sender's own landing is no opening; opening the link later is.
    assert (receipt.opened_count, receipt.first_opened_at) == (0, None)
    client.get(reverse("track:receipt", args=[code]))
    receipt.refresh_from_db()
    assert receipt.opened_count == 1 and receipt.first_opened_at is not None


def test_unanswered_challenges_are_removed_by_the_scheduler(client, world):
    from datetime import timedelta

    from captcha.models import CaptchaStore
    from django.utils import timezone

    from receipts.tasks import remove_expired_challenges

    client.get(BOX)
    CaptchaStore.objects.update(expiration=timezone.now() - timedelta(minutes=1))
    fresh = CaptchaStore.generate_key()
    remove_expired_challenges()
    assert list(CaptchaStore.objects.values_list("hashkey", flat=True)) == [fresh]
