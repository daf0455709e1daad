"""An issue of branch A with one opinion, and a helper that says who was told what."""

import pytest

from notifications.models import Notification
from tests.factories import FeedbackItemFactory, IssueFactory


@pytest.fixture
def issue_a(branch_a, staff_a):
    """A collected issue of branch A, distilled from one opinion."""
    item = FeedbackItemFactory(activity__branch=branch_a)
    return IssueFactory(
        branch=branch_a,
        campaign=item.activity.campaign,
        category=item.category,
        created_by=staff_a,
        feedback_items=[item],
    )


def told(issue, kind=None) -> set[str]:
    """The usernames notified about ``issue`` (of that ``kind``)."""
    rows = Notification.objects.filter(issue=issue)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("recipient__username", flat=True))


@pytest.fixture(autouse=True)
def notify_at_once(request, monkeypatch):
    """Notifications follow a commit, and these tests run in a transaction that never
    commits: run the on-commit work at once so each test sees who was told (unless the
    test captures the callbacks itself to check the timing)."""
    if "django_capture_on_commit_callbacks" in request.fixturenames:
        return
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
