"""A leader reads the campaign on the dashboard, follows a figure to its records, and takes
the briefing and the ledger away."""

from io import BytesIO

import docx
import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "Outreach#2026"


@pytest.fixture
def demo(reference_data):
    # Without the online box's opinions: the figures are the report's alone.
    call_command("seed_demo", box=False, verbosity=0)


def download_of_job(page, button: str) -> bytes:
    """Ask for a file with ``button`` (a job), wait on the job's page, download it."""
    page.get_by_test_id(button).click()
    page.wait_for_url("**/jobs/*/")
    link = page.get_by_test_id("job-download")
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    return download_info.value.path().read_bytes()


def test_leader_reads_the_dashboard_follows_a_figure_and_downloads(
    demo, log_in, live_server, screenshot
):
    page = log_in("leader", DEMO_PASSWORD)
    page.get_by_role("link", name="数据看板").first.click()

    # The report's figures, live, and the charts drawn.
    expect(page.get_by_test_id("figure-enterprises_visited")).to_contain_text("233")
    expect(page.get_by_test_id("figure-enterprise_forums")).to_contain_text("19")
    expect(page.get_by_test_id("figure-feedback_items")).to_contain_text("510")
    expect(page.get_by_test_id("figure-issues_found")).to_contain_text("116")
    expect(page.get_by_test_id("figure-fixed_on_the_spot")).to_contain_text("73")
    expect(page.get_by_test_id("figure-escalated")).to_contain_text("37")
    expect(page.get_by_test_id("figure-decided_by_province")).to_contain_text("37")
    expect(page.get_by_test_id("figure-awaiting_decision")).to_contain_text("0")
    # Beside the opinions, their kinds: problems, suggestions and praise make all 510.
    kinds = page.get_by_test_id("figure-feedback_items").locator("[data-figure$=_feedback]")
    expect(kinds).to_have_count(3)
    assert sum(int(text) for text in kinds.all_inner_texts()) == 510
    for chart in ("chart-over-time", "chart-funnel", "chart-categories", "chart-branches"):
        expect(page.get_by_test_id(chart)).to_have_attribute("data-rendered", "true")
    # The leader's liaison branches (泉州, 宁德) stand out in the table.
    expect(page.locator("[data-testid=branch-figures] tr[data-liaison=true]")).to_have_count(2)
    # The lists of what needs attention arrive after the figures.
    expect(page.get_by_test_id("overdue-list")).to_be_visible()
    screenshot("dashboard-leader-zh")

    # Sorting the table by opinions, most first: 南平 (98) leads.
    page.locator("[data-sort=feedback_items]").click()
    page.locator("[data-sort=feedback_items]").click()
    expect(page.locator("[data-testid=branch-figures] tbody tr").first).to_have_attribute(
        "data-branch", "nanping"
    )

    # A figure is a link to exactly its records: 37 escalated problems, the 37 the
    # provincial meeting studied.
    page.get_by_test_id("figure-escalated").get_by_role("link").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("37")
    page.go_back()
    page.get_by_test_id("figure-decided_by_province").get_by_role("link").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("37")
    page.go_back()

    # The forms sent lead to the surveys, with the sums of their forms above them.
    page.get_by_test_id("figure-surveys").locator("[data-figure=forms_sent]").click()
    expect(page.get_by_test_id("forms-totals")).to_contain_text("106")
    expect(page.get_by_test_id("forms-totals")).to_contain_text("88")
    screenshot("survey-list-forms-zh")
    page.go_back()

    # 宁德's opinions from the branch row: 92 of them.
    page.locator("tr[data-branch=ningde] td[data-col=feedback_items] a").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("92")
    page.go_back()

    # The briefing writes the report's sentence, and downloads as Word.
    page.get_by_test_id("briefing-link").click()
    expect(page.get_by_test_id("briefing-zh")).to_contain_text("走访调研企业233家")
    screenshot("briefing-leader-zh")
    document = docx.Document(BytesIO(download_of_job(page, "download-zh")))
    assert "走访调研企业233家" in "\n".join(p.text for p in document.paragraphs)
    page.go_back()
    page.go_back()

    # The ledger of the campaign's problems: one row per problem, 116 of them.
    sheet = openpyxl.load_workbook(BytesIO(download_of_job(page, "ledger-link"))).active
    assert sheet.cell(1, 1).value == "序号"
    assert sheet.max_row == 1 + 116


def test_branch_staff_sees_only_their_branch_on_a_phone(demo, log_in, live_server, screenshot):
    page = log_in("quanzhou_staff", DEMO_PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_test_id("figure-feedback_items")).to_contain_text("35")
    expect(page.get_by_test_id("figure-enterprises_visited")).to_contain_text("32")
    expect(page.get_by_test_id("branch-figures")).to_have_count(0)
    expect(page.get_by_test_id("chart-branches")).to_have_attribute("data-rendered", "true")
    screenshot("dashboard-staff-phone-zh")
    page.get_by_test_id("promise-unreplied_feedback").get_by_role("link").click()
    count = page.get_by_test_id("result-count")
    expect(count).to_be_visible()
    assert page.url.count("replied=no") == 1
