"""The enterprise's own word on the dashboard and in the API (docs/metrics.md, "The
enterprise's own word"): its latest ratings beside the staff's record, receipts issued and
opened, "not solved" reports, the online box's opinions, and where the staff's record and
the enterprise's word disagree, by branch. Every number links to exactly its records."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from issues.models import Reply
from outreach.models import Activity
from outreach.services import record_withdraw
from receipts import box, codes, ratings
from receipts.models import EnterpriseRating
from receipts.selectors import receipt_for_code
from receipts.services import receipt_issue, receipt_opened, receipt_reissue
from reports.metrics import VOICE_KEYS, campaign_report
from reports.selection import Selection
from tests.exports import export
from tests.factories import ActivityFactory, EnterpriseFactory, FeedbackItemFactory, ReplyFactory
from tests.reports.figure_links import HEADLINE, voice
from tests.reports.test_dashboard import (
    API,
    DASHBOARD,
    assert_each_link_lists_what_it_shows,
    list_count,
    rendered_links,
)

pytestmark = pytest.mark.django_db

Level = EnterpriseRating.Level


def rate(code: str, item_pk: int, level: int, comment: str = "", not_solved=False):
    """The enterprise holding ``code`` rates an opinion of its receipt, as its page does."""
    receipt = receipt_for_code(code)
    item = next(i for i in receipt.public_items if i.pk == item_pk)
    return ratings.rating_record(
        receipt=receipt, item=item, level=level, comment=comment, not_solved=not_solved
    )


def opinion_with_receipt(activity, staff, satisfaction):
    """An enterprise's opinion at ``activity``, answered with the staff's ``satisfaction``
    recorded, and the enterprise's receipt (its code opens its page)."""
    enterprise = EnterpriseFactory(branch=activity.branch, created_by=staff)
    activity.enterprises.add(enterprise)
    item = FeedbackItemFactory(activity=activity, enterprise=enterprise, created_by=staff)
    ReplyFactory(feedback_item=item, replied_by=staff, satisfaction=satisfaction)
    receipt, code = receipt_issue(activity=activity, enterprise=enterprise, actor=staff)
    return item, receipt, code


@pytest.fixture
def voice_world(world, staff_a, staff_b):
    """Branch A: its world opinion (staff: satisfied) rated very unsatisfied and "not
    solved"; at a second visit, one opinion the staff recorded unsatisfied that the
    enterprise rates satisfied (its receipt opened), one both call satisfied; one anonymous
    opinion from the online box (with its receipt). Branch B: its world opinion (staff:
    satisfied) rated very satisfied, its receipt opened."""
    visit = ActivityFactory(
        branch=world.a.branch, campaign=world.campaign, created_by=staff_a, staff=[staff_a]
    )
    unhappy_staff, r_unhappy, c_unhappy = opinion_with_receipt(
        visit, staff_a, Reply.Satisfaction.UNSATISFIED
    )
    agreed, r_agreed, c_agreed = opinion_with_receipt(visit, staff_a, Reply.Satisfaction.SATISFIED)
    rate(world.a.receipt_code, world.a.feedback.pk, Level.VERY_UNSATISFIED, "没解决", True)
    rate(c_unhappy, unhappy_staff.pk, Level.SATISFIED)
    rate(c_agreed, agreed.pk, Level.BASICALLY_SATISFIED)
    receipt_opened(receipt=r_unhappy)
    receipt_opened(receipt=r_unhappy)  # opened twice: one receipt opened
    box.box_submit(
        code=codes.new_code(),
        branch=world.a.branch,
        category=world.a.feedback.category,
        content="网上办理太慢",
        anonymous=True,
    )
    rate(world.b.receipt_code, world.b.feedback.pk, Level.VERY_SATISFIED)
    receipt_opened(receipt=world.b.receipt)
    return SimpleNamespace(
        world=world,
        unhappy_staff=unhappy_staff,
        agreed=agreed,
        agreed_receipt=r_agreed,
        agreed_code=c_agreed,
        unhappy_code=c_unhappy,
    )


