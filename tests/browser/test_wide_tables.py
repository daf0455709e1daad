"""The pages a leader reads on a phone fit it (issue 15): the escalations page and the
dashboard never scroll sideways at 390 px or at 1366 px, and the dashboard's table of
branches, wider than both, scrolls inside its card with every column reachable, the branch
kept in view, a hint and a fade saying more follows, and the keyboard able to scroll it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reports.views import COLUMN_KEYS
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "Outreach#2026"

#: For each column of the box's table: whether its header and first row's cell, scrolled
#: to, lie inside the box and clear of the sticky first column.
REACHABLE = """box => {
  const table = box.querySelector("table");
  const sticky = table.querySelector("thead th").getBoundingClientRect();
  const headers = [...table.querySelectorAll("thead th")];
  const cells = [...table.querySelector("tbody tr").children];
  return headers.map((header, column) => {
    box.scrollLeft = header.offsetLeft - sticky.width;
    const frame = box.getBoundingClientRect();
    const inside = (cell) => {
      const rect = cell.getBoundingClientRect();
      const left = column === 0 ? frame.left : sticky.right;
      return rect.left >= left - 1 && rect.right <= frame.right + 1 && rect.width > 0
        && cell.textContent.trim() !== "";
    };
    return inside(header) && inside(cells[column]);
  });
}"""


@pytest.fixture
def demo(reference_data):
    call_command("seed_demo", box=False, verbosity=0)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_escalations_and_dashboard_fit_a_phone_and_a_laptop(demo, log_in, live_server, screenshot):
    page = log_in("leader", DEMO_PASSWORD)
    for language in ("zh-hans", "en"):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}/issues/province/escalations/")
            decisions = page.get_by_test_id("decision")
            expect(decisions.first).to_be_visible()
            assert page_width(page) <= size["width"], (language, size)
            meeting = decisions.first.get_by_role("link").last
            assert meeting.bounding_box()["x"] + meeting.bounding_box()["width"] <= size["width"]

            page.goto(f"{live_server.url}/dashboard/")
            table = page.get_by_test_id("branch-figures")
            expect(table.locator("tbody tr").first).to_be_visible()
            assert page_width(page) <= size["width"], (language, size)
            assert table.locator("thead th").count() == len(COLUMN_KEYS) + 1
            box = page.locator("#branch-figures-box")
            # Wider than its card at both sizes: the hint says so, the right edge fades.
            expect(page.locator("[data-scroll-hint=branch-figures-box]")).to_be_visible()
            expect(box).to_have_class("table-responsive table-sticky-first scrolls-more-end")
            reachable = box.evaluate(REACHABLE)
            assert all(reachable), [
                label
                for label, ok in zip(["branch", *COLUMN_KEYS], reachable, strict=True)
                if not ok
            ]
            # At the far right: no fade, the branch still beside the last column.
            expect(box).not_to_have_class("table-responsive table-sticky-first scrolls-more-end")
            branch = table.locator("tbody th").first.bounding_box()
            assert abs(branch["x"] - box.bounding_box()["x"]) <= 1
            # The keyboard scrolls it back: the box takes focus, the left arrow scrolls.
            end = box.evaluate("box => box.scrollLeft")
            box.focus()
            expect(box).to_be_focused()
            page.keyboard.press("ArrowLeft")
            expect(box).not_to_have_js_property("scrollLeft", end)
            assert box.evaluate("box => box.scrollLeft") < end
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/issues/province/escalations/")
    screenshot("escalations-leader")
    page.goto(f"{live_server.url}/dashboard/")
    box = page.locator("#branch-figures-box")
    box.scroll_into_view_if_needed()
    box.evaluate("box => { box.scrollLeft = 400; }")  # the branch over the scrolled columns
    screenshot("dashboard-branch-table-leader")
