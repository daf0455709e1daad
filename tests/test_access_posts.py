"""The access table for POSTs: every POST-only action, sent as every persona.

The GET table (``test_access.py``) only sees these routes refuse a GET. Here each action
gets the POST a browser would send, with data that succeeds for a persona who may, as
each persona including the other branch's staff and lead: outside the persona's scope a
404 (never a 403 that confirms the record exists), in scope but the wrong role a 403, a
redirect for a role that may, the login page for an anonymous visitor. A refused POST,
with that data or with none (a view that skips its own role check would then answer with
its form's errors instead of a 403), changes no row of the project's tables; an allowed
one changes some. Every record acted on is branch A's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Membership
from issues.models import ReplyDraft
from jobs.models import Job
from tests import samples
from tests.db_state import database_rows
from tests.factories import (
    ActivityFactory,
    CalendarDayFactory,
    FeedbackItemFactory,
    ReplyFactory,
    ScheduledYearFactory,
)
from tests.issues.screens import issue_in
from tests.receipts.rows import enterprise_rating, rating_post
from tests.test_access import LOGIN, assert_answer, log_in_as
from tests.themes.rows import proposed_theme

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "staff_a",
    "lead_a",
    "staff_b",
    "lead_b",
    "office",
    "leader",
    "admin_user",
    "no_role_user",
)
#: Writes of branch A: its staff and lead; the province reads A but may not write there.
BY_A = {
    "anonymous": LOGIN,
    "staff_a": 302,
    "lead_a": 302,
    "staff_b": 404,
    "lead_b": 404,
    "office": 403,
    "leader": 403,
    "admin_user": 403,
    "no_role_user": 404,
}


@dataclass(frozen=True)
class Action:
    #: world -> (URL kwargs, the POST a browser sends); makes any rows the action needs.
    prepare: Callable[[object], tuple[dict, dict]]
    answers: dict
    #: Who changes rows by posting (by default, everyone the action redirects).
    writers: frozenset[str] | None = field(default=None)

    def changes_rows(self, persona: str) -> bool:
        if self.writers is not None:
            return persona in self.writers
        return self.answers[persona] == 302


def _failed_job(world):
    """staff_a's export that failed: asking again makes a new job."""
    job = world.a.job
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.FAILED, failure=Job.Failure.ERROR, message="x"
    )
    return {"pk": job.pk}, {}


def _today() -> str:
    return timezone.localdate().isoformat()


def _fresh_activity(world):
    activity = ActivityFactory(branch=world.a.branch, campaign=world.campaign)
    return {"pk": activity.pk}, {"reason": "重复录入"}


def _fresh_opinion(world):
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    return {"pk": item.pk}, {"reason": "重复录入"}


def _escalation(world):
    issue = issue_in(world, "collected")
    return {"pk": issue.pk, "name": "escalate"}, {
        "expected_state": "collected",
        "reason": "涉及全省收费标准",
    }


def _rectification(world):
    issue = issue_in(world, "rectifying")
    return {"pk": issue.pk}, {"rectification": "已调整检验排期"}


def _merge(world):
    duplicate, survivor = issue_in(world, "collected"), issue_in(world, "collected")
    return {"pk": duplicate.pk}, {"into": survivor.pk, "note": "重复问题"}


def _withdraw_issue(world):
    return {"pk": issue_in(world, "collected").pk}, {"reason": "重复立项"}


def _reply_data(seen: int) -> dict:
    return {
        "channel": "phone",
        "content": "已电话答复企业",
        "replied_on": _today(),
        "seen_reply_id": seen,
    }


def _opinion_reply(world):
    return {"pk": world.a.feedback.pk}, _reply_data(world.a.reply.pk)


