"""Provincial screens: the escalation queue, meetings, and deciding escalations at a meeting."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues.models import Escalation, Issue, IssueEvent, ProvincialDecision, ProvincialMeeting
from issues.transitions import apply_transition
from tests.factories import (
    EscalationFactory,
    IssueFactory,
    ProvincialDecisionFactory,
    ProvincialMeetingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("issues:escalation_queue")
MEETINGS = reverse("issues:meeting_list")
NEW_MEETING = reverse("issues:meeting_create")


#: Queries every page's layout may make besides the page's own (the notification bell).
LAYOUT_QUERIES = 2


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def meeting_url(meeting) -> str:
    return reverse("issues:meeting_detail", kwargs={"pk": meeting.pk})


def escalated(world, side: str, *, days_ago: int = 0, lead=None, **issue_fields) -> Escalation:
    """A new issue of branch ``side`` escalated ``days_ago`` days ago, waiting for a decision."""
    rows = getattr(world, side)
    issue = IssueFactory(
        branch=rows.branch, campaign=world.campaign, state=Issue.State.ESCALATED, **issue_fields
    )
    return EscalationFactory(
        issue=issue,
        requested_by=lead or UserFactory(),
        requested_at=timezone.now() - timedelta(days=days_ago),
    )


# --- the escalation queue ---------------------------------------------------------------


def test_office_sees_waiting_escalations_oldest_first_with_age(client, world, office):
    recent = escalated(world, "b", days_ago=1)
    old = escalated(world, "a", days_ago=20, deadline=timezone.localdate() - timedelta(days=2))
    client.force_login(office)
    response = client.get(QUEUE)
    assert response.status_code == 200
    rows = response.context["escalations"]
    # world.a/b's own escalations were decided by their meetings: not waiting.
    assert [e.pk for e in rows] == [old.pk, recent.pk]
    assert rows[0].age_days == 20
    assert rows[0].issue_overdue is True
    assert rows[1].issue_overdue is False
    decided = {d.pk for d in response.context["recent_decisions"]}
    assert decided == {world.a.decision.pk, world.b.decision.pk}
    body = response.content.decode()
    assert 'data-testid="record-meeting"' in body
    assert 'data-testid="overdue"' in body


def test_leader_reads_the_queue_without_recording(client, world, leader):
    escalated(world, "a")
    client.force_login(leader)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert len(response.context["escalations"]) == 1
    assert 'data-testid="record-meeting"' not in response.content.decode()


def test_queue_leaves_out_withdrawn_and_merged_issues(client, world, office):
    escalated(world, "a", withdrawn=True)
    survivor = world.a.issue
    escalated(world, "a", merged_into=survivor, merged_at=timezone.now())
    client.force_login(office)
    assert list(client.get(QUEUE).context["escalations"]) == []


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "no_role_user"])
def test_branch_roles_do_not_get_the_queue(client, personas, world, persona):
    client.force_login(personas[persona])
    assert client.get(QUEUE).status_code == 403


def many_escalations(world, count: int) -> None:
    """``count`` escalated issues of A and B, each with its waiting escalation, in bulk."""
    requester = UserFactory()
    issues = Issue.objects.bulk_create(
        IssueFactory.build(
            branch=(world.a if n % 2 else world.b).branch,
            campaign=world.campaign,
            category=world.a.issue.category,
            state=Issue.State.ESCALATED,
            deadline=timezone.localdate() - timedelta(days=n % 3),
        )
        for n in range(count)
    )
    Escalation.objects.bulk_create(
        EscalationFactory.build(issue=issue, requested_by=requester) for issue in issues
    )


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_queue_costs_the_same_queries_at_10_and_100_rows(
    client, personas, world, persona, django_assert_num_queries
):
    client.force_login(personas[persona])
    many_escalations(world, 10)
    client.get(QUEUE)  # the first request after login refreshes the session
    # session, user, membership; count, page; recent decisions; what the layout adds
    small = queries_of(client, QUEUE)
    assert small <= 6 + LAYOUT_QUERIES
    many_escalations(world, 90)
    with django_assert_num_queries(small):
        response = client.get(QUEUE)
    assert response.context["paginator"].count == 100
    assert len(response.context["escalations"]) == 50


# --- meetings ---------------------------------------------------------------------------


def test_office_lists_every_meeting_with_its_decisions(client, world, office):
    empty = ProvincialMeetingFactory(recorded_by=office)
    client.force_login(office)
    response = client.get(MEETINGS)
    meetings = {m.pk: m.decision_count for m in response.context["meetings"]}
    assert meetings == {world.a.meeting.pk: 1, world.b.meeting.pk: 1, empty.pk: 0}
    assert 'data-testid="record-meeting"' in response.content.decode()


def test_branch_lists_only_meetings_that_decided_its_issues(client, world, staff_a, office):
    # One meeting deciding for both branches: A counts only its own decision there.
    shared = ProvincialMeetingFactory(recorded_by=office)
    ProvincialDecisionFactory(meeting=shared, escalation=escalated(world, "a"), recorded_by=office)
    ProvincialDecisionFactory(meeting=shared, escalation=escalated(world, "b"), recorded_by=office)
    ProvincialMeetingFactory(recorded_by=office)  # decided nothing yet
    client.force_login(staff_a)
    response = client.get(MEETINGS)
    meetings = {m.pk: m.decision_count for m in response.context["meetings"]}
    assert meetings == {world.a.meeting.pk: 1, shared.pk: 1}
    assert 'data-testid="record-meeting"' not in response.content.decode()


def many_meetings(world, office, count: int) -> None:
    """``count`` meetings, each deciding one escalation of A, in bulk."""
    issues = Issue.objects.bulk_create(
        IssueFactory.build(
            branch=world.a.branch,
            campaign=world.campaign,
            category=world.a.issue.category,
            state=Issue.State.RECTIFYING,
        )
        for _ in range(count)
    )
    escalations = Escalation.objects.bulk_create(
        EscalationFactory.build(issue=issue, requested_by=office) for issue in issues
    )
    meetings = ProvincialMeeting.objects.bulk_create(
        ProvincialMeetingFactory.build(recorded_by=office) for _ in range(count)
    )
    ProvincialDecision.objects.bulk_create(
        ProvincialDecisionFactory.build(meeting=meeting, escalation=escalation, recorded_by=office)
        for meeting, escalation in zip(meetings, escalations, strict=True)
    )


@pytest.mark.parametrize("persona", ["office", "staff_a"])
def test_meeting_list_costs_the_same_queries_at_10_and_100_rows(
    client, personas, world, office, persona, django_assert_num_queries
):
    client.force_login(personas[persona])
    many_meetings(world, office, 8)
    client.get(MEETINGS)
    # session, user, membership; count, page; what the layout adds
    small = queries_of(client, MEETINGS)
    assert small <= 5 + LAYOUT_QUERIES
    many_meetings(world, office, 90)
    with django_assert_num_queries(small):
        response = client.get(MEETINGS)
    # the world's meetings: A's alone for staff of A, A's and B's for the office
    assert response.context["paginator"].count == {"staff_a": 99, "office": 100}[persona]
    assert len(response.context["meetings"]) == 25


def test_office_records_a_meeting(client, office):
    client.force_login(office)
    page = client.get(NEW_MEETING)
    assert page.status_code == 200
    assert page.context["form"].initial["title"]
    response = client.post(
        NEW_MEETING,
        {
            "title": "院长办公会",
            "held_on": timezone.localdate().isoformat(),
            "attendees": "院长、副院长",
            "minutes": "研究分院上报事项",
        },
    )
    meeting = ProvincialMeeting.objects.get()
    assert response.status_code == 302
    assert response.url == meeting_url(meeting)
    assert meeting.recorded_by == office
    assert meeting.attendees == "院长、副院长"


def test_a_meeting_is_recorded_once_held(client, office):
    client.force_login(office)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(NEW_MEETING, {"title": "院长办公会", "held_on": tomorrow.isoformat()})
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"]
    assert not ProvincialMeeting.objects.exists()


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "leader", "admin_user", "no_role_user"])
def test_only_the_office_records_meetings(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(NEW_MEETING).status_code == 403
    data = {"title": "院长办公会", "held_on": timezone.localdate().isoformat()}
    assert client.post(NEW_MEETING, data).status_code == 403
    assert not ProvincialMeeting.objects.exists()


def test_branch_sees_its_meeting_with_only_its_own_decisions(client, world, staff_a, office):
    other = escalated(world, "b")
    ProvincialDecisionFactory(meeting=world.a.meeting, escalation=other, recorded_by=office)
    client.force_login(staff_a)
    response = client.get(meeting_url(world.a.meeting))
    assert response.status_code == 200
    assert [d.pk for d in response.context["decisions"]] == [world.a.decision.pk]
    body = response.content.decode()
    assert other.issue.title not in body
    assert world.a.meeting.minutes not in body  # the minutes speak of every branch
    assert 'data-testid="decide-form"' not in body


def test_another_branchs_meeting_is_a_404(client, world, staff_b):
    client.force_login(staff_b)
    assert client.get(meeting_url(world.a.meeting)).status_code == 404
    assert client.post(meeting_url(world.a.meeting), {}).status_code == 404


def test_office_sees_the_decision_form_with_waiting_escalations(client, world, office, staff_a):
    waiting = escalated(world, "a")
    client.force_login(office)
    response = client.get(meeting_url(world.a.meeting))
    rows = response.context["rows"]
    assert [row.escalation.pk for row in rows] == [waiting.pk]
    owners = dict(rows[0].form.fields["owner"].choices)
    assert staff_a.pk in owners
    assert world.a.meeting.minutes[:10] in response.content.decode()


@pytest.mark.parametrize("persona", ["leader", "staff_a", "lead_a"])
def test_only_the_office_decides(client, personas, world, persona):
    waiting = escalated(world, "a")
    client.force_login(personas[persona])
    data = decide_data(waiting, decision="由分院整改")
    assert client.post(meeting_url(world.a.meeting), data).status_code == 403
    assert not ProvincialDecision.objects.filter(escalation=waiting).exists()


# --- deciding several at once ---------------------------------------------------------------


def decide_data(*escalations, shown=(), **row) -> dict:
    """The meeting page's POST: every shown row, the given ones ticked with ``row``."""
    data = {"rows": [e.pk for e in (*escalations, *shown)]}
    for escalation in escalations:
        prefix = f"e{escalation.pk}"
        data[f"{prefix}-discussed"] = "on"
        for name, value in row.items():
            data[f"{prefix}-{name}"] = value
    return data


