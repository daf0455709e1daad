"""Supervision notices (督办单) by hand and their written answers, the pages that show them,
and the leaders' attention list.

The office issues a notice on any unrectified counted issue (transition ``supervise``);
the branch lead answers the oldest open one in writing (``answer_supervision``), and the
office hears of it. The automatic notices and the chasing steps: tests/notifications/
test_send_reminders.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue, IssueEvent, SupervisionNotice, TimeLimit
from issues.supervision import oldest_open_notice_id
from issues.transitions import available_transitions
from notifications.models import Notification
from tests.factories import IssueFactory
from tests.issues.screens import issue_in

pytestmark = pytest.mark.django_db

State = Issue.State
Kind = Notification.Kind


@pytest.fixture(autouse=True)
def notify_at_once(monkeypatch):
    """The notifications follow a commit that never comes in these tests: run it at once."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def transition_url(issue, name):
    return reverse("issues:issue_transition", args=[issue.pk, name])


def post(client, user, issue, name, **data):
    """POST the action's form; an answer names the notice the page shows (the oldest open)."""
    if name == "answer_supervision":
        data.setdefault("notice_id", oldest_open_notice_id(issue) or "")
    client.force_login(user)
    return client.post(transition_url(issue, name), {"expected_state": issue.state, **data})


def notice_on(issue, **fields) -> SupervisionNotice:
    return SupervisionNotice.objects.create(
        issue=issue, deadline=issue.deadline, content=fields.pop("content", "请说明"), **fields
    )


def names(user, issue) -> set[str]:
    return {transition.name for transition in available_transitions(user, issue)}


# --- supervise: the office's notice by hand ------------------------------------------------


def test_the_office_issues_a_notice_and_the_branch_lead_hears(client, world, office, lead_a):
    issue = issue_in(world, State.RECTIFYING)

    response = post(client, office, issue, "supervise", content="请于三日内书面说明整改进展")

    assert response.status_code == 302
    notice = SupervisionNotice.objects.get(issue=issue)
    assert (notice.automatic, notice.issued_by, notice.content) == (
        False,
        office,
        "请于三日内书面说明整改进展",
    )
    assert notice.deadline == issue.deadline
    event = IssueEvent.objects.get(issue=issue, kind=IssueEvent.Kind.SUPERVISED)
    assert (event.actor, event.note) == (office, "请于三日内书面说明整改进展")
    issue.refresh_from_db()
    assert issue.state == State.RECTIFYING  # an action that keeps the state
    assert set(
        Notification.objects.filter(kind=Kind.SUPERVISED).values_list(
            "recipient__username", flat=True
        )
    ) == {"lead_a"}


def test_a_notice_without_content_is_refused_and_nothing_changes(client, world, office):
    issue = issue_in(world, State.RECTIFYING)
    response = post(client, office, issue, "supervise", content="   ")
    assert response.status_code == 200
    forms = {action["transition"].name: action["form"] for action in response.context["actions"]}
    assert "content" in forms["supervise"].errors
    assert not SupervisionNotice.objects.open().exists()  # the world's own is answered
    assert not IssueEvent.objects.filter(kind=IssueEvent.Kind.SUPERVISED).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_a", 403), ("lead_a", 403), ("leader", 403), ("staff_b", 404)],
)
def test_only_the_office_issues_notices(client, world, personas, persona, status):
    issue = issue_in(world, State.RECTIFYING)
    response = post(client, personas[persona], issue, "supervise", content="督办")
    assert response.status_code == status
    assert not SupervisionNotice.objects.open().exists()  # the world's own is answered


@pytest.mark.parametrize(
    ("state", "offered"),
    [
        (State.COLLECTED, True),
        (State.RECTIFYING, True),
        (State.ESCALATED, True),
        (State.RECTIFIED, False),
        (State.ANSWERED, False),
    ],
)
def test_the_office_may_supervise_any_unrectified_issue(world, office, state, offered):
    issue = issue_in(world, state)
    assert ("supervise" in names(office, issue)) is offered


def test_a_withdrawn_issue_is_not_supervised(world, office):
    issue = IssueFactory(branch=world.a.branch, state=State.RECTIFYING, withdrawn=True)
    assert "supervise" not in names(office, issue)


# --- answer_supervision: the branch lead's written answer ----------------------------------