def _unreachable(world):
    item = FeedbackItemFactory(activity=world.a.activity, enterprise=world.a.enterprise)
    today = timezone.localdate()
    for day in (today - timedelta(days=2), today - timedelta(days=1)):
        ReplyFactory(
            feedback_item=item,
            replied_by=world.a.activity.staff.first(),
            satisfaction="not_reachable",
            replied_on=day,
        )
    return {"pk": item.pk}, {"reason": "企业已搬迁，电话停机"}


def _bulk_reply(world):
    items = FeedbackItemFactory.create_batch(
        2, activity=world.a.activity, enterprise=world.a.enterprise
    )
    return {}, {"items": [item.pk for item in items], "action": "reply", **_reply_data(0)}


def _dispose(world):
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    return {}, {"items": [item.pk], "action": "close", "reason": "表扬，无需立项"}


#: The working-day calendar is edited by the provincial office alone; everyone else is
#: refused (everyone with a role reads it, so a 403, not a 404).
BY_THE_OFFICE = {**dict.fromkeys(PERSONAS, 403), "anonymous": LOGIN, "office": 302}


def _calendar_day(world):
    return {"pk": CalendarDayFactory(created_by=world.a.calendar_day.created_by).pk}, {}


def _scheduled_year(world):
    ScheduledYearFactory(year=2027, entered_by=world.a.calendar_day.created_by)
    return {}, {"year": 2027}


def _approval_draft(world, *, sent_back: bool = False) -> ReplyDraft:
    """A's replies need approval; a reply of A's staff waits for it (or was sent back)."""
    branch = world.a.branch
    branch.replies_need_approval = True
    branch.save(update_fields=["replies_need_approval"])
    lead = Membership.objects.get(branch=branch, role=Membership.Role.LEAD).user
    # The world's own draft: one waits for approval per opinion.
    draft = world.a.reply_draft
    if sent_back:
        draft.status = ReplyDraft.Status.SENT_BACK
        draft.reviewed_by = lead
        draft.reviewed_at = timezone.now()
        draft.review_comment = "请补充整改时间"
        draft.save()
    return draft


#: Reviewing a reply waiting for approval: a lead of A other than its author (A's staff).
REVIEWED_BY_LEAD_A = {**BY_A, "staff_a": 403}
#: Submitting a reply sent back again: its author (A's staff) alone.
BY_THE_AUTHOR = {**BY_A, "lead_a": 403}


def _resubmit(world):
    return {"pk": _approval_draft(world, sent_back=True).pk}, {
        "channel": "phone",
        "content": "已补充整改完成时间",
        "replied_on": _today(),
    }


def _anonymous_receipt(world):
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    return {"activity_pk": world.a.activity.pk}, {"items": [item.pk], "requested": "on"}


def _theme_adopt(world):
    theme = proposed_theme(world)
    return {"pk": theme.pk}, {
        "title": theme.title,
        "owner": _office_pk(),
        "deadline": _today(),
        "decision": "全省统一规范",
        "issues": list(theme.members.values_list("issue_id", flat=True)),
    }


def _office_pk() -> int:
    return Membership.objects.filter(role=Membership.Role.OFFICE).values_list("user_id", flat=True)[
        0
    ]


def _theme_merge(world):
    theme, into = proposed_theme(world), proposed_theme(world)
    return {"pk": theme.pk}, {"into": into.pk}


def _theme_link(world):
    theme = proposed_theme(
        world,
        state="adopted",
        owner_id=_office_pk(),
        deadline=timezone.localdate(),
        decided_at=timezone.now(),
    )
    return {"pk": theme.pk}, {"issues": list(theme.members.values_list("issue_id", flat=True))}


