"""The Django admin is Chinese for the provincial office, permission names included.

Django's admin ships Chinese for its own words, but not for all of them (Django 5.2's new
ones), nor for django-axes'; and the permissions' names are stored in English in the
database ("Can add feedback item"), shown as they are in the account and group forms. The
admin names permissions by the model's translated name and the action
(``core.admin.permission_name``), a role group by its role, and the missing words come from
the project's catalogue (``config/third_party_strings.py``).
"""

from __future__ import annotations

import ast
import re

import django
import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from branches.models import Membership
from core.admin import permission_label, permission_name
from outreach.models import FeedbackItem
from tests.test_page_languages import (
    ZH,
    catalogue_msgids,
    page_text,
    reference_names,
    standing_alone,
)

pytestmark = pytest.mark.django_db

DJANGO = django.__path__[0]
#: Django's English source catalogues of the apps the admin shows: every word they may
#: print, translated into Chinese by Django or not.
DJANGO_CATALOGUES = [
    f"{DJANGO}/contrib/admin/locale/en/LC_MESSAGES/django.po",
    f"{DJANGO}/contrib/auth/locale/en/LC_MESSAGES/django.po",
]
PERMISSION_NAME = re.compile(r"\bCan (add|change|delete|view)\b")
ROLE_GROUPS = list(Membership.GROUP_NAMES.values())
#: Django's yes/no icons say the value in English (alt="False") unless told otherwise.
ICON_IN_ENGLISH = re.compile(r'<img [^>]*alt="(True|False|None)"')


def po_msgids(path: str) -> set[str]:
    """The msgids (singular) of a .po file."""
    with open(path, encoding="utf-8") as po:
        text = po.read()
    msgids = set()
    for match in re.finditer(r'^msgid ((?:".*"\n)+)', text, re.M):
        msgid = "".join(ast.literal_eval(part) for part in match.group(1).split("\n") if part)
        if msgid:
            msgids.add(msgid)
    return msgids


def english_words() -> list[str]:
    """Interface strings of two words or more, without placeholders, that Django's admin,
    django-axes or the project may print: none should reach a Chinese admin page."""
    words = set(catalogue_msgids())
    for path in DJANGO_CATALOGUES:
        words |= po_msgids(path)
    return sorted(w for w in words if len(w.split()) >= 2 and not re.search(r"%|\{|<|\n", w))


def office_pages(office, world) -> list[str]:
    """Every admin page the provincial office opens: the index, each app's index, and
    each model's list, add page and a change page (where its permissions let it)."""
    request = RequestFactory().get("/admin/")
    request.user = office
    urls, apps = [reverse("admin:index")], set()
    for model, model_admin in admin.site._registry.items():
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if not model_admin.has_view_or_change_permission(request):
            continue
        apps.add(model._meta.app_label)
        urls.append(reverse(f"{base}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{base}_add"))
        row = model_admin.get_queryset(request).order_by("pk").first()
        if row is not None:
            urls.append(reverse(f"{base}_change", args=[row.pk]))
    urls += [reverse("admin:app_list", kwargs={"app_label": label}) for label in sorted(apps)]
    return urls


def chinese_page(client, url) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = ZH
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(page_text(response, ZH).text.split())


def test_the_offices_admin_pages_are_chinese(client, office, world):
    """Every admin page of the office: no English interface string, no permission or
    role group named in English, no English yes/no behind the admin's icons."""
    # The English names the office keeps are data in the admin's lists ("Provincial
    # institute", the province's English short name, is also a word of the interface).
    english_names = {en for pairs in reference_names().values() for _zh, en in pairs}
    words = [word for word in english_words() if word not in english_names]
    assert len(words) > 500
    client.force_login(office)
    found, urls = [], office_pages(office, world)
    assert len(urls) > 40
    for url in urls:
        text = chinese_page(client, url)
        found += [
            f"{url}: “{word}”"
            for word in words
            if word in text and standing_alone(word, text, chinese=False)
        ]
        found += [f"{url}: {match.group()}" for match in PERMISSION_NAME.finditer(text)]
        found += [f"{url}: group “{name}”" for name in ROLE_GROUPS if name in text]
        html = client.get(url).content.decode()
        found += [f"{url}: an icon says “{alt}”" for alt in ICON_IN_ENGLISH.findall(html)]
    assert found == [], "\n".join(found)


def test_permission_names_follow_the_language(db):
    add_opinion = Permission.objects.get(codename="add_feedbackitem")
    view_history = Permission.objects.get(codename="view_historicalfeedbackitem")
    assert add_opinion.name == "Can add opinion" or add_opinion.name.startswith("Can add")
    with translation.override("zh-hans"):
        opinion = str(FeedbackItem._meta.verbose_name)
        assert permission_name(add_opinion) == f"可以添加{opinion}"
        assert permission_name(view_history) == f"可以查看{opinion}的历史记录"
        assert permission_label(add_opinion) == f"走访活动 | {opinion} | 可以添加{opinion}"
    with translation.override("en"):
        assert permission_name(add_opinion) == "Can add opinion"
        assert permission_name(view_history) == "Can view history of opinion"


def test_a_permission_no_model_names_keeps_its_stored_name(db):
    """A permission of a model that is gone, or one of a model's own (custom) permissions
    that no translation knows, is shown as stored."""
    custom = Permission.objects.create(
        content_type=Permission.objects.get(codename="add_feedbackitem").content_type,
        codename="export_feedbackitem",
        name="Can export opinions",
    )
    with translation.override("zh-hans"):
        assert permission_name(custom) == "Can export opinions"


def test_the_group_form_names_permissions_in_chinese(client, admin_user, world):
    """The system administrator's group page: the permissions to pick are Chinese."""
    client.force_login(admin_user)
    group = Group.objects.get(name="provincial office")
    text = chinese_page(client, reverse("admin:auth_group_change", args=[group.pk]))
    assert "可以添加" in text and "可以查看" in text
    assert PERMISSION_NAME.search(text) is None
    listing = chinese_page(client, reverse("admin:auth_group_changelist"))
    assert str(Membership.Role.OFFICE.label) in listing or "省院办公室" in listing


def test_the_account_page_names_its_role_group_and_permissions_in_chinese(
    client, office, admin_user, world
):
    staff = world.a.activity.created_by
    staff.user_permissions.add(Permission.objects.get(codename="view_branch"))
    url = reverse("admin:auth_user_change", args=[staff.pk])
    for user in (office, admin_user):
        client.force_login(user)
        text = chinese_page(client, url)
        assert "分院工作人员" in text
        assert "branch staff" not in text
        assert PERMISSION_NAME.search(text) is None
    client.force_login(office)
    assert "分院 | 分院 | 可以查看分院" in chinese_page(client, url)
