"""Helpers for the issue screen tests: an issue of a branch of ``world`` in a chosen state."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from issues.models import Issue
from tests.factories import (
    ActivityFactory,
    EnterpriseFactory,
    FeedbackItemFactory,
    IssueFactory,
    ReplyFactory,
)


def issue_in(world, state: str, *, branch="a", items: int = 1, replied: bool = False, **fields):
    """An issue of ``world.<branch>`` in ``state`` with ``items`` opinions of its activity.

    Planned fields are filled as the workflow would have filled them on the way: measures,
    responsible and deadline once rectifying, the rectification once rectified.
    """
    rows = getattr(world, branch)
    staff = rows.activity.staff.first()
    values = {
        "branch": rows.branch,
        "campaign": world.campaign,
        "category": rows.feedback.category,
        "state": state,
        "created_by": staff,
    }
    if state != Issue.State.COLLECTED:
        values.update(
            measures="更换检验报告模板",
            responsible=staff,
            deadline=timezone.localdate() + timedelta(days=20),
        )
    if state in (Issue.State.RECTIFIED, Issue.State.ANSWERED):
        values.update(rectification="已更换模板并培训", rectified_at=timezone.now())
    if state == Issue.State.ANSWERED:
        values["answered_at"] = timezone.now()
    values.update(fields)
    activity = rows.activity
    if values["campaign"] != world.campaign:
        # An issue and its opinions share a campaign (the database holds them to it).
        activity = ActivityFactory(branch=rows.branch, campaign=values["campaign"], staff=[staff])
    feedback = [
        FeedbackItemFactory(
            activity=activity,
            enterprise=EnterpriseFactory(branch=rows.branch),
            category=values["category"],
        )
        for _ in range(items)
    ]
    issue = IssueFactory(feedback_items=feedback, **values)
    if replied:
        for item in feedback:
            ReplyFactory(feedback_item=item, replied_by=staff)
    return issue
