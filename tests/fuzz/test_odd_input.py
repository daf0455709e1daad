"""Odd input everywhere: every route, as every persona, with odd text, numbers, dates and ids
in every form field, query parameter and path id. No answer is a 500, and a refused POST
writes nothing.

How it works: the pages are crawled as the personas who between them are shown every form
(a lead of branch A, the provincial office, a leader, a visitor; an issue of A waits in each
state so every transition's form is drawn), and the Django admin's lists as the administrator.
What the pages offer (their forms, the query parameters of their links and pickers) becomes the
list of targets. Then

- each field of each target gets, in one request each, an odd text, number, date and id from
  the fixed lists of ``values`` and each of ``values.ALWAYS`` (the other fields as the page
  drew them), sent as the persona who was shown the form; a view's field once, whichever page
  drew it;
- every persona sends every target requests whose fields Hypothesis fills, all odd in the
  first, some in the next (another persona's forms too: those must be refused cleanly);
- every route is asked for, read and posted, with odd path ids (another branch's row, ids past
  64 bits) and words that name nothing; so is every admin change page.

Each request runs in a rolled-back savepoint (``sending``), so every request meets the same
world. Hypothesis draws the same values on every CI run (derandomised when ``CI`` is set) and
new ones on a developer's machine. Every failure is collected and listed at the end.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pytest
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issues.models import Issue
from tests.factories import EscalationFactory
from tests.fuzz import values
from tests.fuzz.pages import (
    Form,
    admin_list_urls,
    odd_route_urls,
    page_forms,
    project_routes,
    route_urls,
)
from tests.fuzz.sending import Sender
from tests.issues.screens import issue_in

pytestmark = [
    pytest.mark.django_db,
    # The admin's date filters given year 1 make Django warn about a naive datetime.
    pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime"),
]

#: Who crawls the app's pages: between them they are shown every form of the app.
DISCOVERERS = ("lead_a", "office", "leader", "anonymous")
PERSONAS = ("staff_a", "lead_a", "staff_b", "office", "leader", "admin_user", "anonymous")
#: The admin's lists answer everyone but admin staff with its login page before they read a
#: parameter: of those, the visitor stands for the rest.
ADMIN_PERSONAS = ("office", "admin_user", "anonymous")
#: Requests per target and persona whose fields Hypothesis fills.
EXAMPLES = 2
NOT_FUZZED = {"csrfmiddlewaretoken"}
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass
class Target:
    """Something to send odd input to: a form, or the query parameters of a page."""

    method: str
    url: str
    form: Form
    owner: str
    fields: list[str] = field(default_factory=list)


def _shape(name: str) -> str:
    """Names and paths that differ only by ids are the same (issue 3's form, issue 7's)."""
    return re.sub(r"\d+", "#", name)


def _fuzzed_fields(form: Form) -> list[str]:
    """One field of each shape: a formset's first row stands for the others."""
    seen, chosen = set(), []
    for name in form.names:
        if name in NOT_FUZZED or _shape(name) in seen:
            continue
        seen.add(_shape(name))
        chosen.append(name)
    return chosen


@pytest.fixture
def fuzz_world(world, lead_a):
    """The shared world, plus an issue of A in every state (each state draws other forms),
    the escalated one waiting for a decision."""
    for state in Issue.State.values:
        issue = issue_in(world, state)
        if state == Issue.State.ESCALATED:
            EscalationFactory(issue=issue, requested_by=lead_a)
    return world


def _log_in(client, personas, name):
    client.logout()
    if name != "anonymous":
        client.force_login(personas[name])


def _crawl(client, personas, world, senders) -> list[Target]:
    """Every page as each discoverer, the admin's lists as the administrator; what the pages
    offer, once each. A page's query parameters (its filter form, its links') are one target."""
    issues = Issue.objects.filter(branch=world.a.branch).exclude(pk=world.a.issue.pk)
    pages = [url for route in project_routes() for url in route_urls(route, world)]
    pages += [f"/issues/{issue.pk}/" for issue in issues]
    targets: dict[tuple, Target] = {}
    for name in (*DISCOVERERS, "admin_user"):
        _log_in(client, personas, name)
        for url in admin_list_urls() if name == "admin_user" else pages:
            response = senders[name].send("get", url)
            if response is None or response.status_code != 200:
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            forms, links = page_forms(response.content.decode(), url)
            for path, names in links.items():
                forms.append(Form("get", path, fields={n: [""] for n in sorted(names)}))
            for form in forms:
                # The admin's own forms are left to the admin's tests; its lists' search,
                # filters, sorting and pages are fuzzed here.
                if form.method == "get" or not urlsplit(form.action).path.startswith("/admin/"):
                    _add_target(targets, form, name)
    return list(targets.values())


