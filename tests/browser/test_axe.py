"""Every page, for every role, in both languages: no critical or serious axe-core violation.

The pages are read from the access table (tests/test_access.py): every GET route a persona
gets a 200 on is opened as that persona, with the world's rows in its URL, so a new route
is checked as soon as it has its row there (and the access test fails until it has). A
route that answers something other than a page (a file, JSON, an htmx fragment checked
inside its page) is named in ``NOT_PAGES``; a page is never skipped: a route left out of
``NOT_PAGES`` that does not answer a page fails this test. The public pages (the login, the
reset link's, the enterprises' own) are checked as the visitor they are for; signed in,
they are the same pages under the navigation every other page checks. The Django admin's
home and lists are checked as the provincial office (who manages accounts there) and, for
the lists only it opens, the system administrator.

Beside the pages as they load, the states a person opens: the phone's navigation menu, the
user menu, an opened searchable picker, forms sent back with their errors.

axe-core is vendored (tests/browser/axe/, see VERSION): nothing is downloaded at run time.
It runs the WCAG 2.0/2.1 A and AA rules and the best practices; a violation fails the test
when its impact is critical or serious (moderate and minor ones are counted in the output).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from branches.passwords import reset_link
from tests.browser.conftest import DESKTOP, PHONE
from tests.test_access import OFFICE_ADMIN_LISTS, PUBLIC_ROUTES, ROUTES

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
#: One persona of each role (tests/conftest.py), and the anonymous visitor.
PERSONAS = ("anonymous", "staff_a", "lead_a", "office", "leader", "admin_user")
LANGUAGES = ("zh-hans", "en")
FAILING_IMPACTS = {"critical", "serious"}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: Routes that answer a 200 with something other than a page, and why.
NOT_PAGES = {
    "reports:stats_api": "JSON for scripts",
    "reports:dashboard_attention": "htmx fragment: checked inside the dashboard",
    "outreach:enterprise_autocomplete": "JSON for the enterprise picker",
    "outreach:enterprise_choice": "JSON: one enterprise for the picker",
    "outreach:attachment_download": "a file",
    "issues:evidence_download": "a file",
    "imports:template": "a spreadsheet",
    "imports:batch_status": "htmx fragment: checked inside the import's page",
    "jobs:job_status": "htmx fragment: checked inside the job's page",
    "jobs:job_download": "a file",
    "captcha-image": "the online box's picture",
}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.flatMap((rule) => rule.nodes.map((node) => ({
    rule: rule.id,
    impact: node.impact || rule.impact,
    target: node.target.join(" "),
    html: node.html.slice(0, 120),
    summary: (node.failureSummary || "").split("\\n").slice(1).join(" ").trim(),
  })));
}"""


def page_urls(persona: str, world) -> list[tuple[str, str]]:
    """(label, url) of every page ``persona`` may open, with the world's rows in it."""
    urls = []
    for name, (method, kwargs, answers) in sorted(ROUTES.items()):
        if method != "get" or answers[persona] != 200 or name in NOT_PAGES:
            continue
        if name in PUBLIC_ROUTES and persona != "anonymous":
            continue
        kwargs = kwargs(world) if callable(kwargs) else kwargs
        urls.append((name, reverse(name, kwargs=kwargs)))
    if persona == "anonymous":
        # The reset link that still works: the form to set a new password.
        link = reset_link(world.a.activity.created_by, base_url="")
        urls.append(("password_reset_confirm, a working link", link))
    return urls + admin_urls(persona)


def admin_urls(persona: str) -> list[tuple[str, str]]:
    """The admin's home and the list of each model the persona is the one to check."""
    if persona == "office":
        lists = [name for name, status in OFFICE_ADMIN_LISTS.items() if status == 200]
    elif persona == "admin_user":
        lists = [name for name, status in OFFICE_ADMIN_LISTS.items() if status != 200]
    else:
        return []
    urls = [("admin:index", reverse("admin:index"))]
    return urls + [
        (f"admin:{n}_changelist", reverse(f"admin:{n}_changelist")) for n in sorted(lists)
    ]


