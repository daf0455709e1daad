"""A form sent after the session ended goes to the login page and back to the form; a form
sent by the page's script gets its redirect as JSON, saying whether it was saved."""

import pytest
from django.urls import reverse

from outreach.models import Activity

pytestmark = pytest.mark.django_db

FORM = reverse("outreach:activity_create", args=["visit"])
LOGIN = reverse("login")


def test_a_post_after_the_session_ended_goes_to_login_and_back_to_the_form(client, world):
    before = Activity.objects.count()
    response = client.post(
        reverse("outreach:feedback_withdraw", args=[world.a.feedback.pk]),
        {"reason": "x"},
        HTTP_REFERER=f"http://testserver{FORM}?enterprise=3",
    )
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/outreach/activities/new/visit/%3Fenterprise%3D3"
    page = client.get(response.url).content.decode()
    assert "登录已过期，刚才的内容没有保存" in page
    assert Activity.objects.count() == before


def test_a_foreign_referer_is_not_followed(client, world):
    response = client.post(FORM, {}, HTTP_REFERER="https://evil.example/x")
    assert response.url == f"{LOGIN}?next={FORM}"


def test_a_scripted_post_after_the_session_ended_is_not_saved(client, world):
    response = client.post(FORM, {}, HTTP_X_KEPT_FORM="1", HTTP_REFERER=f"http://testserver{FORM}")
    assert response.status_code == 200
    assert response.json() == {"redirect": f"{LOGIN}?next={FORM}", "saved": False}


def test_a_scripted_post_that_saved_says_so(client, world, staff_a):
    client.force_login(staff_a)
    data = {
        "campaign": world.campaign.pk,
        "occurred_on": "2026-11-20",
        "enterprises": [world.a.enterprise.pk],
        "staff": [staff_a.pk],
        "place": "",
        "title": "",
        "minutes": "",
    }
    response = client.post(FORM, data, HTTP_X_KEPT_FORM="1")
    activity = Activity.objects.latest("id")
    assert response.json() == {
        "redirect": reverse("outreach:activity_detail", args=[activity.pk]),
        "saved": True,
    }


def test_a_scripted_post_with_errors_is_the_page(client, world, staff_a):
    client.force_login(staff_a)
    response = client.post(FORM, {"campaign": ""}, HTTP_X_KEPT_FORM="1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_the_form_keeps_typed_text_per_user_and_page(client, world, staff_a):
    client.force_login(staff_a)
    page = client.get(FORM).content.decode()
    assert f'data-keep="{staff_a.pk}:{FORM}"' in page
    assert "data-keep-bound" not in page


def test_switching_language_on_the_login_page_says_nothing_of_a_session(client):
    login = reverse("login") + "?next=/"
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": login},
        HTTP_REFERER=f"http://testserver{login}",
    )
    assert response.url == login
    assert "session" not in client.get(response.url).content.decode().lower()