def test_office_decides_two_escalations_of_two_branches_at_once(
    client, world, office, staff_a, lead_b
):
    a, b = escalated(world, "a"), escalated(world, "b")
    untouched = escalated(world, "a")
    meeting = ProvincialMeetingFactory(recorded_by=office)
    deadline = timezone.localdate() + timedelta(days=30)
    data = decide_data(a, b, shown=[untouched], decision="省院协调，分院限期整改")
    data[f"e{a.pk}-owner"] = staff_a.pk
    data[f"e{a.pk}-deadline"] = deadline.isoformat()
    client.force_login(office)
    response = client.post(meeting_url(meeting), data)
    assert response.status_code == 302
    assert response.url == meeting_url(meeting)
    for escalation in (a, b):
        issue = Issue.objects.get(pk=escalation.issue_id)
        assert issue.state == Issue.State.RECTIFYING
        assert escalation.decision.meeting == meeting
        assert issue.events.filter(
            kind=IssueEvent.Kind.TRANSITION, to_state="rectifying", actor=office
        ).exists()
    issue_a = Issue.objects.get(pk=a.issue_id)
    assert issue_a.responsible == staff_a
    assert issue_a.deadline == deadline
    untouched.issue.refresh_from_db()
    assert untouched.issue.state == Issue.State.ESCALATED
    assert not ProvincialDecision.objects.filter(escalation=untouched).exists()
    page = client.get(meeting_url(meeting))
    assert {d.escalation_id for d in page.context["decisions"]} == {a.pk, b.pk}
    assert [row.escalation.pk for row in page.context["rows"]] == [untouched.pk]


