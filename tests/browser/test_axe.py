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
user menu, opened searchable pickers and the registration dialog, forms sent back with
their errors, the dashboard and the escalations on a phone.

Every page of every role, and every state, is checked in Chinese and in English: about
100 CPU-seconds (Chromium, the live server and the test), so a minute and a half to two on
the two-core CI machine when nothing else runs. On a busy machine ``AXE_LANGUAGES_IN_TURN=1``
takes about a third less: each page of each role in one language, the languages in turn,
and every page and state still in both (``take_turns``).

axe-core is vendored (tests/browser/axe/, see VERSION): nothing is downloaded at run time.
It runs the WCAG 2.0/2.1 A and AA rules and the best practices; a violation fails the test
when its impact is critical or serious (moderate and minor ones are named in the output).
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter, defaultdict
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
    "issues:issue_suggestions": "fragment: the suggestions beside an opinion row",
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
        # Reduced motion: no page is read halfway through a fade (Bootstrap drops them).
        self.context = browser.new_context(
            viewport=DESKTOP, locale="zh-CN", reduced_motion="reduce"
        )
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
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.checked = 0
        self.failures: list[str] = []
        #: Findings below serious: "rule (impact)" -> the pages they were found on.
        self.others: dict[str, set[str]] = defaultdict(set)

    def open(self, label: str, url: str) -> None:
        """Open ``url`` and check it as it loads."""
        self._read(self.page, label, url, self.page.goto(self.base_url + url))

    def open_all(self, urls: list[tuple[str, str]]) -> None:
        """Open and check every (label, url), two tabs in turn: the next page loads while
        axe reads the one before (the browser renders one, the server answers the other)."""
        tabs = (self.page, self.context.new_page())
        started = []
        for index, (label, url) in enumerate(urls):
            if not started:
                started.append((tabs[0], label, url, self._start(tabs[0], url)))
            tab, label, url, response = started.pop(0)
            if index + 1 < len(urls):
                following = tabs[(index + 1) % 2]
                label_next, url_next = urls[index + 1]
                started.append((following, label_next, url_next, self._start(following, url_next)))
            tab.wait_for_load_state()
            self._read(tab, label, url, response)
        tabs[1].close()

    def _start(self, tab, url: str):
        """Ask for ``url`` in ``tab``; back as soon as the answer arrives, before it renders."""
        return tab.goto(self.base_url + url, wait_until="commit")

    def _read(self, tab, label: str, url: str, response) -> None:
        assert response.status == 200, (self.where, label, url, response.status)
        is_page = response.headers.get("content-type", "").startswith("text/html")
        assert is_page and tab.locator("main").count() == 1, (
            f"{label} ({url}) answers no page: name it in NOT_PAGES with the reason"
        )
        if tab.locator('[hx-trigger="load"]').count():
            tab.wait_for_load_state("networkidle")  # the parts htmx loads after
        self.check(label, tab)

    def check(self, label: str, tab=None) -> None:
        """Run axe on the page (or ``tab``) as it is now."""
        tab = tab or self.page
        self.checked += 1
        url = tab.url.removeprefix(self.base_url)
        for found in tab.evaluate(RUN_AXE, TAGS):
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


def take_turns(items: dict[str, list], key: Callable) -> dict[tuple[str, str], list]:
    """(persona, language) -> the items to check: every item of every persona in both
    languages; with ``AXE_LANGUAGES_IN_TURN=1`` each in one, the languages in turn (the
    next persona starting on the other), then an item no persona got in a language given
    to the first persona that has it, in that language. Either way every item of every
    persona is checked, every item in both languages, every persona in both."""
    plan, seen = defaultdict(list), defaultdict(set)
    in_turn = os.environ.get("AXE_LANGUAGES_IN_TURN", "") not in ("", "0")
    for number, persona in enumerate(PERSONAS):
        for index, item in enumerate(items[persona]):
            for language in [LANGUAGES[(number + index) % 2]] if in_turn else LANGUAGES:
                plan[persona, language].append(item)
                seen[key(item)].add(language)
    for persona in PERSONAS:
        for item in items[persona]:
            for language in [lang for lang in LANGUAGES if lang not in seen[key(item)]]:
                plan[persona, language].append(item)
                seen[key(item)].add(language)
    return plan


def test_every_page_for_every_role_in_both_languages_passes_axe(
    browser, live_server, personas, world, capsys
):
    assert set(NOT_PAGES) <= set(ROUTES), "a route named in NOT_PAGES is gone"
    started = time.monotonic()
    pages = {persona: page_urls(persona, world) for persona in PERSONAS}
    page_plan = take_turns(pages, key=lambda page: page[0])
    state_plan = take_turns(STATES, key=lambda state: state)
    failures, checks, others = [], Counter(), defaultdict(set)
    seconds = {"pages": 0.0, "states": 0.0}
    for persona in PERSONAS:
        user = None if persona == "anonymous" else personas[persona]
        for language in LANGUAGES:
            axe = Axe(browser, live_server.url, persona, user, language)
            begun = time.monotonic()
            axe.open_all(page_plan[persona, language])
            checks["pages"] += axe.checked
            in_states = time.monotonic()
            for state in state_plan[persona, language]:
                state(axe, world)
            checks["states"] += axe.checked - len(page_plan[persona, language])
            seconds["pages"] += in_states - begun
            seconds["states"] += time.monotonic() - in_states
            axe.context.close()
            failures += axe.failures
            for rule, labels in axe.others.items():
                others[rule] |= labels
    routes = {label for urls in pages.values() for label, _url in urls}
    with capsys.disabled():
        print(
            f"\naxe: {len(routes)} pages, {sum(map(len, pages.values()))} of them by role"
            f" over {len(PERSONAS)} roles, and {sum(map(len, STATES.values()))} opened"
            f" states, in {len(LANGUAGES)} languages: {checks['pages']} page checks in"
            f" {seconds['pages']:.0f} s, {checks['states']} state checks in"
            f" {seconds['states']:.0f} s, {time.monotonic() - started:.0f} s in all;"
            f" below serious: {dict(others) or 'none'}"
        )
    assert not failures, f"{len(failures)} critical or serious:\n" + "\n".join(failures)
