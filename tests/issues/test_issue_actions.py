"""The issue page's actions: each transition and service behind a POST-only route.

For each: the happy path, a GET refused (405), an outsider's 404, a wrong role's 403, and
a stale or repeated submission that shows a message and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from issues.models import (
    Escalation,
    Instruction,
    Issue,
    IssueEvent,
    IssueEvidence,
    ProvincialDecision,
    Reply,
)
from tests.factories import (
    TINY_GIF,
    EscalationFactory,
    InstructionFactory,
    ProvincialMeetingFactory,
    ReplyFactory,
)
from tests.issues.screens import issue_in

pytestmark = pytest.mark.django_db

State = Issue.State
PNG_1x1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def transition_url(issue, name):
    return reverse("issues:issue_transition", args=[issue.pk, name])


def detail_url(issue):
    return reverse("issues:issue_detail", args=[issue.pk])


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def zh(message: str) -> str:
    """A message as the pages show it: in Chinese, the default language."""
    with translation.override("zh-hans"):
        return gettext(message)


def stale_message(state: str) -> str:
    """The refusal of a stale page, as the pages show it (in Chinese, the default)."""
    with translation.override("zh-hans"):
        return gettext(
            "This issue changed while you were looking at it: it is now “{state}”. "
            "Nothing was done; look at it again before acting."
        ).format(state=Issue.State(state).label)


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def events_of(issue, kind=IssueEvent.Kind.TRANSITION):
    return list(IssueEvent.objects.filter(issue=issue, kind=kind))


# --- the happy path of every transition -----------------------------------------------------


def test_staff_plans_the_rectification(client, world, staff_a):
    issue = issue_in(world, State.COLLECTED)
    Issue.objects.filter(pk=issue.pk).update(deadline=in_days(21))  # the clock's, at signing
    client.force_login(staff_a)
    response = client.post(
        transition_url(issue, "plan"),
        {
            "expected_state": "collected",
            "measures": "重新培训检验员",
            "responsible": staff_a.pk,
            "deadline": in_days(14),
        },
    )
    assert response.status_code == 302
    assert response.url == detail_url(issue)
    issue.refresh_from_db()
    assert issue.state == State.RECTIFYING
    # The deadline is the clock's: a date posted with the plan changes nothing.
    assert (issue.measures, issue.responsible, issue.deadline.isoformat()) == (
        "重新培训检验员",
        staff_a,
        in_days(21),
    )
    [event] = events_of(issue)
    assert (event.from_state, event.to_state, event.actor) == ("collected", "rectifying", staff_a)
    [message] = texts(response)
    with translation.override("zh-hans"):
        assert str(State.RECTIFYING.label) in message


def test_staff_records_an_immediate_fix(client, world, staff_a):
    issue = issue_in(world, State.COLLECTED)
    client.force_login(staff_a)
    response = client.post(
        transition_url(issue, "fix_now"),
        {"expected_state": "collected", "rectification": "当场补发了检验报告"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.state, issue.immediate_fix, issue.rectification) == (
        State.RECTIFIED,
        True,
        "当场补发了检验报告",
    )


def test_lead_escalates_to_the_province(client, world, lead_a):
    issue = issue_in(world, State.RECTIFYING)
    client.force_login(lead_a)
    response = client.post(
        transition_url(issue, "escalate"),
        {"expected_state": "rectifying", "reason": "涉及全省收费标准"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == State.ESCALATED
    escalation = Escalation.objects.get(issue=issue)
    assert (escalation.reason, escalation.requested_by) == ("涉及全省收费标准", lead_a)


def test_office_records_the_provincial_decision(client, world, office, staff_a):
    issue = issue_in(world, State.ESCALATED)
    escalation = EscalationFactory(issue=issue)
    meeting = ProvincialMeetingFactory(recorded_by=office)
    client.force_login(office)
    response = client.post(
        transition_url(issue, "decide"),
        {
            "expected_state": "escalated",
            "meeting": meeting.pk,
            "decision": "由分院牵头，省院收费科配合",
            "owner": staff_a.pk,
            "deadline": in_days(30),
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == State.RECTIFYING
    assert issue.responsible == staff_a
    decision = ProvincialDecision.objects.get(escalation=escalation)
    assert (decision.meeting, decision.decision) == (meeting, "由分院牵头，省院收费科配合")


def test_lead_verifies_the_reported_rectification(client, world, lead_a):
    issue = issue_in(world, State.RECTIFYING, rectification="已整改")
    client.force_login(lead_a)
    response = client.post(transition_url(issue, "verify"), {"expected_state": "rectifying"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.state, issue.verified_by) == (State.RECTIFIED, lead_a)


def test_staff_marks_an_issue_answered_once_every_opinion_has_a_reply(client, world, staff_a):
    issue = issue_in(world, State.RECTIFIED, items=2, replied=True)
    client.force_login(staff_a)
    response = client.post(transition_url(issue, "answer"), {"expected_state": "rectified"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == State.ANSWERED


def test_lead_reopens_after_an_unsatisfied_reply(client, world, lead_a, staff_a):
    issue = issue_in(world, State.ANSWERED)
    ReplyFactory(
        feedback_item=issue.feedback_items.get(),
        replied_by=staff_a,
        satisfaction=Reply.Satisfaction.UNSATISFIED,
    )
    client.force_login(lead_a)
    response = client.post(
        transition_url(issue, "reopen"), {"expected_state": "answered", "note": "企业仍不满意"}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.state, issue.reopen_count) == (State.RECTIFYING, 1)
    assert events_of(issue)[-1].note == "企业仍不满意"


# --- refusals ---------------------------------------------------------------------------


def action_routes(world):
    """Every POST-only action route, on branch A's rows."""
    issue = world.a.issue
    return [
        transition_url(issue, "plan"),
        reverse("issues:reply_add", args=[issue.pk]),
        reverse("issues:rectification_report", args=[issue.pk]),
        reverse("issues:instruction_add", args=[issue.pk]),
        reverse("issues:instruction_acknowledge", args=[world.a.instruction.pk]),
        reverse("issues:issue_merge", args=[issue.pk]),
    ]


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "office", "leader"])
def test_a_get_on_any_action_route_is_refused(client, personas, world, persona):
    client.force_login(personas[persona])
    for url in action_routes(world):
        assert client.get(url).status_code == 405, url