def test_one_decided_meanwhile_rolls_every_decision_back(client, world, office):
    a, b = escalated(world, "a"), escalated(world, "b")
    meeting = ProvincialMeetingFactory(recorded_by=office)
    other_meeting = ProvincialMeetingFactory(recorded_by=office)
    client.force_login(office)
    page = client.get(meeting_url(meeting))
    assert len(page.context["rows"]) == 2
    # Another office tab decides B at another meeting before this page is submitted.
    apply_transition(
        issue_id=b.issue_id,
        name="decide",
        actor=office,
        expected_state="escalated",
        meeting=other_meeting,
        decision="另案处理",
    )

    mail.outbox.clear()
    response = client.post(meeting_url(meeting), decide_data(a, b, decision="限期整改"))
    assert response.status_code == 200
    assert mail.outbox == []  # nobody is told of a decision that was not kept
    errors = " ".join(response.context["errors"])
    assert f"#{b.issue_id}" in errors
    assert f"#{a.issue_id}" not in errors
    stale = [row.escalation.pk for row in response.context["rows"] if row.stale]
    assert stale == [b.pk]
    a.issue.refresh_from_db()
    assert a.issue.state == Issue.State.ESCALATED
    assert not ProvincialDecision.objects.filter(meeting=meeting).exists()
    assert not a.issue.events.filter(kind=IssueEvent.Kind.TRANSITION).exists()