EXPECTED_A = {
    "enterprise_rated": 3,
    "enterprise_satisfied": 2,  # the visit's two
    "not_solved_reports": 1,  # the world opinion
    "satisfaction_disagree": 2,  # the world opinion, and the one staff recorded unsatisfied
    "receipts_issued": 4,  # the world's, the visit's two, the box's
    "receipts_opened": 1,
    "box_feedback": 1,
}
EXPECTED_B = {
    "enterprise_rated": 1,
    "enterprise_satisfied": 1,
    "not_solved_reports": 0,
    "satisfaction_disagree": 0,
    "receipts_issued": 1,
    "receipts_opened": 1,
    "box_feedback": 0,
}


def voice_counts(user, campaign, branch=None):
    report = campaign_report(user, Selection(campaign=campaign))
    rows = {row.branch.code: row.figures for row in report.branches}
    figures = rows[branch.code] if branch else report.total
    return {key: figures[key] for key in VOICE_KEYS}


def test_the_enterprise_figures_per_branch_and_in_total(voice_world, office, branch_a, branch_b):
    campaign = voice_world.world.campaign
    assert voice_counts(office, campaign, branch_a) == EXPECTED_A
    assert voice_counts(office, campaign, branch_b) == EXPECTED_B
    assert voice_counts(office, campaign) == {
        key: EXPECTED_A[key] + EXPECTED_B[key] for key in VOICE_KEYS
    }
    report = campaign_report(office, Selection(campaign=campaign))
    assert report.total.enterprise_satisfaction_rate.value == 3 / 4
    # The staff's record, beside it: every opinion but the box's was answered with a
    # satisfaction; only the one recorded unsatisfied is not satisfied.
    assert (report.total["satisfied_feedback"], report.total["satisfaction_recorded"]) == (3, 4)


def test_a_change_of_mind_replaces_the_earlier_rating(voice_world, office, branch_a):
    world = voice_world.world
    rate(world.a.receipt_code, world.a.feedback.pk, Level.SATISFIED)
    assert voice_counts(office, world.campaign, branch_a) == {
        **EXPECTED_A,
        "enterprise_satisfied": 3,
        "not_solved_reports": 0,
        "satisfaction_disagree": 1,
    }
    # And back again: still one latest rating per opinion, the newest.
    rate(world.a.receipt_code, world.a.feedback.pk, Level.UNSATISFIED)
    counts = voice_counts(office, world.campaign, branch_a)
    assert (counts["enterprise_rated"], counts["enterprise_satisfied"]) == (3, 2)
    assert counts["satisfaction_disagree"] == 2
    assert counts["not_solved_reports"] == 0


def test_a_withdrawn_opinion_leaves_every_figure(voice_world, office, staff_a, branch_a):
    world = voice_world.world
    record_withdraw(actor=staff_a, record=voice_world.unhappy_staff, reason="重复录入")
    counts = voice_counts(office, world.campaign, branch_a)
    assert counts == {
        **EXPECTED_A,
        "enterprise_rated": 2,
        "enterprise_satisfied": 1,
        "satisfaction_disagree": 1,
    }


def test_a_reissued_receipt_counts_once_and_a_revoked_one_not(voice_world, office, staff_a):
    world = voice_world.world
    receipt_reissue(receipt=voice_world.agreed_receipt, actor=staff_a)
    assert voice_counts(office, world.campaign, world.a.branch)["receipts_issued"] == 4


def test_every_figure_links_to_that_many_records(client, voice_world, office):
    client.force_login(office)
    places = rendered_links(client, {"campaign": voice_world.world.campaign.pk})
    headline = {key: links[0].shown for key, links in places[HEADLINE].items()}
    assert {key: headline[key] for key in VOICE_KEYS} == {
        key: EXPECTED_A[key] + EXPECTED_B[key] for key in VOICE_KEYS
    }
    for place in (HEADLINE, voice("quanzhou"), voice("zhangzhou")):
        assert_each_link_lists_what_it_shows(client, places[place])