def test_staff_of_another_branch_gets_a_404_on_every_action(client, world, staff_b, lead_b):
    for user in (staff_b, lead_b):
        client.force_login(user)
        for url in [*action_routes(world), transition_url(world.a.issue, "escalate")]:
            assert client.post(url, {"expected_state": "escalated"}).status_code == 404, url
    assert Issue.objects.get(pk=world.a.issue.pk).state == State.ESCALATED


def test_no_role_user_gets_a_404(client, world, no_role_user):
    client.force_login(no_role_user)
    for url in action_routes(world):
        assert client.post(url).status_code == 404, url


def test_an_unknown_transition_is_a_404(client, world, staff_a):
    client.force_login(staff_a)
    assert client.post(transition_url(world.a.issue, "delete")).status_code == 404


@pytest.mark.parametrize(
    ("persona", "state", "name"),
    [
        ("staff_a", State.COLLECTED, "escalate"),
        ("staff_a", State.RECTIFYING, "verify"),
        ("staff_a", State.ANSWERED, "reopen"),
        ("lead_a", State.ESCALATED, "decide"),
        ("office", State.COLLECTED, "plan"),
        ("office", State.RECTIFIED, "answer"),
        ("leader", State.COLLECTED, "fix_now"),
        ("leader", State.ESCALATED, "decide"),
        ("admin_user", State.COLLECTED, "plan"),
    ],
)
def test_a_role_that_may_not_gets_a_403_and_nothing_changes(
    client, personas, world, persona, state, name
):
    issue = issue_in(world, state)
    client.force_login(personas[persona])
    response = client.post(
        transition_url(issue, name),
        {"expected_state": state, "reason": "x", "measures": "x", "note": "x"},
    )
    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.state == state
    assert events_of(issue) == []


@pytest.mark.parametrize(
    ("persona", "route"),
    [
        ("office", "reply_add"),
        ("leader", "reply_add"),
        ("office", "rectification_report"),
        ("leader", "rectification_report"),
        ("staff_a", "instruction_add"),
        ("office", "instruction_add"),
        ("office", "issue_merge"),
        ("leader", "issue_merge"),
    ],
)
def test_issue_services_refuse_roles_that_may_not(client, personas, world, persona, route):
    issue = issue_in(world, State.RECTIFYING)
    client.force_login(personas[persona])
    response = client.post(
        reverse(f"issues:{route}", args=[issue.pk]),
        {"channel": "phone", "content": "x", "rectification": "x", "replied_on": in_days(0)},
    )
    assert response.status_code == 403
    assert not Reply.objects.filter(feedback_item__issue=issue).exists()
    assert not Instruction.objects.filter(issue=issue).exists()


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_only_the_branch_acknowledges_an_instruction(client, personas, world, persona):
    client.force_login(personas[persona])
    url = reverse("issues:instruction_acknowledge", args=[world.a.instruction.pk])
    assert client.post(url).status_code == 403
    world.a.instruction.refresh_from_db()
    assert world.a.instruction.acknowledged_at is None