def test_a_newer_escalation_of_the_same_issue_is_not_decided_by_an_old_page(
    client, world, office, lead_a
):
    """Decided and escalated again meanwhile: the state matches, the escalation does not."""
    old = escalated(world, "a")
    meeting = ProvincialMeetingFactory(recorded_by=office)
    client.force_login(office)
    apply_transition(
        issue_id=old.issue_id,
        name="decide",
        actor=office,
        expected_state="escalated",
        meeting=ProvincialMeetingFactory(recorded_by=office),
        decision="先行整改",
    )
    # Back in the branch's hands once it signs for it.
    Issue.objects.filter(pk=old.issue_id).update(signed_at=timezone.now(), signed_by=lead_a)
    apply_transition(
        issue_id=old.issue_id,
        name="escalate",
        actor=lead_a,
        expected_state="rectifying",
        reason="整改需省院协调",
    )
    response = client.post(meeting_url(meeting), decide_data(old, decision="旧页面的决定"))
    assert response.status_code == 200
    assert [row.stale for row in response.context["rows"]] == [True]
    assert not ProvincialDecision.objects.filter(meeting=meeting).exists()


def test_a_row_needing_correction_keeps_nothing(client, world, office):
    a, b = escalated(world, "a"), escalated(world, "b")
    meeting = ProvincialMeetingFactory(recorded_by=office)
    data = decide_data(a, b, decision="限期整改")
    data[f"e{b.pk}-decision"] = ""
    client.force_login(office)
    response = client.post(meeting_url(meeting), data)
    assert response.status_code == 200
    rows = {row.escalation.pk: row for row in response.context["rows"]}
    assert rows[b.pk].form.errors["decision"]
    assert not ProvincialDecision.objects.filter(meeting=meeting).exists()
    a.issue.refresh_from_db()
    assert a.issue.state == Issue.State.ESCALATED


def test_owner_must_work_in_the_issues_branch(client, world, office, staff_b):
    a = escalated(world, "a")
    meeting = ProvincialMeetingFactory(recorded_by=office)
    data = decide_data(a, decision="限期整改", owner=staff_b.pk)
    client.force_login(office)
    response = client.post(meeting_url(meeting), data)
    assert response.status_code == 200
    assert response.context["rows"][0].form.errors["owner"]
    assert ProvincialDecision.objects.count() == 2  # only the world's two


def test_a_past_deadline_is_refused(client, world, office):
    a = escalated(world, "a")
    meeting = ProvincialMeetingFactory(recorded_by=office)
    yesterday = timezone.localdate() - timedelta(days=1)
    client.force_login(office)
    response = client.post(
        meeting_url(meeting), decide_data(a, decision="限期整改", deadline=yesterday.isoformat())
    )
    assert response.context["rows"][0].form.errors["deadline"]
    assert not ProvincialDecision.objects.filter(meeting=meeting).exists()


def test_nothing_ticked_is_said_so(client, world, office):
    a = escalated(world, "a")
    meeting = ProvincialMeetingFactory(recorded_by=office)
    client.force_login(office)
    response = client.post(meeting_url(meeting), {"rows": [a.pk]})
    assert response.status_code == 200
    assert response.context["errors"]
    assert not ProvincialDecision.objects.filter(meeting=meeting).exists()
    a.issue.refresh_from_db()
    assert a.issue.state == Issue.State.ESCALATED


def test_an_unknown_row_is_a_404(client, world, office):
    client.force_login(office)
    url = meeting_url(world.a.meeting)
    assert client.post(url, {"rows": [999999]}).status_code == 404
    assert client.post(url, {"rows": ["x"]}).status_code == 404
