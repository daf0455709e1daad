"""The migrations that make the database keep derived data also repair what drifted before.

Each test takes one migration's triggers away (inside the test's transaction, which rolls
back), lets the copy drift as it could before, and runs the migration again: drifted copies
are put right, and rows it cannot put right stop it with their ids.
"""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from branches.models import Membership
from issues.models import Issue
from outreach.models import Activity, FeedbackItem
from tests.factories import ActivityFactory, CampaignFactory, FeedbackItemFactory

pytestmark = pytest.mark.django_db


class Editor:
    """The part of a schema editor these migrations use, usable inside a test's transaction
    (SQLite's real one refuses to open there)."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def migration(path: str):
    return importlib.import_module(path)


BRANCH_COPY = "outreach.migrations.0012_feedback_branch_follows_activity"
ISSUE_MATCH = "issues.migrations.0010_issue_matches_its_opinions"
ROLE_GROUP = "branches.migrations.0003_role_group_follows_membership"


def test_opinions_left_behind_by_a_moved_activity_are_moved(world):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    FeedbackItemFactory.create_batch(2, activity=activity)
    branch_copy = migration(BRANCH_COPY)
    branch_copy.backward(None, Editor())
    Activity.objects.filter(pk=activity.pk).update(branch=world.b.branch)
    assert set(activity.feedback_items.values_list("branch", flat=True)) == {world.a.branch.pk}

    branch_copy.forward(None, Editor())
    assert set(activity.feedback_items.values_list("branch", flat=True)) == {world.b.branch.pk}


def test_an_opinion_stuck_in_an_issue_of_its_old_branch_stops_the_migration(world):
    branch_copy = migration(BRANCH_COPY)
    issue_match = migration(ISSUE_MATCH)
    issue_match.backward(None, Editor())
    branch_copy.backward(None, Editor())
    Activity.objects.filter(pk=world.a.activity.pk).update(branch=world.b.branch)

    with pytest.raises(RuntimeError, match=rf"opinion #{world.a.feedback.pk} \(issue #"):
        branch_copy.forward(None, Editor())
    # Repaired by hand (the activity goes back), the migration runs.
    Activity.objects.filter(pk=world.a.activity.pk).update(branch=world.a.branch)
    branch_copy.forward(None, Editor())
    issue_match.forward(None, Editor())


def test_an_issue_already_holding_another_campaigns_opinion_stops_the_migration(world):
    issue_match = migration(ISSUE_MATCH)
    issue_match.backward(None, Editor())
    Issue.objects.filter(pk=world.a.issue.pk).update(campaign=CampaignFactory())

    with pytest.raises(RuntimeError, match=rf"#{world.a.issue.pk}\b"):
        issue_match.forward(None, Editor())
    Issue.objects.filter(pk=world.a.issue.pk).update(campaign=world.campaign)
    issue_match.forward(None, Editor())
    assert FeedbackItem.objects.filter(issue=world.a.issue).count() == 1


def test_role_groups_that_drifted_are_put_back(staff_a, lead_a, no_role_user):
    role_group = migration(ROLE_GROUP)
    role_group.backward(None, Editor())
    Membership.objects.filter(user=staff_a).update(role="lead")
    no_role_user.groups.add(Group.objects.get(name="provincial office"))

    role_group.forward(None, Editor())
    assert list(staff_a.groups.values_list("name", flat=True)) == ["branch lead"]
    assert list(lead_a.groups.values_list("name", flat=True)) == ["branch lead"]
    assert not no_role_user.groups.exists()
