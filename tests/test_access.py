"""The access table: every URL of the project, what each persona gets.

A new route fails ``test_every_route_is_in_the_table`` until it gets a row here, so no
page can ship without someone deciding who may open it; a route without a name fails it
too (it could have no row). Anonymous visitors are sent to the login page and never see
data. POST-only actions are posted as every persona in ``test_access_posts.py``.
"""

import re

import pytest
from captcha.models import CaptchaStore
from django.urls import URLResolver, get_resolver, reverse
from django.views.generic import RedirectView

from tests.receipts.rows import enterprise_rating
from tests.themes.rows import proposed_theme
from tests.url_routes import every_route

pytestmark = pytest.mark.django_db

LOGIN = "login"  # expected: redirect to the login page
ADMIN_LOGIN = "admin-login"  # expected: redirect to the admin's login page

# The personas of tests/conftest.py that can log in, plus the anonymous visitor.
PERSONAS = (
    "anonymous",
    "staff_a",
    "lead_a",
    "staff_b",
    "office",
    "leader",
    "admin_user",
    "no_role_user",
)
EVERYONE_LOGGED_IN = {name: 200 for name in PERSONAS if name != "anonymous"}
WRITERS_ONLY = {
    **dict.fromkeys(PERSONAS, 403),
    "anonymous": LOGIN,
    "staff_a": 200,
    "lead_a": 200,
    "staff_b": 200,
}
SEEN_BY_A = {
    "anonymous": LOGIN,
    "staff_a": 200,
    "lead_a": 200,
    "staff_b": 404,
    "office": 200,
    "leader": 200,
    "admin_user": 200,
    "no_role_user": 404,
}
EDITED_BY_A = {**SEEN_BY_A, "office": 403, "leader": 403, "admin_user": 403}
POST_ONLY = {"anonymous": LOGIN, **dict.fromkeys(EVERYONE_LOGGED_IN, 405)}
#: world.a.job is staff_a's.
OWN_JOB = {**dict.fromkeys(PERSONAS, 404), "anonymous": LOGIN, "staff_a": 200}


def _draft(world) -> dict:
    return {"pk": world.a.reply_draft.pk}


CLOCK_SETTINGS = {
    **dict.fromkeys(PERSONAS, 403),
    "anonymous": LOGIN,
    "office": 200,
    "leader": 200,
    "admin_user": 200,
}

#: Pages of the whole province: the office, the leaders and the system administrator.
SEES_EVERY_BRANCH = {
    **dict.fromkeys(PERSONAS, 403),
    "anonymous": LOGIN,
    "office": 200,
    "leader": 200,
    "admin_user": 200,
}


