"""Withdrawing an issue sends its opinions back to "no disposition" (``issue_withdraw``).

A withdrawn issue leaves every figure; an opinion it held must not leave the promise meter
with it. The branch lead withdraws; the opinions are unlinked, the timeline says which, and
each opinion's history records it.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from issues import services
from issues.models import Issue, IssueEvent
from outreach.models import UNDISPOSED, FeedbackItem
from tests.db_state import database_rows
from tests.issues.screens import issue_in

pytestmark = pytest.mark.django_db

State = Issue.State


def withdraw(actor, issue, reason="误将表扬立项"):
    return services.issue_withdraw(actor=actor, issue=issue, reason=reason)


def test_the_lead_withdraws_and_the_opinions_go_back_to_no_disposition(world, lead_a):
    issue = issue_in(world, State.RECTIFYING, items=2, replied=True)
    items = list(issue.feedback_items.order_by("pk"))
    withdraw(lead_a, issue)
    issue.refresh_from_db()
    assert issue.withdrawn_at is not None and issue.withdrawn_by == lead_a
    assert issue.withdrawn_reason == "误将表扬立项"
    undisposed = FeedbackItem.objects.filter(UNDISPOSED, pk__in=[i.pk for i in items])
    assert undisposed.count() == 2
    event = issue.events.get(kind=IssueEvent.Kind.WITHDRAWN)
    assert event.actor == lead_a
    assert all(f"#{item.pk}" in event.note for item in items)
    # Each opinion's history says it left the issue, and why.
    latest = items[0].history.first()
    assert latest.issue_id is None and latest.history_user == lead_a
    # Their replies stay.
    assert all(item.replies.exists() for item in items)


def test_a_withdrawn_issue_leaves_the_figures_and_its_opinions_wait_again(world, lead_a, office):
    from reports.metrics import campaign_report
    from reports.selection import Selection

    issue = issue_in(world, State.COLLECTED, items=2)
    before = campaign_report(office, Selection(campaign=world.campaign)).total.counts
    withdraw(lead_a, issue)
    after = campaign_report(office, Selection(campaign=world.campaign)).total.counts
    assert after["issues_found"] == before["issues_found"] - 1
    assert after["undisposed_feedback"] == before["undisposed_feedback"] + 2


def test_staff_cannot_withdraw_an_issue(world, staff_a):
    issue = issue_in(world, State.COLLECTED)
    with pytest.raises(PermissionDenied):
        withdraw(staff_a, issue)
    assert Issue.objects.get(pk=issue.pk).withdrawn_at is None


@pytest.mark.parametrize("persona", ["lead_b", "office", "leader", "admin_user"])
def test_nobody_else_withdraws_an_issue(world, personas, persona):
    issue = issue_in(world, State.COLLECTED)
    with pytest.raises(PermissionDenied):
        withdraw(personas[persona], issue)


def test_withdrawing_twice_is_refused_as_stale(world, lead_a):
    issue = issue_in(world, State.COLLECTED)
    withdraw(lead_a, issue)
    with pytest.raises(ValidationError) as refused:
        withdraw(lead_a, issue)
    assert refused.value.code == "stale"


def test_withdrawing_needs_a_reason(world, lead_a):
    issue = issue_in(world, State.COLLECTED)
    with pytest.raises(ValidationError) as refused:
        withdraw(lead_a, issue, reason=" ")
    assert "reason" in refused.value.error_dict


def test_a_merge_moves_every_opinion_to_the_survivor(world, staff_a):
    duplicate = issue_in(world, State.COLLECTED, items=2)
    survivor = issue_in(world, State.COLLECTED)
    moved = set(duplicate.feedback_items.values_list("pk", flat=True))
    services.issue_merge(actor=staff_a, issue=duplicate, into=survivor)
    assert not FeedbackItem.objects.filter(issue=duplicate).exists()
    assert moved <= set(survivor.feedback_items.values_list("pk", flat=True))


# --- the screen ------------------------------------------------------------------------------


def test_the_lead_withdraws_from_the_issue_page(client, world, lead_a):
    issue = issue_in(world, State.COLLECTED, items=1)
    item = issue.feedback_items.get()
    client.force_login(lead_a)
    page = client.get(reverse("issues:issue_detail", args=[issue.pk]))
    assert page.context["withdraw_form"] is not None
    response = client.post(
        reverse("issues:issue_withdraw", args=[issue.pk]), {"reason": "重复立项"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("issues:issue_detail", args=[issue.pk])
    assert Issue.objects.get(pk=issue.pk).withdrawn_at is not None
    assert FeedbackItem.objects.get(pk=item.pk).issue_id is None
    assert response.context["withdraw_form"] is None


def test_staff_see_no_withdraw_form_and_get_a_403(client, world, staff_a):
    issue = issue_in(world, State.COLLECTED)
    client.force_login(staff_a)
    assert (
        client.get(reverse("issues:issue_detail", args=[issue.pk])).context["withdraw_form"] is None
    )
    before = database_rows()
    response = client.post(reverse("issues:issue_withdraw", args=[issue.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert database_rows() == before


def test_a_withdrawal_without_a_reason_comes_back_with_the_form_open(client, world, lead_a):
    issue = issue_in(world, State.COLLECTED)
    client.force_login(lead_a)
    response = client.post(reverse("issues:issue_withdraw", args=[issue.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["withdraw_open"]
    assert Issue.objects.get(pk=issue.pk).withdrawn_at is None


def test_a_second_withdrawal_changes_nothing(client, world, lead_a):
    issue = issue_in(world, State.COLLECTED)
    client.force_login(lead_a)
    url = reverse("issues:issue_withdraw", args=[issue.pk])
    client.post(url, {"reason": "重复立项"}, follow=True)
    before = database_rows()
    response = client.post(url, {"reason": "重复立项"}, follow=True)
    assert database_rows() == before
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
