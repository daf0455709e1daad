"""The office reads the recurring problems the demo's search found, on a phone, and adopts
one as a provincial problem with an owner, a deadline and the issues it takes on; then
asks for a new search and comes back to the list."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from themes.models import Theme, ThemeIssue, ThemeSearch

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "Outreach#2026"


@pytest.fixture
def demo(reference_data):
    call_command("seed_demo", verbosity=0)


def test_the_office_adopts_a_recurring_problem_on_a_phone(demo, log_in, live_server, screenshot):
    page = log_in("office", DEMO_PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/recurring/")
    expect(page.get_by_role("heading", name="共性问题")).to_be_visible()
    proposed = Theme.objects.filter(state="proposed").count()
    expect(page.get_by_test_id("tab-proposed")).to_contain_text(str(proposed))
    rows = page.get_by_test_id("theme-row")
    expect(rows).to_have_count(proposed)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("themes-list-office-zh")

    first = rows.first
    branches = int(first.get_by_test_id("theme-branches").inner_text())
    assert branches >= 3
    title = first.get_by_test_id("theme-link").inner_text()
    first.get_by_test_id("theme-link").click()
    expect(page.get_by_test_id("theme-title")).to_have_text(title)
    expect(page.get_by_test_id("evidence-branches")).to_have_text(str(branches))
    issues = page.get_by_test_id("evidence-issue")
    count = issues.count()
    assert count >= branches
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("themes-detail-office-zh")

    form = page.get_by_test_id("adopt-form")
    # A deadline already past: refused by the server with the reason, nothing changed.
    form.get_by_label("牵头负责人").select_option(index=1)
    form.get_by_label("整改时限").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    form.get_by_label("整改要求").fill("省院统一制定规范")
    form.get_by_role("button", name="确定立项").click()
    expect(page.get_by_test_id("adopt-form").locator(".invalid-feedback").first).to_contain_text(
        "不能"
    )
    assert not Theme.objects.filter(state="adopted", title=title).exists()

    form = page.get_by_test_id("adopt-form")
    expect(form.get_by_label("整改要求")).to_have_value("省院统一制定规范")
    deadline = timezone.localdate() + timedelta(days=45)
    form.get_by_label("整改时限").fill(deadline.isoformat())
    checkboxes = form.get_by_test_id("issue-choices").get_by_role("checkbox")
    expect(checkboxes).to_have_count(count)
    checkboxes.last.uncheck()
    form.get_by_role("button", name="确定立项").click()
    expect(page.get_by_role("alert").filter(has_text="已确定为全省共性问题")).to_be_visible()
    expect(page.get_by_test_id("theme-state")).to_have_text("已立项")
    expect(page.get_by_test_id("theme-deadline")).to_have_text(deadline.isoformat())
    expect(page.get_by_test_id("linked-badge")).to_have_count(count - 1)
    theme = Theme.objects.get(title=title)
    assert theme.state == "adopted"
    assert ThemeIssue.objects.filter(theme=theme, linked=True).count() == count - 1
    # The one left out can be linked later.
    expect(page.get_by_test_id("link-form")).to_be_visible()

    # A new search, watched on the job's page, then back to the list.
    searches = ThemeSearch.objects.count()
    page.goto(f"{live_server.url}/recurring/")
    page.get_by_test_id("theme-search").click()
    expect(page.get_by_test_id("job-done")).to_be_visible()
    page.get_by_role("link", name=re.compile("返回")).click()
    expect(page.get_by_test_id("last-search")).to_contain_text("读取问题")
    assert ThemeSearch.objects.count() == searches + 1
    page.get_by_test_id("tab-adopted").click()
    expect(page.get_by_test_id("theme-row")).to_have_count(2)
    screenshot("themes-adopted-office-zh")