class Axe:
    """One signed-in browser context for a persona and a language, one page in it: open a
    page, run axe, keep what it found."""

    def __init__(self, browser, base_url: str, persona: str, user, language: str):
        self.base_url = base_url
        self.where = f"{persona}, {language}"
        self.context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        # Before any script of the page: a page's CSP would refuse a <script> added later.
        self.context.add_init_script(path=str(AXE))
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}
            )
        self.context.add_cookies(cookies)
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.checked = 0
        self.failures: list[str] = []
        #: Findings below serious: "rule (impact)" -> the pages they were found on.
        self.others: dict[str, set[str]] = defaultdict(set)

    def open(self, label: str, url: str) -> None:
        """Open ``url`` and check it as it loads."""
        response = self.page.goto(self.base_url + url)
        assert response.status == 200, (self.where, label, url, response.status)
        is_page = response.headers.get("content-type", "").startswith("text/html")
        assert is_page and self.page.locator("main").count() == 1, (
            f"{label} ({url}) answers no page: name it in NOT_PAGES with the reason"
        )
        if self.page.locator('[hx-trigger="load"]').count():
            self.page.wait_for_load_state("networkidle")  # the parts htmx loads after
        self.check(label)

    def check(self, label: str) -> None:
        """Run axe on the page as it is now."""
        self.checked += 1
        url = self.page.url.removeprefix(self.base_url)
        for found in self.page.evaluate(RUN_AXE, TAGS):
            if found["impact"] not in FAILING_IMPACTS:
                self.others[f"{found['rule']} ({found['impact']})"].add(label)
                continue
            self.failures.append(
                f"{label} {url} as {self.where}: {found['rule']} ({found['impact']}) "
                f"at {found['target']}: {found['summary']} {found['html']}"
            )


# --- the states a person opens -----------------------------------------------------------


def navigation_on_a_phone(axe: Axe, world) -> None:
    page = axe.page
    page.set_viewport_size(PHONE)
    page.goto(axe.base_url + reverse("reports:home"))
    page.locator(".navbar-toggler").click()
    expect(page.locator("#main-nav")).to_have_class("navbar-collapse collapse show")
    axe.check("home, phone, navigation open")
    page.set_viewport_size(DESKTOP)


def on_a_phone(name: str) -> Callable:
    """The page of ``name`` at 390 px: its tables scroll inside their boxes."""

    def state(axe: Axe, world) -> None:
        axe.page.set_viewport_size(PHONE)
        axe.open(f"{name}, phone", reverse(name))
        axe.page.set_viewport_size(DESKTOP)

    return state


def user_menu(axe: Axe, world) -> None:
    page = axe.page
    page.goto(axe.base_url + reverse("reports:home"))
    page.get_by_test_id("user-menu").click()
    expect(page.locator(".dropdown-menu.show")).to_be_visible()
    axe.check("home, user menu open")


def sent_back(name: str, kwargs=None, fill: dict | None = None) -> Callable:
    """The form of ``name`` posted empty (or with ``fill``): the page with its errors.
    ``kwargs`` may be a function of the world."""

    def state(axe: Axe, world) -> None:
        page = axe.page
        url_kwargs = kwargs(world) if callable(kwargs) else kwargs
        page.goto(axe.base_url + reverse(name, kwargs=url_kwargs))
        form = page.locator("main form[method=post]").first
        for label, value in (fill or {}).items():
            form.locator(label).fill(value)
        with page.expect_navigation():
            form.locator("[type=submit]").first.click()
        expect(page.locator(".is-invalid, .invalid-feedback, .alert-danger").first).to_be_visible()
        axe.check(f"{name}, sent back with errors")

    return state


def enterprise_picker_open(axe: Axe, world) -> None:
    """The visit form's enterprise picker, searched and open on its choices."""
    page = axe.page
    page.goto(axe.base_url + reverse("outreach:activity_create", kwargs={"kind": "visit"}))
    picker = page.locator("#id_enterprises-ts-control")
    picker.click()
    picker.press_sequentially(world.a.enterprise.name[:2])
    expect(page.locator(".ts-dropdown .option").first).to_be_visible()
    axe.check("outreach:activity_create, enterprise picker open")


