"""Keyboard, paper and the tab icon (issue 15, "usable by everyone"): the first Tab reaches
a visible skip link that lands on the main content; the issue page and a list print without
navigation, buttons or filters; the favicon every page links answers 200."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories import PASSWORD

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)


def favicon_status(page) -> int:
    href = page.locator('link[rel="icon"]').get_attribute("href")
    assert href.endswith(".svg")
    origin = "/".join(page.url.split("/")[:3])
    response = page.request.get(origin + href)
    assert "svg" in response.headers["content-type"]
    return response.status


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast of ``rgb()``/``rgba()`` text over an opaque ``rgb()`` background."""

    def channels(css):
        return [float(x) for x in css[css.index("(") + 1 : -1].split(",")]

    def luminance(rgb):
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    back = channels(bg)[:3]
    front = channels(fg)
    alpha = front[3] if len(front) == 4 else 1.0
    mixed = [alpha * f + (1 - alpha) * b for f, b in zip(front[:3], back, strict=True)]
    light, dark = sorted((luminance([c / 255 for c in mixed]), luminance([c / 255 for c in back])))
    return (dark + 0.05) / (light + 0.05)


def visible_buttons(page) -> list[str]:
    return page.locator("button, .btn, input:not([type=hidden]), select").evaluate_all(
        "els => els.filter(e => e.getClientRects().length && getComputedStyle(e).visibility"
        " !== 'hidden').map(e => e.outerHTML.slice(0, 80))"
    )


def test_skip_link_is_the_first_tab_and_lands_on_main(
    log_in, live_server, world, staff_a, screenshot
):
    page = log_in(staff_a.username, PASSWORD)
    for size in (None, PHONE):
        if size:
            page.set_viewport_size(size)
        page.goto(f"{live_server.url}/issues/{world.a.issue.pk}/")
        skip = page.get_by_test_id("skip-link")
        expect(skip).not_to_be_in_viewport()  # hidden until the keyboard reaches it
        page.keyboard.press("Tab")
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()
        expect(skip).to_be_in_viewport()
        expect(skip).to_have_text("跳到主要内容")
        box = skip.bounding_box()
        assert box["width"] > 40 and box["height"] > 20
        screenshot("skip-link-focused")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        assert page.url.endswith("#main")
        # The next Tab goes into the page, past the whole navigation.
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('main')")


def test_the_favicon_answers_on_staff_and_public_pages(log_in, live_server, staff_a):
    page = log_in(staff_a.username, PASSWORD)
    assert favicon_status(page) == 200
    # The navigation's links (not the current page's) against the navbar: AA for normal text.
    link = page.locator(".app-navbar .nav-link:not(.active)").first
    colour = link.evaluate("e => getComputedStyle(e).color")
    background = page.locator(".app-navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert contrast(colour, background) >= 4.5, (colour, background)
    page.context.clear_cookies()
    for url in ("/accounts/login/", "/r/"):
        page.goto(live_server.url + url)
        assert favicon_status(page) == 200


def test_issue_page_and_issue_list_print_as_documents(
    log_in, live_server, world, lead_a, screenshot
):
    page = log_in(lead_a.username, PASSWORD)
    issue = world.a.issue
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    navbar = page.locator("nav.app-navbar")
    expect(navbar).to_be_visible()
    assert visible_buttons(page), "the screen shows the action buttons"

    page.emulate_media(media="print")
    expect(navbar).to_be_hidden()
    expect(page.get_by_test_id("issue-title")).to_be_visible()
    expect(page.get_by_test_id("issue-title")).to_have_text(issue.title)
    assert visible_buttons(page) == []
    colour = page.get_by_test_id("issue-title").evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(0, 0, 0)"
    screenshot("print-issue")

    page.goto(f"{live_server.url}/issues/")
    expect(navbar).to_be_hidden()
    expect(page.get_by_test_id("issue-results")).to_contain_text(issue.title)
    expect(page.locator("form[role=search]")).to_be_hidden()
    assert visible_buttons(page) == []
    screenshot("print-issue-list")

    # A ledger-like table: not clipped, and every column on paper (even at phone width).
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/outreach/enterprises/")
    table = page.get_by_test_id("enterprise-table")
    expect(table).to_contain_text(world.a.enterprise.name)
    overflow = page.locator(".table-responsive").evaluate("e => getComputedStyle(e).overflowX")
    assert overflow == "visible"
    expect(table.locator("thead th.d-md-table-cell").first).to_be_visible()
    assert visible_buttons(page) == []
    screenshot("print-enterprise-list")

    page.emulate_media(media="screen")
    expect(navbar).to_be_visible()
