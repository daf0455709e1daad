"""Reply approval (four eyes), where the office asks a branch for it
(``Branch.replies_need_approval``): a reply becomes a draft waiting for a lead of the branch
other than its author, who approves it (it is then a reply, counted) or sends it back with
a comment (its author edits and submits it again). Tested at the service, then the pages.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from issues import services, signals
from issues.models import IssueEvent, Reply, ReplyDraft
from issues.views.opinions import reply_recorded_message
from outreach.models import UNREPLIED, FeedbackItem
from reports.metrics import campaign_report
from reports.selection import Selection
from tests.db_state import database_rows
from tests.factories import FeedbackItemFactory
from tests.issues.screens import issue_in

pytestmark = pytest.mark.django_db

Kind = IssueEvent.Kind
Status = ReplyDraft.Status


@pytest.fixture
def approval_a(world):
    """Branch A's replies need a lead's approval."""
    branch = world.a.branch
    branch.replies_need_approval = True
    branch.save(update_fields=["replies_need_approval"])
    return branch


@pytest.fixture
def issue(world, approval_a):
    """A rectified issue of A with one opinion not yet answered."""
    return issue_in(world, "rectified")


@pytest.fixture
def item(issue):
    return issue.feedback_items.get()


def draft_by(actor, item, **fields) -> ReplyDraft:
    values = {"channel": Reply.Channel.PHONE, "content": "已电话向企业说明整改情况", **fields}
    return services.reply_record(actor=actor, feedback_item=item, **values)


def kinds(issue) -> list[str]:
    return list(issue.events.order_by("id").values_list("kind", flat=True))


# --- drafting ------------------------------------------------------------------------------


def test_a_reply_in_a_branch_that_needs_approval_is_a_draft_not_a_reply(staff_a, issue, item):
    draft = draft_by(staff_a, item)
    assert isinstance(draft, ReplyDraft)
    assert draft.status == Status.PENDING and draft.drafted_by == staff_a
    assert not Reply.objects.filter(feedback_item=item).exists()
    assert FeedbackItem.objects.filter(UNREPLIED, pk=item.pk).exists()
    assert kinds(issue)[-1] == Kind.REPLY_DRAFTED


def test_a_draft_sends_no_reply_signal(staff_a, item, django_capture_on_commit_callbacks):
    handler = mock.Mock()
    signals.reply_recorded.connect(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            draft_by(staff_a, item)
    finally:
        signals.reply_recorded.disconnect(handler)
    handler.assert_not_called()


def test_an_attempt_is_recorded_at_once_without_approval(staff_a, item):
    attempt = draft_by(staff_a, item, satisfaction=Reply.Satisfaction.NOT_REACHABLE)
    assert isinstance(attempt, Reply) and attempt.is_attempt
    assert not ReplyDraft.objects.filter(feedback_item=item).exists()


def test_a_branch_without_approval_records_replies_as_before(world, staff_a):
    reply = draft_by(staff_a, issue_in(world, "rectified").feedback_items.get())
    assert isinstance(reply, Reply) and reply.approved_by is None


def test_a_lead_s_own_reply_waits_for_another_lead_too(lead_a, item):
    assert isinstance(draft_by(lead_a, item), ReplyDraft)


def test_one_answer_to_the_whole_issue_drafts_one_reply_per_opinion_once(world, staff_a):
    issue = issue_in(world, "rectified", items=2)
    world.a.branch.replies_need_approval = True
    world.a.branch.save()
    drafts = services.reply_record_for_issue(
        actor=staff_a, issue=issue, channel="phone", content="已统一答复"
    )
    assert [type(d) for d in drafts] == [ReplyDraft, ReplyDraft]
    with pytest.raises(ValidationError, match="waiting for approval"), translation.override("en"):
        services.reply_record_for_issue(
            actor=staff_a, issue=issue, channel="phone", content="已统一答复"
        )
    assert ReplyDraft.objects.filter(feedback_item__issue=issue).count() == 2


# --- approving -----------------------------------------------------------------------------


def test_a_lead_approves_a_draft_into_the_author_s_reply(
    staff_a, lead_a, issue, item, django_capture_on_commit_callbacks
):
    draft = draft_by(staff_a, item, satisfaction=Reply.Satisfaction.SATISFIED)
    handler = mock.Mock()
    signals.reply_recorded.connect(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            reply = services.reply_draft_approve(actor=lead_a, draft=draft)
    finally:
        signals.reply_recorded.disconnect(handler)
    assert reply.replied_by == staff_a and reply.approved_by == lead_a
    assert reply.approved_at is not None
    assert (reply.content, reply.satisfaction) == (draft.content, "satisfied")
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED and draft.reply == reply
    assert draft.reviewed_by == lead_a
    assert not FeedbackItem.objects.filter(UNREPLIED, pk=item.pk).exists()
    assert kinds(issue)[-1] == Kind.REPLY_APPROVED
    handler.assert_called_once()
    assert handler.call_args.kwargs["reply"] == reply


def test_a_draft_is_approved_once(staff_a, lead_a, item):
    draft = draft_by(staff_a, item)
    services.reply_draft_approve(actor=lead_a, draft=draft)
    with pytest.raises(ValidationError) as refused:
        services.reply_draft_approve(actor=lead_a, draft=draft)
    assert refused.value.code == "stale"
    assert Reply.objects.filter(feedback_item=item).count() == 1


def test_the_author_never_approves_their_own_draft(lead_a, item):
    draft = draft_by(lead_a, item)
    with pytest.raises(PermissionDenied):
        services.reply_draft_approve(actor=lead_a, draft=draft)
    draft.refresh_from_db()
    assert draft.status == Status.PENDING


def test_the_database_refuses_a_review_by_the_author(lead_a, item):
    draft = draft_by(lead_a, item)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplyDraft.objects.filter(pk=draft.pk).update(
            status=Status.SENT_BACK, reviewed_by=lead_a, reviewed_at=timezone.now()
        )


@pytest.mark.parametrize("persona", ["staff_a", "lead_b", "staff_b", "office", "leader"])
def test_only_a_lead_of_the_branch_approves_or_sends_back(personas, staff_a, item, persona):
    draft = draft_by(staff_a, item)
    actor = personas[persona]
    with pytest.raises(PermissionDenied):
        services.reply_draft_approve(actor=actor, draft=draft)
    with pytest.raises(PermissionDenied):
        services.reply_draft_send_back(actor=actor, draft=draft, comment="请补充整改时间")
    draft.refresh_from_db()
    assert draft.status == Status.PENDING and not Reply.objects.filter(feedback_item=item)


# --- sending back and submitting again -----------------------------------------------------


def test_a_draft_sent_back_needs_a_comment(staff_a, lead_a, item):
    draft = draft_by(staff_a, item)
    with pytest.raises(ValidationError) as refused:
        services.reply_draft_send_back(actor=lead_a, draft=draft, comment="  ")
    assert "comment" in refused.value.error_dict
    draft.refresh_from_db()
    assert draft.status == Status.PENDING


def test_sent_back_then_edited_and_approved(staff_a, lead_a, issue, item):
    draft = draft_by(staff_a, item)
    services.reply_draft_send_back(actor=lead_a, draft=draft, comment="请写明整改完成时间")
    draft.refresh_from_db()
    assert draft.status == Status.SENT_BACK and draft.review_comment == "请写明整改完成时间"
    assert kinds(issue)[-1] == Kind.REPLY_SENT_BACK
    with pytest.raises(ValidationError):  # sent back: no longer waits for approval
        services.reply_draft_approve(actor=lead_a, draft=draft)
    with pytest.raises(PermissionDenied):  # only its author submits it again
        services.reply_draft_resubmit(actor=lead_a, draft=draft, channel="phone", content="x")
    services.reply_draft_resubmit(
        actor=staff_a, draft=draft, channel="visit", content="已于9月30日完成整改并上门说明"
    )
    draft.refresh_from_db()
    assert draft.status == Status.PENDING and draft.channel == "visit"
    assert draft.reviewed_by is None and draft.review_comment == ""
    assert draft.history.filter(review_comment="请写明整改完成时间").exists()
    reply = services.reply_draft_approve(actor=lead_a, draft=draft)
    assert reply.content == "已于9月30日完成整改并上门说明"


def test_a_resubmitted_draft_is_checked_like_a_reply(staff_a, lead_a, item):
    draft = draft_by(staff_a, item)
    services.reply_draft_send_back(actor=lead_a, draft=draft, comment="请补充")
    with pytest.raises(ValidationError) as refused:
        services.reply_draft_resubmit(actor=staff_a, draft=draft, channel="phone", content=" ")
    assert "content" in refused.value.error_dict
    draft.refresh_from_db()
    assert draft.status == Status.SENT_BACK


# --- one answer waits for approval per opinion (review of issue 12) -------------------------


def test_a_second_answer_to_an_opinion_waiting_for_approval_is_refused(
    world, staff_a, lead_a, item
):
    from branches.models import Membership
    from tests.factories import member

    draft = draft_by(staff_a, item)
    with pytest.raises(ValidationError) as refused:
        services.feedback_reply(
            actor=lead_a, feedback_items=[item], channel="phone", content="答复二", seen_reply_id=0
        )
    assert refused.value.code == "draft_pending"
    assert ReplyDraft.objects.filter(feedback_item=item).count() == 1
    other_lead = member(Membership.Role.LEAD, world.a.branch, username="lead2_a")
    services.reply_draft_approve(actor=other_lead, draft=draft)
    assert Reply.objects.filter(feedback_item=item).count() == 1


def test_a_draft_sent_back_is_not_resubmitted_beside_another_waiting(staff_a, lead_a, item):
    first = draft_by(staff_a, item)
    services.reply_draft_send_back(actor=lead_a, draft=first, comment="请补充")
    draft_by(lead_a, item)  # another answer waits now
    with pytest.raises(ValidationError):
        services.reply_draft_resubmit(actor=staff_a, draft=first, channel="phone", content="补充")
    first.refresh_from_db()
    assert first.status == Status.SENT_BACK


def test_the_database_keeps_one_draft_waiting_per_opinion(staff_a, lead_a, item):
    draft_by(staff_a, item)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplyDraft.objects.create(
            feedback_item=item, channel="phone", content="x", drafted_by=lead_a
        )


# --- figures -------------------------------------------------------------------------------


def test_a_draft_counts_in_no_figure_until_approved(world, office, staff_a, lead_a, item):
    def replied():
        counts = campaign_report(office, Selection(campaign=world.campaign)).total.counts
        return counts["replied_feedback"], counts["unreplied_feedback"]

    before = replied()
    draft = draft_by(staff_a, item)
    assert replied() == before
    services.reply_draft_approve(actor=lead_a, draft=draft)
    assert replied() == (before[0] + 1, before[1] - 1)


# --- pages ---------------------------------------------------------------------------------


def sent_for_approval() -> str:
    with translation.override("zh-hans"):
        return str(reply_recorded_message(ReplyDraft(), 1))


def test_the_opinion_page_sends_a_reply_for_approval(client, staff_a, item):
    client.force_login(staff_a)
    url = reverse("issues:feedback_reply", args=[item.pk])
    response = client.post(
        url,
        {
            "channel": "phone",
            "content": "已电话答复",
            "replied_on": timezone.localdate().isoformat(),
            "seen_reply_id": 0,
        },
        follow=True,
    )
    assert sent_for_approval() in response.content.decode()
    assert ReplyDraft.objects.filter(feedback_item=item, status=Status.PENDING).exists()
    assert [d.pk for d in response.context["drafts"]] == [
        ReplyDraft.objects.get(feedback_item=item).pk
    ]
    assert not response.context["drafts"][0].may_approve  # its author


def test_the_issue_page_reply_goes_for_approval(client, staff_a, issue, item):
    client.force_login(staff_a)
    response = client.post(
        reverse("issues:reply_add", args=[issue.pk]),
        {
            "feedback_item": item.pk,
            "channel": "phone",
            "content": "已电话答复",
            "replied_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assert sent_for_approval() in response.content.decode()
    assert ReplyDraft.objects.filter(feedback_item=item).count() == 1


def test_the_lead_approves_from_the_opinion_page(client, staff_a, lead_a, item):
    draft = draft_by(staff_a, item)
    client.force_login(lead_a)
    page = client.get(reverse("issues:feedback_detail", args=[item.pk]))
    assert page.context["drafts"][0].may_approve
    assert 'data-testid="approve-draft"' in page.content.decode()
    response = client.post(reverse("issues:reply_draft_approve", args=[draft.pk]))
    assert response.status_code == 302
    assert Reply.objects.get(feedback_item=item).approved_by == lead_a


def test_sending_back_without_a_comment_shows_the_form_again(client, staff_a, lead_a, item):
    draft = draft_by(staff_a, item)
    client.force_login(lead_a)
    before = database_rows()
    response = client.post(reverse("issues:reply_draft_send_back", args=[draft.pk]), {})
    assert response.status_code == 200
    assert response.context["drafts"][0].send_back_form.errors
    assert database_rows() == before


def test_the_author_sees_the_comment_and_submits_again(client, staff_a, lead_a, item):
    draft = draft_by(staff_a, item)
    services.reply_draft_send_back(actor=lead_a, draft=draft, comment="请补充整改时间")
    client.force_login(staff_a)
    page = client.get(reverse("issues:feedback_detail", args=[item.pk])).content.decode()
    assert "请补充整改时间" in page and 'data-testid="resubmit-form"' in page
    work = client.get(reverse("issues:my_work"))
    sections = {s["key"]: s["items"] for s in work.context["sections"]}
    assert sections["drafts_sent_back"] == [draft]
    response = client.post(
        reverse("issues:reply_draft_resubmit", args=[draft.pk]),
        {
            "channel": "phone",
            "content": "已于9月30日完成整改",
            "replied_on": timezone.localdate().isoformat(),
            "satisfaction": "",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PENDING and draft.content == "已于9月30日完成整改"


def test_a_lead_s_work_lists_the_drafts_waiting_for_them(client, world, staff_a, lead_a, item):
    client.force_login(lead_a)
    draft = draft_by(staff_a, item)
    own = draft_by(lead_a, FeedbackItemFactory(activity=item.activity))
    work = client.get(reverse("issues:my_work"))
    sections = {s["key"]: s["items"] for s in work.context["sections"]}
    assert draft in sections["drafts_to_approve"]
    assert world.a.reply_draft in sections["drafts_to_approve"]
    assert own not in sections["drafts_to_approve"]


def test_no_queue_lists_a_draft_to_a_withdrawn_opinion(client, staff_a, lead_a, item):
    waiting = draft_by(staff_a, item)
    back = draft_by(staff_a, FeedbackItemFactory(activity=item.activity))
    services.reply_draft_send_back(actor=lead_a, draft=back, comment="请补充")
    FeedbackItem.objects.filter(pk__in=[item.pk, back.feedback_item_id]).update(
        withdrawn_at=timezone.now(), withdrawn_reason="重复录入"
    )
    for user, key, draft in (
        (lead_a, "drafts_to_approve", waiting),
        (staff_a, "drafts_sent_back", back),
    ):
        client.force_login(user)
        sections = {
            s["key"]: s["items"] for s in client.get(reverse("issues:my_work")).context["sections"]
        }
        assert draft not in sections.get(key, [])


def test_staff_has_no_approval_queue(client, staff_a, item):
    draft_by(staff_a, item)
    client.force_login(staff_a)
    work = client.get(reverse("issues:my_work"))
    assert "drafts_to_approve" not in {s["key"] for s in work.context["sections"]}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_a", 403), ("lead_b", 404), ("office", 403), ("leader", 403), ("lead_a", 302)],
)
def test_who_may_approve_on_the_page(client, personas, staff_a, item, persona, status):
    draft = draft_by(staff_a, item)
    client.force_login(personas[persona])
    response = client.post(reverse("issues:reply_draft_approve", args=[draft.pk]))
    assert response.status_code == status
    assert Reply.objects.filter(feedback_item=item).exists() == (status == 302)


def test_the_author_lead_may_not_approve_on_the_page(client, lead_a, item):
    draft = draft_by(lead_a, item)
    client.force_login(lead_a)
    response = client.post(reverse("issues:reply_draft_approve", args=[draft.pk]))
    assert response.status_code == 403
    page = client.get(reverse("issues:feedback_detail", args=[item.pk])).content.decode()
    assert 'data-testid="approve-draft"' not in page


def test_every_draft_form_carries_its_one_time_key(client, staff_a, lead_a, item):
    from tests.test_every_form_once import assert_every_form_keyed

    pending = draft_by(staff_a, item)
    sent_back = draft_by(staff_a, FeedbackItemFactory(activity=item.activity))
    services.reply_draft_send_back(actor=lead_a, draft=sent_back, comment="请补充")
    client.force_login(lead_a)
    assert (
        assert_every_form_keyed(
            client, reverse("issues:feedback_detail", args=[pending.feedback_item_id])
        )
        >= 3
    )
    client.force_login(staff_a)
    assert (
        assert_every_form_keyed(
            client, reverse("issues:feedback_detail", args=[sent_back.feedback_item_id])
        )
        >= 2
    )
