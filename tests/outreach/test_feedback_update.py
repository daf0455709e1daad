"""Correcting an opinion (``services.feedback_update``): by its branch, not once withdrawn,
not over someone else's change, not where the workflow keeps a field; every correction in
its history, with who made it, and the dashboard's summary rows exact."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from issues.services import feedback_close, feedback_reply
from outreach import selectors
from outreach.models import Activity, FeedbackCategory, FeedbackItem
from outreach.services import feedback_kept_fields, feedback_update
from receipts import box, codes
from receipts.services import receipt_issue, receipt_revoke
from summaries.models import OpinionDay
from summaries.recount import differences
from tests.factories import (
    EnterpriseFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    ReplyDraftFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_firm(world):
    """A second enterprise met at A's activity."""
    firm = EnterpriseFactory(branch=world.a.branch, name="晋江起重机械厂")
    world.a.activity.enterprises.add(firm)
    return firm


@pytest.fixture
def item(world, staff_a):
    """An opinion of A's activity, neither disposed of nor answered nor on a receipt."""
    return FeedbackItemFactory(
        activity=world.a.activity,
        enterprise=world.a.enterprise,
        category=FeedbackCategoryFactory(name="收费"),
        content="检验收费标准不透明",
        contact="张先生",
        created_by=staff_a,
    )


def correct(actor, item, **changes):
    """``feedback_update`` with the opinion as it is, and ``changes`` over it."""
    fields = {
        "enterprise": item.enterprise,
        "category": item.category,
        "kind": item.kind,
        "content": item.content,
        "contact": item.contact,
        "seen_updated_at": item.updated_at,
        **changes,
    }
    return feedback_update(actor=actor, feedback_item=item, **fields)


def test_staff_correct_every_field_and_the_history_keeps_the_change(
    world, staff_a, item, other_firm
):
    advice = FeedbackCategoryFactory(name="服务效率")
    changed = correct(
        staff_a,
        item,
        enterprise=other_firm,
        category=advice,
        kind=FeedbackItem.Kind.SUGGESTION,
        content="  建议公开检验收费标准  ",
        contact="李女士 13800000000",
    )
    assert changed == ["enterprise", "category", "kind", "content", "contact"]
    item.refresh_from_db()
    assert (item.enterprise, item.category, item.kind) == (other_firm, advice, "suggestion")
    assert (item.content, item.contact) == ("建议公开检验收费标准", "李女士 13800000000")
    row = item.history.first()
    assert (row.history_type, row.history_user) == ("~", staff_a)

    entries, trail = selectors.feedback_history(item)
    assert [entry.kind for entry in entries] == ["changed", "created"]
    shown = {change.name: (change.old, change.new) for change in entries[0].changes}
    assert shown == {
        "enterprise": (world.a.enterprise.name, "晋江起重机械厂"),
        "category": ("收费", "服务效率"),
        "kind": ("问题", "建议"),
        "content": ("检验收费标准不透明", "建议公开检验收费标准"),
        "contact": ("张先生", "李女士 13800000000"),
    }
    assert entries[0].user == staff_a
    assert (trail.entered_by, trail.changed_by) == (staff_a, staff_a)
    assert trail.changed_at == row.history_date


def test_the_lead_corrects_too_and_an_opinion_may_become_anonymous(world, lead_a, item):
    assert correct(lead_a, item, enterprise=None, contact="") == ["enterprise", "contact"]
    item.refresh_from_db()
    assert item.enterprise is None and item.contact == ""
    assert item.history.first().history_user == lead_a


def test_nothing_changed_writes_nothing(staff_a, item):
    before = (item.history.count(), item.updated_at)
    assert correct(staff_a, item, content=f" {item.content} ") == []
    item.refresh_from_db()
    assert (item.history.count(), item.updated_at) == before


@pytest.mark.parametrize("persona", ["staff_b", "lead_b", "office", "leader", "admin_user"])
def test_nobody_outside_the_branch_corrects(personas, world, item, persona):
    with pytest.raises(PermissionDenied):
        correct(personas[persona], item, content="别处改的")
    item.refresh_from_db()
    assert item.content == "检验收费标准不透明"


def test_a_withdrawn_opinion_is_not_corrected(staff_a, world):
    item = FeedbackItemFactory(activity=world.a.activity, withdrawn=True)
    with pytest.raises(ValidationError, match="撤回"):
        correct(staff_a, item, content="撤销后再改")
    assert FeedbackItem.objects.get(pk=item.pk).content != "撤销后再改"


def test_a_stale_correction_is_refused_not_applied_over_anothers(staff_a, lead_a, item):
    seen = item.updated_at  # both opened the form on the opinion as it was
    correct(lead_a, item, content="负责人的更正")
    rows = item.history.count()
    with pytest.raises(ValidationError) as refused:
        correct(staff_a, item, content="工作人员的更正", seen_updated_at=seen)
    assert refused.value.code == "stale"
    assert "你打开之后" in refused.value.messages[0]
    item.refresh_from_db()
    assert item.content == "负责人的更正"
    assert item.history.count() == rows


