"""The provincial office merges two records of one company from the enterprise page; a
branch finds another branch's enterprise and picks it instead of registering it again."""

import pytest
from playwright.sync_api import expect

from outreach.models import Enterprise, FeedbackItem
from tests.factories import PASSWORD, ActivityFactory, EnterpriseFactory, FeedbackItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_office_merges_two_records_of_one_company(
    log_in, live_server, world, office, screenshot
):
    survivor = world.a.enterprise
    duplicate = EnterpriseFactory(
        branch=world.b.branch,
        county=world.b.county,
        name=f"{survivor.name}（漳州重复登记）",
        uscc="",
    )
    visit = ActivityFactory(branch=world.b.branch, campaign=world.campaign)
    visit.enterprises.add(duplicate)
    opinion = FeedbackItemFactory(activity=visit, enterprise=duplicate, content="漳州听到的意见")

    page = log_in(office.username, PASSWORD)
    page.goto(f"{live_server.url}/outreach/enterprises/{duplicate.pk}/")
    page.get_by_test_id("merge-into").click()
    expect(page.get_by_test_id("merge-duplicate")).to_contain_text(duplicate.name)
    # Pick the record that stays with the searchable picker (the server searches).
    control = page.locator("#id_survivor-ts-control")
    control.click()
    control.fill(survivor.uscc[:10])
    page.locator(".ts-dropdown .option", has_text=survivor.name).first.click()
    page.get_by_label("为何是同一家企业").fill("同一统一社会信用代码，漳州分院重复登记")
    screenshot("enterprise-merge-choose")
    page.get_by_test_id("merge-check").click()

    preview = page.get_by_test_id("merge-preview")
    expect(preview).to_contain_text(survivor.name)
    expect(preview).to_contain_text("1 次活动和 1 条意见建议")
    screenshot("enterprise-merge-check")
    assert Enterprise.objects.get(pk=duplicate.pk).merged_into is None
    page.get_by_test_id("merge-confirm").click()

    page.wait_for_url(f"{live_server.url}/outreach/enterprises/{survivor.pk}/")
    expect(page.get_by_test_id("merged-records")).to_contain_text(duplicate.name)
    expect(page.get_by_test_id("enterprise-feedback")).to_contain_text("漳州听到的意见")
    screenshot("enterprise-merged-survivor")
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.is_withdrawn
    assert FeedbackItem.objects.get(pk=opinion.pk).enterprise == survivor
    assert set(survivor.activities.all()) == {world.a.activity, visit}

    page.goto(f"{live_server.url}/outreach/enterprises/{duplicate.pk}/")
    expect(page.get_by_test_id("merged-into")).to_contain_text(survivor.name)
    screenshot("enterprise-merged-duplicate")


def test_a_branch_picks_another_branchs_enterprise_instead_of_registering_it(
    log_in, live_server, world, staff_b, screenshot
):
    registered = world.a.enterprise
    page = log_in(staff_b.username, PASSWORD)
    page.goto(f"{live_server.url}/outreach/enterprises/new/")
    page.locator("#id_name").fill("另一个名字")
    page.locator("#id_uscc").fill(registered.uscc)
    page.locator("#id_county").select_option(str(world.b.county.pk))
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("duplicates")).to_contain_text(registered.name)
    screenshot("enterprise-register-duplicate-elsewhere")
    page.get_by_test_id("pick-duplicate").click()
    picked = page.locator(".ts-control", has=page.locator("#id_enterprises-ts-control"))
    expect(picked).to_contain_text(registered.name)
    page.get_by_test_id("save-activity").click()

    expect(page.get_by_test_id("activity-enterprises")).to_contain_text(registered.name)
    assert Enterprise.objects.filter(uscc=registered.uscc).count() == 1
    assert registered.activities.filter(branch=world.b.branch).count() == 1

    # B opens A's enterprise: shared facts, and only B's own activities and opinions.
    page.goto(f"{live_server.url}/outreach/enterprises/{registered.pk}/")
    expect(page.get_by_test_id("enterprise-activities")).not_to_contain_text(world.a.activity.title)
    expect(page.get_by_test_id("enterprise-feedback")).not_to_contain_text(world.a.feedback.content)
    screenshot("enterprise-page-other-branch")
    page.goto(f"{live_server.url}/outreach/enterprises/")
    expect(page.get_by_test_id("enterprise-table")).to_contain_text(registered.name)
    screenshot("enterprise-list-province")
