"""An issue's branch and campaign are its opinions', and every path that would make them
differ is refused (issues/migrations/0010).

``Issue.branch`` and ``Issue.campaign`` are copied from the opinions an issue was opened
from; one side cannot follow the other without splitting the issue, so the admin shows them
read-only or explains the refusal, and the database refuses every other write. Each path is
tried: the admin's change forms, a queryset ``update()``, and the services.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from issues.models import Issue
from issues.services import feedback_link
from outreach.models import Activity, FeedbackItem
from outreach.services import activity_update
from tests.admin_forms import form_errors, post_admin_form
from tests.db_state import database_rows
from tests.derived import branch_counts, refused_by_the_database
from tests.factories import ActivityFactory, CampaignFactory, FeedbackItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_campaign(world):
    return CampaignFactory(starts_on=world.campaign.starts_on)


def another_campaigns_opinion(world, campaign):
    return FeedbackItemFactory(activity=ActivityFactory(branch=world.a.branch, campaign=campaign))


def figures(office, world):
    return branch_counts(office, "issues_found", campaign=world.campaign)


# --- the admin --------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["branch", "campaign"])
def test_admin_refuses_to_move_an_activity_whose_opinions_are_in_an_issue(
    client, admin_user, world, other_campaign, field
):
    """world.a.activity's opinion is in world.a.issue: a clear message, nothing saved."""
    client.force_login(admin_user)
    url = reverse("admin:outreach_activity_change", args=[world.a.activity.pk])
    target = {"branch": world.b.branch, "campaign": other_campaign}[field]
    before = database_rows()
    response = post_admin_form(client, url, **{field: target.pk})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert database_rows() == before


def test_admin_shows_an_issues_branch_and_campaign_read_only(
    client, admin_user, office, world, other_campaign
):
    before = figures(office, world)
    client.force_login(admin_user)
    url = reverse("admin:issues_issue_change", args=[world.a.issue.pk])
    response = post_admin_form(
        client, url, branch=world.b.branch.pk, campaign=other_campaign.pk, title="改过的标题"
    )
    assert response.status_code == 302, form_errors(response)
    issue = Issue.objects.get(pk=world.a.issue.pk)
    assert (issue.title, issue.branch, issue.campaign) == (
        "改过的标题",
        world.a.branch,
        world.campaign,
    )
    assert figures(office, world) == before


def test_admin_cannot_put_an_opinion_in_an_issue_of_another_branch_or_campaign(
    client, admin_user, world, other_campaign
):
    """An opinion's issue is read-only in the admin (the screens' services dispose of it),
    so a posted issue is ignored: no opinion lands in an issue of another branch or campaign."""
    loose = FeedbackItemFactory(activity=world.a.activity)
    elsewhere = another_campaigns_opinion(world, other_campaign)
    client.force_login(admin_user)
    for item, issue in ((loose, world.b.issue), (elsewhere, world.a.issue)):
        url = reverse("admin:outreach_feedbackitem_change", args=[item.pk])
        post_admin_form(client, url, issue=issue.pk)
        item.refresh_from_db()
        assert item.issue_id is None


# --- a queryset update() ----------------------------------------------------------------


def test_an_issue_cannot_leave_its_opinions_branch_or_campaign(world, other_campaign, office):
    before = figures(office, world)
    issue = Issue.objects.filter(pk=world.a.issue.pk)
    with refused_by_the_database():
        issue.update(branch=world.b.branch)
    with refused_by_the_database():
        issue.update(campaign=other_campaign)
    assert figures(office, world) == before


def test_an_activity_with_opinions_in_an_issue_cannot_move(world, other_campaign):
    activity = Activity.objects.filter(pk=world.a.activity.pk)
    with refused_by_the_database():
        activity.update(branch=world.b.branch)
    with refused_by_the_database():
        activity.update(campaign=other_campaign)
    assert FeedbackItem.objects.get(pk=world.a.feedback.pk).branch == world.a.branch


def test_an_opinion_cannot_join_an_issue_of_another_branch_or_campaign(world, other_campaign):
    loose = FeedbackItemFactory(activity=world.a.activity)
    elsewhere = another_campaigns_opinion(world, other_campaign)
    with refused_by_the_database():
        FeedbackItem.objects.filter(pk=loose.pk).update(issue=world.b.issue)
    with refused_by_the_database():
        FeedbackItem.objects.filter(pk=elsewhere.pk).update(issue=world.a.issue)
    with refused_by_the_database():
        FeedbackItemFactory(activity=world.b.activity, issue=world.a.issue)
    # The same branch and campaign is a consistent write.
    FeedbackItem.objects.filter(pk=loose.pk).update(issue=world.a.issue)
    assert world.a.issue.feedback_items.count() == 2


def test_an_activity_without_opinions_in_issues_moves_freely(world, other_campaign):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    FeedbackItemFactory(activity=activity)
    Activity.objects.filter(pk=activity.pk).update(campaign=other_campaign, branch=world.b.branch)
    assert activity.feedback_items.get().branch == world.b.branch


# --- the services -----------------------------------------------------------------------


def test_the_services_refuse_the_same_moves(world, other_campaign, staff_a):
    with pytest.raises(ValidationError) as moved:
        activity_update(
            actor=staff_a,
            activity=world.a.activity,
            campaign=other_campaign,
            occurred_on=world.a.activity.occurred_on,
            enterprises=world.a.activity.enterprises.all(),
        )
    assert "campaign" in moved.value.message_dict
    elsewhere = another_campaigns_opinion(world, other_campaign)
    with pytest.raises(ValidationError):
        feedback_link(actor=staff_a, issue=world.a.issue, feedback_items=[elsewhere])
    assert FeedbackItem.objects.get(pk=elsewhere.pk).issue_id is None
