"""Entering the opinions heard at an activity: many rows, one transaction, one page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from outreach.models import FeedbackItem
from tests.factories import ActivityFactory, EnterpriseFactory, FeedbackCategoryFactory

pytestmark = pytest.mark.django_db


def entry_url(activity):
    return reverse("outreach:feedback_entry", kwargs={"activity_pk": activity.pk})


def formset_data(*rows, total=None):
    """POST data of the entry formset; each row a dict of its fields."""
    data = {
        "feedback-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "feedback-INITIAL_FORMS": "0",
        "feedback-MIN_NUM_FORMS": "0",
        "feedback-MAX_NUM_FORMS": "100",
    }
    for index, row in enumerate(rows):
        values = {"enterprise": "", "category": "", "kind": "problem", "content": "", "contact": ""}
        values.update(row)
        for name, value in values.items():
            data[f"feedback-{index}-{name}"] = value
    return data


def blank():
    return {}


@pytest.fixture
def category(db):
    return FeedbackCategoryFactory(name="服务效率")


def opinions_of(activity):
    return FeedbackItem.objects.filter(activity=activity)


def test_staff_sees_three_empty_rows_with_the_activity_enterprises(client, world, staff_a):
    client.force_login(staff_a)
    response = client.get(entry_url(world.a.activity))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == 3
    body = response.content.decode()
    # Three rows, and the empty one the browser copies for more.
    assert body.count('data-testid="feedback-row"') == 4
    assert world.a.enterprise.name in body
    assert "匿名（背靠背）" in body
    # The cursor starts in the first row's content.
    assert 'name="feedback-0-content"' in body
    assert formset.forms[0].fields["content"].widget.attrs.get("autofocus")
    # More rows are drawn in the browser from the empty form, without a round trip.
    assert 'name="feedback-__prefix__-content"' in body and "data-add-row" in body


def test_enterprise_choices_are_the_activity_enterprises_only(client, world, staff_a):
    other_of_a = EnterpriseFactory(branch=world.a.branch, name="未参会企业")
    client.force_login(staff_a)
    form = client.get(entry_url(world.a.activity)).context["formset"].forms[0]
    offered = [value for value, _label in form.fields["enterprise"].widget.choices]
    assert offered == ["", world.a.enterprise.pk]
    assert other_of_a.pk not in offered


def test_three_valid_rows_create_three_opinions_at_once(client, world, staff_a, category):
    client.force_login(staff_a)
    activity = world.a.activity
    before = opinions_of(activity).count()
    data = formset_data(
        {"enterprise": world.a.enterprise.pk, "category": category.pk, "content": "报告出具慢"},
        {"category": category.pk, "kind": "suggestion", "content": "希望开通网上预约"},
        {"category": category.pk, "kind": "praise", "content": "检验员很专业", "contact": "王工"},
    )
    response = client.post(entry_url(activity), data)
    assert response.status_code == 302
    assert response.url == reverse("outreach:activity_detail", kwargs={"pk": activity.pk})
    created = opinions_of(activity).order_by("id")[before:]
    assert [(o.content, o.kind) for o in created] == [
        ("报告出具慢", "problem"),
        ("希望开通网上预约", "suggestion"),
        ("检验员很专业", "praise"),
    ]
    first, anonymous, praise = created
    assert first.enterprise == world.a.enterprise
    assert anonymous.enterprise is None
    assert praise.contact == "王工"
    assert all(o.created_by == staff_a for o in created)
    assert all(o.branch == activity.branch for o in created)
    assert all(o.received_on == activity.occurred_on for o in created)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已记录 3 条意见。"]


def test_blank_rows_are_ignored(client, world, lead_a, category):
    client.force_login(lead_a)
    activity = world.a.activity
    before = opinions_of(activity).count()
    data = formset_data(
        blank(), {"category": category.pk, "content": "收费标准不透明"}, blank(), blank()
    )
    response = client.post(entry_url(activity), data)
    assert response.status_code == 302
    assert opinions_of(activity).count() == before + 1


def test_one_invalid_row_saves_nothing_and_shows_the_error(client, world, staff_a, category):
    client.force_login(staff_a)
    activity = world.a.activity
    before = opinions_of(activity).count()
    data = formset_data(
        {"category": category.pk, "content": "第一条"},
        {"category": category.pk, "content": "", "contact": "李工"},  # no content
        {"category": category.pk, "content": "第三条"},
    )
    response = client.post(entry_url(activity), data)
    assert response.status_code == 200
    assert opinions_of(activity).count() == before
    formset = response.context["formset"]
    assert list(formset.forms[1].errors) == ["content"]
    assert not formset.forms[0].errors and not formset.forms[2].errors
    body = response.content.decode()
    assert "第一条" in body and "第三条" in body  # what was typed is kept
    # The cursor goes to the field in error.
    assert formset.forms[1].fields["content"].widget.attrs.get("autofocus")


def test_a_row_the_service_refuses_rolls_back_the_others(
    client, world, staff_a, category, monkeypatch
):
    """Rows valid on the form but refused by the service: nothing is kept, errors shown."""
    from django.core.exceptions import ValidationError

    from outreach import services

    real = services.feedback_create
    calls = []

    def refuse_second(**kwargs):
        calls.append(kwargs["content"])
        if len(calls) == 2:
            raise ValidationError({"enterprise": "这家企业属于其他分院。"})
        return real(**kwargs)

    monkeypatch.setattr(services, "feedback_create", refuse_second)
    client.force_login(staff_a)
    activity = world.a.activity
    before = opinions_of(activity).count()
    data = formset_data(
        {"category": category.pk, "content": "一"},
        {"category": category.pk, "content": "二"},
        {"category": category.pk, "content": "三"},
    )
    response = client.post(entry_url(activity), data)
    assert response.status_code == 200
    assert calls == ["一", "二", "三"]
    assert opinions_of(activity).count() == before
    assert response.context["formset"].forms[1].errors["enterprise"] == ["这家企业属于其他分院。"]


def test_an_enterprise_registered_by_another_branch_is_accepted(client, world, staff_a, category):
    """One registry for the province: A records what B's enterprise said to A."""
    client.force_login(staff_a)
    data = formset_data(
        {"enterprise": world.b.enterprise.pk, "category": category.pk, "content": "跨院"}
    )
    assert client.post(entry_url(world.a.activity), data).status_code == 302
    item = FeedbackItem.objects.get(content="跨院")
    assert (item.enterprise, item.branch) == (world.b.enterprise, world.a.branch)