def test_a_disposition_made_meanwhile_makes_the_form_stale(staff_a, item):
    seen = item.updated_at
    feedback_close(actor=staff_a, feedback_items=[item], reason="表扬意见，无需整改")
    with pytest.raises(ValidationError) as refused:
        correct(staff_a, item, kind=FeedbackItem.Kind.PRAISE, seen_updated_at=seen)
    assert refused.value.code == "stale"
    item.refresh_from_db()
    assert item.kind == FeedbackItem.Kind.PROBLEM


def test_the_enterprise_is_one_met_at_the_activity(staff_a, item, other_firm):
    stranger = EnterpriseFactory(name="未到场的企业")
    with pytest.raises(ValidationError) as refused:
        correct(staff_a, item, enterprise=stranger)
    assert "在这次活动中见到的企业" in refused.value.message_dict["enterprise"][0]
    other_firm.withdrawn_at, other_firm.withdrawn_reason = timezone.now(), "重复登记"
    other_firm.save()
    with pytest.raises(ValidationError) as refused:
        correct(staff_a, item, enterprise=other_firm)
    assert list(refused.value.message_dict) == ["enterprise"]
    item.refresh_from_db()
    assert item.enterprise_id != other_firm.pk


def test_empty_words_and_a_category_no_longer_in_use_are_refused(staff_a, item):
    retired = FeedbackCategoryFactory(name="已停用的类别", is_active=False)
    with pytest.raises(ValidationError) as refused:
        correct(staff_a, item, content="   ", category=retired)
    assert set(refused.value.message_dict) == {"content", "category"}


def test_a_category_retired_since_stays_when_unchanged(staff_a, item):
    category = item.category
    category.is_active = False
    category.save()
    try:
        assert correct(staff_a, item, contact="王经理") == ["contact"]
    finally:
        category.is_active = True
        category.save()


def test_once_answered_the_words_and_the_enterprise_stay(staff_a, item, other_firm):
    feedback_reply(
        actor=staff_a,
        feedback_items=[item],
        channel="phone",
        content="已电话说明收费依据",
        replied_on=timezone.localdate(),
        satisfaction="satisfied",
    )
    item.refresh_from_db()
    assert set(feedback_kept_fields(item)) == {"content", "enterprise"}
    with pytest.raises(ValidationError) as refused:
        correct(staff_a, item, content="改写答复过的话", enterprise=other_firm)
    assert set(refused.value.message_dict) == {"content", "enterprise"}
    # What was classified wrong is still corrected.
    assert correct(staff_a, item, kind=FeedbackItem.Kind.SUGGESTION) == ["kind"]


def test_a_reply_awaiting_approval_keeps_the_enterprise(staff_a, item, other_firm):
    ReplyDraftFactory(feedback_item=item, drafted_by=staff_a)
    assert list(feedback_kept_fields(item)) == ["enterprise"]
    with pytest.raises(ValidationError) as refused:
        correct(staff_a, item, enterprise=other_firm)
    assert "答复" in refused.value.message_dict["enterprise"][0]
    assert correct(staff_a, item, content="未答复前可改") == ["content"]


def test_a_live_receipt_keeps_the_enterprise_until_revoked(staff_a, world, item, other_firm):
    receipt, _code = receipt_issue(
        activity=world.a.activity, enterprise=world.a.enterprise, actor=staff_a
    )
    assert receipt.feedback_items.filter(pk=item.pk).exists()
    with pytest.raises(ValidationError) as refused:
        correct(staff_a, item, enterprise=other_firm)
    assert "回执" in refused.value.message_dict["enterprise"][0]
    receipt_revoke(receipt=receipt, actor=staff_a)
    item.refresh_from_db()
    assert correct(staff_a, item, enterprise=other_firm) == ["enterprise"]


def test_the_online_boxs_opinion_keeps_the_senders_words(world, staff_a):
    sent = box.box_submit(
        code=codes.new_code(),
        branch=world.a.branch,
        category=world.a.feedback.category,
        content="箱中意见原话",
        contact="13905910000",
        anonymous=False,
        stated_name="声称的公司",
    )
    item = sent.feedback_items.get()
    assert item.activity.kind == Activity.Kind.ONLINE_BOX
    with pytest.raises(ValidationError) as refused:
        correct(staff_a, item, content="工作人员改写")
    assert list(refused.value.message_dict) == ["content"]
    other = FeedbackCategory.objects.exclude(pk=item.category_id).first()
    assert correct(staff_a, item, category=other, kind="suggestion") == ["category", "kind"]


def count_of(category) -> int:
    return OpinionDay.objects.filter(category=category).aggregate(n=Sum("n"))["n"] or 0


def test_the_dashboards_rows_follow_a_corrected_category_kind_and_enterprise(
    staff_a, item, other_firm
):
    fees, advice = item.category, FeedbackCategoryFactory(name="服务效率")
    before = (count_of(fees), count_of(advice))
    problems = OpinionDay.objects.aggregate(n=Sum("problem"))["n"]
    correct(staff_a, item, category=advice, kind=FeedbackItem.Kind.SUGGESTION)
    assert differences() == []
    assert (count_of(fees), count_of(advice)) == (before[0] - 1, before[1] + 1)
    assert OpinionDay.objects.aggregate(n=Sum("problem"))["n"] == problems - 1
    item.refresh_from_db()
    correct(staff_a, item, enterprise=other_firm)
    item.refresh_from_db()
    correct(staff_a, item, enterprise=None, category=fees)
    assert differences() == []
    assert count_of(fees) == before[0]