def test_the_disagreement_table_by_branch(client, voice_world, office):
    client.force_login(office)
    places = rendered_links(client, {"campaign": voice_world.world.campaign.pk})
    shown = {
        code: {key: links[0].shown for key, links in places[voice(code)].items()}
        for code in ("quanzhou", "zhangzhou")
    }
    assert shown == {
        "quanzhou": {
            "satisfied_feedback": 2,
            "satisfaction_recorded": 3,
            "enterprise_satisfied": 2,
            "enterprise_rated": 3,
            "satisfaction_disagree": 2,
        },
        "zhangzhou": {
            "satisfied_feedback": 1,
            "satisfaction_recorded": 1,
            "enterprise_satisfied": 1,
            "enterprise_rated": 1,
            "satisfaction_disagree": 0,
        },
    }
    # The disagreeing opinions are the two expected ones.
    url = places[voice("quanzhou")]["satisfaction_disagree"][0].href
    listed = {item.pk for item in client.get(url).context["object_list"]}
    assert listed == {voice_world.world.a.feedback.pk, voice_world.unhappy_staff.pk}
    html = client.get(DASHBOARD, {"campaign": voice_world.world.campaign.pk}).content.decode()
    # Both satisfactions labelled by whose word they are.
    assert "满意率（工作人员记录）" in html
    assert "满意率（企业自评）" in html


@pytest.mark.parametrize(("who", "own", "other"), [("staff_a", "quanzhou", "zhangzhou")])
def test_a_branch_sees_only_its_own_row(client, voice_world, request, who, own, other):
    client.force_login(request.getfixturevalue(who))
    # Asking for the other branch changes nothing: a branch sees itself.
    params = {"campaign": voice_world.world.campaign.pk, "branch": voice_world.world.b.branch.pk}
    places = rendered_links(client, params)
    assert voice(own) in places and voice(other) not in places
    assert_each_link_lists_what_it_shows(client, places[voice(own)])
    headline = {key: links[0].shown for key, links in places[HEADLINE].items()}
    assert {key: headline[key] for key in VOICE_KEYS} == EXPECTED_A
    assert_each_link_lists_what_it_shows(client, places[HEADLINE])


def test_the_api_has_the_enterprise_figures(client, voice_world, office, lead_b):
    campaign = voice_world.world.campaign
    client.force_login(office)
    body = client.get(API, {"campaign": campaign.pk}).json()
    assert {key: body[key] for key in VOICE_KEYS} == {
        key: EXPECTED_A[key] + EXPECTED_B[key] for key in VOICE_KEYS
    }
    assert body["enterprise_satisfaction_rate"] == 0.75
    assert body["satisfaction_rate"] == 0.75
    rows = {row["branch_id"]: row for row in body["branches"]}
    a = rows[voice_world.world.a.branch.pk]
    assert {key: a[key] for key in VOICE_KEYS} == EXPECTED_A
    assert a["enterprise_satisfaction_rate"] == round(2 / 3, 4)
    client.force_login(lead_b)
    body = client.get(API, {"campaign": campaign.pk}).json()
    assert {key: body[key] for key in VOICE_KEYS} == EXPECTED_B
    assert body["enterprise_satisfaction_rate"] == 1.0


def test_no_rating_gives_no_rate(client, world, office):
    client.force_login(office)
    body = client.get(API, {"campaign": world.campaign.pk}).json()
    assert body["enterprise_rated"] == 0
    assert body["enterprise_satisfaction_rate"] is None
    # The world's two receipts were issued and never opened.
    assert (body["receipts_issued"], body["receipts_opened"]) == (2, 0)


def test_the_receipt_list_is_scoped_and_filters_opened(client, voice_world, staff_b):
    client.force_login(staff_b)
    url = reverse("receipts:receipt_list")
    assert list_count(client, url, "receipts_issued") == 1
    assert list_count(client, f"{url}?opened=no", "receipts_issued") == 0
    box_activity = Activity.objects.get(kind=Activity.Kind.ONLINE_BOX)
    assert box_activity.branch == voice_world.world.a.branch


