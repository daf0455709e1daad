"""Bad input gets a clear answer in the user's language and saves nothing, never a 500: the
cases seen in use, and each 500 the fuzz test (tests/fuzz) found, one test each."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.models import Reply
from outreach.models import Activity, ActivityAttachment, Enterprise
from tests.samples import PNG

pytestmark = pytest.mark.django_db

NUL_ZH = "不可见控制字符（NUL）"
NUL_EN = "invisible control character (NUL)"


def _in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def _multipart(file_name: str, content: bytes) -> tuple[bytes, str]:
    """A browser's upload of one file, written out by hand: Django's test client cuts a file
    name to 255 characters, a browser sends it whole."""
    boundary = "----OutreachBoundary7MA4YWxkTrZu0gW"
    body = (
        (
            # The one-time key every form carries (core/submissions.py).
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="submission_key"\r\n\r\n'
            f"{uuid.uuid4()}\r\n"
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


# --- a NUL character (PostgreSQL refuses it in text) -----------------------------------------


def test_a_nul_in_the_enterprise_pickers_search_is_refused_in_chinese(client, staff_a, world):
    client.force_login(staff_a)
    response = client.get(reverse("outreach:enterprise_autocomplete"), {"q": "泉州\x00"})
    assert response.status_code == 400
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert NUL_ZH in body


def test_a_nul_in_a_query_parameter_is_refused_in_english(client, staff_a, world):
    client.force_login(staff_a)
    _in_english(client)
    response = client.get(reverse("outreach:feedback_list"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert NUL_EN in response.content.decode()


def test_a_nul_in_a_form_field_saves_nothing(client, staff_a, world):
    client.force_login(staff_a)
    before = Enterprise.objects.count()
    response = client.post(
        reverse("outreach:enterprise_create"),
        {"name": "泉州\x00锅炉厂", "uscc": "", "county": world.a.county.pk, "address": "x"},
    )
    assert response.status_code == 400
    assert NUL_ZH in response.content.decode()
    assert Enterprise.objects.count() == before


def test_a_nul_in_the_path_is_refused(client, staff_a, world):
    client.force_login(staff_a)
    assert client.get("/outreach/activities/new/visit%00/").status_code == 400


def test_a_nul_in_a_file_name_is_dropped(client, staff_a, world):
    """Django's parser keeps only the printable characters of an uploaded file's name."""
    client.force_login(staff_a)
    body, content_type = _multipart("scan\x00.png", PNG)
    url = reverse("outreach:attachment_add", args=[world.a.activity.pk])
    assert client.post(url, body, content_type=content_type).status_code == 302
    assert ActivityAttachment.objects.filter(original_name="scan.png").exists()


# --- ids that are not ASCII digits, or past 64 bits ------------------------------------------


@pytest.mark.parametrize("odd", ["²", "١٢", "１２", "9223372036854775808", "-1", "1.5", ""])
def test_an_odd_opinion_id_in_a_reply_is_refused_and_saves_nothing(client, staff_a, world, odd):
    client.force_login(staff_a)
    before = Reply.objects.count()
    response = client.post(
        reverse("issues:reply_add", args=[world.a.issue.pk]),
        {
            "feedback_item": odd,
            "channel": "phone",
            "content": "已电话答复",
            "replied_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assert response.status_code == 200
    if odd:  # no id at all is the reply to every enterprise, and is saved
        assert "该意见已不属于这个问题。" in response.content.decode()
        assert Reply.objects.count() == before


@pytest.mark.parametrize("odd", ["abc", "²", "9223372036854775808"])
@pytest.mark.parametrize("field", ["enterprises", "staff"])
def test_odd_ids_in_an_activitys_pickers_are_form_errors(client, staff_a, world, field, odd):
    client.force_login(staff_a)
    before = Activity.objects.count()
    data = {
        "occurred_on": timezone.localdate().isoformat(),
        "campaign": world.campaign.pk,
        "enterprises": world.a.enterprise.pk,
        "staff": staff_a.pk,
        field: odd,
    }
    response = client.post(reverse("outreach:activity_create", args=["visit"]), data)
    assert response.status_code == 200
    assert "未保存" in response.content.decode() or "is-invalid" in response.content.decode()
    assert Activity.objects.count() == before


@pytest.mark.parametrize("odd", ["9" * 30, "1e309", "1.5", "²", "-1"])
def test_an_opinion_list_filtered_by_an_odd_enterprise_id_answers(client, staff_a, world, odd):
    client.force_login(staff_a)
    response = client.get(reverse("outreach:feedback_list"), {"enterprise": odd})
    assert response.status_code == 200


def test_a_meeting_decision_for_an_escalation_id_past_64_bits_is_a_404(client, office, world):
    client.force_login(office)
    url = reverse("issues:meeting_detail", args=[world.a.meeting.pk])
    assert client.post(url, {"rows": ["9223372036854775808"]}).status_code == 404
    assert client.post(url, {"rows": ["²"]}).status_code == 404


def test_a_back_address_that_is_not_a_path_goes_back_to_the_opinion_list(client, staff_a, world):
    client.force_login(staff_a)
    response = client.post(reverse("issues:feedback_dispose"), {"next": "9999-12-31"})
    assert response.status_code == 302
    assert response.url == reverse("outreach:feedback_list")


# --- forms Django cannot parse ---------------------------------------------------------------


def test_a_file_name_over_a_kilobyte_is_refused_with_a_chinese_message(client, staff_a, world):
    client.force_login(staff_a)
    body, content_type = _multipart("检验报告" * 300 + ".png", PNG)
    url = reverse("outreach:attachment_add", args=[world.a.activity.pk])
    before = ActivityAttachment.objects.count()
    response = client.post(url, body, content_type=content_type)
    assert response.status_code == 400
    text = response.content.decode()
    assert '<html lang="zh-hans">' in text
    assert "文件名过长" in text
    assert ActivityAttachment.objects.count() == before


def test_a_file_name_over_a_kilobyte_is_refused_with_an_english_message(client, staff_a, world):
    client.force_login(staff_a)
    _in_english(client)
    body, content_type = _multipart("a" * 1100 + ".png", PNG)
    url = reverse("outreach:attachment_add", args=[world.a.activity.pk])
    response = client.post(url, body, content_type=content_type)
    assert response.status_code == 400
    assert "a file name is too long" in response.content.decode()


def test_too_many_fields_are_refused_with_a_message(client, staff_a, world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(staff_a)
    data = {f"field{n}": "x" for n in range(20)}
    response = client.post(reverse("outreach:enterprise_create"), data)
    assert response.status_code == 400
    assert "表单过大" in response.content.decode()


def test_djangos_own_bad_request_page_is_translated(client):
    response = client.get("/", HTTP_HOST="attacker.example")  # not in ALLOWED_HOSTS
    assert response.status_code == 400
    assert "无法读取请求" in response.content.decode()


# --- the Django admin ------------------------------------------------------------------------


def test_an_admin_history_page_for_an_odd_id_is_a_404(client, admin_user, world):
    client.force_login(admin_user)
    for url in ("/admin/outreach/activity/%C2%B2/history/", "/admin/issues/issue/9x/history/"):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"occurred_on__year": "9223372036854775808"},
        {"occurred_on__year": "9999"},
        {"occurred_on__year": "2026", "occurred_on__month": "9" * 20},
    ],
)
def test_an_impossible_admin_date_step_is_answered_like_any_wrong_filter(
    client, admin_user, world, query
):
    client.force_login(admin_user)
    response = client.get("/admin/outreach/activity/", query)
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_django_axes_admin_lists_are_guarded_too(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/axes/accesslog/", {"attempt_time__year": "9" * 25})
    assert response.status_code == 302
