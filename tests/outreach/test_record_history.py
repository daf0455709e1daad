"""Every record's page says who entered it and who changed it last, when; an activity's
history keeps the enterprises met and the staff present each edit added or removed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.templatetags.people import person_name
from outreach import selectors
from outreach.services import activity_update, record_withdraw
from tests.factories import EnterpriseFactory, FeedbackItemFactory, member

pytestmark = pytest.mark.django_db


def dd(body: str, testid: str) -> str:
    """The text of the page's ``<dd data-testid=...>``."""
    start = body.index(f'data-testid="{testid}"')
    return body[start : body.index("</dd>", start)]


def edit(activity, actor, **changes):
    """``activity_update`` with the activity as it is now, and ``changes`` over it."""
    activity.refresh_from_db()
    fields = {
        "campaign": activity.campaign,
        "occurred_on": activity.occurred_on,
        "title": activity.title,
        "place": activity.place,
        "enterprises": list(activity.enterprises.all()),
        "staff": list(activity.staff.all()),
        "attendee_count": activity.attendee_count,
        "minutes": activity.minutes,
        **changes,
    }
    return activity_update(actor=actor, activity=activity, **fields)


def test_an_activity_edit_keeps_the_enterprises_and_staff_it_added_and_removed(
    world, staff_a, lead_a
):
    activity = world.a.activity
    firm = EnterpriseFactory(name="晋江起重机械厂")
    edit(
        activity,
        lead_a,
        title="改过的标题",
        enterprises=[firm],
        staff=[staff_a, lead_a],
    )
    entries, trail = selectors.activity_history(activity)
    latest = entries[0]
    assert (latest.kind, latest.user) == ("changed", lead_a)
    changes = {change.name: change for change in latest.changes}
    assert (changes["title"].new, changes["title"].links) == ("改过的标题", False)
    assert changes["enterprises"].links
    assert (changes["enterprises"].old, changes["enterprises"].new) == (
        world.a.enterprise.name,
        "晋江起重机械厂",
    )
    assert (changes["staff"].old, changes["staff"].new) == ("—", person_name(lead_a))
    assert (trail.entered_by, trail.changed_by) == (staff_a, lead_a)
    # An edit that changes no link says nothing of links.
    edit(activity, staff_a, place="石狮市")
    latest = selectors.activity_history(activity)[0][0]
    assert [change.name for change in latest.changes] == ["place"]
    assert activity.history.first().links_changed is None


def test_the_activity_page_shows_its_trail_and_history(client, world, staff_a, lead_a):
    activity = world.a.activity
    client.force_login(staff_a)
    body = client.get(reverse("outreach:activity_detail", args=[activity.pk])).content.decode()
    assert person_name(staff_a) in dd(body, "entered-by")
    assert "录入后未修改" in dd(body, "changed-by")
    edit(activity, lead_a, enterprises=[world.a.enterprise, EnterpriseFactory(name="新到企业")])
    body = client.get(reverse("outreach:activity_detail", args=[activity.pk])).content.decode()
    assert person_name(lead_a) in dd(body, "changed-by")
    history = body[body.index('data-testid="record-history"') :]
    assert "参与企业" in history and "+ 新到企业" in history


def test_a_withdrawal_is_in_the_history_with_its_reason(world, staff_a):
    item = FeedbackItemFactory(activity=world.a.activity, created_by=staff_a)
    record_withdraw(actor=staff_a, record=item, reason="与第3条重复")
    entries, trail = selectors.feedback_history(item)
    assert [(entry.kind, entry.reason) for entry in entries] == [
        ("withdrawn", "与第3条重复"),
        ("created", ""),
    ]
    assert entries[0].user == trail.changed_by == staff_a


def test_the_enterprise_page_says_who_registered_and_changed_it(client, world, staff_a, office):
    enterprise = world.a.enterprise
    url = reverse("outreach:enterprise_detail", args=[enterprise.pk])
    client.force_login(office)
    body = client.get(url).content.decode()
    assert person_name(staff_a) in dd(body, "entered-by")
    assert enterprise.created_at.astimezone().strftime("%Y-%m-%d") in dd(body, "entered-by")
    client.post(
        reverse("outreach:enterprise_update", args=[enterprise.pk]),
        {
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "county": enterprise.county_id,
            "address": "泉州市丰泽区东海街道",
            "contact_name": enterprise.contact_name,
            "contact_phone": enterprise.contact_phone,
        },
    )
    body = client.get(url).content.decode()
    assert person_name(office) in dd(body, "changed-by")


def test_the_issue_page_says_who_opened_and_changed_it_last(client, world, staff_a, lead_a):
    issue = world.a.issue
    url = reverse("issues:issue_detail", args=[issue.pk])
    client.force_login(lead_a)
    body = client.get(url).content.decode()
    assert person_name(staff_a) in dd(body, "entered-by")
    issue.title = "负责人改过的标题"
    issue._history_user = lead_a
    issue.save()
    body = client.get(url).content.decode()
    assert person_name(lead_a) in dd(body, "changed-by")


def test_an_outsider_reads_no_trail_of_another_branch(client, world, staff_b):
    client.force_login(staff_b)
    for url in (
        reverse("outreach:activity_detail", args=[world.a.activity.pk]),
        reverse("issues:issue_detail", args=[world.a.issue.pk]),
        reverse("issues:feedback_detail", args=[world.a.feedback.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_person_without_a_name_is_named_by_account(client, world, branch_a):
    nameless = member("staff", branch_a, username="nameless", first_name="", last_name="")
    item = FeedbackItemFactory(activity=world.a.activity, created_by=nameless)
    client.force_login(nameless)
    body = client.get(reverse("issues:feedback_detail", args=[item.pk])).content.decode()
    assert "nameless" in dd(body, "entered-by")
