"""Every form that writes is sent once: its view is ``once_per_submission`` and every page
that draws it puts a one-time key in it.

A new route of outreach, issues or imports fails ``test_every_writing_route_is_once``
until its view is wrapped or it is named here as one that only reads; a form drawn
without its key fails the page walk (and would answer 400 in the browser).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from imports.models import ImportBatch
from issues.models import Issue
from tests.factories import ActivityFactory, ScheduledYearFactory
from tests.imports.conftest import example_batch
from tests.issues.screens import issue_in
from tests.receipts.rows import enterprise_rating
from tests.url_routes import every_route

pytestmark = pytest.mark.django_db

APPS = {"outreach", "issues", "imports", "workdays", "receipts", "track", "jobs", "reports"}
#: Routes of those apps that only read (lists, pages, downloads, the picker, the htmx row).
READ_ONLY = {
    "outreach:enterprise_list",
    "outreach:enterprise_autocomplete",
    "outreach:enterprise_choice",
    "outreach:enterprise_detail",
    "outreach:activity_list",
    "outreach:activity_kind_choice",
    "outreach:activity_detail",
    "outreach:feedback_list",
    "outreach:attachment_download",
    "issues:issue_list",
    "jobs:job_list",
    "jobs:job_detail",
    "jobs:job_status",
    "jobs:job_download",
    "issues:extension_records",
    "issues:return_records",
    "issues:supervision_records",
    "issues:my_work",
    "issues:issue_detail",
    "issues:feedback_detail",
    "issues:issue_suggestions",
    "issues:evidence_download",
    "issues:escalation_queue",
    "issues:meeting_list",
    "imports:template",
    "imports:batch_status",
    "workdays:calendar",
    "receipts:activity_receipts",
    "receipts:receipt_detail",
    "receipts:rating_list",
    "receipts:rating_detail",
    "receipts:receipt_list",
    "track:lookup",
    "track:receipt",
    "reports:home",
    "reports:dashboard",
    "reports:dashboard_attention",
    "reports:stats_api",
    "reports:briefing",
    "reports:assessment",
    "reports:bulletin",
}
#: Routes that write but are kept to one record per form another way.
OWN_ONCE = {
    # The online opinion box: its form carries a signed ticket, the receipt's code; the
    # same form sent twice finds the receipt it made (receipts.box).
    "track:box",
}
#: Forms of other apps that the pages draw: they create nothing.
NOT_OURS = {"/accounts/logout/", "/i18n/setlang/", "/notifications/read/"}

FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.DOTALL | re.IGNORECASE)
KEY = re.compile(r'name="submission_key"\s+value="[0-9a-f-]{36}"')


def is_once(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return getattr(getattr(view_class, "post", None), "once_per_submission", False)
    return getattr(callback, "once_per_submission", False)


def test_every_writing_route_is_once():
    routes = [route for route in every_route() if route.namespace in APPS]
    names = {route.name for route in routes}
    assert READ_ONLY <= names, READ_ONLY - names
    for route in routes:
        if route.name in OWN_ONCE:
            continue
        if route.name in READ_ONLY:
            assert not is_once(route.callback), f"{route.name} reads only: no key needed"
        else:
            assert is_once(route.callback), (
                f"{route.name} writes: wrap its view in core.submissions.once_per_submission"
            )


def post_forms(html: str, page: str) -> list[tuple[str, str]]:
    """(action, body) of every POST form of the page; action "" is the page itself."""
    forms = []
    for match in FORM.finditer(html):
        attrs = match["attrs"]
        if re.search(r'method="post"', attrs, re.IGNORECASE):
            action = re.search(r'action="([^"]*)"', attrs)
            forms.append((action[1] if action and action[1] else page, match["body"]))
    return forms


def assert_every_form_keyed(client, url: str, method: str = "get", data=None) -> int:
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == 200, (url, response.status_code)
    checked = 0
    for action, body in post_forms(response.content.decode(), url):
        if action.split("?")[0] in NOT_OURS:
            continue
        assert len(KEY.findall(body)) == 1, f"a form on {url} posting to {action} has no key"
        checked += 1
    return checked


def test_every_form_on_the_branch_pages_carries_a_key(client, world, staff_a, lead_a):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    pages = [
        reverse("outreach:enterprise_create"),
        reverse("outreach:enterprise_update", args=[world.a.enterprise.pk]),
        reverse("outreach:enterprise_detail", args=[world.a.enterprise.pk]),
        reverse("outreach:activity_create", args=["visit"]),
        reverse("outreach:activity_create", args=["survey"]),
        reverse("outreach:activity_update", args=[world.a.activity.pk]),
        reverse("outreach:activity_detail", args=[world.a.activity.pk]),
        reverse("outreach:activity_detail", args=[activity.pk]),
        reverse("outreach:feedback_entry", args=[world.a.activity.pk]),
        reverse("outreach:feedback_list"),
        reverse("outreach:feedback_update", args=[world.a.feedback.pk]),
        reverse("issues:feedback_detail", args=[world.a.feedback.pk]),
        reverse("imports:upload"),
        reverse("receipts:activity_receipts", args=[world.a.activity.pk]),
        reverse("receipts:receipt_detail", args=[world.a.receipt.pk]),
    ]
    checked = 0
    for user in (staff_a, lead_a):
        client.force_login(user)
        for state in ("collected", "rectifying", "rectified", "answered"):
            issue = issue_in(world, state, items=2)
            checked += assert_every_form_keyed(
                client, reverse("issues:issue_detail", args=[issue.pk])
            )
        checked += assert_every_form_keyed(
            client, reverse("issues:issue_detail", args=[world.a.issue.pk])
        )
        for url in pages:
            checked += assert_every_form_keyed(client, url)
    # The page the ticked opinions lead to: open an issue, attach, or close.
    checked += assert_every_form_keyed(
        client,
        reverse("issues:feedback_dispose"),
        "post",
        {"items": [issue_in(world, "collected").feedback_items.get().pk]},
    )
    # The bulk reply the ticked opinions of one enterprise lead to.
    item = world.a.feedback
    checked += assert_every_form_keyed(
        client, reverse("issues:feedback_reply_bulk"), "post", {"items": [item.pk]}
    )
    assert checked > 30


def test_every_form_on_the_province_pages_carries_a_key(client, world, office, leader):
    client.force_login(office)
    checked = assert_every_form_keyed(client, reverse("issues:meeting_create"))
    checked += assert_every_form_keyed(
        client, reverse("issues:meeting_detail", args=[world.a.meeting.pk])
    )
    checked += assert_every_form_keyed(
        client, reverse("issues:issue_detail", args=[world.a.issue.pk])
    )
    # The calendar: a year with an office day and not entered (add, delete, mark), and
    # one marked as entered (unmark).
    day = world.a.calendar_day.day
    ScheduledYearFactory(year=day.year + 1, entered_by=office)
    for year in (day.year, day.year + 1):
        checked += assert_every_form_keyed(client, f"{reverse('workdays:calendar')}?year={year}")
    # The clock's settings, which the office keeps.
    for name in ("time_limit_edit", "return_reason_list", "branch_approval_edit"):
        checked += assert_every_form_keyed(client, reverse(f"issues:{name}"))
    checked += assert_every_form_keyed(
        client, reverse("issues:return_reason_update", args=[world.a.return_reason.pk])
    )
    # The assessment's weights, and the bulletin's Word file (a job).
    for name in ("assessment_scheme_edit", "bulletin", "briefing"):
        checked += assert_every_form_keyed(client, reverse(f"reports:{name}"))
    client.force_login(leader)
    checked += assert_every_form_keyed(
        client, reverse("issues:issue_detail", args=[world.a.issue.pk])
    )
    assert checked >= 17


def test_the_rating_forms_carry_a_key(client, world, lead_a):
    """The enterprise's rating form (a person logged in may open the public page too), and
    the lead's follow-up and reopen forms on the rating page."""
    checked = assert_every_form_keyed(client, reverse("track:receipt", args=[world.a.receipt_code]))
    rating = enterprise_rating(world.a)
    client.force_login(lead_a)
    checked += assert_every_form_keyed(client, reverse("receipts:rating_detail", args=[rating.pk]))
    Issue.objects.filter(pk=world.a.issue.pk).update(state=Issue.State.ANSWERED)
    checked += assert_every_form_keyed(client, reverse("receipts:rating_detail", args=[rating.pk]))
    assert checked == 4


def test_the_import_confirmation_carries_a_key(client, staff_a, branch_a):
    batch = example_batch(staff_a, branch_a)
    assert batch.status == ImportBatch.Status.PREVIEWED
    client.force_login(staff_a)
    assert assert_every_form_keyed(client, reverse("imports:confirm", args=[batch.pk])) == 1
