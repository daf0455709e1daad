"""Activity screens: log one of each kind with its own fields, the activity page, the list."""

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import Activity
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    EnterpriseFactory,
    FeedbackItemFactory,
)

pytestmark = pytest.mark.django_db


def create_url(kind):
    return reverse("outreach:activity_create", args=[kind])


def test_a_visit_to_two_enterprises(client, world, staff_a):
    second = EnterpriseFactory(branch=world.a.branch)
    client.force_login(staff_a)
    response = client.post(
        create_url("visit"),
        {
            "campaign": world.campaign.pk,
            "occurred_on": "2026-11-20",
            "enterprises": [world.a.enterprise.pk, second.pk],
            "staff": [staff_a.pk],
            "place": "晋江市",
            "title": "",
            "minutes": "",
        },
    )
    activity = Activity.objects.latest("id")
    assert response.url == reverse("outreach:activity_detail", args=[activity.pk])
    assert activity.kind == "visit"
    assert activity.branch == world.a.branch
    assert set(activity.enterprises.all()) == {world.a.enterprise, second}
    # Named after what happened.
    assert world.a.enterprise.name in activity.title or second.name in activity.title


def test_a_visit_needs_an_enterprise(client, world, staff_a):
    client.force_login(staff_a)
    data = {"campaign": world.campaign.pk, "occurred_on": "2026-11-20", "staff": [staff_a.pk]}
    response = client.post(create_url("visit"), data)
    assert response.status_code == 200
    assert "enterprises" in response.context["form"].errors
    assert not Activity.objects.filter(kind="visit", occurred_on="2026-11-20").exists()


def test_a_survey_records_forms_sent_and_returned(client, world, staff_a):
    client.force_login(staff_a)
    data = {"campaign": world.campaign.pk, "occurred_on": "2026-11-20", "forms_sent": 106}
    response = client.post(create_url("survey"), {**data, "forms_returned": 120})
    assert "forms_returned" in response.context["form"].errors
    client.post(create_url("survey"), {**data, "forms_returned": 88})
    survey = Activity.objects.get(kind="survey")
    assert (survey.forms_sent, survey.forms_returned) == (106, 88)


def test_each_kind_shows_only_its_fields(client, staff_a):
    client.force_login(staff_a)
    internal = client.get(create_url("internal_forum")).context["form"].fields
    assert "attendee_count" in internal
    assert "enterprises" not in internal
    assert "forms_sent" not in internal
    survey = client.get(create_url("survey")).context["form"].fields
    assert {"forms_sent", "forms_returned"} <= set(survey)
    assert client.get(create_url("not-a-kind")).status_code == 404


def test_another_branchs_enterprise_is_picked_not_registered_again(client, world, staff_a):
    """The registry is the province's: A's visit to B's enterprise links B's record."""
    client.force_login(staff_a)
    data = {
        "campaign": world.campaign.pk,
        "occurred_on": "2026-11-20",
        "enterprises": [world.b.enterprise.pk],
    }
    response = client.post(create_url("visit"), data)
    assert response.status_code == 302, response.context["form"].errors
    visit = world.b.enterprise.activities.exclude(pk=world.b.activity.pk).get()
    assert visit.branch == world.a.branch


def test_a_withdrawn_enterprise_cannot_be_attached(client, world, staff_a):
    gone = EnterpriseFactory(branch=world.b.branch, withdrawn=True)
    client.force_login(staff_a)
    data = {
        "campaign": world.campaign.pk,
        "occurred_on": "2026-11-20",
        "enterprises": [gone.pk],
    }
    response = client.post(create_url("visit"), data)
    assert response.status_code == 200
    assert "enterprises" in response.context["form"].errors
    assert not gone.activities.exists()


def test_the_visit_form_opens_with_the_enterprise_picked_on_its_page(client, world, staff_a):
    client.force_login(staff_a)
    response = client.get(create_url("visit"), {"enterprise": world.b.enterprise.pk})
    assert response.context["form"].initial["enterprises"] == [world.b.enterprise]
    assert world.b.enterprise.name in response.content.decode()
    for odd in ("x", "１", "9" * 30, ""):
        response = client.get(create_url("visit"), {"enterprise": odd})
        assert response.status_code == 200
        assert response.context["form"].initial["enterprises"] == []


