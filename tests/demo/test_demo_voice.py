"""The demo's enterprise ratings: the dashboard's figures of the enterprise's own word are
not all zero after seed_demo, and a second run writes nothing."""

import pytest

from demo.voice import demo_voice
from issues.models import Reply
from receipts.models import EnterpriseRating, Receipt
from reports.metrics import campaign_report
from reports.selection import Selection
from tests.factories import ActivityFactory, EnterpriseFactory, FeedbackItemFactory, ReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(world, staff_a):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    for satisfaction in [Reply.Satisfaction.SATISFIED] * 5 + [Reply.Satisfaction.UNSATISFIED]:
        enterprise = EnterpriseFactory(branch=world.a.branch)
        activity.enterprises.add(enterprise)
        item = FeedbackItemFactory(activity=activity, enterprise=enterprise)
        ReplyFactory(feedback_item=item, replied_by=staff_a, satisfaction=satisfaction)
    return world


def test_the_demo_leaves_ratings_receipts_and_openings(answered, office):
    campaign = answered.campaign
    written = demo_voice(campaign)
    # A: very satisfied, basically satisfied, unsatisfied (staff said satisfied), not
    # solved; B: very satisfied (its only answered opinion).
    assert written == 5
    total = campaign_report(office, Selection(campaign=campaign)).total
    assert total["enterprise_rated"] == 5
    assert total["enterprise_satisfied"] == 3
    assert total["not_solved_reports"] == 1
    assert total["satisfaction_disagree"] == 1
    assert total["receipts_opened"] >= 6
    assert total["receipts_issued"] >= total["receipts_opened"]
    # Written through the services: each rating on a receipt of its own opinion.
    for rating in EnterpriseRating.objects.all():
        assert rating.receipt.feedback_items.filter(pk=rating.feedback_item_id).exists()


def test_a_second_run_writes_nothing(answered):
    demo_voice(answered.campaign)
    ratings, receipts = EnterpriseRating.objects.count(), Receipt.objects.count()
    assert demo_voice(answered.campaign) == 0
    assert (EnterpriseRating.objects.count(), Receipt.objects.count()) == (ratings, receipts)
