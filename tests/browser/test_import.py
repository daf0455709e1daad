"""Staff imports a spreadsheet on a phone: sees two errors, fixes them, imports, and
importing the same file again creates nothing."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from imports.template import build_template, example_rows
from outreach.models import Activity, Enterprise, FeedbackItem
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, CampaignFactory, CountyFactory

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)


def db_counts():
    return (Enterprise.objects.count(), Activity.objects.count(), FeedbackItem.objects.count())


def upload(page, path):
    page.get_by_label("表格文件").set_input_files(str(path))
    page.get_by_test_id("upload-button").click()


def test_staff_fixes_two_errors_imports_and_reimporting_creates_nothing(
    log_in, live_server, staff_a, branch_a, tmp_path, screenshot
):
    CountyFactory(branch=branch_a, code="350503", name="丰泽区")
    CountyFactory(branch=branch_a, code="350582", name="晋江市")
    campaign = CampaignFactory(name="第二批教育实践活动")

    # The example file with two mistakes: an impossible date and an unknown category.
    rows = example_rows()
    rows["activities"][1][2] = "2026-11-31"
    rows["feedback"][2][2] = "收费问题"
    broken = tmp_path / "泉州分院台账.xlsx"
    build_template(rows=rows).save(broken)

    page = log_in(staff_a.username, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/import/")
    expect(page.locator("#id_campaign")).to_have_value(str(campaign.pk))
    upload(page, broken)

    problems = page.get_by_test_id("import-problem")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_have_attribute("data-row", "3")
    expect(problems.nth(0)).to_contain_text("第 3 行")
    expect(problems.nth(0)).to_contain_text("2026-11-31")
    expect(problems.nth(1)).to_have_attribute("data-row", "4")
    expect(problems.nth(1)).to_contain_text("第 4 行")
    expect(problems.nth(1)).to_contain_text("收费问题")
    screenshot("import-errors")
    assert db_counts() == (0, 0, 0)

    # Fix both cells in the same workbook, as someone would in Excel.
    workbook = load_workbook(broken)
    workbook["活动"]["C3"] = "2026-11-10"
    workbook["意见建议"]["C4"] = "收费"
    fixed = tmp_path / "泉州分院台账（改）.xlsx"
    workbook.save(fixed)
    upload(page, fixed)

    page.wait_for_url(f"{live_server.url}/import/*/")
    expect(page.get_by_test_id("import-problem")).to_have_count(0)
    expect(page.get_by_test_id("count-enterprises-created")).to_have_text("3")
    expect(page.get_by_test_id("count-activities-created")).to_have_text("4")
    expect(page.get_by_test_id("count-feedback-created")).to_have_text("6")
    screenshot("import-preview")
    assert db_counts() == (0, 0, 0)

    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("已导入")
    expect(page.get_by_role("alert")).to_contain_text("6")
    expect(page.get_by_test_id("count-feedback-created")).to_have_text("6")
    screenshot("import-result")
    assert db_counts() == (3, 4, 6)

    # The same file again: everything is already there.
    page.get_by_test_id("upload-another").click()
    upload(page, fixed)
    page.wait_for_url(f"{live_server.url}/import/*/")
    expect(page.get_by_test_id("nothing-new")).to_be_visible()
    expect(page.get_by_test_id("imported-before")).to_be_visible()
    for sheet in ("enterprises", "activities", "feedback"):
        expect(page.get_by_test_id(f"count-{sheet}-created")).to_have_text("0")
    expect(page.get_by_test_id("count-feedback-reused")).to_have_text("6")
    screenshot("import-again")
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("已导入")
    assert db_counts() == (3, 4, 6)


def test_a_big_file_is_checked_and_imported_by_jobs_while_its_page_follows(
    log_in, live_server, staff_a, branch_a, tmp_path, screenshot, settings, monkeypatch
):
    from imports.models import ImportBatch
    from jobs import services as job_services

    settings.IMPORT_INLINE_MAX_ROWS = 5  # the example's 13 rows make a big file
    CountyFactory(branch=branch_a, code="350503", name="丰泽区")
    CountyFactory(branch=branch_a, code="350582", name="晋江市")
    CampaignFactory(name="第二批教育实践活动")
    path = tmp_path / "全年台账.xlsx"
    build_template(rows=example_rows()).save(path)
    # No worker takes the jobs until the test says so: the page is seen waiting.
    asked = []
    monkeypatch.setattr(job_services, "_enqueue", asked.append)

    page = log_in(staff_a.username, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/import/")
    upload(page, path)
    page.wait_for_url(f"{live_server.url}/import/*/")
    expect(page.get_by_test_id("batch-job")).to_have_attribute("data-state", "queued")
    expect(page.get_by_test_id("being-checked")).to_be_visible()
    expect(page.get_by_test_id("confirm-button")).to_have_count(0)
    screenshot("big-import-checking")

    # A worker checks it; the page reloads by itself and shows what the check found.
    job_services.run(asked[0].pk)
    expect(page.get_by_test_id("count-feedback-created")).to_have_text("6", timeout=10_000)
    expect(page.get_by_test_id("batch-job")).to_have_attribute("data-state", "done")
    screenshot("big-import-checked")
    assert db_counts() == (0, 0, 0)

    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("batch-job")).to_have_attribute("data-state", "queued")
    expect(page.get_by_test_id("confirm-button")).to_have_count(0)
    job_services.run(asked[1].pk)
    expect(page.get_by_test_id("batch-status")).to_have_text("已导入", timeout=10_000)
    expect(page.get_by_test_id("count-feedback-created")).to_have_text("6")
    screenshot("big-import-result")
    assert db_counts() == (3, 4, 6)
    assert ImportBatch.objects.get().is_imported