ACTIONS: dict[str, Action] = {
    # The office decides on a recurring problem; the leaders and the administrator read it.
    "themes:theme_adopt": Action(_theme_adopt, BY_THE_OFFICE),
    "themes:theme_dismiss": Action(
        lambda world: ({"pk": proposed_theme(world).pk}, {"reason": "个案，不属共性问题"}),
        BY_THE_OFFICE,
    ),
    "themes:theme_merge": Action(_theme_merge, BY_THE_OFFICE),
    "themes:theme_link": Action(_theme_link, BY_THE_OFFICE),
    # The shared record of A's enterprise: withdrawn by A's writers or the provincial
    # office; B sees the province's registry, so a 403.
    "outreach:enterprise_withdraw": Action(
        lambda world: ({"pk": world.a.enterprise.pk}, {"reason": "重复登记"}),
        {**BY_A, "staff_b": 403, "lead_b": 403, "office": 302},
    ),
    "outreach:activity_withdraw": Action(_fresh_activity, BY_A),
    "outreach:feedback_withdraw": Action(_fresh_opinion, BY_A),
    "outreach:attachment_add": Action(
        lambda world: (
            {"activity_pk": world.a.activity.pk},
            {"file": samples.upload("签到表.png", samples.PNG)},
        ),
        BY_A,
    ),
    # Escalating is the branch lead's alone (DESIGN.md §2).
    "issues:issue_transition": Action(_escalation, {**BY_A, "staff_a": 403}),
    "issues:reply_add": Action(
        lambda world: (
            {"pk": world.a.issue.pk},
            {
                "feedback_item": world.a.feedback.pk,
                "channel": "phone",
                "content": "已电话答复企业",
                "replied_on": _today(),
            },
        ),
        BY_A,
    ),
    "issues:rectification_report": Action(_rectification, BY_A),
    # Written instructions (批示) are the institute leader's, on any issue.
    "issues:instruction_add": Action(
        lambda world: ({"pk": world.a.issue.pk}, {"content": "请一周内办结"}),
        {**BY_A, "staff_a": 403, "lead_a": 403, "leader": 302},
    ),
    "issues:instruction_acknowledge": Action(
        lambda world: ({"pk": world.a.instruction.pk}, {}), BY_A
    ),
    "issues:issue_merge": Action(_merge, BY_A),
    # Disposing of opinions asks the role before reading any opinion: no role, a 403.
    "issues:feedback_dispose": Action(_dispose, {**BY_A, "no_role_user": 403}),
    # Withdrawing an issue and closing an opinion as unreachable are the branch lead's.
    "issues:issue_withdraw": Action(_withdraw_issue, {**BY_A, "staff_a": 403}),
    "issues:feedback_close_unreachable": Action(_unreachable, {**BY_A, "staff_a": 403}),
    "issues:feedback_reply": Action(_opinion_reply, BY_A),
    # One reply to ticked opinions asks the role first too, like disposing of them.
    "issues:feedback_reply_bulk": Action(_bulk_reply, {**BY_A, "no_role_user": 403}),
    "issues:reply_draft_approve": Action(
        lambda world: ({"pk": _approval_draft(world).pk}, {}), REVIEWED_BY_LEAD_A
    ),
    "issues:reply_draft_send_back": Action(
        lambda world: ({"pk": _approval_draft(world).pk}, {"comment": "请写明整改时间"}),
        REVIEWED_BY_LEAD_A,
    ),
    "issues:reply_draft_resubmit": Action(_resubmit, BY_THE_AUTHOR),
    # Everyone marks their own notifications read; only the staff of A and B have one.
    "notifications:mark_all_read": Action(
        lambda world: ({}, {}),
        {**dict.fromkeys(PERSONAS, 302), "anonymous": LOGIN},
        writers=frozenset({"staff_a", "staff_b"}),
    ),
    "workdays:day_create": Action(
        lambda world: ({}, {"day": "2027-10-01", "kind": "holiday", "name": "国庆节"}),
        BY_THE_OFFICE,
    ),
    "workdays:day_delete": Action(_calendar_day, BY_THE_OFFICE),
    # Receipts are issued, reissued and revoked by A's staff and lead; the province reads.
    "receipts:receipt_issue": Action(_anonymous_receipt, BY_A),
    "receipts:receipt_reissue": Action(lambda world: ({"pk": world.a.receipt.pk}, {}), BY_A),
    "receipts:receipt_revoke": Action(lambda world: ({"pk": world.a.receipt.pk}, {}), BY_A),
    # The lead of A follows an enterprise's rating up; A's staff and the province may not.
    "receipts:rating_follow_up": Action(
        lambda world: ({"pk": enterprise_rating(world.a).pk}, {"note": "已电话沟通"}),
        {**BY_A, "staff_a": 403},
    ),
    # Anyone holding the code rates: no login (the code is the only key).
    "track:rate": Action(
        lambda world: (
            {"code": world.a.receipt_code, "number": 1},
            rating_post(world.a.receipt_code, level="4"),
        ),
        dict.fromkeys(PERSONAS, 302),
    ),
    "workdays:year_mark": Action(lambda world: ({}, {"year": 2027}), BY_THE_OFFICE),
    "workdays:year_unmark": Action(_scheduled_year, BY_THE_OFFICE),
    # Anyone with an account asks for an export (of their own scope); a job is its asker's.
    "jobs:job_start": Action(
        lambda world: ({"kind": "issue_ledger"}, {"query": ""}),
        {**dict.fromkeys(PERSONAS, 302), "anonymous": LOGIN},
    ),
    "jobs:job_restart": Action(
        _failed_job, {**dict.fromkeys(PERSONAS, 404), "anonymous": LOGIN, "staff_a": 302}
    ),
    # The provincial office (and the system administrator) e-mail an account a reset link;
    # it writes no row of the project's tables (the admin's log records it).
    "password_reset_send": Action(
        lambda world: ({"pk": world.a.activity.staff.first().pk}, {}),
        {
            **dict.fromkeys(PERSONAS, 403),
            "anonymous": LOGIN,
            "office": 302,
            "admin_user": 302,
        },
        writers=frozenset(),
    ),
    # Logging out changes no row of the project's tables.
    "logout": Action(lambda world: ({}, {}), dict.fromkeys(PERSONAS, LOGIN)),
}