# --- the ledger, the opinion export, the briefing -----------------------------------------


def _sheet(response):
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in ws[1]]
    rows = ws.iter_rows(min_row=2, values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_ledger_has_the_enterprise_latest_ratings(client, voice_world, staff_a):
    client.force_login(staff_a)
    rows = _sheet(export(client, "issue_ledger"))
    [row] = [r for r in rows if r["问题描述"].startswith(voice_world.world.a.issue.title)]
    assert row["企业最新评价"] == "非常不满意1、未解决1"
    # A change of mind: the newest rating only.
    rate(voice_world.world.a.receipt_code, voice_world.world.a.feedback.pk, Level.SATISFIED)
    rows = _sheet(export(client, "issue_ledger"))
    [row] = [r for r in rows if r["问题描述"].startswith(voice_world.world.a.issue.title)]
    assert row["企业最新评价"] == "满意1"


def test_the_opinion_export_has_both_satisfactions(client, voice_world, staff_a):
    client.force_login(staff_a)
    rows = {
        row["编号"] if "编号" in row else next(iter(row.values())): row
        for row in _sheet(export(client, "feedback_export"))
    }
    world_row = rows[voice_world.world.a.feedback.pk]
    assert world_row["满意度（工作人员记录）"] == "满意"
    assert world_row["企业最新评价"] == "非常不满意（未解决）"
    unhappy = rows[voice_world.unhappy_staff.pk]
    assert (unhappy["满意度（工作人员记录）"], unhappy["企业最新评价"]) == ("不满意", "满意")
    assert len(rows) == 4  # the world's, the visit's two, the box's


def test_the_briefing_says_both_satisfactions(voice_world, office):
    from reports.briefing.data import load_briefing_data
    from reports.briefing.languages import build_briefing
    from reports.briefing.writer import EN, ZH

    data = load_briefing_data(office, Selection(campaign=voice_world.world.campaign))
    zh, en = build_briefing(data, ZH), build_briefing(data, EN)
    assert "满意率75.0%" in zh.summary
    assert "企业通过回执自行评价的4条意见中，满意或基本满意3条，企业自评满意率75.0%" in zh.summary
    assert "satisfaction as stated by the enterprise 75.0%" in en.summary


def test_the_opinion_list_filters_by_the_enterprise_word(client, voice_world, office):
    client.force_login(office)
    url = reverse("outreach:feedback_list")
    campaign = voice_world.world.campaign.pk
    counts = {
        value: list_count(client, f"{url}?campaign={campaign}&enterprise_rating={value}", "")
        for value in ("rated", "positive", "negative", "not_solved", "disagree")
    }
    assert counts == {"rated": 4, "positive": 3, "negative": 1, "not_solved": 1, "disagree": 2}
    # An unknown value is refused by the form, not a server error.
    assert client.get(url, {"enterprise_rating": "nonsense"}).status_code == 200


def test_after_changes_of_mind_each_list_still_has_its_figure(client, voice_world, office):
    """An opinion rated three times is listed once, by its newest rating."""
    world = voice_world.world
    for level in (Level.SATISFIED, Level.VERY_UNSATISFIED):
        rate(world.a.receipt_code, world.a.feedback.pk, level, "还是没解决", True)
    rate(voice_world.unhappy_code, voice_world.unhappy_staff.pk, Level.UNSATISFIED)
    assert EnterpriseRating.objects.filter(feedback_item=world.a.feedback).count() == 3
    client.force_login(office)
    places = rendered_links(client, {"campaign": world.campaign.pk})
    headline = {key: links[0].shown for key, links in places[HEADLINE].items()}
    assert {key: headline[key] for key in VOICE_KEYS} == {
        key: EXPECTED_A[key] + EXPECTED_B[key] for key in VOICE_KEYS
    } | {"enterprise_satisfied": 2, "satisfaction_disagree": 1}
    for place in (HEADLINE, voice("quanzhou")):
        assert_each_link_lists_what_it_shows(client, places[place])