def test_activity_page_shows_each_opinion_with_disposition_and_reply(client, world, staff_a):
    open_item = FeedbackItemFactory(activity=world.a.activity, content="报检系统经常卡顿")
    client.force_login(staff_a)
    response = client.get(reverse("outreach:activity_detail", args=[world.a.activity.pk]))
    items = {item.pk: item for item in response.context["feedback_items"]}
    assert items[world.a.feedback.pk].is_answered is True
    assert items[open_item.pk].is_answered is False
    body = response.content.decode()
    assert "报检系统经常卡顿" in body
    assert "未处置" in body


def test_withdrawing_an_activity_with_opinions_is_refused(client, world, staff_a):
    client.force_login(staff_a)
    url = reverse("outreach:activity_withdraw", args=[world.a.activity.pk])
    client.post(url, {"reason": "录重了"})
    world.a.activity.refresh_from_db()
    assert world.a.activity.withdrawn_at is None
    empty = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    client.post(reverse("outreach:activity_withdraw", args=[empty.pk]), {"reason": "录重了"})
    empty.refresh_from_db()
    assert empty.withdrawn_reason == "录重了"


def test_editing_keeps_the_kind_and_history(client, world, staff_a):
    client.force_login(staff_a)
    activity = world.a.activity
    data = {
        "campaign": world.campaign.pk,
        "occurred_on": "2026-11-21",
        "enterprises": [world.a.enterprise.pk],
        "title": "改过的标题",
    }
    client.post(reverse("outreach:activity_update", args=[activity.pk]), data)
    activity.refresh_from_db()
    assert activity.title == "改过的标题"
    assert activity.history.count() >= 2


def test_an_activity_whose_opinions_are_in_issues_keeps_its_campaign(client, world, staff_a):
    """An issue belongs to the campaign of its opinions (the dashboard counts it there)."""
    activity = world.a.activity
    assert activity.feedback_items.filter(issue__isnull=False).exists()
    other = CampaignFactory(starts_on=activity.occurred_on)
    client.force_login(staff_a)
    data = {
        "campaign": other.pk,
        "occurred_on": activity.occurred_on.isoformat(),
        "enterprises": [world.a.enterprise.pk],
    }
    response = client.post(reverse("outreach:activity_update", args=[activity.pk]), data)
    assert response.status_code == 200
    assert "已经归入本专项活动的问题" in response.content.decode()
    activity.refresh_from_db()
    assert activity.campaign == world.campaign


@pytest.mark.parametrize("rows", [10, 200])
def test_list_costs_the_same_queries_at_any_size(
    client, world, staff_a, rows, django_assert_num_queries
):
    ActivityFactory.create_batch(rows, branch=world.a.branch, campaign=world.campaign)
    client.force_login(staff_a)
    client.get(reverse("reports:home"))
    # session, user, membership, campaigns (filter), count, page, unread count
    with django_assert_num_queries(7):
        response = client.get(reverse("outreach:activity_list"))
    assert response.context["paginator"].count == rows + 1


def test_list_filters_by_kind_and_date(client, world, staff_a):
    forum = ActivityFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        kind="enterprise_forum",
        occurred_on="2026-10-01",
    )
    client.force_login(staff_a)
    url = reverse("outreach:activity_list")
    found = client.get(url, {"kind": "enterprise_forum"}).context["object_list"]
    assert list(found) == [forum]
    found = client.get(url, {"date_from": "2026-09-30", "date_to": "2026-10-02"}).context[
        "object_list"
    ]
    assert list(found) == [forum]


def test_an_edit_on_a_stale_form_is_refused_and_a_second_save_goes_through(
    client, world, staff_a, lead_a
):
    activity = world.a.activity
    url = reverse("outreach:activity_update", args=[activity.pk])
    client.force_login(staff_a)
    form = client.get(url).context["form"]
    data = {
        "campaign": activity.campaign_id,
        "occurred_on": activity.occurred_on.isoformat(),
        "enterprises": [e.pk for e in activity.enterprises.all()],
        "staff": [staff_a.pk],
        "place": "我的地点",
        "title": activity.title,
        "minutes": "",
        "version": form["version"].value(),
    }
    # Meanwhile the lead saves the activity.
    Activity.objects.filter(pk=activity.pk).update(place="组长的地点", updated_at=timezone.now())
    response = client.post(url, data)
    assert response.status_code == 200
    assert "有人在您打开后修改了这项活动" in response.content.decode()
    activity.refresh_from_db()
    assert activity.place == "组长的地点"
    data["version"] = response.context["form"].data["version"]  # drawn again, current
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.place == "我的地点"
