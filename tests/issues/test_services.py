"""The writes around issues that are not state transitions (``issues/services.py``).

Opening issues from opinions, linking, closing and merging, replies, leader instructions
and provincial meetings: each tested at the service, with the persona who may and the
ones who may not.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils import timezone

from issues import services
from issues.models import Instruction, Issue, IssueEvent, ProvincialMeeting, Reply
from outreach.models import FeedbackItem
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    InstructionFactory,
    IssueFactory,
    ReplyFactory,
)

pytestmark = pytest.mark.django_db

State = Issue.State
Kind = IssueEvent.Kind


@pytest.fixture
def campaign():
    return CampaignFactory()


@pytest.fixture
def activity_a(branch_a, campaign):
    return ActivityFactory(branch=branch_a, campaign=campaign)


@pytest.fixture
def activity_b(branch_b, campaign):
    return ActivityFactory(branch=branch_b, campaign=campaign)


@pytest.fixture
def category():
    return FeedbackCategoryFactory(name="服务效率")


def items_of(activity, count=2, **fields):
    return [FeedbackItemFactory(activity=activity, **fields) for _ in range(count)]


def open_issue(actor, items, category, title="检验预约排队时间长"):
    return services.issue_create(actor=actor, feedback_items=items, title=title, category=category)


def issue_of(activity, state=State.COLLECTED, items=1, **fields):
    linked = items_of(activity, items)
    if linked:
        fields.setdefault("category", linked[0].category)
    return IssueFactory(
        branch=activity.branch,
        campaign=activity.campaign,
        state=state,
        feedback_items=linked,
        **fields,
    )


def linked_issue_ids(items):
    return [FeedbackItem.objects.get(pk=item.pk).issue_id for item in items]


# --- issue_create --------------------------------------------------------------------


def test_staff_opens_an_issue_from_undisposed_opinions(staff_a, activity_a, category):
    items = items_of(activity_a)
    issue = open_issue(staff_a, items, category)
    assert (issue.branch, issue.campaign, issue.category) == (
        activity_a.branch,
        activity_a.campaign,
        category,
    )
    assert issue.state == State.COLLECTED
    assert issue.created_by == staff_a
    assert linked_issue_ids(items) == [issue.pk, issue.pk]
    event = IssueEvent.objects.get(issue=issue)
    assert (event.kind, event.actor) == (Kind.CREATED, staff_a)
    assert all(f"#{item.pk}" in event.note for item in items)


def test_lead_opens_an_issue_too(lead_a, activity_a, category):
    issue = open_issue(lead_a, items_of(activity_a, 1), category)
    assert issue.created_by == lead_a


@pytest.mark.parametrize(
    "disposed",
    [
        pytest.param({"closed": True}, id="closed"),
        pytest.param({"withdrawn": True}, id="withdrawn"),
        pytest.param("linked", id="linked"),
    ],
)
def test_opening_an_issue_with_a_disposed_opinion_links_nothing(
    staff_a, activity_a, category, disposed
):
    fresh = items_of(activity_a, 1)
    if disposed == "linked":
        taken = issue_of(activity_a).feedback_items.get()
    else:
        taken = FeedbackItemFactory(activity=activity_a, **disposed)
    issues_before = Issue.objects.count()
    with pytest.raises(ValidationError) as refused:
        open_issue(staff_a, [*fresh, taken], category)
    assert refused.value.code == "already_disposed"
    assert f"#{taken.pk}" in refused.value.messages[0]
    assert Issue.objects.count() == issues_before
    assert linked_issue_ids(fresh) == [None]


def test_an_issue_gathers_opinions_of_one_campaign(staff_a, activity_a, branch_a, category):
    other_campaign = ActivityFactory(branch=branch_a, campaign=CampaignFactory())
    items = [*items_of(activity_a, 1), *items_of(other_campaign, 1)]
    with pytest.raises(ValidationError) as refused:
        open_issue(staff_a, items, category)
    assert refused.value.code == "mixed_campaigns"
    assert not Issue.objects.exists()
    assert linked_issue_ids(items) == [None, None]


def test_staff_cannot_open_an_issue_from_another_branchs_opinion(
    staff_a, activity_a, activity_b, category
):
    items = [*items_of(activity_a, 1), *items_of(activity_b, 1)]
    with pytest.raises(PermissionDenied):
        open_issue(staff_a, items, category)
    with pytest.raises(PermissionDenied):
        open_issue(staff_a, items[1:], category)
    assert not Issue.objects.exists()
    assert linked_issue_ids(items) == [None, None]


@pytest.mark.parametrize("persona", ["office", "leader", "admin_user", "no_role_user"])
def test_only_branch_workers_open_issues(personas, persona, activity_a, category):
    items = items_of(activity_a, 1)
    with pytest.raises(PermissionDenied):
        open_issue(personas[persona], items, category)
    assert not Issue.objects.exists()


def test_an_issue_needs_opinions_and_a_title(staff_a, activity_a, category):
    with pytest.raises(ValidationError) as refused:
        open_issue(staff_a, [], category)
    assert refused.value.code == "no_items"
    items = items_of(activity_a, 1)
    with pytest.raises(ValidationError) as refused:
        open_issue(staff_a, items, category, title="   ")
    assert "title" in refused.value.message_dict
    assert linked_issue_ids(items) == [None]


# --- feedback_link -------------------------------------------------------------------


def test_staff_links_more_opinions_into_an_open_issue(staff_a, activity_a):
    issue = issue_of(activity_a, state=State.RECTIFYING)
    extra = items_of(activity_a, 2)
    services.feedback_link(actor=staff_a, issue=issue, feedback_items=extra)
    assert linked_issue_ids(extra) == [issue.pk, issue.pk]
    event = IssueEvent.objects.get(issue=issue)
    assert (event.kind, event.actor) == (Kind.FEEDBACK_LINKED, staff_a)


@pytest.mark.parametrize("closed", ["answered", "merged", "withdrawn"])
def test_opinions_cannot_join_a_finished_issue(staff_a, activity_a, closed):
    if closed == "answered":
        issue = issue_of(activity_a, state=State.ANSWERED)
    elif closed == "merged":
        issue = issue_of(
            activity_a, merged_into=issue_of(activity_a), merged_at=timezone.now(), items=0
        )
    else:
        issue = issue_of(activity_a, withdrawn=True, items=0)
    extra = items_of(activity_a, 1)
    with pytest.raises(ValidationError) as refused:
        services.feedback_link(actor=staff_a, issue=issue, feedback_items=extra)
    assert refused.value.code == "issue_closed"
    assert linked_issue_ids(extra) == [None]
    assert not IssueEvent.objects.filter(issue=issue).exists()


def test_an_opinion_already_in_an_issue_cannot_join_another(staff_a, activity_a):
    first, second = issue_of(activity_a), issue_of(activity_a)
    item = first.feedback_items.get()
    with pytest.raises(ValidationError):
        services.feedback_link(actor=staff_a, issue=second, feedback_items=[item])
    assert linked_issue_ids([item]) == [first.pk]


def test_an_opinion_of_another_campaign_cannot_join_an_issue(staff_a, activity_a, branch_a):
    issue = issue_of(activity_a)
    elsewhere = ActivityFactory(branch=branch_a, campaign=CampaignFactory())
    stray = FeedbackItemFactory(activity=elsewhere)
    with pytest.raises(ValidationError) as refused:
        services.feedback_link(actor=staff_a, issue=issue, feedback_items=[stray])
    assert refused.value.code == "mixed_campaigns"
    stray.refresh_from_db()
    assert stray.issue_id is None


def test_issues_of_two_campaigns_cannot_be_merged(staff_a, activity_a, branch_a):
    survivor = issue_of(activity_a)
    duplicate = issue_of(ActivityFactory(branch=branch_a, campaign=CampaignFactory()))
    with pytest.raises(ValidationError):
        services.issue_merge(actor=staff_a, issue=duplicate, into=survivor)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_another_branch_cannot_link_into_an_issue(staff_b, activity_a, activity_b):
    issue = issue_of(activity_a)
    with pytest.raises(ObjectDoesNotExist):
        services.feedback_link(actor=staff_b, issue=issue, feedback_items=items_of(activity_b, 1))


def test_the_office_cannot_link_opinions(office, activity_a):
    issue = issue_of(activity_a)
    extra = items_of(activity_a, 1)
    with pytest.raises(PermissionDenied):
        services.feedback_link(actor=office, issue=issue, feedback_items=extra)
    assert linked_issue_ids(extra) == [None]


# --- feedback_close ------------------------------------------------------------------


def test_closing_opinions_needs_a_reason(staff_a, activity_a):
    items = items_of(activity_a, 1)
    with pytest.raises(ValidationError) as refused:
        services.feedback_close(actor=staff_a, feedback_items=items, reason="  ")
    assert "reason" in refused.value.message_dict
    assert FeedbackItem.objects.get(pk=items[0].pk).closed_at is None


def test_staff_closes_opinions_that_need_no_issue(staff_a, activity_a):
    items = items_of(activity_a, 2, kind=FeedbackItem.Kind.PRAISE)
    assert services.feedback_close(actor=staff_a, feedback_items=items, reason="表扬意见") == 2
    for item in FeedbackItem.objects.filter(pk__in=[i.pk for i in items]):
        assert item.closed_at is not None
        assert (item.closed_by, item.closed_reason) == (staff_a, "表扬意见")
        assert item.disposition == FeedbackItem.Disposition.CLOSED


def test_a_linked_opinion_cannot_be_closed(staff_a, activity_a):
    item = issue_of(activity_a).feedback_items.get()
    with pytest.raises(ValidationError):
        services.feedback_close(actor=staff_a, feedback_items=[item], reason="无需处理")
    assert FeedbackItem.objects.get(pk=item.pk).closed_at is None


@pytest.mark.parametrize("persona", ["staff_b", "office", "leader"])
def test_only_the_branch_closes_its_opinions(personas, persona, activity_a):
    items = items_of(activity_a, 1)
    with pytest.raises(PermissionDenied):
        services.feedback_close(actor=personas[persona], feedback_items=items, reason="无需处理")
    assert FeedbackItem.objects.get(pk=items[0].pk).closed_at is None


# --- issue_merge ---------------------------------------------------------------------


def test_merging_moves_the_opinions_and_leaves_the_counts(staff_a, activity_a):
    duplicate = issue_of(activity_a, items=2)
    survivor = issue_of(activity_a)
    moved = list(duplicate.feedback_items.values_list("pk", flat=True))
    assert set(Issue.objects.counted()) == {duplicate, survivor}

    services.issue_merge(actor=staff_a, issue=duplicate, into=survivor)

    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert duplicate.merged_at is not None
    assert set(survivor.feedback_items.values_list("pk", flat=True)) >= set(moved)
    assert not duplicate.feedback_items.exists()
    assert list(Issue.objects.counted()) == [survivor]
    assert Issue.objects.filter(pk=duplicate.pk).exists()  # merged, not deleted
    merged_event = IssueEvent.objects.get(issue=duplicate)
    assert (merged_event.kind, merged_event.actor) == (Kind.MERGED, staff_a)
    taken_over = IssueEvent.objects.get(issue=survivor)
    assert taken_over.kind == Kind.FEEDBACK_LINKED
    assert f"#{duplicate.pk}" in taken_over.note


def snapshot(*issues):
    return (
        list(Issue.objects.filter(pk__in=[i.pk for i in issues]).order_by("pk").values()),
        list(FeedbackItem.objects.order_by("pk").values_list("pk", "issue_id")),
        IssueEvent.objects.count(),
    )


def test_an_issue_cannot_be_merged_into_itself(staff_a, activity_a):
    issue = issue_of(activity_a)
    before = snapshot(issue)
    with pytest.raises((ValidationError, PermissionDenied)):
        services.issue_merge(actor=staff_a, issue=issue, into=issue)
    assert snapshot(issue) == before


def test_merging_an_issue_into_itself_says_so(staff_a, activity_a):
    issue = issue_of(activity_a)
    with pytest.raises(ValidationError):
        services.issue_merge(actor=staff_a, issue=issue, into=issue)


@pytest.mark.parametrize("persona", ["lead_a", "office"])
def test_issues_of_two_branches_cannot_be_merged(personas, persona, activity_a, activity_b):
    mine, theirs = issue_of(activity_a), issue_of(activity_b)
    before = snapshot(mine, theirs)
    with pytest.raises(PermissionDenied):
        services.issue_merge(actor=personas[persona], issue=mine, into=theirs)
    with pytest.raises(PermissionDenied):
        services.issue_merge(actor=personas[persona], issue=theirs, into=mine)
    assert snapshot(mine, theirs) == before


def test_nothing_merges_into_an_answered_or_merged_issue(staff_a, activity_a):
    answered = issue_of(activity_a, state=State.ANSWERED)
    survivor = issue_of(activity_a)
    merged = issue_of(activity_a, merged_into=survivor, merged_at=timezone.now(), items=0)
    duplicate = issue_of(activity_a)
    before = snapshot(answered, merged, duplicate)
    for target in (answered, merged):
        with pytest.raises(ValidationError):
            services.issue_merge(actor=staff_a, issue=duplicate, into=target)
    with pytest.raises(ValidationError):
        services.issue_merge(actor=staff_a, issue=merged, into=duplicate)
    assert snapshot(answered, merged, duplicate) == before


# --- reply_record --------------------------------------------------------------------


def test_staff_records_a_reply_on_the_issues_timeline(
    staff_a, activity_a, django_capture_on_commit_callbacks
):
    issue = issue_of(activity_a)
    item = issue.feedback_items.get()
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply_record(
            actor=staff_a,
            feedback_item=item,
            channel=Reply.Channel.PHONE,
            content="已电话告知整改安排",
            satisfaction=Reply.Satisfaction.SATISFIED,
        )
    assert (reply.feedback_item, reply.replied_by) == (item, staff_a)
    assert reply.replied_on == timezone.localdate()
    event = IssueEvent.objects.get(issue=issue)
    assert (event.kind, event.actor) == (Kind.REPLY, staff_a)
    assert f"#{item.pk}" in event.note


def test_an_opinion_closed_without_an_issue_still_gets_a_reply(staff_a, activity_a):
    item = FeedbackItemFactory(activity=activity_a, closed=True)
    services.reply_record(
        actor=staff_a, feedback_item=item, channel=Reply.Channel.LETTER, content="感谢您的表扬"
    )
    assert Reply.objects.filter(feedback_item=item).count() == 1
    assert not IssueEvent.objects.exists()


@pytest.mark.parametrize("persona", ["staff_b", "lead_b", "office", "leader"])
def test_only_the_branchs_staff_record_replies(personas, persona, activity_a):
    item = issue_of(activity_a).feedback_items.get()
    with pytest.raises(PermissionDenied):
        services.reply_record(
            actor=personas[persona],
            feedback_item=item,
            channel=Reply.Channel.PHONE,
            content="答复",
        )
    assert not Reply.objects.exists()
    assert not IssueEvent.objects.exists()


def test_a_reply_cannot_be_dated_in_the_future(staff_a, activity_a):
    item = issue_of(activity_a).feedback_items.get()
    with pytest.raises(ValidationError) as refused:
        services.reply_record(
            actor=staff_a,
            feedback_item=item,
            channel=Reply.Channel.PHONE,
            content="答复",
            replied_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"replied_on"}
    assert not Reply.objects.exists()


def test_a_reply_needs_a_channel_and_content(staff_a, activity_a):
    item = issue_of(activity_a).feedback_items.get()
    with pytest.raises(ValidationError) as refused:
        services.reply_record(actor=staff_a, feedback_item=item, channel="fax", content=" ")
    assert set(refused.value.message_dict) == {"channel", "content"}
    assert not Reply.objects.exists()


def test_a_withdrawn_opinion_gets_no_reply(staff_a, activity_a):
    item = FeedbackItemFactory(activity=activity_a, withdrawn=True)
    with pytest.raises(ValidationError):
        services.reply_record(
            actor=staff_a, feedback_item=item, channel=Reply.Channel.PHONE, content="答复"
        )
    assert not Reply.objects.exists()


# --- reply_record_for_issue ----------------------------------------------------------


def test_one_answer_to_every_enterprise_behind_an_issue(staff_a, activity_a):
    issue = issue_of(activity_a, items=3)
    replied, *unreplied = issue.feedback_items.order_by("pk")
    ReplyFactory(feedback_item=replied, replied_by=staff_a)
    FeedbackItemFactory(activity=activity_a, issue=issue, withdrawn=True)

    replies = services.reply_record_for_issue(
        actor=staff_a, issue=issue, channel=Reply.Channel.MEETING, content="座谈会统一答复"
    )

    assert sorted(reply.feedback_item_id for reply in replies) == [i.pk for i in unreplied]
    assert Reply.objects.filter(feedback_item=replied).count() == 1
    assert IssueEvent.objects.filter(issue=issue, kind=Kind.REPLY).count() == 2
    with pytest.raises(ValidationError):
        services.reply_record_for_issue(
            actor=staff_a, issue=issue, channel=Reply.Channel.MEETING, content="再次答复"
        )


def test_another_branch_cannot_answer_for_an_issue(staff_b, activity_a):
    issue = issue_of(activity_a)
    with pytest.raises(ObjectDoesNotExist):
        services.reply_record_for_issue(
            actor=staff_b, issue=issue, channel=Reply.Channel.PHONE, content="答复"
        )
    assert not Reply.objects.exists()


# --- instructions --------------------------------------------------------------------


def test_a_leader_writes_an_instruction_on_any_issue(
    leader, activity_a, activity_b, django_capture_on_commit_callbacks
):
    for activity in (activity_a, activity_b):  # liaison branch A or not
        issue = issue_of(activity)
        with django_capture_on_commit_callbacks(execute=True):
            instruction = services.instruction_write(
                actor=leader, issue=issue, content="请抓紧整改并按期答复"
            )
        assert (instruction.issue, instruction.author) == (issue, leader)
        event = IssueEvent.objects.get(issue=issue)
        assert (event.kind, event.actor, event.note) == (
            Kind.INSTRUCTION,
            leader,
            "请抓紧整改并按期答复",
        )


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "office", "admin_user"])
def test_only_leaders_write_instructions(personas, persona, activity_a):
    issue = issue_of(activity_a)
    with pytest.raises(PermissionDenied):
        services.instruction_write(actor=personas[persona], issue=issue, content="批示")
    assert not Instruction.objects.exists()


def test_an_instruction_needs_content(leader, activity_a):
    with pytest.raises(ValidationError) as refused:
        services.instruction_write(actor=leader, issue=issue_of(activity_a), content="")
    assert "content" in refused.value.message_dict


def test_the_branch_acknowledges_an_instruction_once(staff_a, leader, activity_a):
    instruction = InstructionFactory(issue=issue_of(activity_a), author=leader)
    services.instruction_acknowledge(actor=staff_a, instruction=instruction, note="已组织落实")
    instruction.refresh_from_db()
    assert instruction.acknowledged_by == staff_a
    assert instruction.acknowledged_at is not None
    event = IssueEvent.objects.get(issue=instruction.issue)
    assert (event.kind, event.actor) == (Kind.ACKNOWLEDGED, staff_a)
    with pytest.raises(ValidationError) as refused:
        services.instruction_acknowledge(actor=staff_a, instruction=instruction)
    assert refused.value.code == "stale"
    assert IssueEvent.objects.filter(issue=instruction.issue).count() == 1


@pytest.mark.parametrize("persona", ["leader", "office"])
def test_only_the_branch_acknowledges(personas, persona, leader, activity_a):
    instruction = InstructionFactory(issue=issue_of(activity_a), author=leader)
    with pytest.raises(PermissionDenied):
        services.instruction_acknowledge(actor=personas[persona], instruction=instruction)
    instruction.refresh_from_db()
    assert instruction.acknowledged_at is None


def test_another_branch_cannot_see_the_instruction_to_acknowledge(staff_b, leader, activity_a):
    instruction = InstructionFactory(issue=issue_of(activity_a), author=leader)
    with pytest.raises(ObjectDoesNotExist):
        services.instruction_acknowledge(actor=staff_b, instruction=instruction)
    instruction.refresh_from_db()
    assert instruction.acknowledged_at is None


# --- meeting_record ------------------------------------------------------------------


def test_the_office_records_a_provincial_meeting(office):
    meeting = services.meeting_record(
        actor=office,
        title="院长办公会（第3次）",
        held_on=timezone.localdate(),
        attendees="院长、副院长",
    )
    assert meeting.recorded_by == office
    assert ProvincialMeeting.objects.get() == meeting


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "leader", "admin_user", "no_role_user"])
def test_only_the_office_records_meetings(personas, persona):
    with pytest.raises(PermissionDenied):
        services.meeting_record(
            actor=personas[persona], title="院长办公会", held_on=timezone.localdate()
        )
    assert not ProvincialMeeting.objects.exists()


def test_a_meeting_needs_a_title(office):
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(actor=office, title=" ", held_on=timezone.localdate())
    assert "title" in refused.value.message_dict
