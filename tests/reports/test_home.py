"""The home page: real figures of the user's scope, at a cost independent of data size."""

import pytest
from django.urls import reverse

from branches.models import Membership
from tests.factories import ActivityFactory, FeedbackItemFactory, IssueFactory, member

pytestmark = pytest.mark.django_db


def grow(world, copies: int) -> None:
    """Add ``copies`` activities, opinions and issues to each branch."""
    for rows in (world.a, world.b):
        for _ in range(copies):
            activity = ActivityFactory(branch=rows.branch, campaign=world.campaign)
            FeedbackItemFactory(activity=activity)
            IssueFactory(branch=rows.branch, campaign=world.campaign, deadline="2020-01-01")


def test_staff_home_shows_own_branch_figures_only(client, world, staff_a):
    grow(world, 2)
    client.force_login(staff_a)
    context = client.get(reverse("reports:home")).context
    assert context["feedback"]["feedback"] == 3
    assert context["issues"]["issues"] == 3
    assert context["issues"]["overdue"] == 2
    titles = {activity.title for activity in context["recent_activities"]}
    assert world.a.activity.title in titles
    assert world.b.activity.title not in titles


def test_promise_counts_follow_disposition_and_reply(client, world, staff_a):
    FeedbackItemFactory(activity=world.a.activity)  # no issue, not closed, no reply
    client.force_login(staff_a)
    feedback = client.get(reverse("reports:home")).context["feedback"]
    assert feedback == {"feedback": 2, "undisposed": 1, "unreplied": 1}


@pytest.mark.parametrize("persona", ["staff_a", "office"])
def test_every_home_figure_links_to_a_list_of_that_many(client, world, personas, persona):
    grow(world, 2)
    IssueFactory(branch=world.a.branch, campaign=world.campaign, state="answered")
    client.force_login(personas[persona])
    response = client.get(reverse("reports:home"))
    figures = {**response.context["feedback"], **response.context["issues"]}
    page = response.content.decode()
    links = {
        "feedback": reverse("outreach:feedback_list"),
        "undisposed": reverse("outreach:feedback_list") + "?disposition=open",
        "unreplied": reverse("outreach:feedback_list") + "?replied=no",
        "issues": reverse("issues:issue_list"),
        "open_issues": reverse("issues:issue_list") + "?answered=no",
        "overdue": reverse("issues:issue_list") + "?overdue=yes",
    }
    assert figures["open_issues"] < figures["issues"]
    for name, url in links.items():
        assert f'href="{url}"' in page, name
        assert client.get(url).context["paginator"].count == figures[name], name


@pytest.mark.parametrize(
    ("persona", "heading", "opinions"),
    [("staff_a", "branch", 1), ("office", "province", 2), ("admin_user", "province", 2)],
)
def test_the_heading_names_the_scope_of_the_figures(
    client, world, personas, persona, heading, opinions
):
    client.force_login(personas[persona])
    response = client.get(reverse("reports:home"))
    expected = world.a.branch.name if heading == "branch" else "全省概况"
    assert f'data-testid="home-heading">{expected}</h1>' in response.content.decode()
    assert response.context["feedback"]["feedback"] == opinions


def test_a_system_admin_in_a_branch_is_told_the_figures_are_the_provinces(client, world):
    """A superuser sees every branch whatever their membership: the heading says so, not
    the name of the branch they belong to."""
    admin = member(Membership.Role.STAFF, world.a.branch, is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("reports:home"))
    assert response.context["feedback"]["feedback"] == 2
    page = response.content.decode()
    assert 'data-testid="home-heading">全省概况</h1>' in page
    assert world.a.branch.name not in page.split('data-testid="home-heading">')[1][:80]


def test_office_home_lists_every_branch_and_waiting_escalations(client, world, office):
    world.a.decision.delete()  # A's escalation now waits for a decision
    client.force_login(office)
    context = client.get(reverse("reports:home")).context
    rows = {row["branch"].pk: row for row in context["branch_rows"]}
    assert set(rows) == {world.a.branch.pk, world.b.branch.pk}
    assert rows[world.a.branch.pk]["feedback"] == 1
    assert [e.issue for e in context["escalations"]] == [world.a.issue]


def test_leader_home_marks_liaison_branches(client, world, leader):
    client.force_login(leader)
    rows = client.get(reverse("reports:home")).context["branch_rows"]
    assert {row["branch"].pk for row in rows if row["is_liaison"]} == {world.a.branch.pk}


def test_user_without_role_sees_no_data(client, world, no_role_user):
    client.force_login(no_role_user)
    response = client.get(reverse("reports:home"))
    assert "reports/home_no_role.html" in [t.name for t in response.templates]
    assert world.a.issue.title not in response.content.decode()


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "office", "leader", "admin_user"])
def test_home_costs_the_same_queries_at_any_size(
    client, world, personas, persona, django_assert_num_queries
):
    client.force_login(personas[persona])
    client.get(reverse("reports:home"))  # the first request after login refreshes the session
    # session, user, membership, the bell's unread count, then the page's own reads; the
    # office also reads the years its calendar lacks (deadline years and entered years);
    # every home reads the office's calendar days once (overdue counts working days).
    # Provincial homes also read the office's time limits and the leaders' attention list
    # (its first rows and its count).
    expected = {"staff_a": 10, "lead_a": 10, "office": 18, "leader": 17, "admin_user": 17}[persona]
    with django_assert_num_queries(expected):
        client.get(reverse("reports:home"))
    grow(world, 15)
    with django_assert_num_queries(expected):
        client.get(reverse("reports:home"))


def test_home_is_the_site_root():
    assert reverse("reports:home") == "/"