# route name -> (method, kwargs, {persona: expected status or LOGIN})
ROUTES = {
    "reports:home": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    # Leadership's view of a campaign: every role, each in its own scope; no role, no data.
    "reports:dashboard": (
        "get",
        {},
        {"anonymous": LOGIN, **EVERYONE_LOGGED_IN, "no_role_user": 404},
    ),
    # The briefing: the same answers as the dashboard (its Word file is a job).
    "reports:briefing": (
        "get",
        {},
        {"anonymous": LOGIN, **EVERYONE_LOGGED_IN, "no_role_user": 404},
    ),
    "reports:dashboard_attention": (
        "get",
        {},
        {"anonymous": LOGIN, **EVERYONE_LOGGED_IN, "no_role_user": 404},
    ),
    # The stats API answers a script: 401 instead of a login redirect.
    "reports:stats_api": (
        "get",
        {},
        {"anonymous": 401, **EVERYONE_LOGGED_IN, "no_role_user": 404},
    ),
    # The assessment: every role, each in its own scope (a branch: its own row and rank).
    "reports:assessment": (
        "get",
        {},
        {"anonymous": LOGIN, **EVERYONE_LOGGED_IN, "no_role_user": 404},
    ),
    # Its weights: the provincial office's alone (a GET shows the form).
    "reports:assessment_scheme_edit": (
        "get",
        {},
        {**dict.fromkeys(PERSONAS, 403), "anonymous": LOGIN, "office": 200},
    ),
    # The bulletin names and ranks every branch: those who see every branch.
    "reports:bulletin": ("get", {}, SEES_EVERY_BRANCH),
    # The recurring problems bring every branch's issues together: those who see every
    # branch read them; the office decides (POSTs, in test_access_posts).
    "themes:theme_list": ("get", {}, SEES_EVERY_BRANCH),
    "themes:theme_detail": (
        "get",
        lambda world: {"pk": proposed_theme(world).pk},
        SEES_EVERY_BRANCH,
    ),
    "themes:theme_adopt": ("get", lambda world: {"pk": proposed_theme(world).pk}, POST_ONLY),
    "themes:theme_dismiss": ("get", lambda world: {"pk": proposed_theme(world).pk}, POST_ONLY),
    "themes:theme_merge": ("get", lambda world: {"pk": proposed_theme(world).pk}, POST_ONLY),
    "themes:theme_link": ("get", lambda world: {"pk": proposed_theme(world).pk}, POST_ONLY),
    "login": ("get", {}, dict.fromkeys(PERSONAS, 200)),
    # Logging out is a POST (a link could be triggered by another site).
    "logout": ("get", {}, dict.fromkeys(PERSONAS, 405)),
    "set_language": ("post", {}, dict.fromkeys(PERSONAS, 302)),
    # Everyone signed in changes their own password.
    "password_change": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "password_change_done": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    # The provincial office e-mails an account a reset link (a POST, in test_access_posts).
    "password_reset_send": (
        "get",
        lambda world: {"pk": world.a.activity.staff.first().pk},
        POST_ONLY,
    ),
    # The e-mailed link's pages are public (the token is the key): a wrong token says the
    # link no longer works, for anyone, and names no account.
    "password_reset_confirm": (
        "get",
        {"uidb64": "MQ", "token": "not-a-token"},
        dict.fromkeys(PERSONAS, 200),
    ),
    "password_reset_complete": ("get", {}, dict.fromkeys(PERSONAS, 200)),
    # Spreadsheet import: branch staff and leads, into their own branch (the provincial
    # office imports with the management command). A kept file is its uploader's alone.
    "imports:upload": ("get", {}, WRITERS_ONLY),
    "imports:template": ("get", {}, WRITERS_ONLY),
    "imports:confirm": (
        "get",
        lambda world: {"pk": world.a.import_batch.pk},
        {**EDITED_BY_A, "lead_a": 404, "no_role_user": 403},
    ),
    # What a big file's job has done, polled by its page: its uploader's alone, too.
    "imports:batch_status": (
        "get",
        lambda world: {"pk": world.a.import_batch.pk},
        {**EDITED_BY_A, "lead_a": 404, "no_role_user": 403},
    ),
    # Notifications: everyone logged in has a list of their own; opening one is for its
    # recipient alone (world.a.notification is staff_a's), a 404 for everyone else.
    "notifications:notification_list": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "notifications:notification_open": (
        "get",
        lambda world: {"pk": world.a.notification.pk},
        {
            "anonymous": LOGIN,
            "staff_a": 302,
            "lead_a": 404,
            "staff_b": 404,
            "office": 404,
            "leader": 404,
            "admin_user": 404,
            "no_role_user": 404,
        },
    ),
    "notifications:mark_all_read": ("get", {}, POST_ONLY),
    # Lists: everyone logged in (each sees their own scope; no role, an empty list).
    "outreach:enterprise_list": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "outreach:enterprise_autocomplete": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    # One enterprise as a picker's choice (where the registration dialog lands): the
    # registry is the province's, so every member; no role sees no enterprise (404).
    "outreach:enterprise_choice": (
        "get",
        lambda world: {"pk": world.a.enterprise.pk},
        {"anonymous": LOGIN, **EVERYONE_LOGGED_IN, "no_role_user": 404},
    ),
    "outreach:activity_list": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    # Recording outreach: branch staff and leads only.
    "outreach:enterprise_create": ("get", {}, WRITERS_ONLY),
    "outreach:activity_kind_choice": ("get", {}, WRITERS_ONLY),
    "outreach:activity_create": ("get", {"kind": "visit"}, WRITERS_ONLY),
    # The enterprise registry is the province's: every member opens any enterprise (each
    # sees only their own scope's activities and opinions there); no role, a 404.
    "outreach:enterprise_detail": (
        "get",
        lambda world: {"pk": world.a.enterprise.pk},
        {"anonymous": LOGIN, **EVERYONE_LOGGED_IN, "no_role_user": 404},
    ),
    # A's records: seen by A and the province, a 404 for everyone else.
    "outreach:activity_detail": ("get", lambda world: {"pk": world.a.activity.pk}, SEEN_BY_A),
    # The shared record of A's enterprise: kept by A's writers and the provincial office;
    # everyone else with a role sees it but may not edit (403).
    "outreach:enterprise_update": (
        "get",
        lambda world: {"pk": world.a.enterprise.pk},
        {**EDITED_BY_A, "staff_b": 403, "office": 200},
    ),
    # Merging two records of one company: the provincial office's alone.
    "outreach:enterprise_merge": (
        "get",
        lambda world: {"pk": world.a.enterprise.pk},
        {**dict.fromkeys(PERSONAS, 403), "anonymous": LOGIN, "office": 200, "no_role_user": 404},
    ),
    # Editing A's records: A's writers; provincial roles see them but may not edit.
    "outreach:activity_update": ("get", lambda world: {"pk": world.a.activity.pk}, EDITED_BY_A),
    "outreach:enterprise_withdraw": (
        "get",
        lambda world: {"pk": world.a.enterprise.pk},
        POST_ONLY,
    ),
    "outreach:activity_withdraw": ("get", lambda world: {"pk": world.a.activity.pk}, POST_ONLY),
    # Feedback: the list and its export for everyone logged in (each their own scope);
    # entering opinions at A's activity for A's writers (provincial roles read only).
    "outreach:feedback_list": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "outreach:feedback_entry": (
        "get",
        lambda world: {"activity_pk": world.a.activity.pk},
        EDITED_BY_A,
    ),
    # Correcting an opinion: its branch's staff and lead; the province reads, never writes.
    "outreach:feedback_update": ("get", lambda world: {"pk": world.a.feedback.pk}, EDITED_BY_A),
    "outreach:feedback_withdraw": ("get", lambda world: {"pk": world.a.feedback.pk}, POST_ONLY),
    # Uploading is a POST; a GET is refused before the activity is even looked up.
    "outreach:attachment_add": (
        "get",
        lambda world: {"activity_pk": world.a.activity.pk},
        {"anonymous": LOGIN, **dict.fromkeys(EVERYONE_LOGGED_IN, 405)},
    ),
    # A's file: for those who see branch A; a 404 (never a 403) for everyone else.
    "outreach:attachment_download": (
        "get",
        lambda world: {"pk": world.a.attachment.pk},
        {
            "anonymous": LOGIN,
            "staff_a": 200,
            "lead_a": 200,
            "staff_b": 404,
            "office": 200,
            "leader": 200,
            "admin_user": 200,
            "no_role_user": 404,
        },
    ),
    # Issues: the list and "my work" for everyone logged in (each their own scope; no role,
    # empty); A's issue page and evidence for those who see A, a 404 for everyone else.
    "issues:issue_list": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    # Open issues like an opinion being typed, beside the forms that record opinions: for
    # the branches' staff and leads (with no place named, an empty answer). Its ids and
    # scope: tests/issues/test_suggestions.py.
    "issues:issue_suggestions": ("get", {}, WRITERS_ONLY),
    # The clock's records behind the dashboard's figures: every role, each in its scope.
    "issues:extension_records": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "issues:return_records": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "issues:supervision_records": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "issues:my_work": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "issues:issue_detail": ("get", lambda world: {"pk": world.a.issue.pk}, SEEN_BY_A),
    "issues:evidence_download": ("get", lambda world: {"pk": world.a.evidence.pk}, SEEN_BY_A),
    # Workflow actions on an issue are POSTs; a GET is refused before anything is looked up.
    "issues:issue_transition": (
        "get",
        lambda world: {"pk": world.a.issue.pk, "name": "decide"},
        POST_ONLY,
    ),
    "issues:reply_add": ("get", lambda world: {"pk": world.a.issue.pk}, POST_ONLY),
    "issues:rectification_report": ("get", lambda world: {"pk": world.a.issue.pk}, POST_ONLY),
    "issues:instruction_add": ("get", lambda world: {"pk": world.a.issue.pk}, POST_ONLY),
    "issues:instruction_acknowledge": (
        "get",
        lambda world: {"pk": world.a.instruction.pk},
        POST_ONLY,
    ),
    "issues:issue_merge": ("get", lambda world: {"pk": world.a.issue.pk}, POST_ONLY),
    "issues:issue_withdraw": ("get", lambda world: {"pk": world.a.issue.pk}, POST_ONLY),
    # An opinion's page: for those who see A, a 404 for everyone else; its actions (a
    # reply, closing as unreachable) are POSTs, like one reply to opinions ticked on a list.
    "issues:feedback_detail": ("get", lambda world: {"pk": world.a.feedback.pk}, SEEN_BY_A),
    "issues:feedback_reply": ("get", lambda world: {"pk": world.a.feedback.pk}, POST_ONLY),
    "issues:feedback_close_unreachable": (
        "get",
        lambda world: {"pk": world.a.feedback.pk},
        POST_ONLY,
    ),
    "issues:feedback_reply_bulk": ("get", {}, POST_ONLY),
    # A reply waiting for the branch lead's approval: approved, sent back, submitted
    # again by POSTs back to the opinion page.
    "issues:reply_draft_approve": ("get", _draft, POST_ONLY),
    "issues:reply_draft_send_back": (
        "get",
        lambda world: {"pk": world.a.reply_draft.pk},
        POST_ONLY,
    ),
    "issues:reply_draft_resubmit": ("get", _draft, POST_ONLY),
    # From feedback to issues: a POST from the lists (its page answers the POST).
    "issues:feedback_dispose": ("get", {}, POST_ONLY),
    # The province: the queue for the office and leaders (and administrators, who see every
    # branch); meetings listed for everyone in their scope (a branch: those that decided
    # its issues), recorded by the office alone. world.a.meeting decided world.a.issue.
    "issues:escalation_queue": (
        "get",
        {},
        {
            **dict.fromkeys(PERSONAS, 403),
            "anonymous": LOGIN,
            "office": 200,
            "leader": 200,
            "admin_user": 200,
        },
    ),
    "issues:meeting_list": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "issues:meeting_create": (
        "get",
        {},
        {**dict.fromkeys(PERSONAS, 403), "anonymous": LOGIN, "office": 200},
    ),
    "issues:meeting_detail": ("get", lambda world: {"pk": world.a.meeting.pk}, SEEN_BY_A),
    # The working-day calendar: read by everyone with a role (deadlines concern them all),
    # a 403 without one; the provincial office's edits are POSTs.
    "workdays:calendar": (
        "get",
        {},
        {"anonymous": LOGIN, **EVERYONE_LOGGED_IN, "no_role_user": 403},
    ),
    "workdays:day_create": ("get", {}, POST_ONLY),
    "workdays:day_delete": ("get", lambda world: {"pk": world.a.calendar_day.pk}, POST_ONLY),
    "workdays:year_mark": ("get", {}, POST_ONLY),
    "workdays:year_unmark": ("get", {}, POST_ONLY),
    # The clock's settings: changed by the provincial office, read by leaders and
    # administrators (no buttons; their POST is a 403), refused to branches and no role.
    "issues:time_limit_edit": ("get", {}, CLOCK_SETTINGS),
    "issues:return_reason_list": ("get", {}, CLOCK_SETTINGS),
    "issues:return_reason_update": (
        "get",
        lambda world: {"pk": world.a.return_reason.pk},
        CLOCK_SETTINGS,
    ),
    "issues:branch_approval_edit": ("get", {}, CLOCK_SETTINGS),
    # Receipts: A's activity's receipts and a receipt to print, for those who see A (only
    # A's staff and lead get the buttons); issuing, reissuing and revoking are POSTs.
    "receipts:activity_receipts": (
        "get",
        lambda world: {"activity_pk": world.a.activity.pk},
        SEEN_BY_A,
    ),
    # Jobs (exports, Word files): asked for by POST; a job is its asker's alone (anyone
    # else, even the office, gets a 404 as for an id that does not exist).
    "jobs:job_list": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "jobs:job_start": ("get", {"kind": "issue_ledger"}, POST_ONLY),
    "jobs:job_detail": ("get", lambda world: {"pk": world.a.job.pk}, OWN_JOB),
    "jobs:job_status": ("get", lambda world: {"pk": world.a.job.pk}, OWN_JOB),
    "jobs:job_download": ("get", lambda world: {"pk": world.a.job.pk}, OWN_JOB),
    "jobs:job_restart": ("get", lambda world: {"pk": world.a.job.pk}, POST_ONLY),
    "receipts:receipt_detail": ("get", lambda world: {"pk": world.a.receipt.pk}, SEEN_BY_A),
    # The receipts the dashboard's figures count: a list, scoped like every list.
    "receipts:receipt_list": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "receipts:receipt_issue": (
        "get",
        lambda world: {"activity_pk": world.a.activity.pk},
        POST_ONLY,
    ),
    "receipts:receipt_reissue": ("get", lambda world: {"pk": world.a.receipt.pk}, POST_ONLY),
    "receipts:receipt_revoke": ("get", lambda world: {"pk": world.a.receipt.pk}, POST_ONLY),
    # The enterprise's pages: the ONLY routes an anonymous visitor gets a 200 on. The
    # code is all it takes (tests/receipts/test_public_page.py: what they never show).
    "track:lookup": ("get", {}, dict.fromkeys(PERSONAS, 200)),
    "track:receipt": (
        "get",
        lambda world: {"code": world.a.receipt_code},
        dict.fromkeys(PERSONAS, 200),
    ),
    # The enterprise's rating of an answer (a POST, posted in test_access_posts.py): public
    # too, a GET refused for everyone, the anonymous visitor included.
    "track:rate": (
        "get",
        lambda world: {"code": world.a.receipt_code, "number": 1},
        dict.fromkeys(PERSONAS, 405),
    ),
    # The enterprises' ratings: every role sees those of its scope (no role, none); one
    # rating's page for those who see A; the follow-up is a POST (the lead's).
    "receipts:rating_list": ("get", {}, {"anonymous": LOGIN, **EVERYONE_LOGGED_IN}),
    "receipts:rating_detail": (
        "get",
        lambda world: {"pk": enterprise_rating(world.a).pk},
        SEEN_BY_A,
    ),
    "receipts:rating_follow_up": (
        "get",
        lambda world: {"pk": enterprise_rating(world.a).pk},
        POST_ONLY,
    ),
    # The online opinion box and its challenge's picture (a new challenge is asked for by
    # the page's script only: a plain GET is not found). Their limits: tests/receipts/
    # test_box_pages.py.
    "track:box": ("get", {}, dict.fromkeys(PERSONAS, 200)),
    "captcha-image": (
        "get",
        lambda world: {"key": CaptchaStore.generate_key()},
        dict.fromkeys(PERSONAS, 200),
    ),
    "captcha-refresh": ("get", {}, dict.fromkeys(PERSONAS, 404)),
}

