"""The admin's enterprise pages keep the registry's rules: a clear error, never a 500."""

import pytest
from django.urls import reverse

from outreach.models import Enterprise
from outreach.registry import enterprise_merge
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def change_data(enterprise, **changes):
    data = {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "branch": enterprise.branch_id,
        "county": enterprise.county_id or "",
        "address": enterprise.address,
        "contact_name": enterprise.contact_name,
        "contact_phone": enterprise.contact_phone,
        "withdrawn_at_0": "",
        "withdrawn_at_1": "",
        "withdrawn_by": "",
        "withdrawn_reason": "",
    }
    return {**data, **changes}


def test_renaming_to_a_namesake_in_the_county_is_refused_with_a_message(client, world, admin_user):
    other = EnterpriseFactory(branch=world.a.branch, county=world.a.county, name="宏达锅炉厂")
    client.force_login(admin_user)
    url = reverse("admin:outreach_enterprise_change", args=[other.pk])
    response = client.post(url, change_data(other, name=world.a.enterprise.name))
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    other.refresh_from_db()
    assert other.name == "宏达锅炉厂"


def test_a_rename_in_the_admin_keeps_the_name_key(client, world, admin_user):
    enterprise = world.a.enterprise
    client.force_login(admin_user)
    url = reverse("admin:outreach_enterprise_change", args=[enterprise.pk])
    response = client.post(url, change_data(enterprise, name="泉州 新名称（集团）有限公司"))
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name_key == "泉州新名称集团有限公司"


def test_a_merged_record_cannot_be_put_back_in_use_in_the_admin(client, world, admin_user, office):
    duplicate = EnterpriseFactory(branch=world.b.branch)
    enterprise_merge(actor=office, survivor=world.a.enterprise, duplicate=duplicate, reason="重复")
    duplicate.refresh_from_db()
    client.force_login(admin_user)
    url = reverse("admin:outreach_enterprise_change", args=[duplicate.pk])
    response = client.post(url, change_data(duplicate))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert Enterprise.objects.get(pk=duplicate.pk).is_withdrawn


def test_the_add_page_opens_and_adds(client, world, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:outreach_enterprise_add")
    assert client.get(url).status_code == 200
    blank = Enterprise(branch=world.a.branch, county=world.a.county, name="", uscc="")
    response = client.post(url, change_data(blank, name="新登记企业", contact_name="王"))
    assert response.status_code == 302
    assert Enterprise.objects.get(name="新登记企业").name_key == "新登记企业"