def post_only_routes() -> set[str]:
    """Routes the GET table says refuse a GET with a 405 for everyone logged in."""
    from tests.test_access import PERSONAS as GET_PERSONAS
    from tests.test_access import ROUTES

    logged_in = [name for name in GET_PERSONAS if name != "anonymous"]
    return {
        route
        for route, (method, _kwargs, answers) in ROUTES.items()
        if method == "get" and all(answers[name] == 405 for name in logged_in)
    }


def test_every_post_only_route_is_posted():
    assert post_only_routes() == set(ACTIONS), "add the POST-only route to ACTIONS"


def test_only_the_public_posts_open_to_anonymous_visitors():
    from tests.test_access import PUBLIC_POSTS

    open_posts = {
        route for route, action in ACTIONS.items() if action.answers["anonymous"] != LOGIN
    }
    assert open_posts == PUBLIC_POSTS


def test_every_action_names_every_persona():
    for route, action in ACTIONS.items():
        assert set(action.answers) == set(PERSONAS), route


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(ACTIONS))
def test_post_answers(client, personas, world, route, persona):
    action = ACTIONS[route]
    log_in_as(client, personas, persona)
    kwargs, data = action.prepare(world)
    url = reverse(route, kwargs=kwargs)
    expected = action.answers[persona]
    before = database_rows()
    # Without data first: a refusal must not wait for a valid form (a 404 only where the
    # record is named in the URL; feedback_dispose names its opinions in the data).
    if expected in (LOGIN, 403) or (expected == 404 and kwargs):
        assert_answer(client.post(url, {}), expected, url)
        assert database_rows() == before, "refused without data, yet rows changed"
    response = client.post(url, data)
    assert_answer(response, expected, url)
    if action.changes_rows(persona):
        assert database_rows() != before, "allowed, yet nothing was written"
    else:
        assert database_rows() == before, "refused, yet rows changed"