#: The routes open to anonymous visitors (checked against the table below).
PUBLIC_ROUTES = {
    "login",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "track:lookup",
    "track:receipt",
    "track:box",
    "captcha-image",
    "captcha-refresh",
}
#: The POST-only routes open to anonymous visitors (checked in test_access_posts.py): the
#: enterprise's rating, with its code.
PUBLIC_POSTS = {"track:rate"}

# Django admin: staff only. Branch roles and leaders are not admin staff; the provincial
# office is (it manages users), with the permissions of its group; the system
# administrator sees everything. Every admin route is checked for the non-staff personas;
# each model's list page is checked for the office and the administrator.
NON_STAFF = ("anonymous", "staff_a", "lead_a", "staff_b", "leader", "no_role_user")
ADMIN_OPEN_ROUTES = {"admin:login"}
ADMIN_POST_ONLY = {"admin:logout"}
OFFICE_ADMIN_LISTS = {
    "auth_group": 403,
    "auth_user": 200,
    "branches_branch": 200,
    "branches_county": 200,
    "branches_membership": 200,
    "branches_liaison": 200,
    "outreach_campaign": 200,
    "outreach_equipmentclass": 200,
    "outreach_feedbackcategory": 200,
    "outreach_enterprise": 200,
    "outreach_activity": 200,
    "outreach_activityattachment": 200,
    "outreach_feedbackitem": 200,
    "issues_issue": 200,
    "issues_escalation": 200,
    "issues_provincialmeeting": 200,
    "issues_provincialdecision": 200,
    "issues_reply": 200,
    "issues_instruction": 200,
    "issues_issueevent": 200,
    "imports_importbatch": 403,
    # The calendar's admin only reads, for the system administrator (the office edits it
    # on its own page).
    "workdays_calendarday": 403,
    "workdays_scheduledyear": 403,
    # Notifications are personal: only the system administrator reads them in the admin.
    "notifications_notification": 403,
    "axes_accessattempt": 403,
    "axes_accessfailurelog": 403,
    "axes_accesslog": 403,
}