# --- stale and repeated submissions --------------------------------------------------------


def test_a_double_submitted_plan_is_applied_once(client, world, staff_a):
    issue = issue_in(world, State.COLLECTED)
    client.force_login(staff_a)
    data = {
        "expected_state": "collected",
        "measures": "重新培训",
        "responsible": staff_a.pk,
        "deadline": in_days(7),
    }
    client.post(transition_url(issue, "plan"), data)
    response = client.post(transition_url(issue, "plan"), data, follow=True)
    assert response.status_code == 200
    assert stale_message(State.RECTIFYING) in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == State.RECTIFYING
    assert len(events_of(issue)) == 1


def test_a_page_drawn_before_another_tab_escalated_is_refused(client, world, staff_a, lead_a):
    issue = issue_in(world, State.COLLECTED)
    client.force_login(lead_a)
    client.post(
        transition_url(issue, "escalate"),
        {"expected_state": "collected", "reason": "r"},
        follow=True,  # the lead reads the page, and its message, before the staff acts
    )
    client.force_login(staff_a)
    response = client.post(
        transition_url(issue, "fix_now"), {"expected_state": "collected", "rectification": "x"}
    )
    assert response.status_code == 302
    assert response.url == detail_url(issue)
    assert texts(response) == [stale_message(State.ESCALATED)]
    issue.refresh_from_db()
    assert (issue.state, issue.rectification) == (State.ESCALATED, "")
    assert len(events_of(issue)) == 1


def test_a_stale_page_is_refused_before_its_form_is_read(client, world, staff_a):
    """A page showing "collected" posts an empty plan after the issue moved on."""
    issue = issue_in(world, State.RECTIFYING)
    client.force_login(staff_a)
    response = client.post(transition_url(issue, "plan"), {"expected_state": "collected"})
    assert response.status_code == 302
    assert texts(response) == [stale_message(State.RECTIFYING)]
    issue.refresh_from_db()
    assert issue.state == State.RECTIFYING


def test_an_incomplete_plan_comes_back_with_its_errors_and_changes_nothing(client, world, staff_a):
    issue = issue_in(world, State.COLLECTED)
    client.force_login(staff_a)
    response = client.post(
        transition_url(issue, "plan"),
        {"expected_state": "collected", "measures": "只写了措施", "deadline": in_days(-3)},
    )
    assert response.status_code == 200
    form = response.context["actions"][0]["form"]
    assert set(form.errors) == {"responsible"}
    assert response.context["actions"][0]["open"] is True
    assert "只写了措施" in response.content.decode()
    issue.refresh_from_db()
    assert (issue.state, issue.measures) == (State.COLLECTED, "")


def test_a_plan_without_measures_is_refused_on_the_field(client, world, staff_a):
    issue = issue_in(world, State.COLLECTED)
    client.force_login(staff_a)
    response = client.post(
        transition_url(issue, "plan"),
        {"expected_state": "collected", "measures": "  ", "responsible": staff_a.pk},
    )
    assert response.status_code == 200
    assert "measures" in response.context["actions"][0]["form"].errors
    issue.refresh_from_db()
    assert issue.state == State.COLLECTED


