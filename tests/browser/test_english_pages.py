"""The English pages as a leader or the office sees them at 1366 px.

The navigation fits one row for every role in both languages: English words are longer
than Chinese ones, and the provincial office's menu (thirteen entries) wrapped onto a
second, third and fourth row; every top-level entry must now stand in the bar's one row.
The dashboard's table and charts and the briefing name the branches in English.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, SCREENSHOTS
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def top_level_middles(page) -> list[float]:
    """The middle height of every top-level entry of the navigation bar (links, menus, the bell,
    the user menu, the language switcher), rounded to the pixel."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
          .filter(e => e.offsetParent !== null)
          .map(e => e.getBoundingClientRect())
          .map(box => Math.round(box.top + box.height / 2))""",
        ".app-navbar .navbar-brand, .app-navbar .navbar-nav > .nav-item,"
        " .app-navbar .language-switcher",
    )


@pytest.mark.parametrize("persona", ["office", "leader", "lead_a", "staff_a"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_navigation_is_one_row_at_1366(
    log_in, page, live_server, personas, world, persona, language, screenshot
):
    page.set_viewport_size(DESKTOP)
    log_in(personas[persona].username, PASSWORD)
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(f"navigation-{persona}-{language}")
    middles = top_level_middles(page)
    assert len(middles) > 4
    assert max(middles) - min(middles) <= 4, middles
    navbar = page.locator(".app-navbar").bounding_box()
    assert navbar["height"] < 80, navbar
    if persona == "office":
        # What a role does now and then is one click away, under "More".
        page.get_by_test_id("nav-more").click()
        for entry in ("nav-escalations", "nav-meetings", "nav-calendar", "nav-clock-settings"):
            expect(page.get_by_test_id(entry)).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"navigation-office-more-{language}.png"))


def test_the_english_dashboard_and_briefing_name_branches_in_english(
    log_in, page, live_server, leader, world, screenshot
):
    page.set_viewport_size(DESKTOP)
    log_in(leader.username, PASSWORD)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{live_server.url}/dashboard/")
    table = page.get_by_test_id("branch-figures")
    expect(table).to_contain_text("Quanzhou")
    expect(table).not_to_contain_text(world.a.branch.short_name)
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-branches')")
    labels = page.evaluate("() => Chart.getChart('chart-branches').data.labels")
    assert labels == ["Quanzhou", "Zhangzhou"]
    screenshot("dashboard-leader-en")

    page.goto(f"{live_server.url}/briefing/")
    articles = page.locator("article[data-testid^='briefing-']")
    expect(articles.first).to_have_attribute("data-testid", "briefing-en")
    expect(articles.first).to_contain_text("Quanzhou branch")
    expect(page.get_by_test_id("download-en")).to_have_class(re.compile(r"\bbtn-primary\b"))
    screenshot("briefing-leader-en")