def enterprise_dialog_open(axe: Axe, world) -> None:
    """The visit form's dialog that registers an enterprise the picker did not find:
    as it opens, and sent back with its errors (no county)."""
    page = axe.page
    page.goto(axe.base_url + reverse("outreach:activity_create", kwargs={"kind": "visit"}))
    picker = page.locator("#id_enterprises-ts-control")
    picker.click()
    picker.press_sequentially("新华锅炉厂")
    page.locator(".ts-dropdown .create").click()
    dialog = page.locator("#enterprise-dialog")
    expect(dialog.locator("#id_name")).to_have_value("新华锅炉厂")
    axe.check("outreach:activity_create, registration dialog open")
    dialog.get_by_test_id("dialog-register").click()
    expect(dialog.locator(".is-invalid").first).to_be_visible()
    axe.check("outreach:activity_create, registration dialog with errors")


def visit_form_sent_back(axe: Axe, world) -> None:
    """The visit form with its errors: the enterprise picker's input (the field a screen
    reader meets) is named by the field's label and described by its error."""
    sent_back("outreach:activity_create", {"kind": "visit"})(axe, world)
    page = axe.page
    picker = page.locator("#id_enterprises-ts-control")
    label = page.locator("label[for=id_enterprises-ts-control]").inner_text().strip(" *\n")
    expect(picker).to_have_accessible_name(re.compile(re.escape(label)))
    expect(picker).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_enterprises_error").inner_text().strip()
    expect(picker).to_have_accessible_description(error)
    expect(page.locator("#id_enterprises")).to_have_attribute("aria-hidden", "true")


def staff_picker_open(axe: Axe, world) -> None:
    page = axe.page
    page.goto(axe.base_url + reverse("outreach:activity_create", kwargs={"kind": "visit"}))
    page.locator("#id_staff-ts-control").click()
    expect(page.locator(".ts-dropdown .option").first).to_be_visible()
    axe.check("outreach:activity_create, staff picker open")


def survivor_picker_open(axe: Axe, world) -> None:
    page = axe.page
    page.goto(
        axe.base_url + reverse("outreach:enterprise_merge", kwargs={"pk": world.a.enterprise.pk})
    )
    picker = page.locator("#id_survivor-ts-control")
    picker.click()
    picker.press_sequentially(world.b.enterprise.name[:2])
    expect(page.locator(".ts-dropdown .option").first).to_be_visible()
    axe.check("outreach:enterprise_merge, picker open")


SIGNED_IN = (navigation_on_a_phone, user_menu)
STATES = {
    "anonymous": (
        sent_back("login", fill={"input[name=username]": "nobody"}),
        sent_back("track:box"),
    ),
    "staff_a": (
        *SIGNED_IN,
        enterprise_picker_open,
        enterprise_dialog_open,
        visit_form_sent_back,
    ),
    "lead_a": (*SIGNED_IN, staff_picker_open, sent_back("outreach:enterprise_create")),
    "office": (
        *SIGNED_IN,
        survivor_picker_open,
        sent_back(
            "outreach:enterprise_update",
            lambda world: {"pk": world.a.enterprise.pk},
            fill={"input[name=name]": ""},
        ),
    ),
    "leader": (
        *SIGNED_IN,
        on_a_phone("reports:dashboard"),
        on_a_phone("issues:escalation_queue"),
        sent_back("password_change"),
    ),
    "admin_user": (*SIGNED_IN, sent_back("password_change")),
}


def test_every_page_for_every_role_in_both_languages_passes_axe(
    browser, live_server, personas, world, capsys
):
    assert set(NOT_PAGES) <= set(ROUTES), "a route named in NOT_PAGES is gone"
    started = time.monotonic()
    failures, pages, states, checks, others = [], {}, 0, 0, defaultdict(set)
    for persona in PERSONAS:
        user = None if persona == "anonymous" else personas[persona]
        urls = page_urls(persona, world)
        pages[persona] = len(urls)
        states += len(STATES[persona])
        for language in LANGUAGES:
            axe = Axe(browser, live_server.url, persona, user, language)
            for label, url in urls:
                axe.open(label, url)
            for state in STATES[persona]:
                state(axe, world)
            axe.context.close()
            failures += axe.failures
            checks += axe.checked
            for rule, labels in axe.others.items():
                others[rule] |= labels
    with capsys.disabled():
        print(
            f"\naxe: {sum(pages.values())} pages over {len(PERSONAS)} roles {pages}"
            f" and {states} opened states, × {len(LANGUAGES)} languages = {checks} checks in"
            f" {time.monotonic() - started:.0f} s; below serious: {dict(others) or 'none'}"
        )
    assert not failures, f"{len(failures)} critical or serious:\n" + "\n".join(failures)
