"""Merging two records of one company: every link moves, history is kept, only the office."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outreach.models import Activity, Enterprise, FeedbackItem
from outreach.registry import MERGED_RELATIONS, enterprise_merge
from reports.metrics import campaign_report
from reports.selection import Selection
from tests.db_state import database_rows
from tests.factories import (
    ActivityFactory,
    CountyFactory,
    EnterpriseFactory,
    EquipmentClassFactory,
    FeedbackItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(world):
    """One company registered twice: by A (the survivor) and by B (the duplicate, without
    a code), each visited by its branch; B's record gave an opinion, and a withdrawn one."""
    survivor = world.a.enterprise
    duplicate = EnterpriseFactory(
        branch=world.b.branch,
        county=world.b.county,
        name=survivor.name + "（漳州登记）",
        uscc="",
        address="漳州市芗城区某路1号",
    )
    visit_b = ActivityFactory(branch=world.b.branch, campaign=world.campaign)
    visit_b.enterprises.add(duplicate)
    opinion = FeedbackItemFactory(activity=visit_b, enterprise=duplicate, content="漳州听到的意见")
    withdrawn = FeedbackItemFactory(
        activity=visit_b, enterprise=duplicate, content="撤回的意见", withdrawn=True
    )
    return survivor, duplicate, visit_b, opinion, withdrawn


def test_every_relation_to_an_enterprise_is_moved_by_a_merge():
    """A new model pointing at Enterprise fails here until the merge moves it too (even
    one with ``related_name="+"``). History rows keep what was; the many-to-many tables
    are the relations ``activities`` and the survivor's equipment classes; the dashboard's
    summary rows follow the moved visits by their triggers (tests/summaries)."""
    relations = {
        field.name
        for field in Enterprise._meta.get_fields(include_hidden=True)
        if field.is_relation
        and field.auto_created
        and not field.concrete
        and not field.related_model._meta.auto_created
        and not field.related_model.__name__.startswith("Historical")
        and field.related_model._meta.app_label != "summaries"
    }
    assert relations == MERGED_RELATIONS


def test_merge_moves_every_link_and_withdraws_the_duplicate(world, office, pair):
    survivor, duplicate, visit_b, opinion, withdrawn = pair
    enterprise_merge(actor=office, survivor=survivor, duplicate=duplicate, reason="同一家企业")
    duplicate.refresh_from_db()
    assert duplicate.is_withdrawn
    assert (duplicate.merged_into, duplicate.withdrawn_by) == (survivor, office)
    assert duplicate.withdrawn_reason == "同一家企业"
    assert set(survivor.activities.all()) == {world.a.activity, visit_b}
    assert not duplicate.activities.exists()
    assert set(FeedbackItem.objects.filter(enterprise=survivor)) == {
        world.a.feedback,
        opinion,
        withdrawn,
    }
    assert not FeedbackItem.objects.filter(enterprise=duplicate).exists()
    # What a branch heard stays its own: B's opinion is still B's.
    opinion.refresh_from_db()
    assert opinion.branch == world.b.branch


def test_an_activity_that_met_both_records_keeps_one_link(world, office, pair):
    survivor, duplicate, visit_b, *_ = pair
    visit_b.enterprises.add(survivor)
    enterprise_merge(actor=office, survivor=survivor, duplicate=duplicate, reason="同一家企业")
    assert list(visit_b.enterprises.all()) == [survivor]
    assert Activity.enterprises.through.objects.filter(activity=visit_b).count() == 1


def test_the_survivor_takes_what_it_lacks_and_keeps_what_it_has(world, office):
    county = CountyFactory(branch=world.a.branch)
    boiler, lift = EquipmentClassFactory(), EquipmentClassFactory()
    survivor = EnterpriseFactory(
        branch=world.a.branch, uscc="", address="", county=None, equipment_classes=[boiler]
    )
    duplicate = EnterpriseFactory(
        branch=world.b.branch, address="泉州市某路2号", county=county, equipment_classes=[lift]
    )
    code, contact = duplicate.uscc, survivor.contact_name
    enterprise_merge(actor=office, survivor=survivor, duplicate=duplicate, reason="同一家企业")
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.uscc, survivor.address, survivor.county) == (code, "泉州市某路2号", county)
    assert survivor.contact_name == contact
    assert set(survivor.equipment_classes.all()) == {boiler, lift}
    # The code is unique: it moved with the company, and the duplicate's history keeps it.
    assert duplicate.uscc == ""
    assert duplicate.history.last().uscc == code