def test_an_issue_awaiting_signature_cannot_be_planned(client, world, staff_a):
    issue = issue_in(world, State.COLLECTED)
    Issue.objects.filter(pk=issue.pk).update(signed_at=None)
    client.force_login(staff_a)
    response = client.post(
        transition_url(issue, "plan"),
        {"expected_state": "collected", "measures": "m", "responsible": staff_a.pk},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == State.COLLECTED


def test_answering_with_an_opinion_unreplied_names_it_and_changes_nothing(client, world, staff_a):
    issue = issue_in(world, State.RECTIFIED, items=2)
    first, second = issue.feedback_items.order_by("pk")
    ReplyFactory(feedback_item=first, replied_by=staff_a)
    client.force_login(staff_a)
    response = client.post(transition_url(issue, "answer"), {"expected_state": "rectified"})
    assert response.status_code == 302
    [message] = texts(response)
    assert f"#{second.pk}" in message and f"#{first.pk}" not in message
    issue.refresh_from_db()
    assert issue.state == State.RECTIFIED


def test_verifying_without_a_reported_rectification_is_refused(client, world, lead_a):
    issue = issue_in(world, State.RECTIFYING)
    client.force_login(lead_a)
    response = client.post(transition_url(issue, "verify"), {"expected_state": "rectifying"})
    assert response.status_code == 302
    assert texts(response) == [zh("Record what was done before the rectification is verified.")]
    issue.refresh_from_db()
    assert issue.state == State.RECTIFYING


# --- replies -------------------------------------------------------------------------------


def reply_data(**changes):
    return {
        "channel": "phone",
        "content": "已电话告知整改情况",
        "replied_on": in_days(0),
        "satisfaction": "satisfied",
        **changes,
    }


def test_staff_replies_to_one_opinion(client, world, staff_a):
    issue = issue_in(world, State.RECTIFIED, items=2)
    first, _second = issue.feedback_items.order_by("pk")
    client.force_login(staff_a)
    response = client.post(
        reverse("issues:reply_add", args=[issue.pk]),
        reply_data(feedback_item=first.pk, satisfaction="unsatisfied"),
    )
    assert response.status_code == 302
    reply = Reply.objects.get(feedback_item__issue=issue)
    assert (reply.feedback_item, reply.satisfaction, reply.replied_by) == (
        first,
        "unsatisfied",
        staff_a,
    )
    assert IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.REPLY).count() == 1


def test_a_double_clicked_reply_is_recorded_once(client, world, staff_a):
    issue = issue_in(world, State.RECTIFIED)
    item = issue.feedback_items.get()
    client.force_login(staff_a)
    url = reverse("issues:reply_add", args=[issue.pk])
    client.post(url, reply_data(feedback_item=item.pk))
    response = client.post(url, reply_data(feedback_item=item.pk))
    assert response.status_code == 302
    assert Reply.objects.filter(feedback_item=item).count() == 1


def test_one_reply_goes_to_every_enterprise_without_one(client, world, staff_a):
    issue = issue_in(world, State.RECTIFIED, items=3)
    first, *others = issue.feedback_items.order_by("pk")
    ReplyFactory(feedback_item=first, replied_by=staff_a)
    client.force_login(staff_a)
    url = reverse("issues:reply_add", args=[issue.pk])
    response = client.post(url, reply_data(only_unreplied="on"))
    assert response.status_code == 302
    assert {r.feedback_item for r in Reply.objects.filter(feedback_item__issue=issue)} == {
        first,
        *others,
    }
    assert Reply.objects.filter(feedback_item=first).count() == 1
    # Sent again (a double click): every opinion has its reply, nothing more is recorded.
    response = client.post(url, reply_data(only_unreplied="on"))
    assert Reply.objects.filter(feedback_item__issue=issue).count() == 3
    assert texts(response)[-1] == zh("Every opinion of this issue already has a reply.")


def test_a_reply_to_an_opinion_of_another_issue_is_refused(client, world, staff_a):
    issue = issue_in(world, State.RECTIFIED)
    client.force_login(staff_a)
    response = client.post(
        reverse("issues:reply_add", args=[issue.pk]),
        reply_data(feedback_item=world.a.feedback.pk),
    )
    assert response.status_code == 302
    assert not Reply.objects.filter(feedback_item__issue=issue).exists()
    assert Reply.objects.filter(feedback_item=world.a.feedback).count() == 1  # the world's


def test_a_reply_dated_in_the_future_comes_back_with_the_error(client, world, staff_a):
    issue = issue_in(world, State.RECTIFIED)
    item = issue.feedback_items.get()
    client.force_login(staff_a)
    response = client.post(
        reverse("issues:reply_add", args=[issue.pk]),
        reply_data(feedback_item=item.pk, replied_on=in_days(2)),
    )
    assert response.status_code == 200
    [shown] = [i for i in response.context["items"] if i.pk == item.pk]
    assert "replied_on" in shown.reply_form.errors
    assert shown.reply_form_open
    assert not Reply.objects.filter(feedback_item=item).exists()


# --- rectification and evidence -------------------------------------------------------------


