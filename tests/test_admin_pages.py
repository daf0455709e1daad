"""Every admin add, change and history page of every registered model answers, and saves.

The pages are found from ``admin.site._registry``, so a model registered later is covered
without editing this file (and the add-form table below must name it). Each page is opened
as the system administrator and as the provincial office: 200 where the model admin grants
the permission, a clean 403 where it does not, never a 500. Every change page is posted back
unchanged and must save; every add page a person may use is posted filled in and the row
must be there afterwards. Nothing people entered can be deleted from the admin.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from branches.models import Branch, County, Liaison, Membership
from issues.models import Issue, ProvincialMeeting, Reply
from outreach.models import (
    Activity,
    Campaign,
    Enterprise,
    EquipmentClass,
    FeedbackCategory,
    FeedbackItem,
)
from tests.admin_forms import form_errors, form_values, post_admin_form
from tests.db_state import database_rows
from tests.factories import ScheduledYearFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
PEOPLE = ("admin_user", "office")

#: Models whose rows the admin may delete: configuration and log records, none of them
#: something a person recorded about the campaign (those are withdrawn with a reason).
DELETABLE = {
    "auth.Group",
    "branches.Liaison",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
}


def url_name(model, page: str) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"


def as_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.fixture
def rows(world, admin_user):
    """``world`` plus one row of each registered model it does not make."""
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        fields = {"user_agent": "pytest", "ip_address": "10.0.0.1", "username": "someone"}
        fields.update({"http_accept": "*/*", "path_info": "/accounts/login/"})
        if model is AccessAttempt:
            fields.update(get_data="", post_data="", failures_since_start=1)
        model.objects.create(**fields)
    ScheduledYearFactory(entered_by=admin_user)
    return world


def an_object(model, user):
    """The first row of ``model`` the user's admin list shows."""
    model_admin = admin.site._registry[model]
    return model_admin.get_queryset(as_request(user)).order_by("pk").first()


# --- every page opens -----------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_add_page_opens_or_is_refused_cleanly(client, personas, rows, model, person):
    user = personas[person]
    client.force_login(user)
    allowed = admin.site._registry[model].has_add_permission(as_request(user))
    response = client.get(reverse(url_name(model, "add")))
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_change_and_history_pages_open_or_are_refused_cleanly(
    client, personas, rows, model, person
):
    user = personas[person]
    client.force_login(user)
    model_admin = admin.site._registry[model]
    obj = an_object(model, user) or an_object(model, personas["admin_user"])
    assert obj is not None, f"make a {model._meta.label} row in the rows fixture"
    allowed = model_admin.has_view_or_change_permission(as_request(user), obj)
    for page in ("change", "history"):
        response = client.get(reverse(url_name(model, page), args=[obj.pk]))
        assert response.status_code == (200 if allowed else 403), page


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_change_page_saves_what_it_shows(client, personas, rows, model, person):
    """Posting a change page back unchanged saves (or is refused when it may only be read)."""
    user = personas[person]
    client.force_login(user)
    obj = an_object(model, user)
    if obj is None or not admin.site._registry[model].has_change_permission(as_request(user), obj):
        pytest.skip("this person may not change these rows")
    response = post_admin_form(client, reverse(url_name(model, "change"), args=[obj.pk]))
    assert response.status_code == 302, form_errors(response)


def test_nothing_people_entered_can_be_deleted_from_the_admin(client, rows, admin_user):
    client.force_login(admin_user)
    request = as_request(admin_user)
    for model in MODELS:
        model_admin = admin.site._registry[model]
        if model._meta.label in DELETABLE:
            continue
        obj = an_object(model, admin_user)
        assert not model_admin.has_delete_permission(request, obj), model._meta.label
        assert "delete_selected" not in model_admin.get_actions(request), model._meta.label
        response = client.get(reverse(url_name(model, "delete"), args=[obj.pk]))
        assert response.status_code == 403, model._meta.label


# --- every add page a person uses saves a row -------------------------------------------

TODAY = timezone.localdate


def _membership(rows, user):
    newcomer = UserFactory(username="newcomer")
    fields = {"user": newcomer.pk, "branch": rows.a.branch.pk, "role": "staff"}
    return (
        fields | {"job_title": "检验员", "phone": "0595-1234"},
        lambda: (
            Membership.objects.filter(user=newcomer, role="staff", phone="0595-1234").exists()
            and newcomer.groups.filter(name="branch staff").exists()
        ),
    )