def test_history_is_kept_on_both_records_and_on_every_moved_opinion(world, office, pair):
    survivor, duplicate, _visit, opinion, _withdrawn = pair
    enterprise_merge(actor=office, survivor=survivor, duplicate=duplicate, reason="同一家企业")
    latest = duplicate.history.first()
    assert latest.merged_into_id == survivor.pk
    assert latest.withdrawn_at is not None
    assert latest.history_user == office
    assert duplicate.history.count() == 2  # created, merged
    assert (
        survivor.history.first().history_change_reason == f"merged #{duplicate.pk} into this record"
    )
    moved = opinion.history.first()
    assert moved.enterprise_id == survivor.pk
    assert moved.history_user == office
    assert opinion.history.last().enterprise_id == duplicate.pk


def test_records_merged_earlier_follow_to_the_new_survivor(world, office, pair):
    survivor, duplicate, *_ = pair
    older = EnterpriseFactory(branch=world.b.branch)
    enterprise_merge(actor=office, survivor=duplicate, duplicate=older, reason="重复")
    enterprise_merge(actor=office, survivor=survivor, duplicate=duplicate, reason="重复")
    older.refresh_from_db()
    assert older.merged_into == survivor
    assert set(survivor.merged_records.all()) == {older, duplicate}


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "staff_b", "leader", "admin_user"])
def test_only_the_office_merges(personas, world, pair, persona):
    survivor, duplicate, *_ = pair
    before = database_rows()
    with pytest.raises(PermissionDenied):
        enterprise_merge(
            actor=personas[persona], survivor=survivor, duplicate=duplicate, reason="重复"
        )
    assert database_rows() == before


def test_a_record_is_not_merged_into_itself(world, office, pair):
    survivor, *_ = pair
    before = database_rows()
    with pytest.raises(ValidationError) as caught:
        enterprise_merge(actor=office, survivor=survivor, duplicate=survivor, reason="重复")
    assert "survivor" in caught.value.message_dict
    assert database_rows() == before


def test_a_merged_record_is_not_merged_again_nor_merged_into(world, office, pair):
    survivor, duplicate, *_ = pair
    third = EnterpriseFactory(branch=world.a.branch)
    withdrawn = EnterpriseFactory(branch=world.a.branch, withdrawn=True)
    enterprise_merge(actor=office, survivor=survivor, duplicate=duplicate, reason="重复")
    before = database_rows()
    with pytest.raises(ValidationError) as caught:
        enterprise_merge(actor=office, survivor=third, duplicate=duplicate, reason="重复")
    assert survivor.name in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        enterprise_merge(actor=office, survivor=duplicate, duplicate=third, reason="重复")
    assert "survivor" in caught.value.message_dict
    with pytest.raises(ValidationError):
        enterprise_merge(actor=office, survivor=survivor, duplicate=withdrawn, reason="重复")
    assert database_rows() == before


def test_a_merge_needs_a_reason(world, office, pair):
    survivor, duplicate, *_ = pair
    with pytest.raises(ValidationError) as caught:
        enterprise_merge(actor=office, survivor=survivor, duplicate=duplicate, reason="  ")
    assert "reason" in caught.value.message_dict
    duplicate.refresh_from_db()
    assert not duplicate.is_withdrawn


def test_enterprises_visited_counts_the_company_once_after_a_merge(world, office, pair):
    survivor, duplicate, *_ = pair
    selection = Selection(campaign=world.campaign)

    def visited():
        report = campaign_report(office, selection)
        by_branch = {row.branch.code: row.figures["enterprises_visited"] for row in report.branches}
        return report.total["enterprises_visited"], by_branch

    a, b = world.a.branch.code, world.b.branch.code
    # Two records of one company (and B's own enterprise): the company counted twice.
    assert visited() == (3, {a: 1, b: 2})
    enterprise_merge(actor=office, survivor=survivor, duplicate=duplicate, reason="同一家企业")
    # One company, visited by A and by B: once for the province, once for each branch.
    assert visited() == (2, {a: 1, b: 2})