def test_a_withdrawn_enterprise_is_refused(client, world, staff_a, category):
    gone = EnterpriseFactory(branch=world.a.branch, withdrawn=True)
    client.force_login(staff_a)
    data = formset_data({"enterprise": gone.pk, "category": category.pk, "content": "已撤回"})
    response = client.post(entry_url(world.a.activity), data)
    assert response.status_code == 200
    assert "enterprise" in response.context["formset"].forms[0].errors
    assert not FeedbackItem.objects.filter(content="已撤回").exists()


def test_an_enterprise_of_the_branch_not_at_the_activity_is_accepted(
    client, world, staff_a, category
):
    other_of_a = EnterpriseFactory(branch=world.a.branch)
    client.force_login(staff_a)
    data = formset_data({"enterprise": other_of_a.pk, "category": category.pk, "content": "同院"})
    assert client.post(entry_url(world.a.activity), data).status_code == 302
    assert FeedbackItem.objects.get(content="同院").enterprise == other_of_a


def test_all_rows_blank_is_an_error(client, world, staff_a):
    client.force_login(staff_a)
    activity = world.a.activity
    before = opinions_of(activity).count()
    response = client.post(entry_url(activity), formset_data(blank(), blank(), blank()))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == ["请至少填写一条意见。"]
    assert opinions_of(activity).count() == before


def test_an_inactive_category_cannot_be_chosen(client, world, staff_a):
    retired = FeedbackCategoryFactory(name="已停用类别", is_active=False)
    client.force_login(staff_a)
    data = formset_data({"category": retired.pk, "content": "旧类别"})
    response = client.post(entry_url(world.a.activity), data)
    assert "category" in response.context["formset"].forms[0].errors


def test_withdrawn_activity_refuses_entry_with_a_message(client, world, staff_a, category):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign, withdrawn=True)
    client.force_login(staff_a)
    detail = reverse("outreach:activity_detail", kwargs={"pk": activity.pk})
    response = client.get(entry_url(activity))
    assert response.status_code == 302 and response.url == detail
    response = client.post(
        entry_url(activity), formset_data({"category": category.pk, "content": "x"})
    )
    assert response.status_code == 302 and response.url == detail
    assert not opinions_of(activity).exists()
    assert "已撤销" in str(next(iter(get_messages(response.wsgi_request))))


def test_staff_of_another_branch_gets_404(client, world, staff_b, category):
    client.force_login(staff_b)
    assert client.get(entry_url(world.a.activity)).status_code == 404
    data = formset_data({"category": category.pk, "content": "x"})
    assert client.post(entry_url(world.a.activity), data).status_code == 404


@pytest.mark.parametrize("persona", ["office", "leader", "admin_user"])
def test_provincial_roles_may_read_but_not_enter(client, world, personas, persona, category):
    client.force_login(personas[persona])
    before = opinions_of(world.a.activity).count()
    assert client.get(entry_url(world.a.activity)).status_code == 403
    data = formset_data({"category": category.pk, "content": "x"})
    assert client.post(entry_url(world.a.activity), data).status_code == 403
    assert opinions_of(world.a.activity).count() == before


def test_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(entry_url(world.a.activity))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- more rows ---------------------------------------------------------------------


def test_added_rows_are_saved_with_the_others(client, world, staff_a, category):
    client.force_login(staff_a)
    activity = world.a.activity
    before = opinions_of(activity).count()
    rows = [{"category": category.pk, "content": f"第{n}条"} for n in range(5)]
    response = client.post(entry_url(activity), formset_data(*rows))
    assert response.status_code == 302
    assert opinions_of(activity).count() == before + 5


def test_entry_page_answers_get_and_post_only(client, world, staff_a):
    client.force_login(staff_a)
    assert client.put(entry_url(world.a.activity)).status_code == 405
