"""Registering an enterprise from the visit form's picker, in a dialog: the new record, or
the one the duplicate guard finds, becomes the picker's choice."""

import pytest
from django.urls import reverse

from outreach.models import Enterprise
from tests.factories import CountyFactory

pytestmark = pytest.mark.django_db

DIALOG = reverse("outreach:enterprise_create") + "?dialog=1"


def test_the_dialog_is_the_form_alone_with_the_typed_name(client, staff_a):
    client.force_login(staff_a)
    response = client.get(DIALOG + "&name=晋江新华锅炉")
    page = response.content.decode()
    assert "<nav" not in page and "data-enterprise-dialog-form" in page
    assert 'value="晋江新华锅炉"' in page
    assert 'name="submission_key"' in page


def test_a_registration_in_the_dialog_answers_with_the_choice(client, world, staff_a):
    client.force_login(staff_a)
    county = CountyFactory(branch=world.a.branch, name="晋江市")
    response = client.post(DIALOG, {"name": "晋江新华锅炉厂", "uscc": "", "county": county.pk})
    enterprise = Enterprise.objects.get(name="晋江新华锅炉厂")
    assert response.url == reverse("outreach:enterprise_choice", args=[enterprise.pk])
    assert enterprise.branch == world.a.branch
    assert client.get(response.url).json() == {
        "id": enterprise.pk,
        "text": "晋江新华锅炉厂（晋江市）",
        "name": "晋江新华锅炉厂",
    }


def test_the_duplicate_guard_offers_the_registered_one_to_choose(client, world, staff_b):
    client.force_login(staff_b)
    existing = world.a.enterprise
    response = client.post(
        DIALOG, {"name": existing.name, "uscc": existing.uscc, "county": existing.county_id}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-choose-id="{existing.pk}"' in page
    assert "<nav" not in page
    assert Enterprise.objects.filter(name=existing.name).count() == 1


def test_the_choice_of_a_withdrawn_or_unknown_record_is_a_404(client, world, staff_a):
    client.force_login(staff_a)
    Enterprise.objects.filter(pk=world.b.enterprise.pk).update(
        withdrawn_at=world.b.enterprise.created_at, withdrawn_reason="重复"
    )
    for pk in (world.b.enterprise.pk, 999999):
        assert client.get(reverse("outreach:enterprise_choice", args=[pk])).status_code == 404


def test_the_visit_form_offers_the_dialog(client, staff_a):
    client.force_login(staff_a)
    page = client.get(reverse("outreach:activity_create", args=["visit"])).content.decode()
    assert 'id="enterprise-dialog"' in page
    assert f'data-create-url="{DIALOG}"' in page.replace("&amp;", "&")
