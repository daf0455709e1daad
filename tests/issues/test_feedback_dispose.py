"""From feedback to issues: choose opinions, then open an issue, attach them, or close them."""

from datetime import date

import pytest
from django.urls import reverse

from issues import services
from issues.models import Issue, IssueEvent
from outreach.models import FeedbackItem
from tests.factories import (
    ActivityFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    IssueFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("issues:feedback_dispose")
LIST = reverse("outreach:feedback_list")


@pytest.fixture
def opinions(world):
    """Two open problems and one praise at branch A's activity, received in this order."""
    fees = FeedbackCategoryFactory(name="收费")
    speed = FeedbackCategoryFactory(name="服务效率")
    activity = world.a.activity
    return [
        FeedbackItemFactory(
            activity=activity,
            category=fees,
            content="检验收费标准不透明，希望在大厅和网站公示收费依据与标准，方便企业核对",
            received_on=date(2026, 3, 1),
        ),
        FeedbackItemFactory(
            activity=activity,
            category=speed,
            content="收费发票开具慢",
            received_on=date(2026, 3, 2),
        ),
        FeedbackItemFactory(
            activity=activity,
            category=fees,
            content="再次说明收费问题",
            received_on=date(2026, 3, 3),
        ),
    ]


@pytest.fixture
def praise(world):
    return FeedbackItemFactory(
        activity=world.a.activity, kind=FeedbackItem.Kind.PRAISE, content="检验员服务热情"
    )


def ids(*items):
    return [item.pk for item in items]


# --- the confirmation page ----------------------------------------------------------


def test_staff_sees_the_chosen_opinions_with_title_and_category_prefilled(
    client, staff_a, opinions
):
    client.force_login(staff_a)
    response = client.post(URL, {"items": ids(*opinions), "next": LIST})
    assert response.status_code == 200
    assert [item.pk for item in response.context["items"]] == ids(*opinions)
    form = response.context["create_form"]
    assert form.initial["title"].startswith("检验收费标准不透明")
    assert len(form.initial["title"]) <= 60
    # Two of the three share "收费": the category most of them name.
    assert form.initial["category"] == opinions[0].category_id
    assert response.context["active"] == "create"
    assert Issue.objects.count() == 2  # the world's two: nothing was written


def test_praise_alone_offers_closing_with_a_reason(client, staff_a, praise):
    client.force_login(staff_a)
    response = client.post(URL, {"items": [praise.pk]})
    assert response.context["active"] == "close"
    assert response.context["close_form"].initial["reason"]


def test_attach_offers_only_open_issues_of_the_branch(client, world, staff_a, opinions):
    answered = IssueFactory(branch=world.a.branch, campaign=world.campaign, state="answered")
    client.force_login(staff_a)
    response = client.post(URL, {"items": ids(*opinions)})
    offered = list(response.context["link_form"].fields["issue"].queryset)
    assert world.a.issue in offered
    assert answered not in offered
    assert world.b.issue not in offered


def test_get_is_refused(client, staff_a, opinions):
    client.force_login(staff_a)
    assert client.get(URL, {"items": ids(*opinions)}).status_code == 405


def test_nothing_chosen_goes_back_with_a_message(client, staff_a):
    client.force_login(staff_a)
    response = client.post(URL, {"next": f"{LIST}?kind=problem"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{LIST}?kind=problem"
    assert "至少" in response.content.decode() or "at least" in response.content.decode()


def test_next_pointing_elsewhere_is_ignored(client, staff_a, opinions):
    client.force_login(staff_a)
    response = client.post(
        URL,
        {"items": ids(opinions[0]), "action": "close", "reason": "已说明", "next": "https://evil"},
    )
    assert response.status_code == 302
    assert response.url == LIST


# --- scope and role -------------------------------------------------------------------


def test_another_branchs_opinion_is_a_404_and_nothing_changes(client, world, staff_b, opinions):
    client.force_login(staff_b)
    data = {"items": [world.b.feedback.pk, opinions[0].pk], "action": "close", "reason": "无需"}
    assert client.post(URL, data).status_code == 404
    assert FeedbackItem.objects.filter(closed_at__isnull=False).count() == 0


def test_an_unknown_id_is_a_404(client, staff_a, opinions):
    client.force_login(staff_a)
    assert client.post(URL, {"items": [opinions[0].pk, 999999]}).status_code == 404
    assert client.post(URL, {"items": ["x"]}).status_code == 404


@pytest.mark.parametrize("persona", ["office", "leader", "admin_user", "no_role_user"])
def test_only_branch_staff_and_leads_dispose_of_opinions(client, personas, opinions, persona):
    client.force_login(personas[persona])
    data = {"items": ids(*opinions), "action": "close", "reason": "无需"}
    assert client.post(URL, data).status_code == 403
    assert FeedbackItem.objects.filter(closed_at__isnull=False).count() == 0


def test_anonymous_is_sent_to_log_in(client, opinions):
    response = client.post(URL, {"items": ids(*opinions)})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- the three ways on ------------------------------------------------------------------


def test_staff_opens_an_issue_from_two_opinions(client, world, staff_a, opinions):
    client.force_login(staff_a)
    chosen = opinions[:2]
    response = client.post(
        URL,
        {
            "items": ids(*chosen),
            "action": "create",
            "title": "收费公示不到位",
            "category": chosen[0].category_id,
            "severity": "serious",
            "description": "两家企业反映",
            "next": LIST,
        },
    )
    issue = Issue.objects.get(title="收费公示不到位")
    assert response.status_code == 302
    assert response.url == reverse("issues:issue_detail", kwargs={"pk": issue.pk})
    assert issue.branch == world.a.branch
    assert issue.campaign == world.campaign
    assert issue.severity == "serious"
    assert issue.created_by == staff_a
    assert set(issue.feedback_items.values_list("pk", flat=True)) == set(ids(*chosen))
    assert issue.events.get().kind == IssueEvent.Kind.CREATED
    opinions[2].refresh_from_db()
    assert opinions[2].issue_id is None


def test_lead_attaches_opinions_to_an_open_issue(client, world, lead_a, opinions):
    client.force_login(lead_a)
    response = client.post(
        URL, {"items": ids(*opinions), "action": "link", "issue": world.a.issue.pk}
    )
    assert response.status_code == 302
    assert response.url == reverse("issues:issue_detail", kwargs={"pk": world.a.issue.pk})
    assert world.a.issue.feedback_items.count() == 4
    assert world.a.issue.events.filter(kind=IssueEvent.Kind.FEEDBACK_LINKED).count() == 1


def test_attaching_to_another_branchs_issue_is_refused(client, world, staff_a, opinions):
    client.force_login(staff_a)
    response = client.post(
        URL, {"items": ids(*opinions), "action": "link", "issue": world.b.issue.pk}
    )
    assert response.status_code == 200
    assert response.context["link_form"].errors["issue"]
    assert FeedbackItem.objects.filter(pk__in=ids(*opinions), issue__isnull=False).count() == 0


def test_staff_closes_praise_with_a_reason_and_goes_back(client, staff_a, praise):
    client.force_login(staff_a)
    back = f"{LIST}?kind=praise"
    response = client.post(
        URL, {"items": [praise.pk], "action": "close", "reason": "表扬，已转告", "next": back}
    )
    assert response.status_code == 302
    assert response.url == back
    praise.refresh_from_db()
    assert praise.closed_reason == "表扬，已转告"
    assert praise.closed_by == staff_a


def test_closing_needs_a_reason(client, staff_a, praise):
    client.force_login(staff_a)
    response = client.post(URL, {"items": [praise.pk], "action": "close", "reason": "  "})
    assert response.status_code == 200
    assert response.context["close_form"].errors["reason"]
    assert response.context["active"] == "close"
    praise.refresh_from_db()
    assert praise.closed_at is None


def test_an_issue_needs_a_title(client, staff_a, opinions):
    client.force_login(staff_a)
    response = client.post(
        URL,
        {"items": ids(*opinions), "action": "create", "title": "", "category": "1"},
    )
    assert response.status_code == 200
    assert response.context["create_form"].errors["title"]
    assert Issue.objects.count() == 2


def test_opinions_of_two_campaigns_make_no_issue(client, world, staff_a, opinions):
    other = ActivityFactory(branch=world.a.branch)  # another campaign
    stray = FeedbackItemFactory(activity=other, category=opinions[0].category)
    client.force_login(staff_a)
    response = client.post(
        URL,
        {
            "items": [opinions[0].pk, stray.pk],
            "action": "create",
            "title": "混合",
            "category": opinions[0].category_id,
            "severity": "normal",
        },
    )
    assert response.status_code == 200
    assert response.context["errors"]
    assert Issue.objects.count() == 2


# --- someone else got there first -------------------------------------------------------


def test_an_opinion_linked_meanwhile_refuses_the_whole_submission(
    client, world, staff_a, lead_a, opinions
):
    client.force_login(staff_a)
    chosen = opinions[:2]
    page = client.post(URL, {"items": ids(*chosen)})
    assert page.status_code == 200
    # Between the confirmation page and the submit, the lead links the second one.
    services.feedback_link(actor=lead_a, issue=world.a.issue, feedback_items=[chosen[1]])

    response = client.post(
        URL,
        {
            "items": ids(*chosen),
            "action": "create",
            "title": "收费公示不到位",
            "category": chosen[0].category_id,
            "severity": "normal",
        },
    )
    assert response.status_code == 200
    assert response.context["errors"]
    assert Issue.objects.filter(title="收费公示不到位").count() == 0
    chosen[0].refresh_from_db()
    assert chosen[0].issue_id is None
    # The page names the one taken and carries on with the rest only.
    assert [item.pk for item in response.context["taken"]] == [chosen[1].pk]
    assert [item.pk for item in response.context["pending"]] == [chosen[0].pk]
    body = response.content.decode()
    assert f'name="items" value="{chosen[1].pk}"' not in body


def test_an_opinion_taken_inside_the_service_is_reported_and_nothing_changes(
    client, world, staff_a, lead_a, opinions, monkeypatch
):
    """The race the page cannot see: linked after the page read it, before the lock."""
    original = services.issue_create

    def linked_just_before(**kwargs):
        services.feedback_link(actor=lead_a, issue=world.a.issue, feedback_items=[opinions[1]])
        return original(**kwargs)

    monkeypatch.setattr(services, "issue_create", linked_just_before)
    client.force_login(staff_a)
    response = client.post(
        URL,
        {
            "items": ids(*opinions[:2]),
            "action": "create",
            "title": "收费公示不到位",
            "category": opinions[0].category_id,
            "severity": "normal",
        },
    )
    assert response.status_code == 200
    assert any(f"#{opinions[1].pk}" in error for error in response.context["errors"])
    assert not Issue.objects.filter(title="收费公示不到位").exists()
    opinions[0].refresh_from_db()
    assert opinions[0].issue_id is None


def test_nothing_left_open_shows_no_form(client, staff_a, opinions):
    FeedbackItem.objects.filter(pk=opinions[0].pk).update(
        closed_at="2026-03-05T10:00:00+08:00", closed_reason="已处理"
    )
    client.force_login(staff_a)
    response = client.post(URL, {"items": [opinions[0].pk]})
    assert response.status_code == 200
    assert response.context["pending"] == []
    assert 'data-testid="nothing-open"' in response.content.decode()


# --- the ticks on the lists -----------------------------------------------------------


def test_feedback_list_offers_ticks_on_open_opinions_to_branch_staff(
    client, world, staff_a, opinions
):
    client.force_login(staff_a)
    body = client.get(LIST).content.decode()
    assert 'id="dispose-form"' in body
    for item in opinions:
        assert f'name="items" value="{item.pk}"' in body
    # world.a.feedback is already in world.a.issue: no tick.
    assert f'name="items" value="{world.a.feedback.pk}"' not in body


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_feedback_list_has_no_ticks_for_the_province(client, personas, opinions, persona):
    client.force_login(personas[persona])
    body = client.get(LIST).content.decode()
    assert 'id="dispose-form"' not in body
    assert 'name="items"' not in body


def test_activity_page_offers_ticks_to_its_branch_only(client, world, staff_a, office, opinions):
    url = reverse("outreach:activity_detail", kwargs={"pk": world.a.activity.pk})
    client.force_login(staff_a)
    body = client.get(url).content.decode()
    assert f'name="items" value="{opinions[0].pk}"' in body
    assert f'name="next" value="{url}"' in body
    client.force_login(office)
    assert 'name="items"' not in client.get(url).content.decode()
