"""The database itself refuses rows that break the domain's rules, whatever code writes them.

Each write goes straight to the database (``save``/``update`` do not run ``full_clean``), inside
``transaction.atomic()`` so the failed statement does not poison the test's transaction on
PostgreSQL.
"""

from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from branches.models import Branch
from issues.models import Instruction, Issue, IssueEvent
from outreach.models import Activity, Campaign, Enterprise, FeedbackItem
from tests.factories import (
    ActivityFactory,
    BranchFactory,
    CampaignFactory,
    EnterpriseFactory,
    FeedbackItemFactory,
    InstructionFactory,
    IssueEventFactory,
    IssueFactory,
    ProvinceFactory,
)

pytestmark = pytest.mark.django_db


def refused(error=IntegrityError):
    """Expect the database to refuse the write inside the block."""
    return pytest.raises(error)


# --- the issue timeline is append-only ---------------------------------------------------


def test_database_refuses_to_update_an_issue_event():
    event = IssueEventFactory(note="原始记录")
    # SQLite's trigger aborts with an IntegrityError, PostgreSQL's raises an InternalError:
    # both are DatabaseErrors.
    with refused(DatabaseError), transaction.atomic():
        IssueEvent.objects.filter(pk=event.pk).update(note="x")
    event.refresh_from_db()
    assert event.note == "原始记录"


def test_database_refuses_to_save_a_changed_issue_event():
    event = IssueEventFactory(note="原始记录")
    event.note = "改过的记录"
    with refused(DatabaseError), transaction.atomic():
        event.save()
    assert IssueEvent.objects.get(pk=event.pk).note == "原始记录"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="on SQLite only updates are refused, because Django's test flush uses DELETE",
)
def test_database_refuses_to_delete_an_issue_event_on_postgresql():
    event = IssueEventFactory()
    with refused(DatabaseError), transaction.atomic():
        IssueEvent.objects.filter(pk=event.pk).delete()
    assert IssueEvent.objects.filter(pk=event.pk).exists()


def test_database_accepts_new_issue_events():
    issue = IssueFactory()
    IssueEventFactory.create_batch(2, issue=issue)
    assert issue.events.count() == 2


# --- feedback disposition -------------------------------------------------------------


def test_feedback_item_cannot_be_both_linked_to_an_issue_and_closed():
    item = FeedbackItemFactory()
    issue = IssueFactory(branch=item.branch)
    with refused(), transaction.atomic():
        FeedbackItem.objects.filter(pk=item.pk).update(
            issue=issue, closed_at=timezone.now(), closed_reason="已解决"
        )


def test_closed_feedback_item_needs_a_reason():
    item = FeedbackItemFactory()
    with refused(), transaction.atomic():
        FeedbackItem.objects.filter(pk=item.pk).update(closed_at=timezone.now(), closed_reason="")


def test_closed_feedback_item_with_a_reason_is_accepted():
    item = FeedbackItemFactory(closed=True)
    assert item.disposition == FeedbackItem.Disposition.CLOSED


# --- withdrawal ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (Enterprise, EnterpriseFactory),
        (Activity, ActivityFactory),
        (FeedbackItem, FeedbackItemFactory),
        (Issue, IssueFactory),
    ],
)
def test_withdrawn_row_needs_a_reason(model, factory):
    row = factory()
    with refused(), transaction.atomic():
        model.objects.filter(pk=row.pk).update(withdrawn_at=timezone.now(), withdrawn_reason="")
    factory(withdrawn=True)  # with a reason it is accepted


# --- issues -----------------------------------------------------------------------------


def test_issue_cannot_be_merged_into_itself():
    issue = IssueFactory()
    with refused(), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(merged_into=issue, merged_at=timezone.now())


def test_merged_issue_needs_the_time_of_the_merge():
    survivor, duplicate = IssueFactory.create_batch(2)
    with refused(), transaction.atomic():
        Issue.objects.filter(pk=duplicate.pk).update(merged_into=survivor, merged_at=None)
    Issue.objects.filter(pk=duplicate.pk).update(merged_into=survivor, merged_at=timezone.now())


def test_issue_state_must_be_one_of_the_workflow_states():
    issue = IssueFactory()
    with refused(), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(state="closed")


def test_acknowledged_instruction_needs_who_acknowledged_it():
    instruction = InstructionFactory()
    with refused(), transaction.atomic():
        Instruction.objects.filter(pk=instruction.pk).update(acknowledged_at=timezone.now())


# --- activities and campaigns -------------------------------------------------------------


@pytest.mark.parametrize("kind", [k for k in Activity.Kind if k != Activity.Kind.SURVEY])
def test_activity_that_is_not_a_survey_cannot_have_forms_sent(kind):
    with refused(), transaction.atomic():
        ActivityFactory(kind=kind, forms_sent=10)


def test_activity_that_is_not_a_survey_cannot_have_forms_returned():
    with refused(), transaction.atomic():
        ActivityFactory(kind=Activity.Kind.VISIT, forms_returned=3)


def test_survey_forms_returned_cannot_exceed_forms_sent():
    with refused(), transaction.atomic():
        ActivityFactory(survey=True, forms_sent=10, forms_returned=11)


def test_survey_with_forms_returned_up_to_forms_sent_is_accepted():
    ActivityFactory(survey=True, forms_sent=10, forms_returned=10)
    ActivityFactory(survey=True, forms_sent=10, forms_returned=None)


def test_campaign_cannot_end_before_it_starts():
    campaign = CampaignFactory()
    with refused(), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(
            ends_on=campaign.starts_on - timedelta(days=1)
        )


# --- branches ------------------------------------------------------------------------------


def test_there_is_only_one_province_branch():
    ProvinceFactory()
    with refused(), transaction.atomic():
        Branch.objects.create(
            kind=Branch.Kind.PROVINCE, name="另一个省院", short_name="省院2", code="province-2"
        )


def test_city_branch_must_have_a_parent():
    with refused(), transaction.atomic():
        BranchFactory(parent=None)


def test_province_branch_cannot_have_a_parent():
    city = BranchFactory()
    with refused(), transaction.atomic():
        Branch.objects.filter(pk=city.parent_id).update(parent=city)
