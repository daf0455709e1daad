"""An enterprise's matching key is its name's, whatever writes.

``Enterprise.name_key`` (the name folded for the duplicate guard) is a copy of the name kept
in Python, because the folding (NFKC, case, punctuation) cannot be written in SQLite:
``Enterprise.save()`` and the queryset's ``update()`` compute it; an ``update()`` of the name
from an expression the code cannot fold is refused. Each path is tried: the admin's change
form, a queryset ``update()``, and the service.
"""

from __future__ import annotations

import pytest
from django.db.models import F
from django.urls import reverse

from outreach.models import Enterprise
from outreach.names import enterprise_name_key
from outreach.registry import enterprise_update
from tests.admin_forms import form_errors, post_admin_form

pytestmark = pytest.mark.django_db

NEW_NAME = "泉州 宏达（集团）有限公司"


def key_of(enterprise) -> str:
    return Enterprise.objects.values_list("name_key", flat=True).get(pk=enterprise.pk)


def test_admin_renaming_an_enterprise_folds_the_new_name(client, admin_user, world):
    client.force_login(admin_user)
    url = reverse("admin:outreach_enterprise_change", args=[world.a.enterprise.pk])
    response = post_admin_form(client, url, name=NEW_NAME)
    assert response.status_code == 302, form_errors(response)
    assert key_of(world.a.enterprise) == enterprise_name_key(NEW_NAME) == "泉州宏达集团有限公司"


def test_update_of_the_name_folds_it_too(world):
    Enterprise.objects.filter(pk=world.a.enterprise.pk).update(name=NEW_NAME)
    assert key_of(world.a.enterprise) == "泉州宏达集团有限公司"


def test_update_of_the_name_from_an_expression_is_refused(world):
    before = key_of(world.a.enterprise)
    with pytest.raises(TypeError):
        Enterprise.objects.filter(pk=world.a.enterprise.pk).update(name=F("address"))
    assert key_of(world.a.enterprise) == before


def test_saving_only_the_name_saves_its_key(world):
    enterprise = world.a.enterprise
    enterprise.name = NEW_NAME
    enterprise.save(update_fields=["name"])
    assert key_of(enterprise) == "泉州宏达集团有限公司"


def test_the_service_folds_the_new_name(world, staff_a):
    enterprise_update(actor=staff_a, enterprise=world.a.enterprise, name=NEW_NAME, uscc="")
    assert key_of(world.a.enterprise) == "泉州宏达集团有限公司"