def test_the_lead_answers_the_oldest_open_notice_and_the_office_hears(
    client, world, office, lead_a
):
    issue = issue_in(world, State.RECTIFYING)
    first = notice_on(issue, automatic=True, content="逾期三个工作日")
    second = notice_on(issue, issued_by=office, content="请说明")

    response = post(client, lead_a, issue, "answer_supervision", answer="已调配人手，周五前完成")

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.answer, first.answered_by) == ("已调配人手，周五前完成", lead_a)
    assert first.answered_at is not None
    assert second.answered_at is None
    event = IssueEvent.objects.get(issue=issue, kind=IssueEvent.Kind.SUPERVISION_ANSWERED)
    assert (event.actor, event.note) == (lead_a, "已调配人手，周五前完成")
    assert set(
        Notification.objects.filter(kind=Kind.SUPERVISION_ANSWERED).values_list(
            "recipient__username", flat=True
        )
    ) == {"office"}
    # The second notice still waits: the answer stays offered.
    assert "answer_supervision" in names(lead_a, issue)


def test_an_empty_answer_is_refused(client, world, lead_a):
    issue = issue_in(world, State.RECTIFYING)
    notice = notice_on(issue, automatic=True)
    response = post(client, lead_a, issue, "answer_supervision", answer="")
    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.answered_at is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_a", 403), ("office", 403), ("leader", 403), ("staff_b", 404), ("lead_b", 404)],
)
def test_only_the_branch_lead_answers(client, world, personas, lead_b, persona, status):
    issue = issue_in(world, State.RECTIFYING)
    notice = notice_on(issue, automatic=True)
    user = lead_b if persona == "lead_b" else personas[persona]
    response = post(client, user, issue, "answer_supervision", answer="说明")
    assert response.status_code == status
    notice.refresh_from_db()
    assert notice.answered_at is None


def test_the_answer_is_offered_only_while_a_notice_is_open(client, world, lead_a):
    issue = issue_in(world, State.RECTIFIED)
    assert "answer_supervision" not in names(lead_a, issue)
    notice_on(issue, automatic=True)
    assert "answer_supervision" in names(lead_a, issue)  # whatever the state

    shown = oldest_open_notice_id(issue)
    post(client, lead_a, issue, "answer_supervision", answer="已整改完毕")
    assert "answer_supervision" not in names(lead_a, issue)
    # A second answer (another tab) finds nothing open: refused, nothing changes.
    response = post(client, lead_a, issue, "answer_supervision", answer="再答一次", notice_id=shown)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)]
    assert SupervisionNotice.objects.get(automatic=True).answer == "已整改完毕"


def test_an_answer_goes_to_the_notice_its_page_showed_or_nowhere(client, world, office, lead_a):
    issue = issue_in(world, State.RECTIFYING)
    first = notice_on(issue, automatic=True, content="逾期三个工作日")
    second = notice_on(issue, issued_by=office, content="请说明")
    page = client_page(client, lead_a, issue)
    assert f'name="notice_id" value="{first.pk}"' in page
    # Another tab answered the first meanwhile: this answer was written to it, not the second.
    post(client, lead_a, issue, "answer_supervision", answer="已答复", notice_id=first.pk)
    response = post(
        client, lead_a, issue, "answer_supervision", answer="另一份答复", notice_id=first.pk
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)]
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.answered_at is None and first.answer == "已答复"


def test_an_answer_naming_no_notice_or_another_issues_is_refused(client, world, lead_a):
    issue = issue_in(world, State.RECTIFYING)
    notice = notice_on(issue, automatic=True)
    elsewhere = notice_on(issue_in(world, State.COLLECTED), automatic=True)
    assert (
        post(client, lead_a, issue, "answer_supervision", answer="说明", notice_id="").status_code
        == 200
    )
    post(client, lead_a, issue, "answer_supervision", answer="说明", notice_id=elsewhere.pk)
    notice.refresh_from_db()
    elsewhere.refresh_from_db()
    assert notice.answered_at is None and elsewhere.answered_at is None


def client_page(client, user, issue) -> str:
    client.force_login(user)
    return client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()


# --- the pages ------------------------------------------------------------------------------