def _user(rows, user):
    """A new account and its role in one form: the membership inline on the add page."""
    fields = {
        "username": "new_account",
        "usable_password": "true",
        "password1": "Another#Pass-2026",
        "password2": "Another#Pass-2026",
        "membership-0-branch": rows.b.branch.pk,
        "membership-0-role": "lead",
        "membership-0-job_title": "副主任",
    }

    def saved():
        account = User.objects.filter(username="new_account").first()
        return (
            account is not None
            and account.membership.role == "lead"
            and account.membership.branch == rows.b.branch
            and list(account.groups.values_list("name", flat=True)) == ["branch lead"]
        )

    return fields, saved


def _branch(rows, user):
    province = Branch.objects.get(kind="province")
    fields = {"name": "莆田分院", "short_name": "莆田", "code": "putian", "kind": "city"}
    fields |= {"parent": province.pk, "sort_order": 9}
    return fields, lambda: Branch.objects.filter(code="putian", parent=province).exists()


def _county(rows, user):
    fields = {"branch": rows.a.branch.pk, "code": "350599", "name": "新区"}
    return fields, lambda: County.objects.filter(code="350599").exists()


def _liaison(rows, user):
    fields = {"leader": rows.a.issue.instructions.first().author.pk, "branch": rows.b.branch.pk}
    return fields, lambda: Liaison.objects.filter(branch=rows.b.branch).exists()


def _group(rows, user):
    return {"name": "auditors"}, lambda: Group.objects.filter(name="auditors").exists()


def _campaign(rows, user):
    fields = {"name": "第三批活动", "code": "third", "starts_on": TODAY().isoformat()}
    return fields, lambda: Campaign.objects.filter(code="third").exists()


def _category(rows, user):
    fields = {"name": "收费标准", "sort_order": 7, "is_active": "on"}
    return fields, lambda: FeedbackCategory.objects.filter(name="收费标准").exists()


def _equipment_class(rows, user):
    fields = {"code": "test_rig", "name": "试验装置", "sort_order": 8}
    return fields, lambda: EquipmentClass.objects.filter(code="test_rig").exists()


def _enterprise(rows, user):
    fields = {"name": "  泉州（新）机械有限公司", "branch": rows.a.branch.pk, "uscc": ""}
    return fields, lambda: Enterprise.objects.filter(name_key="泉州新机械有限公司").exists()


def _activity(rows, user):
    fields = {
        "campaign": rows.campaign.pk,
        "branch": rows.a.branch.pk,
        "kind": "visit",
        "title": "管理员补录的走访",
        "occurred_on": TODAY().isoformat(),
    }
    return fields, lambda: Activity.objects.filter(title="管理员补录的走访").exists()


def _feedback_item(rows, user):
    fields = {
        "activity": rows.a.activity.pk,
        "category": rows.a.feedback.category_id,
        "kind": "suggestion",
        "content": "管理员补录的意见",
        "received_on": TODAY().isoformat(),
    }
    # The branch is never typed: it is the activity's.
    return fields, lambda: FeedbackItem.objects.filter(
        content="管理员补录的意见", branch=rows.a.branch
    ).exists()


def _issue(rows, user):
    fields = {
        "branch": rows.a.branch.pk,
        "campaign": rows.campaign.pk,
        "title": "管理员补录的问题",
        "category": rows.a.feedback.category_id,
        "severity": "normal",
    }
    return fields, lambda: Issue.objects.filter(title="管理员补录的问题").exists()


def _meeting(rows, user):
    fields = {"title": "院长办公会（补录）", "held_on": TODAY().isoformat()}
    return fields, lambda: ProvincialMeeting.objects.filter(
        title="院长办公会（补录）", recorded_by=user
    ).exists()


def _reply(rows, user):
    item = rows.a.feedback
    fields = {
        "feedback_item": item.pk,
        "channel": "phone",
        "content": "电话答复",
        "replied_on": (TODAY() + timedelta(days=0)).isoformat(),
        "replied_by": user.pk,
        "satisfaction": "satisfied",
    }
    return fields, lambda: Reply.objects.filter(content="电话答复", feedback_item=item).exists()


