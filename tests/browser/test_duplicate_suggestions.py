"""Duplicate suggestions at intake, in the browser: staff type an opinion, an open issue of
the same problem is suggested beside the row, they attach the opinion to it and save; on
the dispose page, they attach ticked opinions to a suggested issue instead of opening one.
"""

import pytest
from playwright.sync_api import expect

from issues.models import IssueSuggestion
from outreach.models import FeedbackCategory, FeedbackItem
from tests.factories import PASSWORD, FeedbackItemFactory, IssueFactory

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)

OPINION = "我们小区的电梯检验完快一个月了，报告还没拿到，物业一直在催"


def open_report_issue(world, category, **fields):
    return IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        category=category,
        title="电梯定期检验报告出具慢",
        description="企业反映电梯定期检验后报告要等二十多天才能拿到，影响使用标志更新。",
        **fields,
    )


def test_staff_typing_an_opinion_sees_the_open_issue_and_attaches_to_it(
    log_in, live_server, world, staff_a, screenshot
):
    efficiency = FeedbackCategory.objects.get(name="服务效率")
    issue = open_report_issue(world, efficiency)
    # Another branch's issue of the same problem is never suggested to branch A.
    other = IssueFactory(
        branch=world.b.branch,
        campaign=world.campaign,
        category=efficiency,
        title=issue.title,
        description=issue.description,
    )
    activity = world.a.activity

    page = log_in(staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/outreach/activities/{activity.pk}/feedback/new/")
    first = page.get_by_test_id("feedback-row").first
    first.get_by_label("类别").select_option(label="服务效率")
    first.get_by_label("内容").press_sequentially(OPINION, delay=20)

    suggestion = first.get_by_test_id("suggestion")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text(f"#{issue.pk} 电梯定期检验报告出具慢")
    expect(page.locator(f'[data-issue="{other.pk}"]')).to_have_count(0)
    screenshot("suggestion-opinion-entry-staff-zh")

    suggestion.get_by_test_id("attach-suggestion").click()
    expect(suggestion.get_by_test_id("chosen-suggestion")).to_be_visible()
    expect(suggestion.get_by_test_id("chosen-suggestion")).to_contain_text("保存时将并入")
    screenshot("suggestion-opinion-chosen-staff-zh")
    page.get_by_test_id("save-feedback").click()

    page.wait_for_url(f"**/outreach/activities/{activity.pk}/")
    expect(page.get_by_role("alert").filter(has_text="并入")).to_contain_text(f"#{issue.pk}")
    item = FeedbackItem.objects.get(content=OPINION)
    assert item.issue_id == issue.pk
    record = IssueSuggestion.objects.get()
    assert (record.issue_id, record.feedback_item_id, record.outcome) == (
        issue.pk,
        item.pk,
        IssueSuggestion.Outcome.ATTACHED,
    )
    assert record.shown_to_id == staff_a.pk


def test_staff_attach_ticked_opinions_to_a_suggested_issue_instead_of_opening_one(
    log_in, live_server, world, staff_a, screenshot
):
    efficiency = FeedbackCategory.objects.get(name="服务效率")
    issue = open_report_issue(world, efficiency)
    item = FeedbackItemFactory(
        activity=world.a.activity,
        category=efficiency,
        content="电梯检完以后出报告太拖了，使用标志一直换不了",
    )

    page = log_in(staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/outreach/activities/{world.a.activity.pk}/")
    page.locator(f'[data-testid="tick"][value="{item.pk}"]').check()
    page.get_by_test_id("dispose-selected").click()

    # The opinion's own words find the issue before anything is typed.
    suggestion = page.get_by_test_id("suggestion")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text("电梯定期检验报告出具慢")
    expect(suggestion.get_by_test_id("attach-suggestion")).to_contain_text("改为并入此问题")
    screenshot("suggestion-dispose-staff-zh")
    suggestion.get_by_test_id("attach-suggestion").click()

    page.wait_for_url(f"**/issues/{issue.pk}/")
    item.refresh_from_db()
    assert item.issue_id == issue.pk
    assert IssueSuggestion.objects.get().outcome == IssueSuggestion.Outcome.ATTACHED