def test_staff_reports_the_rectification_with_evidence(client, world, staff_a):
    issue = issue_in(world, State.RECTIFYING)
    client.force_login(staff_a)
    response = client.post(
        reverse("issues:rectification_report", args=[issue.pk]),
        {
            "rectification": "已更换报告模板，完成培训",
            "evidence": [
                SimpleUploadedFile("培训签到.png", PNG_1x1, content_type="image/png"),
                SimpleUploadedFile(
                    "scan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
                ),
            ],
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.state, issue.rectification) == (State.RECTIFYING, "已更换报告模板，完成培训")
    names = set(IssueEvidence.objects.filter(issue=issue).values_list("original_name", flat=True))
    assert names == {"培训签到.png", "scan.pdf"}


def test_one_bad_evidence_file_refuses_the_whole_report(client, world, staff_a):
    issue = issue_in(world, State.RECTIFYING)
    client.force_login(staff_a)
    response = client.post(
        reverse("issues:rectification_report", args=[issue.pk]),
        {
            "rectification": "已整改",
            "evidence": [
                SimpleUploadedFile("ok.png", PNG_1x1, content_type="image/png"),
                SimpleUploadedFile("fake.png", b"<html><script>", content_type="image/png"),
            ],
        },
    )
    assert response.status_code == 200
    assert response.context["rectification_open"]
    assert "fake.png" in " ".join(texts(response))
    issue.refresh_from_db()
    assert issue.rectification == ""
    assert not IssueEvidence.objects.filter(issue=issue).exists()


def test_rectification_is_not_reported_before_the_plan(client, world, staff_a):
    issue = issue_in(world, State.COLLECTED)
    client.force_login(staff_a)
    response = client.post(
        reverse("issues:rectification_report", args=[issue.pk]), {"rectification": "x"}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.rectification == ""


def test_evidence_downloads_only_within_scope(client, world, staff_a, staff_b):
    url = reverse("issues:evidence_download", args=[world.a.evidence.pk])
    client.force_login(staff_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_GIF
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(staff_b)
    assert client.get(url).status_code == 404


# --- instructions ---------------------------------------------------------------------------


def test_leader_writes_an_instruction_and_the_branch_acknowledges_it(client, world, leader, lead_a):
    issue = issue_in(world, State.RECTIFYING)
    client.force_login(leader)
    response = client.post(
        reverse("issues:instruction_add", args=[issue.pk]), {"content": "请于月底前办结"}
    )
    assert response.status_code == 302
    instruction = Instruction.objects.get(issue=issue)
    assert (instruction.author, instruction.content) == (leader, "请于月底前办结")

    client.force_login(lead_a)
    url = reverse("issues:instruction_acknowledge", args=[instruction.pk])
    assert client.post(url).status_code == 302
    instruction.refresh_from_db()
    assert instruction.acknowledged_by == lead_a
    # A second click: refused with a message, the first acknowledgement kept.
    response = client.post(url)
    assert response.status_code == 302
    assert texts(response)[-1] == zh("This instruction was already acknowledged.")
    assert IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.ACKNOWLEDGED).count() == 1


def test_an_empty_instruction_comes_back_with_the_error(client, world, leader):
    client.force_login(leader)
    response = client.post(
        reverse("issues:instruction_add", args=[world.a.issue.pk]), {"content": "  "}
    )
    assert response.status_code == 200
    assert response.context["instruction_open"]
    assert Instruction.objects.filter(issue=world.a.issue).count() == 1  # the world's own


def test_staff_of_another_branch_cannot_acknowledge(client, world, staff_b):
    instruction = InstructionFactory(issue=world.a.issue)
    client.force_login(staff_b)
    url = reverse("issues:instruction_acknowledge", args=[instruction.pk])
    assert client.post(url).status_code == 404


# --- merge ---------------------------------------------------------------------------------


def test_staff_merges_a_duplicate_into_the_surviving_issue(client, world, staff_a):
    survivor = issue_in(world, State.RECTIFYING)
    duplicate = issue_in(world, State.COLLECTED, items=2)
    moved = set(duplicate.feedback_items.values_list("pk", flat=True))
    client.force_login(staff_a)
    response = client.post(
        reverse("issues:issue_merge", args=[duplicate.pk]), {"into": survivor.pk, "note": ""}
    )
    assert response.status_code == 302
    assert response.url == detail_url(survivor)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert moved <= set(survivor.feedback_items.values_list("pk", flat=True))
    # Sent again: the duplicate is merged already, nothing moves twice.
    response = client.post(
        reverse("issues:issue_merge", args=[duplicate.pk]), {"into": survivor.pk}
    )
    assert response.status_code == 302
    assert IssueEvent.objects.filter(issue=duplicate, kind=IssueEvent.Kind.MERGED).count() == 1


def test_an_issue_of_another_branch_is_not_a_merge_target(client, world, staff_a):
    duplicate = issue_in(world, State.COLLECTED)
    other = issue_in(world, State.COLLECTED, branch="b")
    client.force_login(staff_a)
    response = client.post(reverse("issues:issue_merge", args=[duplicate.pk]), {"into": other.pk})
    assert response.status_code == 200
    assert "into" in response.context["merge_form"].errors
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