def is_the_admins_own_unnamed_route(route) -> bool:
    """Django's admin adds two kinds of unnamed routes: the old change-page URLs, which
    redirect to the named change page, and its catch-all (both behind its login)."""
    view_class = getattr(route.callback, "view_class", None)
    if view_class is RedirectView:
        return route.callback.view_initkwargs.get("pattern_name", "").startswith("admin:")
    return hasattr(route.callback, "admin_site") and route.callback.__name__ == "catch_all_view"


def admin_changelists():
    return {
        route.name.removeprefix("admin:").removesuffix("_changelist")
        for route in every_route()
        if route.namespace == "admin" and (route.name or "").endswith("_changelist")
    }


def log_in_as(client, personas, name):
    user = personas[name]
    if name != "anonymous":
        client.force_login(user)
    return user


def assert_answer(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url
    else:
        assert response.status_code == expected, (url, response.status_code)


def test_every_route_is_in_the_table():
    routes = list(every_route())
    project = [route for route in routes if route.namespace != "admin"]
    unnamed = [route.path for route in project if route.name is None]
    assert unnamed == [], "name the route and add it to ROUTES with its answers"
    # Sorted lists, not sets: two routes under one name would hide the first.
    assert sorted(route.name for route in project) == sorted(ROUTES), (
        "add the new route to ROUTES with its answers"
    )
    admin_unnamed = [
        route.path
        for route in routes
        if route.namespace == "admin"
        and route.name is None
        and not is_the_admins_own_unnamed_route(route)
    ]
    assert admin_unnamed == [], "an unnamed route in the admin that Django did not add"
    assert admin_changelists() == set(OFFICE_ADMIN_LISTS), "add the admin list to the table"


def test_every_row_names_every_persona():
    for name, (_method, _kwargs, answers) in ROUTES.items():
        assert set(answers) == set(PERSONAS), name


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_project_route_answers(client, personas, world, route, persona):
    method, kwargs, answers = ROUTES[route]
    log_in_as(client, personas, persona)
    # Routes to one of the world's rows name it with a function of ``world``.
    kwargs = kwargs(world) if callable(kwargs) else kwargs
    url = reverse(route, kwargs=kwargs)
    response = getattr(client, method)(url)
    assert_answer(response, answers[persona], url)


def test_only_the_public_routes_open_to_anonymous_visitors():
    open_routes = {
        name
        for name, (_method, _kwargs, answers) in ROUTES.items()
        if answers["anonymous"] not in (LOGIN, 401, 405)
    }
    assert open_routes == PUBLIC_ROUTES


def test_anonymous_home_shows_no_data(client, world):
    response = client.get(reverse("reports:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    body = response.content.decode()
    assert world.a.issue.title not in body
    assert world.a.activity.title not in body


PARAM_VALUES = {"app_label": "issues"}  # any other parameter is an id: "1"


def _route_params(entry) -> list[str]:
    pattern = entry.pattern
    if hasattr(pattern, "converters") and pattern.converters:
        return list(pattern.converters)
    regex = getattr(pattern, "regex", None)
    if regex is None:
        return []
    # Unnamed groups (django-simple-history's routes) are positional: marked with "".
    return list(regex.groupindex) or [""] * regex.groups


def _admin_routes(resolver=None, namespace="", params=()):
    """(route name, parameter names) for every named admin route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _admin_routes(entry, inner, (*params, *_route_params(entry)))
        elif entry.name and namespace.startswith("admin:"):
            yield f"{namespace}{entry.name}", (*params, *_route_params(entry))


def _admin_urls():
    for name, params in sorted(_admin_routes()):
        if "" in params:
            yield name, reverse(name, args=["1"] * len(params))
        else:
            yield name, reverse(name, kwargs={p: PARAM_VALUES.get(p, "1") for p in params})


@pytest.mark.parametrize("persona", NON_STAFF)
def test_admin_is_closed_to_everyone_but_admin_staff(client, personas, world, persona):
    log_in_as(client, personas, persona)
    for name, url in _admin_urls():
        if name in ADMIN_POST_ONLY:
            continue
        response = client.get(url)
        if name in ADMIN_OPEN_ROUTES:
            assert response.status_code == 200, url
        else:
            assert_answer(response, ADMIN_LOGIN, url)


@pytest.mark.parametrize("persona", NON_STAFF)
def test_the_admins_unnamed_routes_are_closed_too(client, personas, world, persona):
    log_in_as(client, personas, persona)
    unnamed = [r for r in every_route() if r.namespace == "admin" and r.name is None]
    assert unnamed
    for route in unnamed:
        # An id for the change-page redirects; any page at all for the catch-all.
        path = re.sub(r"<[^>]+>", "1", route.path).replace("(?P<url>.*)$", "no-such-page/")
        response = client.get(f"/{path}", follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        assert final.startswith(reverse("admin:login")), path


@pytest.mark.parametrize(("model", "expected"), sorted(OFFICE_ADMIN_LISTS.items()))
def test_provincial_office_admin_lists(client, office, world, model, expected):
    client.force_login(office)
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == expected


@pytest.mark.parametrize("model", sorted(OFFICE_ADMIN_LISTS))
def test_system_administrator_sees_every_admin_list(client, admin_user, world, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
