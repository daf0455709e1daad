"""Browser tests: real pages in headless Chromium (Debian's, through Playwright).

Where Chromium is missing these tests skip with a loud warning; in CI (CI=true) a
missing browser is a failure instead, so CI can never pass without running them.
"""

import importlib
import os
import shutil
import warnings
from pathlib import Path

import pytest

from tests.reference import put_back_role_groups

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if not browser_items or _chromium_available():
        return
    message = (
        f"Chromium not found at {CHROMIUM}: {len(browser_items)} browser tests cannot run. "
        "Install it with `make browser-deps`."
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        raise pytest.UsageError("CI must run the browser tests. " + message)
    warnings.warn(message, stacklevel=1)
    print("\n" + "!" * 80 + "\n" + message + "\n" + "!" * 80)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Put back the rows the data migrations made: browser tests are transactional (the
    live server answers from another thread), and Django empties every table after each.
    """
    from django.apps import apps

    reference = importlib.import_module("outreach.migrations.0002_reference_data")
    put_back_role_groups()
    reference.seed(apps, None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP, "locale": "zh-CN"}


@pytest.fixture
def page(page):
    """Playwright's page with room for a loaded CI machine (two cores shared by the
    browser, the live server and the test)."""
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)
    return page


@pytest.fixture(scope="session", autouse=True)
def _patient_expectations():
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


@pytest.fixture
def screenshot(page):
    """Save the current page at desktop and phone size under test-artifacts/screens/."""

    def take(name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        original = page.viewport_size
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size(original)

    return take


@pytest.fixture
def log_in(page, live_server):
    """Log in through the real login form; returns the page on the home screen."""

    def do(username: str, password: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do