#: For every model someone may add in the admin: who adds it, and the form's fields.
ADD_FORMS = {
    "branches.Membership": ("office", _membership),
    "auth.User": ("office", _user),
    "branches.Branch": ("admin_user", _branch),
    "branches.County": ("admin_user", _county),
    "branches.Liaison": ("office", _liaison),
    "auth.Group": ("admin_user", _group),
    "outreach.Campaign": ("office", _campaign),
    "outreach.FeedbackCategory": ("office", _category),
    "outreach.EquipmentClass": ("admin_user", _equipment_class),
    "outreach.Enterprise": ("admin_user", _enterprise),
    "outreach.Activity": ("admin_user", _activity),
    "outreach.FeedbackItem": ("admin_user", _feedback_item),
    "issues.Issue": ("admin_user", _issue),
    "issues.ProvincialMeeting": ("office", _meeting),
    "issues.Reply": ("admin_user", _reply),
}


def test_every_addable_model_has_an_add_form_test(admin_user):
    addable = {
        model._meta.label
        for model in MODELS
        if admin.site._registry[model].has_add_permission(as_request(admin_user))
    }
    assert addable == set(ADD_FORMS)


@pytest.mark.parametrize("label", sorted(ADD_FORMS))
def test_add_form_saves_the_row(client, personas, rows, label):
    person, make = ADD_FORMS[label]
    user = personas[person]
    client.force_login(user)
    model = next(m for m in MODELS if m._meta.label == label)
    fields, saved = make(rows, user)
    response = post_admin_form(client, reverse(url_name(model, "add")), **fields)
    assert response.status_code == 302, form_errors(response)
    assert saved()


def test_office_cannot_give_a_city_branch_a_provincial_role(client, office, branch_a):
    """A wrong role is a message on the form, not a 500, and nothing is saved."""
    client.force_login(office)
    newcomer = UserFactory()
    response = post_admin_form(
        client,
        reverse("admin:branches_membership_add"),
        user=newcomer.pk,
        branch=branch_a.pk,
        role="office",
    )
    assert response.status_code == 200
    assert "belong to the provincial institute" in form_errors(response) or "省院" in form_errors(
        response
    )
    assert not Membership.objects.filter(user=newcomer).exists()
    assert not newcomer.groups.exists()


def test_membership_page_changes_the_role_and_its_group(client, office, staff_a, province):
    client.force_login(office)
    url = reverse("admin:branches_membership_change", args=[staff_a.membership.pk])
    response = post_admin_form(client, url, branch=province.pk, role="leader")
    assert response.status_code == 302, form_errors(response)
    staff_a.refresh_from_db()
    assert staff_a.membership.role == "leader"
    assert list(staff_a.groups.values_list("name", flat=True)) == ["institute leader"]


def test_account_page_gives_an_existing_account_its_first_role(client, office, no_role_user):
    client.force_login(office)
    url = reverse("admin:auth_user_change", args=[no_role_user.pk])
    branch = Branch.objects.get(kind="province")
    response = post_admin_form(
        client, url, **{"membership-0-branch": branch.pk, "membership-0-role": "office"}
    )
    assert response.status_code == 302, form_errors(response)
    no_role_user.refresh_from_db()
    assert no_role_user.membership.role == "office"
    assert no_role_user.is_staff
    assert list(no_role_user.groups.values_list("name", flat=True)) == ["provincial office"]


# --- old versions are read, not restored ------------------------------------------------

HISTORY_MODELS = [m for m in MODELS if hasattr(admin.site._registry[m], "history_form_view")]


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m._meta.label)
def test_an_old_version_opens_but_cannot_be_restored(client, rows, admin_user, model):
    """Restoring writes every field of the old row past the services: an issue's state,
    an opinion's copied branch. The version page shows it; a POST is refused."""
    client.force_login(admin_user)
    obj = an_object(model, admin_user)
    version = obj.history.order_by("history_id").first()
    url = reverse(url_name(model, "simple_history"), args=[obj.pk, version.history_id])
    page = client.get(url)
    assert page.status_code == 200
    before = database_rows()
    assert client.post(url, form_values(page)).status_code == 403
    assert database_rows() == before


def test_restoring_an_issue_could_have_undone_its_state(client, world, admin_user, lead_a):
    """What the refusal prevents: the first version of world.a.issue is "escalated"."""
    Issue.objects.filter(pk=world.a.issue.pk).update(state="rectifying")
    client.force_login(admin_user)
    version = world.a.issue.history.order_by("history_id").first()
    url = reverse("admin:issues_issue_simple_history", args=[world.a.issue.pk, version.history_id])
    assert client.post(url, form_values(client.get(url))).status_code == 403
    assert Issue.objects.get(pk=world.a.issue.pk).state == "rectifying"
