"""The dashboard's summary rows (``summaries``) against a recount of the raw rows.

``tests/conftest.py`` compares them after every test of the suite; these tests name the
writes the figures live by, one at a time, and show the comparison itself catches a
write that went around the triggers."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from issues.services import feedback_close, feedback_link, issue_create, issue_merge
from outreach.models import Activity, FeedbackItem
from outreach.registry import enterprise_merge
from outreach.services import activity_create, activity_update, feedback_create, record_withdraw
from reports.metrics import campaign_report
from reports.selection import Selection
from summaries import services, sql
from summaries.models import OpinionDay
from summaries.recount import MODELS, differences
from tests.admin_forms import form_errors, post_admin_form
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    EnterpriseFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    ReplyFactory,
)

pytestmark = pytest.mark.django_db


def exact():
    found = differences()
    assert found == [], found
    return True


def figure(user, key, **selection):
    return campaign_report(user, Selection(**selection)).total[key]


def test_services_writes_are_followed(world, staff_a, lead_a, office):
    campaign, branch = world.campaign, world.a.branch
    firm, other = EnterpriseFactory(), EnterpriseFactory()
    visited = figure(office, "enterprises_visited", campaign=campaign)
    visit = activity_create(
        actor=staff_a,
        branch=branch,
        campaign=campaign,
        kind=Activity.Kind.VISIT,
        occurred_on=date(2026, 11, 2),
        enterprises=[firm],
    )
    assert exact()
    assert figure(office, "enterprises_visited", campaign=campaign) == visited + 1
    category = FeedbackCategoryFactory()
    items = [
        feedback_create(
            actor=staff_a, activity=visit, category=category, content=f"意见{n}", enterprise=firm
        )
        for n in range(3)
    ]
    assert exact()
    # The visit's day and its enterprises change: the opinions' rows move with it.
    activity_update(
        actor=staff_a,
        activity=visit,
        campaign=campaign,
        occurred_on=date(2026, 11, 9),
        enterprises=[firm, other],
    )
    assert exact()
    assert figure(office, "enterprises_visited", campaign=campaign) == visited + 2
    issue = issue_create(actor=staff_a, feedback_items=items[:1], title="问题", category=category)
    feedback_link(actor=staff_a, issue=issue, feedback_items=items[1:2])
    assert exact()
    duplicate = issue_create(
        actor=staff_a,
        feedback_items=[
            feedback_create(actor=staff_a, activity=visit, category=category, content="重复")
        ],
        title="重复",
        category=category,
    )
    issue_merge(actor=staff_a, issue=duplicate, into=issue)
    feedback_close(actor=staff_a, feedback_items=items[2:], reason="已解释")
    assert exact()
    ReplyFactory(feedback_item=items[0], satisfaction="satisfied")
    assert exact()
    assert figure(office, "satisfied_feedback", campaign=campaign) >= 1
    lonely = feedback_create(actor=staff_a, activity=visit, category=category, content="撤回")
    record_withdraw(actor=staff_a, record=lonely, reason="重复录入")
    assert exact()


def test_queryset_updates_and_deletes_are_followed(world, office):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    items = FeedbackItemFactory.create_batch(3, activity=activity)
    later = CampaignFactory()
    FeedbackItem.objects.filter(pk=items[0].pk).update(kind=FeedbackItem.Kind.PRAISE)
    FeedbackItem.objects.filter(pk=items[1].pk).update(received_on=date(2025, 1, 31))
    assert exact()
    # Moving an activity to another branch, campaign and kind moves its opinions' counts.
    Activity.objects.filter(pk=activity.pk).update(
        branch=world.b.branch, campaign=later, kind=Activity.Kind.ONLINE_BOX
    )
    assert exact()
    assert figure(office, "box_feedback", campaign=later) == 3
    assert figure(office, "feedback_items", campaign=later, branch=world.b.branch) == 3
    FeedbackItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    Activity.objects.filter(pk=activity.pk).update(
        withdrawn_at=timezone.now(), withdrawn_reason="重复录入"
    )
    assert exact()
    visit = ActivityFactory(branch=world.a.branch, kind=Activity.Kind.VISIT)
    visit.enterprises.add(*EnterpriseFactory.create_batch(2))
    visit.enterprises.remove(visit.enterprises.first())
    visit.delete()
    assert exact()


def test_admin_edits_are_followed(client, admin_user, world):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    item = FeedbackItemFactory(activity=activity)
    client.force_login(admin_user)
    url = reverse("admin:outreach_activity_change", args=[activity.pk])
    response = post_admin_form(client, url, occurred_on="2026-03-04", branch=world.b.branch.pk)
    assert response.status_code == 302, form_errors(response)
    assert exact()
    url = reverse("admin:outreach_feedbackitem_change", args=[item.pk])
    response = post_admin_form(client, url, kind=FeedbackItem.Kind.SUGGESTION)
    assert response.status_code == 302, form_errors(response)
    assert exact()


def test_merging_enterprises_moves_their_visits(world, office):
    survivor, duplicate = EnterpriseFactory(), EnterpriseFactory()
    one = ActivityFactory(branch=world.a.branch, campaign=world.campaign, kind="visit")
    two = ActivityFactory(branch=world.b.branch, campaign=world.campaign, kind="visit")
    one.enterprises.add(survivor, duplicate)
    two.enterprises.add(duplicate)
    before = figure(office, "enterprises_visited", campaign=world.campaign)
    enterprise_merge(actor=office, survivor=survivor, duplicate=duplicate, reason="同一企业")
    assert exact()
    assert figure(office, "enterprises_visited", campaign=world.campaign) == before - 1


def test_compaction_folds_rows_without_changing_a_sum(world, office):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    items = FeedbackItemFactory.create_batch(4, activity=activity)
    for item in items:
        FeedbackItem.objects.filter(pk=item.pk).update(kind=FeedbackItem.Kind.SUGGESTION)
    before = campaign_report(office, Selection(campaign=world.campaign)).total.counts
    rows = OpinionDay.objects.count()
    services.compact()
    assert exact()
    assert OpinionDay.objects.count() < rows
    assert campaign_report(office, Selection(campaign=world.campaign)).total.counts == before
    # Each key has one row left, and no row sums to nothing.
    for table, model in MODELS.items():
        keys, counts = sql.TABLES[table]
        assert model.objects.count() == model.objects.values(*keys).distinct().count(), table
        assert not model.objects.filter(**dict.fromkeys(counts, 0)).exists(), table


@pytest.mark.summaries_unchecked
def test_a_write_around_the_triggers_is_caught_and_rebuilt(world, office):
    exact()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM summaries_opinionday")
        cursor.execute("UPDATE summaries_enterprisevisit SET n = n + 1")
    found = differences()
    assert any("summaries_opinionday" in line for line in found)
    assert any("summaries_enterprisevisit" in line for line in found)
    call_command("rebuild_summaries")
    assert exact()


def test_the_commands_rebuild_and_fold_without_changing_a_figure(world, office):
    FeedbackItemFactory.create_batch(3, activity=world.a.activity)
    before = campaign_report(office, Selection(campaign=world.campaign)).total.counts
    out = io.StringIO()
    call_command("compact_summaries", stdout=out)
    call_command("rebuild_summaries", stdout=out)
    assert exact()
    assert campaign_report(office, Selection(campaign=world.campaign)).total.counts == before
    assert OpinionDay.objects.filter(campaign=world.campaign).exists()