def test_the_issue_page_shows_the_notices_the_answer_and_the_timeline(
    client, world, office, lead_a
):
    issue = issue_in(world, State.RECTIFYING)
    notice_on(issue, automatic=True, content="逾期三个工作日未整改")
    post(client, office, issue, "supervise", content="请书面说明")
    post(client, lead_a, issue, "answer_supervision", answer="本周内完成")

    client.force_login(lead_a)
    response = client.get(reverse("issues:issue_detail", args=[issue.pk]))
    page = response.content.decode()
    assert [n.content for n in response.context["notices"]] == [
        "逾期三个工作日未整改",
        "请书面说明",
    ]
    assert "本周内完成" in page
    assert page.count('data-testid="supervision-notice"') == 2
    assert page.count('data-open="true"') == 1
    kinds = [event.kind for event in response.context["events"]]
    assert IssueEvent.Kind.SUPERVISED in kinds
    assert IssueEvent.Kind.SUPERVISION_ANSWERED in kinds
    assert 'data-action="answer_supervision"' in page


def test_my_work_lists_the_notices_to_answer_and_the_open_ones(
    client, world, office, lead_a, staff_a
):
    issue = issue_in(world, State.RECTIFYING)
    other = issue_in(world, State.RECTIFYING, branch="b")
    mine = notice_on(issue, automatic=True)
    theirs = notice_on(other, issued_by=office)

    def section(user, key):
        client.force_login(user)
        sections = client.get(reverse("issues:my_work")).context["sections"]
        found = [s for s in sections if s["key"] == key]
        return [notice.pk for notice in found[0]["items"]] if found else None

    assert section(lead_a, "supervision") == [mine.pk]
    assert section(staff_a, "supervision") is None
    assert section(office, "open_notices") == [mine.pk, theirs.pk]
    mine.answer, mine.answered_by, mine.answered_at = "好", lead_a, timezone.now()
    mine.save()
    assert section(office, "open_notices") == [theirs.pk]


# --- the leaders' attention list -------------------------------------------------------------


TODAY = date(2026, 10, 20)  # 10 working days after 30 September, across the holiday


@pytest.fixture
def attention_world(world, monkeypatch):
    """Issues of both branches overdue by 11, 10 and 9 working days, one rectified and one
    withdrawn long overdue; today is 20 October 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    make = {}
    for name, deadline, fields in (
        ("eleven", date(2026, 9, 29), {}),
        ("ten", date(2026, 9, 30), {"state": State.ESCALATED}),
        ("ten_holiday", date(2026, 10, 7), {}),  # a holiday deadline: the same as the 30th
        ("nine", date(2026, 10, 8), {}),
        ("rectified", date(2026, 9, 1), {"state": State.RECTIFIED}),
        ("withdrawn", date(2026, 9, 1), {"withdrawn": True}),
    ):
        branch = world.b.branch if name == "eleven" else world.a.branch
        make[name] = IssueFactory(
            branch=branch,
            campaign=world.campaign,
            state=fields.pop("state", State.RECTIFYING),
            deadline=deadline,
            **fields,
        )
    return make


def test_the_attention_list_holds_exactly_the_issues_m_working_days_overdue(
    client, attention_world, office, leader
):
    expected = {attention_world[name].pk for name in ("eleven", "ten", "ten_holiday")}
    for user in (office, leader):
        client.force_login(user)
        home = client.get(reverse("reports:home"))
        assert {issue.pk for issue in home.context["attention_issues"]} == expected
        assert home.context["attention_count"] == 3
        assert home.context["attention_days"] == 10

        listed = client.get(home.context["attention_url"])
        assert {issue.pk for issue in listed.context["object_list"]} == expected


def test_the_attention_list_follows_the_office_limit(client, attention_world, office):
    TimeLimit.objects.filter(step=TimeLimit.Step.ATTENTION_AFTER).update(working_days=9)
    client.force_login(office)
    home = client.get(reverse("reports:home"))
    assert home.context["attention_count"] == 4
    listed = client.get(home.context["attention_url"])
    assert listed.context["paginator"].count == 4


def test_a_branch_sees_only_its_issues_on_the_filtered_list(client, attention_world, staff_a):
    client.force_login(staff_a)
    listed = client.get(reverse("issues:issue_list") + "?overdue=attention")
    assert {issue.pk for issue in listed.context["object_list"]} == {
        attention_world["ten"].pk,
        attention_world["ten_holiday"].pk,
    }
