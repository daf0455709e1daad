"""The counted issues of each branch, kept by triggers (``BranchIssueCount``): equal to a
recount after every kind of write, and the unfiltered issue list's total."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from issues import selectors, services
from issues.counts import (
    branch_issue_count_mismatches,
    rebuild_branch_issue_counts,
    recounted_by_branch,
)
from issues.models import BranchIssueCount, Issue
from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db


def kept() -> dict[int, int]:
    return dict(BranchIssueCount.objects.filter(counted__gt=0).values_list("branch", "counted"))


def assert_counts_exact():
    assert branch_issue_count_mismatches() == {}
    assert kept() == recounted_by_branch()


def test_the_counts_follow_every_kind_of_write(world, lead_a, staff_a):
    a, b = world.a.branch, world.b.branch
    assert_counts_exact()
    assert kept()[a.pk] == 1  # world.a.issue

    first = IssueFactory(branch=a, campaign=world.campaign)
    second = IssueFactory(branch=a, campaign=world.campaign)
    IssueFactory(branch=a, campaign=world.campaign, withdrawn=True)  # never counted
    assert kept()[a.pk] == 3
    assert_counts_exact()

    services.issue_merge(actor=staff_a, issue=second, into=first)
    assert kept()[a.pk] == 2
    services.issue_withdraw(actor=lead_a, issue=first, reason="误将表扬立项")
    assert kept()[a.pk] == 1
    assert_counts_exact()

    # A save that changes neither branch nor counting, then one that moves the branch
    # (of an issue without opinions: those share their issue's branch).
    issue = IssueFactory(branch=a, campaign=world.campaign)
    issue.title = "换个标题"
    issue.save()
    Issue.objects.filter(pk=issue.pk).update(branch=b)
    assert (kept()[a.pk], kept()[b.pk]) == (1, 2)
    assert_counts_exact()

    # Back in use (an admin's undo), bulk writes and raw SQL.
    Issue.objects.filter(pk=first.pk).update(withdrawn_at=None, withdrawn_reason="")
    Issue.objects.bulk_create(
        [
            Issue(
                branch=a,
                campaign=world.campaign,
                category=issue.category,
                title=f"批量 {n}",
                state=Issue.State.COLLECTED,
            )
            for n in range(3)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE issues_issue SET withdrawn_at = %s, withdrawn_reason = %s WHERE id = %s",
            [timezone.now(), "重复", first.pk],
        )
    assert kept()[a.pk] == 4
    assert_counts_exact()


def test_a_rebuild_recounts_counts_gone_wrong(world):
    BranchIssueCount.objects.filter(branch=world.a.branch).update(counted=99)
    BranchIssueCount.objects.filter(branch=world.b.branch).delete()
    assert set(branch_issue_count_mismatches()) == {world.a.branch.pk, world.b.branch.pk}
    rebuild_branch_issue_counts()
    assert_counts_exact()


@pytest.mark.parametrize("persona", ["office", "leader", "staff_a", "lead_b", "no_role_user"])
def test_the_unfiltered_list_total_is_the_count_of_its_rows(client, world, personas, persona):
    for branch in (world.a.branch, world.b.branch):
        IssueFactory.create_batch(2, branch=branch, campaign=world.campaign)
    user = personas[persona]
    assert selectors.counted_issue_total(user) == selectors.issues_in_list_order(user).count()
    client.force_login(user)
    url = reverse("issues:issue_list")
    shown = client.get(url).context["paginator"].count
    assert shown == selectors.issues_in_list_order(user).count()
    assert (
        shown == {"office": 6, "leader": 6, "staff_a": 3, "lead_b": 3, "no_role_user": 0}[persona]
    )
    # An empty search is no filter; a state is one, counted from the rows.
    assert client.get(url, {"q": " "}).context["paginator"].count == shown
    answered = client.get(url, {"state": Issue.State.ANSWERED}).context["paginator"].count
    assert answered == 0
