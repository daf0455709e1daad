"""Sign-for (签收), return (退单) with the office's ruling, and extension (延期), end to end
(issue 12): the service's rules, the issue page's clock and buttons, "my work"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from issues.clock import Clock
from issues.models import DeadlineExtension, Issue, IssueEvent, IssueReturn, ReturnReason
from issues.transitions import (
    StaleTransition,
    apply_transition,
    available_transitions,
    awaiting_return_id,
    pending_extension_id,
)
from tests.factories import (
    EscalationFactory,
    IssueFactory,
    ProvincialDecisionFactory,
    ProvincialMeetingFactory,
)

pytestmark = pytest.mark.django_db

State = Issue.State
Status = DeadlineExtension.Status
Ruling = IssueReturn.Ruling


def today():
    return timezone.localdate()


def given_to_branch(branch, *, deadline=None, state=State.RECTIFYING, **fields):
    """An issue as a provincial decision leaves it: given to ``branch``, not signed for."""
    issue = IssueFactory(branch=branch, state=state, signed_at=None, **fields)
    Clock().given_to_branch(issue)
    issue.deadline = deadline
    issue.save()
    return issue


def reason(name="非本单位职责", **fields):
    return ReturnReason.objects.get_or_create(name=name, defaults=fields)[0]


def act(issue, name, actor, note="", **values):
    """Make ``name`` as a page drawn now would: naming the return or request it shows."""
    issue.refresh_from_db()
    if name == "rule_return":
        values.setdefault("return_id", awaiting_return_id(issue))
    if name == "decide_extension":
        values.setdefault("extension_id", pending_extension_id(issue))
    return apply_transition(
        issue_id=issue.pk, name=name, actor=actor, expected_state=issue.state, note=note, **values
    )


def offered(user, issue) -> set[str]:
    issue = Issue.objects.get(pk=issue.pk)
    return {transition.name for transition in available_transitions(user, issue)}


def signed_with_deadline(branch, responsible, days=20, state=State.RECTIFYING, **fields):
    return IssueFactory(
        branch=branch,
        state=state,
        responsible=responsible,
        deadline=today() + timedelta(days=days),
        **fields,
    )


# --- sign-for ---------------------------------------------------------------------------------


def test_signing_starts_the_clock_and_a_decisions_deadline_wins(branch_a, staff_a):
    explicit = today() + timedelta(days=40)
    issue = given_to_branch(branch_a, deadline=explicit)
    assert offered(staff_a, issue) >= {"sign_for", "return"}
    act(issue, "sign_for", staff_a)
    issue.refresh_from_db()
    assert issue.signed_by == staff_a and issue.signed_at is not None
    assert issue.deadline == explicit
    event = IssueEvent.objects.get(issue=issue, kind=IssueEvent.Kind.SIGNED)
    assert explicit.isoformat() in event.note
    assert {"sign_for", "return"}.isdisjoint(offered(staff_a, issue))


def test_without_a_decisions_deadline_the_limit_counts_from_signing(branch_a, lead_a):
    issue = given_to_branch(branch_a, state=State.COLLECTED, severity=Issue.Severity.CRITICAL)
    act(issue, "sign_for", lead_a)
    issue.refresh_from_db()
    clock = Clock()
    assert issue.plan_deadline == clock.after(issue.signed_at, "plan")
    assert issue.deadline == clock.after(issue.signed_at, "rectify_critical")


def test_signing_twice_is_refused_as_stale(branch_a, staff_a, lead_a):
    issue = given_to_branch(branch_a)
    act(issue, "sign_for", staff_a)
    with pytest.raises(StaleTransition):
        act(issue, "sign_for", lead_a)
    assert IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.SIGNED).count() == 1
    issue.refresh_from_db()
    assert issue.signed_by == staff_a


def test_another_branch_and_the_office_do_not_sign(branch_a, staff_b, office):
    issue = given_to_branch(branch_a)
    with pytest.raises(PermissionDenied):
        act(issue, "sign_for", staff_b)
    with pytest.raises(PermissionDenied):
        act(issue, "sign_for", office)


# --- return and ruling ------------------------------------------------------------------------


def test_a_return_waits_for_the_office_and_insist_is_final(branch_a, staff_a, lead_a, office):
    issue = given_to_branch(branch_a)
    act(issue, "return", staff_a, note="应由市局处理", reason=reason())
    awaiting = IssueReturn.objects.get(issue=issue)
    assert (awaiting.ruling, awaiting.note, awaiting.returned_by) == ("", "应由市局处理", staff_a)
    # Neither signed nor returned again while the office has not ruled.
    assert {"sign_for", "return"}.isdisjoint(offered(lead_a, issue))
    assert "rule_return" in offered(office, issue)
    assert "rule_return" not in offered(lead_a, issue)
    act(issue, "rule_return", office, note="职责明确，分院办理", ruling=Ruling.INSIST)
    awaiting.refresh_from_db()
    assert (awaiting.ruling, awaiting.ruled_by) == (Ruling.INSIST, office)
    issue.refresh_from_db()
    assert issue.signed_at is None and issue.sign_deadline is not None
    assert offered(staff_a, issue) >= {"sign_for"}
    assert "return" not in offered(staff_a, issue)
    with pytest.raises(StaleTransition):
        act(issue, "return", staff_a, note="再次退回", reason=reason())
    # The ruling is final: nothing to rule on any more.
    with pytest.raises(StaleTransition):
        act(issue, "rule_return", office, note="改判", ruling=Ruling.REASSIGN, responsible=lead_a)
    assert IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.RETURN_RULED).count() == 1


def test_reassign_names_someone_of_the_branch(branch_a, staff_a, lead_a, staff_b, office):
    issue = given_to_branch(branch_a, responsible=staff_a)
    act(issue, "return", staff_a, note="另有承办人", reason=reason())
    for outsider in (staff_b, office, None, staff_a):
        with pytest.raises(ValidationError) as refused:
            act(
                issue,
                "rule_return",
                office,
                note="改派",
                ruling=Ruling.REASSIGN,
                responsible=outsider,
            )
        assert "responsible" in refused.value.error_dict
    assert IssueReturn.objects.get(issue=issue).ruling == ""
    act(issue, "rule_return", office, note="改派负责人", ruling=Ruling.REASSIGN, responsible=lead_a)
    issue.refresh_from_db()
    assert (issue.responsible, issue.branch, issue.signed_at) == (lead_a, branch_a, None)
    # Reassigned, not insisted: the branch may still return it, within the new limit.
    assert offered(lead_a, issue) >= {"sign_for", "return"}


def test_no_return_after_the_sign_for_deadline(branch_a, staff_a):
    issue = given_to_branch(branch_a)
    Issue.objects.filter(pk=issue.pk).update(sign_deadline=today() - timedelta(days=1))
    assert offered(staff_a, issue) == {"sign_for"}
    with pytest.raises(StaleTransition):
        act(issue, "return", staff_a, note="逾期退单", reason=reason())
    assert not IssueReturn.objects.filter(issue=issue).exists()


def test_on_the_sign_for_deadline_itself_it_may_still_be_returned(branch_a, staff_a):
    issue = given_to_branch(branch_a)
    Issue.objects.filter(pk=issue.pk).update(sign_deadline=today())
    assert "return" in offered(staff_a, issue)


def test_a_retired_reason_is_refused(branch_a, staff_a):
    issue = given_to_branch(branch_a)
    retired = reason("已停用的理由", is_active=False)
    with pytest.raises(ValidationError) as refused:
        act(issue, "return", staff_a, note="说明", reason=retired)
    assert "reason" in refused.value.error_dict
    assert not IssueReturn.objects.filter(issue=issue).exists()


def test_a_return_needs_a_note(branch_a, staff_a):
    issue = given_to_branch(branch_a)
    with pytest.raises(ValidationError):
        act(issue, "return", staff_a, note="  ", reason=reason())
    assert not IssueReturn.objects.filter(issue=issue).exists()


# --- extension --------------------------------------------------------------------------------


def test_an_approved_extension_moves_the_deadline_and_the_timeline_keeps_both(
    branch_a, staff_a, lead_a
):
    issue = signed_with_deadline(branch_a, staff_a)
    old, new = issue.deadline, issue.deadline + timedelta(days=10)
    act(issue, "request_extension", staff_a, new_deadline=new, reason="等待检测报告")
    assert "request_extension" not in offered(staff_a, issue)  # one pending at a time
    assert "decide_extension" not in offered(staff_a, issue)
    act(issue, "decide_extension", lead_a, note="同意", outcome=Status.APPROVED)
    issue.refresh_from_db()
    assert issue.deadline == new
    extension = DeadlineExtension.objects.get(issue=issue)
    assert (extension.status, extension.old_deadline, extension.decided_by) == (
        Status.APPROVED,
        old,
        lead_a,
    )
    note = IssueEvent.objects.get(issue=issue, kind=IssueEvent.Kind.EXTENSION_DECIDED).note
    assert old.isoformat() in note and new.isoformat() in note
    with pytest.raises(StaleTransition):  # a second click
        act(issue, "decide_extension", lead_a, outcome=Status.REFUSED)


def test_a_refused_extension_leaves_the_deadline(branch_a, staff_a, lead_a):
    issue = signed_with_deadline(branch_a, staff_a)
    old = issue.deadline
    act(
        issue, "request_extension", staff_a, new_deadline=old + timedelta(days=5), reason="人手不足"
    )
    act(issue, "decide_extension", lead_a, outcome=Status.REFUSED)
    issue.refresh_from_db()
    assert issue.deadline == old
    assert DeadlineExtension.objects.get(issue=issue).status == Status.REFUSED
    assert "request_extension" in offered(staff_a, issue)  # may ask again


def test_only_the_responsible_person_or_a_lead_asks(branch_a, staff_a, lead_a):
    issue = signed_with_deadline(branch_a, lead_a)
    with pytest.raises(PermissionDenied):
        act(
            issue,
            "request_extension",
            staff_a,
            new_deadline=today() + timedelta(days=60),
            reason="x",
        )
    act(issue, "request_extension", lead_a, new_deadline=today() + timedelta(days=60), reason="x")


def test_the_new_deadline_must_be_later(branch_a, staff_a):
    issue = signed_with_deadline(branch_a, staff_a)
    for wrong in (
        issue.deadline,
        issue.deadline - timedelta(days=1),
        today() + timedelta(days=800),
    ):
        with pytest.raises(ValidationError) as refused:
            act(issue, "request_extension", staff_a, new_deadline=wrong, reason="理由")
        assert "new_deadline" in refused.value.error_dict
    assert not DeadlineExtension.objects.filter(issue=issue).exists()


def test_the_requester_does_not_decide_their_own_request(branch_a, staff_a, lead_a, office):
    issue = signed_with_deadline(branch_a, staff_a)
    act(
        issue,
        "request_extension",
        lead_a,
        new_deadline=issue.deadline + timedelta(days=3),
        reason="x",
    )
    assert "decide_extension" not in offered(lead_a, issue)
    with pytest.raises(PermissionDenied):
        act(issue, "decide_extension", lead_a, outcome=Status.APPROVED)
    with pytest.raises(PermissionDenied):  # a branch issue: the office does not decide it
        act(issue, "decide_extension", office, outcome=Status.APPROVED)


def test_the_office_decides_for_an_issue_the_province_decided(branch_a, staff_a, lead_a, office):
    issue = signed_with_deadline(branch_a, staff_a)
    ProvincialDecisionFactory(
        escalation=EscalationFactory(issue=issue, requested_by=lead_a), recorded_by=office
    )
    act(
        issue,
        "request_extension",
        staff_a,
        new_deadline=issue.deadline + timedelta(days=3),
        reason="x",
    )
    assert "decide_extension" not in offered(lead_a, issue)
    assert "decide_extension" in offered(office, issue)
    with pytest.raises(PermissionDenied):
        act(issue, "decide_extension", lead_a, outcome=Status.APPROVED)
    act(issue, "decide_extension", office, outcome=Status.APPROVED)


def test_an_overdue_issue_is_extended_by_the_office_only(branch_a, staff_a, lead_a, office):
    issue = signed_with_deadline(branch_a, staff_a, days=-20)
    assert "request_extension" not in offered(staff_a, issue)
    assert "office_extend" not in offered(lead_a, issue)
    assert "office_extend" in offered(office, issue)
    with pytest.raises(StaleTransition):
        act(
            issue,
            "request_extension",
            staff_a,
            new_deadline=today() + timedelta(days=9),
            reason="x",
        )
    new = today() + timedelta(days=9)
    act(issue, "office_extend", office, new_deadline=new, reason="省院同意延期")
    issue.refresh_from_db()
    assert issue.deadline == new
    extension = DeadlineExtension.objects.get(issue=issue)
    assert (extension.status, extension.requested_by, extension.decided_by) == (
        Status.APPROVED,
        office,
        office,
    )
    assert not issue.is_overdue()
    assert "office_extend" not in offered(office, issue)


def test_a_request_pending_when_the_deadline_passes_goes_to_the_office(
    branch_a, staff_a, lead_a, office
):
    issue = signed_with_deadline(branch_a, staff_a)
    act(
        issue,
        "request_extension",
        staff_a,
        new_deadline=issue.deadline + timedelta(days=40),
        reason="x",
    )
    Issue.objects.filter(pk=issue.pk).update(deadline=today() - timedelta(days=20))
    DeadlineExtension.objects.filter(issue=issue).update(old_deadline=today() - timedelta(days=20))
    assert "decide_extension" not in offered(lead_a, issue)
    assert "decide_extension" in offered(office, issue)


def test_no_extension_without_signature_or_deadline(branch_a, staff_a, lead_a):
    unsigned = given_to_branch(branch_a, deadline=today() + timedelta(days=9), responsible=staff_a)
    no_deadline = IssueFactory(branch=branch_a, state=State.RECTIFYING, responsible=staff_a)
    for issue in (unsigned, no_deadline):
        assert "request_extension" not in offered(staff_a, issue)


# --- the pages --------------------------------------------------------------------------------


def test_the_issue_page_shows_the_clock_and_the_actions(client, branch_a, staff_a, office):
    issue = given_to_branch(branch_a, deadline=today() + timedelta(days=30))
    client.force_login(staff_a)
    page = client.get(reverse("issues:issue_detail", args=[issue.pk]))
    content = page.content.decode()
    assert 'data-testid="issue-clock"' in content
    assert 'data-testid="clock-sign"' in content
    assert 'data-testid="action-sign_for"' in content
    assert 'data-testid="action-return"' in content
    rows = {row["key"]: row for row in page.context["clock_rows"]}
    assert rows["sign"]["left"] == Clock().working_days_left(issue.sign_deadline)
    assert rows["rectify"]["left"] is None  # its clock starts at signing

    response = client.post(
        reverse("issues:issue_transition", args=[issue.pk, "return"]),
        {"expected_state": issue.state, "reason": reason().pk, "note": "不属于本分院"},
    )
    assert response.status_code == 302
    client.force_login(office)
    page = client.get(reverse("issues:issue_detail", args=[issue.pk]))
    content = page.content.decode()
    assert 'data-testid="action-rule_return"' in content
    assert 'data-testid="return-row"' in content
    response = client.post(
        reverse("issues:issue_transition", args=[issue.pk, "rule_return"]),
        {"expected_state": issue.state, "ruling": "reassign", "note": "改派"},
    )
    assert response.status_code == 200  # the form again: a reassignment names someone
    assert IssueReturn.objects.get(issue=issue).ruling == ""


def test_the_page_counts_working_days_overdue_and_lists_extensions(
    client, branch_a, staff_a, office
):
    issue = signed_with_deadline(branch_a, staff_a, days=-20)
    client.force_login(office)
    url = reverse("issues:issue_detail", args=[issue.pk])
    page = client.get(url)
    assert page.context["overdue"]
    rectify = next(row for row in page.context["clock_rows"] if row["key"] == "rectify")
    assert rectify["overdue"] == -Clock().working_days_left(issue.deadline) > 0
    new = today() + timedelta(days=9)
    response = client.post(
        reverse("issues:issue_transition", args=[issue.pk, "office_extend"]),
        {"expected_state": issue.state, "new_deadline": new.isoformat(), "reason": "同意延期"},
    )
    assert response.status_code == 302
    page = client.get(url)
    assert not page.context["overdue"]
    assert [extension.new_deadline for extension in page.context["extensions"]] == [new]
    assert 'data-testid="clock-extension-count"' in page.content.decode()


def test_my_work_has_the_clocks_queues(client, branch_a, staff_a, lead_a, office):
    to_sign = given_to_branch(branch_a)
    returned = given_to_branch(branch_a)
    act(returned, "return", staff_a, note="退回", reason=reason())
    branch_issue = signed_with_deadline(branch_a, staff_a)
    act(
        branch_issue,
        "request_extension",
        staff_a,
        new_deadline=branch_issue.deadline + timedelta(days=5),
        reason="x",
    )
    decided = signed_with_deadline(branch_a, staff_a)
    ProvincialDecisionFactory(
        escalation=EscalationFactory(issue=decided, requested_by=lead_a), recorded_by=office
    )
    act(
        decided,
        "request_extension",
        staff_a,
        new_deadline=decided.deadline + timedelta(days=5),
        reason="y",
    )

    def sections(user):
        client.force_login(user)
        response = client.get(reverse("issues:my_work"))
        return {
            section["key"]: [getattr(entry, "issue_id", entry.pk) for entry in section["items"]]
            for section in response.context["sections"]
        }

    staff = sections(staff_a)
    assert staff["sign_for"] == [to_sign.pk]
    assert "extensions" not in staff and "returns" not in staff
    lead = sections(lead_a)
    assert lead["sign_for"] == [to_sign.pk]
    assert lead["extensions"] == [branch_issue.pk]
    provincial = sections(office)
    assert provincial["returns"] == [returned.pk]
    assert provincial["extensions"] == [decided.pk]


# --- a request asked against a deadline that no longer stands (review of issue 12) -------------


def test_a_provincial_decision_closes_the_pending_request(branch_a, staff_a, lead_a, office):
    issue = signed_with_deadline(branch_a, staff_a, days=10)
    act(
        issue,
        "request_extension",
        staff_a,
        new_deadline=issue.deadline + timedelta(days=2),
        reason="x",
    )
    act(issue, "escalate", lead_a, reason="需省院协调")
    explicit = today() + timedelta(days=60)
    act(
        issue,
        "decide",
        office,
        meeting=ProvincialMeetingFactory(recorded_by=office),
        decision="由本单位整改",
        deadline=explicit,
    )
    extension = DeadlineExtension.objects.get(issue=issue)
    assert (extension.status, extension.decided_by) == (Status.REFUSED, office)
    assert extension.decided_at is not None and extension.decision_note
    assert "decide_extension" not in offered(office, issue)
    act(issue, "sign_for", staff_a)
    issue.refresh_from_db()
    assert issue.deadline == explicit
    assert "request_extension" in offered(staff_a, issue)  # may ask again, against the new one


@pytest.mark.parametrize("how", ["verify", "fix_now"])
def test_rectifying_closes_the_pending_request(branch_a, staff_a, lead_a, how):
    state = State.RECTIFYING if how == "verify" else State.COLLECTED
    issue = signed_with_deadline(branch_a, staff_a, state=state, rectification="已整改")
    act(
        issue,
        "request_extension",
        staff_a,
        new_deadline=issue.deadline + timedelta(days=2),
        reason="x",
    )
    act(issue, how, lead_a, rectification="已整改")
    extension = DeadlineExtension.objects.get(issue=issue)
    assert (extension.status, extension.decided_by) == (Status.REFUSED, lead_a)
    assert not DeadlineExtension.objects.pending().filter(issue=issue).exists()


def test_reopening_closes_a_request_left_pending(branch_a, staff_a, lead_a):
    issue = signed_with_deadline(branch_a, staff_a, state=State.ANSWERED)
    DeadlineExtension.objects.create(
        issue=issue,
        old_deadline=issue.deadline,
        new_deadline=issue.deadline + timedelta(days=2),
        reason="x",
        requested_by=staff_a,
    )
    from issues.transitions import _apply_reopen

    _apply_reopen(issue, lead_a)
    assert DeadlineExtension.objects.get(issue=issue).status == Status.REFUSED


def test_a_request_against_a_deadline_that_changed_is_stale(branch_a, staff_a, lead_a):
    issue = signed_with_deadline(branch_a, staff_a, days=30)
    old = issue.deadline
    act(issue, "request_extension", staff_a, new_deadline=old + timedelta(days=2), reason="x")
    later = old + timedelta(days=20)  # set meanwhile, by a path that left the request
    Issue.objects.filter(pk=issue.pk).update(deadline=later)
    with pytest.raises(StaleTransition):
        act(issue, "decide_extension", lead_a, outcome=Status.APPROVED)
    issue.refresh_from_db()
    assert issue.deadline == later
    assert DeadlineExtension.objects.get(issue=issue).status == Status.PENDING


# --- issues opened before the clock (signed by migration 0013, no deadline) --------------------


def opened_before_the_clock(branch, creator, state=State.COLLECTED, **fields):
    return IssueFactory(
        branch=branch, state=state, created_by=creator, responsible=creator, deadline=None, **fields
    )


def test_planning_an_issue_opened_before_the_clock_starts_its_limit(branch_a, staff_a):
    issue = opened_before_the_clock(branch_a, staff_a, severity=Issue.Severity.SERIOUS)
    assert issue.signed_at is not None  # as 0013 leaves it
    act(issue, "plan", staff_a, measures="整改措施", responsible=staff_a)
    issue.refresh_from_db()
    clock = Clock()
    assert issue.deadline == clock.after(issue.signed_at, "rectify_serious")


def test_planning_keeps_a_deadline_already_set(branch_a, staff_a):
    issue = signed_with_deadline(branch_a, staff_a, state=State.COLLECTED, days=40)
    deadline = issue.deadline
    act(issue, "plan", staff_a, measures="整改措施", responsible=staff_a)
    issue.refresh_from_db()
    assert issue.deadline == deadline


def test_migration_0014_gives_unrectified_signed_issues_their_deadline(
    branch_a, staff_a, lead_a, office
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "issues.migrations.0014_deadlines_for_issues_opened_before_the_clock"
    )
    collected = opened_before_the_clock(branch_a, staff_a, severity=Issue.Severity.CRITICAL)
    decided = opened_before_the_clock(branch_a, staff_a, state=State.RECTIFYING)
    decision = ProvincialDecisionFactory(
        escalation=EscalationFactory(issue=decided, requested_by=lead_a), recorded_by=office
    )
    unsigned = given_to_branch(branch_a)
    rectified = opened_before_the_clock(branch_a, staff_a, state=State.RECTIFIED)
    kept = signed_with_deadline(branch_a, staff_a)

    migration.set_missing_deadlines(apps, None)

    clock = Clock()
    for issue in (collected, decided, unsigned, rectified, kept):
        issue.refresh_from_db()
    assert collected.deadline == clock.after(collected.signed_at, "rectify_critical")
    assert decided.deadline == clock.after(max(decided.signed_at, decision.created_at), "rectify")
    assert unsigned.deadline is None and rectified.deadline is None
    assert kept.deadline == today() + timedelta(days=20)


# --- each form names the record it acts on (review of issue 12) --------------------------------


def test_a_ruling_names_the_return_its_page_showed(client, branch_a, staff_a, lead_a, office):
    issue = given_to_branch(branch_a, responsible=staff_a)
    act(issue, "return", staff_a, note="不属于本分院", reason=reason())
    shown = IssueReturn.objects.get(issue=issue)
    client.force_login(office)
    page = client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    assert f'name="return_id" value="{shown.pk}"' in page
    with pytest.raises(ValidationError) as refused:  # the service needs the record's id
        apply_transition(
            issue_id=issue.pk,
            name="rule_return",
            actor=office,
            expected_state=issue.state,
            note="x",
            ruling=Ruling.INSIST,
        )
    assert "return_id" in refused.value.error_dict
    # Ruled on meanwhile (another tab) and returned again: a new return waits. The ruling
    # posted from the old page is refused instead of ruling on the new return.
    act(issue, "rule_return", office, note="改派", ruling=Ruling.REASSIGN, responsible=lead_a)
    act(issue, "return", lead_a, note="仍不属于本分院", reason=reason())
    response = client.post(
        reverse("issues:issue_transition", args=[issue.pk, "rule_return"]),
        {"expected_state": issue.state, "ruling": "insist", "note": "坚持", "return_id": shown.pk},
    )
    assert response.status_code == 302
    assert IssueReturn.objects.get(issue=issue, ruling="").returned_by == lead_a


def test_a_decision_names_the_request_its_page_showed(client, branch_a, staff_a, lead_a):
    issue = signed_with_deadline(branch_a, staff_a)
    first_deadline = issue.deadline + timedelta(days=3)
    act(issue, "request_extension", staff_a, new_deadline=first_deadline, reason="x")
    shown = DeadlineExtension.objects.get(issue=issue)
    client.force_login(lead_a)
    page = client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    assert f'name="extension_id" value="{shown.pk}"' in page
    # Refused meanwhile (another tab) and asked again for much longer: approving from the
    # old page would approve the new request, never seen.
    act(issue, "decide_extension", lead_a, outcome=Status.REFUSED)
    act(issue, "request_extension", staff_a, new_deadline=today() + timedelta(days=300), reason="y")
    response = client.post(
        reverse("issues:issue_transition", args=[issue.pk, "decide_extension"]),
        {"expected_state": issue.state, "outcome": "approved", "extension_id": shown.pk},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.deadline == shown.old_deadline
    assert DeadlineExtension.objects.pending().filter(issue=issue).exists()
