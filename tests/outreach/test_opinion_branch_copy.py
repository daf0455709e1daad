"""An opinion's branch is its activity's, whatever writes (outreach/migrations/0012).

``FeedbackItem.branch`` is a copy kept for speed. Moving an activity to another branch (in
the admin, or by any ``update()``) moves its opinions, so per-branch figures and scope
follow; writing an opinion with any other branch is refused. Each path is tried: the admin's
change form, a queryset ``update()``, and the services.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from outreach.models import FeedbackItem
from outreach.services import NewOpinion, feedback_create, feedback_create_many
from tests.admin_forms import form_errors, post_admin_form
from tests.derived import branch_counts, refused_by_the_database
from tests.factories import ActivityFactory, FeedbackItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loose(world):
    """An activity of A with two opinions in no issue: free to move."""
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    FeedbackItemFactory.create_batch(2, activity=activity)
    return activity


def branches_of(activity) -> set[str]:
    items = FeedbackItem.objects.filter(activity=activity)
    return set(items.values_list("branch__code", flat=True))


# --- the admin --------------------------------------------------------------------------


def test_admin_moving_an_activity_moves_its_opinions_and_the_figures(
    client, admin_user, office, staff_a, staff_b, world, loose
):
    a, b = world.a.branch.code, world.b.branch.code
    before = branch_counts(office, "feedback_items", campaign=world.campaign)
    client.force_login(admin_user)
    url = reverse("admin:outreach_activity_change", args=[loose.pk])
    response = post_admin_form(client, url, branch=world.b.branch.pk)
    assert response.status_code == 302, form_errors(response)

    assert branches_of(loose) == {b}
    after = branch_counts(office, "feedback_items", campaign=world.campaign)
    assert after == {a: before[a] - 2, b: before[b] + 2}
    # Scope follows too: B's staff now see them, A's no longer do.
    moved = FeedbackItem.objects.filter(activity=loose)
    assert moved.visible_to(staff_b).count() == 2
    assert moved.visible_to(staff_a).count() == 0


def test_admin_moving_an_opinion_to_another_activity_gives_it_that_branch(
    client, admin_user, world, loose
):
    item = loose.feedback_items.first()
    client.force_login(admin_user)
    url = reverse("admin:outreach_feedbackitem_change", args=[item.pk])
    response = post_admin_form(client, url, activity=world.b.activity.pk)
    assert response.status_code == 302, form_errors(response)
    item.refresh_from_db()
    assert (item.activity, item.branch) == (world.b.activity, world.b.branch)


def test_admin_shows_the_branch_but_never_takes_it_from_the_form(client, admin_user, loose, world):
    item = loose.feedback_items.first()
    client.force_login(admin_user)
    url = reverse("admin:outreach_feedbackitem_change", args=[item.pk])
    response = post_admin_form(client, url, branch=world.b.branch.pk)
    assert response.status_code == 302, form_errors(response)
    item.refresh_from_db()
    assert item.branch == world.a.branch


# --- a queryset update() ----------------------------------------------------------------


def test_updating_an_activitys_branch_moves_its_opinions(world, loose, office):
    type(loose).objects.filter(pk=loose.pk).update(branch=world.b.branch)
    assert branches_of(loose) == {world.b.branch.code}
    assert sum(branch_counts(office, "feedback_items", campaign=world.campaign).values()) == 4


def test_an_opinion_cannot_be_given_another_branch(world, loose):
    items = FeedbackItem.objects.filter(activity=loose)
    with refused_by_the_database():
        items.update(branch=world.b.branch)
    with refused_by_the_database():
        items.update(activity=world.b.activity)
    assert branches_of(loose) == {world.a.branch.code}
    # Moving to another activity with that activity's branch is a consistent write.
    items.update(activity=world.b.activity, branch=world.b.branch)
    assert branches_of(world.b.activity) == {world.b.branch.code}


def test_an_opinion_cannot_be_created_with_another_branch(world, loose):
    with refused_by_the_database():
        FeedbackItemFactory(activity=loose, branch=world.b.branch, enterprise=None)
    assert loose.feedback_items.count() == 2


# --- the services -----------------------------------------------------------------------


def test_the_services_give_an_opinion_its_activitys_branch(world, loose, staff_a):
    category = world.a.feedback.category
    one = feedback_create(actor=staff_a, activity=loose, category=category, content="收费偏高")
    many = feedback_create_many(
        actor=staff_a,
        opinions=[NewOpinion(loose, category, "报告慢"), NewOpinion(loose, category, "态度好")],
    )
    assert {item.branch_id for item in [one, *many]} == {world.a.branch.pk}
    assert branches_of(loose) == {world.a.branch.code}
