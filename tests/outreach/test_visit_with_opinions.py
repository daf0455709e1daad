"""A new activity and the opinions heard at it, on one form, saved together or not at all."""

import pytest
from django.urls import reverse

from outreach.models import Activity, FeedbackCategory, FeedbackItem
from tests.factories import EnterpriseFactory, FeedbackItemFactory

pytestmark = pytest.mark.django_db

URL = reverse("outreach:activity_create", args=["visit"])


def visit(world, staff, enterprises, rows):
    data = {
        "campaign": world.campaign.pk,
        "occurred_on": "2026-11-20",
        "enterprises": [e.pk for e in enterprises],
        "staff": [staff.pk],
        "place": "晋江市",
        "title": "",
        "minutes": "",
        "feedback-TOTAL_FORMS": len(rows),
        "feedback-INITIAL_FORMS": 0,
        "feedback-MIN_NUM_FORMS": 0,
        "feedback-MAX_NUM_FORMS": 100,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"feedback-{index}-{name}"] = value
    return data


def row(category, content="", enterprise="", kind="problem", contact=""):
    return {
        "enterprise": enterprise,
        "category": category.pk,
        "kind": kind,
        "content": content,
        "contact": contact,
    }


def test_a_visit_and_its_opinions_are_saved_together(client, world, staff_a):
    fees = FeedbackCategory.objects.get(name="收费")
    second = EnterpriseFactory(branch=world.a.branch)
    client.force_login(staff_a)
    rows = [
        row(fees, "收费不透明", enterprise=world.a.enterprise.pk),
        row(fees, "预约太慢", enterprise=second.pk, kind="suggestion"),
        row(fees, "发票邮寄"),
        row(fees),  # an untouched row (its category filled in by default): skipped
    ]
    response = client.post(URL, visit(world, staff_a, [world.a.enterprise, second], rows))
    activity = Activity.objects.latest("id")
    assert response.status_code == 302
    assert response.url == reverse("outreach:activity_detail", args=[activity.pk])
    saved = {i.content: (i.enterprise_id, i.kind) for i in activity.feedback_items.all()}
    assert saved == {
        "收费不透明": (world.a.enterprise.pk, "problem"),
        "预约太慢": (second.pk, "suggestion"),
        "发票邮寄": (None, "problem"),
    }
    assert all(i.created_by == staff_a for i in activity.feedback_items.all())
    follow = client.get(response.url)
    assert "活动已登记，记录意见 3 条。" in follow.content.decode()


def test_a_visit_without_opinions_is_fine(client, world, staff_a):
    client.force_login(staff_a)
    before = FeedbackItem.objects.count()
    response = client.post(URL, visit(world, staff_a, [world.a.enterprise], []))
    assert response.status_code == 302
    assert FeedbackItem.objects.count() == before


def test_a_bad_row_keeps_everything_back_and_says_where(client, world, staff_a):
    fees = FeedbackCategory.objects.get(name="收费")
    client.force_login(staff_a)
    activities, opinions = Activity.objects.count(), FeedbackItem.objects.count()
    rows = [row(fees, "收费不透明"), row(fees, contact="张三")]  # the second has no text
    response = client.post(URL, visit(world, staff_a, [world.a.enterprise], rows))
    assert response.status_code == 200
    assert response.context["opinions"].forms[1].errors["content"]
    assert (Activity.objects.count(), FeedbackItem.objects.count()) == (activities, opinions)
    page = response.content.decode()
    assert "收费不透明" in page and "data-keep-bound" in page  # what was sent is drawn again


def test_a_withdrawn_enterprise_in_a_row_keeps_everything_back(client, world, staff_a):
    fees = FeedbackCategory.objects.get(name="收费")
    gone = EnterpriseFactory(branch=world.a.branch)
    client.force_login(staff_a)
    data = visit(world, staff_a, [world.a.enterprise], [row(fees, "意见", enterprise=gone.pk)])
    type(gone).objects.filter(pk=gone.pk).update(
        withdrawn_at=gone.created_at, withdrawn_reason="重复登记"
    )
    activities = Activity.objects.count()
    response = client.post(URL, data)
    assert response.status_code == 200
    assert Activity.objects.count() == activities


def test_rows_start_with_the_category_and_kind_last_used(client, world, staff_a):
    efficiency = FeedbackCategory.objects.get(name="服务效率")
    FeedbackItemFactory(
        activity=world.a.activity, category=efficiency, kind="suggestion", created_by=staff_a
    )
    client.force_login(staff_a)
    opinions = client.get(URL).context["opinions"]
    assert opinions.forms[0].initial == {"category": efficiency.pk, "kind": "suggestion"}
    assert opinions.empty_form.initial == {"category": efficiency.pk, "kind": "suggestion"}


def test_editing_an_activity_shows_no_opinion_rows(client, world, staff_a):
    client.force_login(staff_a)
    url = reverse("outreach:activity_update", args=[world.a.activity.pk])
    assert "opinions" not in client.get(url).context


def test_the_opinions_belong_to_the_branch_of_the_activity_only(client, world, staff_b):
    """Staff of branch B log for branch B: the rows cannot write into branch A."""
    fees = FeedbackCategory.objects.get(name="收费")
    client.force_login(staff_b)
    data = visit(world, staff_b, [world.a.enterprise], [row(fees, "意见")])
    data["campaign"] = world.campaign.pk
    response = client.post(URL, data)
    activity = Activity.objects.latest("id")
    assert response.status_code == 302
    assert activity.branch == world.b.branch
    assert {i.branch_id for i in activity.feedback_items.all()} == {world.b.branch.pk}