def _add_target(targets: dict, form: Form, owner: str) -> None:
    path = _shape(urlsplit(form.action).path)
    if form.method == "get":
        key = ("get", path)
        if key in targets:  # the same page's parameters, drawn elsewhere: one target
            known = targets[key].form
            for name, shown in form.fields.items():
                if known.fields.get(name, [""]) == [""]:
                    known.fields[name] = shown
            targets[key].fields = _fuzzed_fields(known)
            return
    else:
        key = (form.method, path, frozenset(map(_shape, form.names)))
        if key in targets or not form.names:
            return
    targets[key] = Target(form.method, form.action, form, owner, _fuzzed_fields(form))


def _is_admin(target: Target) -> bool:
    return urlsplit(target.url).path.startswith("/admin/")


def _field_key(target: Target, name: str) -> tuple[str, str]:
    """A view's field; the admin's lists share their parameters' code (search, sorting and
    each kind of filter: ``branch__id__exact`` and ``county__id__exact`` are one)."""
    if _is_admin(target):
        field_name, *lookups = name.split("__")
        return "admin list", "__".join(["*", *lookups]) if lookups else field_name
    return resolve(urlsplit(target.url).path).view_name, _shape(name)


def _every_field_every_kind(sender, target: Target, fields: list[str], other_ids: list[str]):
    """One request per field and kind, and one per value of ``values.ALWAYS``: that field odd,
    the others as drawn."""
    fixed = {
        "text": values.TEXT,
        "number": values.NUMBERS,
        "date": values.DATES,
        "id": [*values.IDS, *other_ids],
    }
    for index, name in enumerate(fields):
        # Each field a different value of each list, so every value is sent somewhere.
        rotated = [corpus[(index + len(target.url)) % len(corpus)] for corpus in fixed.values()]
        for value in (*rotated, *values.ALWAYS):
            sender.send(target.method, target.url, target.form.data(**{name: [value]}))


def _drawn_requests(sender, target: Target, other_ids: list[str]):
    """Requests whose fields Hypothesis fills: each one odd, or as the page drew it."""
    odd = [values.any_odd(index, other_ids) for index in range(len(target.fields))]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=IN_CI,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def send(data):
        replaced = {}
        for name, strategy in zip(target.fields, odd, strict=True):
            # The first example (the simplest) sends every field odd; later ones, some.
            if not data.draw(st.booleans(), label=f"{name} as drawn"):
                replaced[name] = [data.draw(strategy, label=name)]
        sender.send(target.method, target.url, target.form.data(**replaced))

    send()


def _odd_paths(client, personas, world, senders) -> None:
    """Every route with odd ids and words in its path, read and posted; every admin change
    and history page with ids that name no row."""
    _log_in(client, personas, "lead_a")
    for route in project_routes():
        for url in odd_route_urls(route, world, values.PATH_IDS, values.PATH_WORDS):
            senders["lead_a"].send("get", url)
            senders["lead_a"].send("post", url, {"reason": ["x"], "content": ["x"]})
    _log_in(client, personas, "admin_user")
    for list_url in admin_list_urls():
        for odd in ("²", "9" * 40, "-1"):
            for page in ("change", "history"):
                senders["admin_user"].send("get", f"{list_url}{quote(odd)}/{page}/")


def test_no_input_answers_500_or_writes_when_refused(client, personas, fuzz_world):
    world = fuzz_world
    other_ids = sorted({str(row.pk) for row in vars(world.b).values() if hasattr(row, "pk")})
    senders = {name: Sender(client, name) for name in PERSONAS}
    logging.disable(logging.CRITICAL)  # thousands of expected 403s and 404s
    try:
        targets = _crawl(client, personas, world, senders)
        assert len(targets) > 50, [target.url for target in targets]

        done = set()
        for target in targets:
            fields = []
            for name in target.fields:
                if _field_key(target, name) not in done:
                    done.add(_field_key(target, name))
                    fields.append(name)
            _log_in(client, personas, target.owner)
            _every_field_every_kind(senders[target.owner], target, fields, other_ids)

        for name in PERSONAS:
            _log_in(client, personas, name)
            for target in targets:
                if not _is_admin(target) or name in ADMIN_PERSONAS:
                    _drawn_requests(senders[name], target, other_ids)

        _odd_paths(client, personas, world, senders)
    finally:
        logging.disable(logging.NOTSET)

    failures = [failure for sender in senders.values() for failure in sender.failures]
    sent = sum(sender.sent for sender in senders.values())
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(
        map(str, failures)
    )
