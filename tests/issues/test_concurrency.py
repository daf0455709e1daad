"""Two people (or two tabs, or a double click) move the same issue at the same moment.

Each attempt runs in its own thread, on its own database connection, released together by
a barrier. ``apply_transition`` locks the issue's row (``SELECT ... FOR UPDATE``), so the
second attempt waits for the first to commit, then sees the new state and is refused as
stale: one success, one clear refusal, one event, every time.

PostgreSQL only: SQLite ignores ``select_for_update`` and serialises whole-database writes,
so it cannot show the lock at work. CI runs this on PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import dataclasses
import importlib
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from issues import transitions
from issues.models import Issue, IssueEvent
from issues.transitions import TRANSITIONS, StaleTransition, apply_transition
from tests.factories import ActivityFactory, FeedbackItemFactory, IssueFactory
from tests.reference import put_back_role_groups

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Many connections at once: one worker of the suite runs these in turn (make test's
    # --dist loadgroup), so two of them never exhaust PostgreSQL's connection slots.
    pytest.mark.xdist_group("concurrency"),
]

State = Issue.State
ROUNDS = 10
#: How long the winner holds the row lock: long enough that the loser surely arrives while
#: it is held (without the lock both would read "collected" and both would write).
HOLD_SECONDS = 0.05


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL: SQLite ignores select_for_update")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Put back the rows data migrations made (role groups, categories): a transactional
    test starts from whatever the previous one flushed."""
    from django.apps import apps

    reference = importlib.import_module("outreach.migrations.0002_reference_data")
    put_back_role_groups()
    reference.seed(apps, None)


@pytest.fixture(autouse=True)
def _hold_the_lock(monkeypatch):
    """Make every transition linger inside its transaction, after the row is locked."""
    for name, transition in TRANSITIONS.items():
        apply = transition.apply

        def lingering(issue, actor, _apply=apply, **values):
            time.sleep(HOLD_SECONDS)
            return _apply(issue, actor, **values) if _apply else []

        monkeypatch.setitem(
            transitions.TRANSITIONS, name, dataclasses.replace(transition, apply=lingering)
        )


def race(issue, *attempts):
    """Run each attempt ``(name, actor, values)`` on ``issue`` in its own thread, all
    released at once and all expecting the state the issue has now (as drawn on the page).

    Returns one outcome per attempt: ``("ok", issue)``, ``("stale", error)`` or
    ``("error", error)``.
    """
    expected_state = issue.state
    barrier = threading.Barrier(len(attempts))
    outcomes: list = [None] * len(attempts)

    def run(index, name, actor_pk, values):
        try:
            # Each thread reads its own user: nothing cached on a shared instance.
            actor = get_user_model().objects.get(pk=actor_pk)
            barrier.wait(timeout=10)
            outcomes[index] = (
                "ok",
                apply_transition(
                    issue_id=issue.pk,
                    name=name,
                    actor=actor,
                    expected_state=expected_state,
                    **values,
                ),
            )
        except StaleTransition as error:
            outcomes[index] = ("stale", error)
        except Exception as error:  # reported by the test through its outcome
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, name, actor.pk, values))
        for index, (name, actor, values) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return outcomes


def collected_issue(branch):
    activity = ActivityFactory(branch=branch)
    item = FeedbackItemFactory(activity=activity)
    return IssueFactory(
        branch=branch,
        campaign=activity.campaign,
        category=item.category,
        feedback_items=[item],
    )


def plan_values(responsible):
    return {
        "measures": "公布检验预约电话",
        "responsible": responsible,
        "deadline": timezone.localdate() + timedelta(days=30),
    }


def kinds(outcomes):
    return sorted(kind for kind, _ in outcomes)


def test_the_same_transition_twice_at_once_applies_once_every_time(branch_a, staff_a, lead_a):
    for round_ in range(ROUNDS):
        issue = collected_issue(branch_a)
        values = plan_values(staff_a)
        outcomes = race(issue, ("plan", staff_a, values), ("plan", lead_a, values))
        assert kinds(outcomes) == ["ok", "stale"], (round_, outcomes)
        stale = next(error for kind, error in outcomes if kind == "stale")
        assert stale.code == "stale"
        issue.refresh_from_db()
        assert issue.state == State.RECTIFYING
        events = IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.TRANSITION)
        assert events.count() == 1, round_


def test_a_double_click_by_one_person_applies_once(branch_a, staff_a):
    for round_ in range(ROUNDS):
        issue = collected_issue(branch_a)
        attempt = ("fix_now", staff_a, {"rectification": "当场解决"})
        outcomes = race(issue, attempt, attempt)
        assert kinds(outcomes) == ["ok", "stale"], (round_, outcomes)
        assert IssueEvent.objects.filter(issue=issue).count() == 1, round_
        assert Issue.objects.get(pk=issue.pk).state == State.RECTIFIED


def test_plan_and_fix_now_racing_from_collected_one_wins(branch_a, staff_a, lead_a):
    winners = set()
    for round_ in range(ROUNDS):
        issue = collected_issue(branch_a)
        outcomes = race(
            issue,
            ("plan", staff_a, plan_values(staff_a)),
            ("fix_now", lead_a, {"rectification": "当场解决"}),
        )
        assert kinds(outcomes) == ["ok", "stale"], (round_, outcomes)
        plan_won = outcomes[0][0] == "ok"
        winners.add("plan" if plan_won else "fix_now")
        issue.refresh_from_db()
        event = IssueEvent.objects.get(issue=issue, kind=IssueEvent.Kind.TRANSITION)
        if plan_won:
            assert issue.state == State.RECTIFYING
            assert (issue.immediate_fix, issue.rectified_at, issue.rectification) == (
                False,
                None,
                "",
            )
            assert event.actor_id == staff_a.pk
        else:
            assert issue.state == State.RECTIFIED
            assert issue.immediate_fix is True
            assert (issue.measures, issue.deadline) == ("", None)
            assert event.actor_id == lead_a.pk
        assert (event.from_state, event.to_state) == (State.COLLECTED, issue.state)
    # Not asserted: which one wins is up to the scheduler (often the same one every round).
    assert winners <= {"plan", "fix_now"}


def issue_given_to(branch):
    """A's issue as a provincial decision leaves it: given to the branch, not signed for."""
    issue = collected_issue(branch)
    Issue.objects.filter(pk=issue.pk).update(
        state=State.RECTIFYING,
        signed_at=None,
        sign_deadline=timezone.localdate() + timedelta(days=7),
    )
    issue.refresh_from_db()
    return issue


def test_two_sign_fors_at_once_record_one_signature(branch_a, staff_a, lead_a):
    for round_ in range(ROUNDS):
        issue = issue_given_to(branch_a)
        outcomes = race(issue, ("sign_for", staff_a, {}), ("sign_for", lead_a, {}))
        assert kinds(outcomes) == ["ok", "stale"], (round_, outcomes)
        winner = staff_a if outcomes[0][0] == "ok" else lead_a
        issue.refresh_from_db()
        assert issue.signed_by == winner
        events = IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.SIGNED)
        assert list(events.values_list("actor", flat=True)) == [winner.pk], round_


def test_sign_for_and_return_at_once_one_wins(branch_a, staff_a, lead_a):
    from issues.models import IssueReturn, ReturnReason

    reason = ReturnReason.objects.get_or_create(name="非本单位职责")[0]
    for round_ in range(ROUNDS):
        issue = issue_given_to(branch_a)
        outcomes = race(
            issue,
            ("sign_for", staff_a, {}),
            ("return", lead_a, {"reason": reason, "note": "不属于本分院"}),
        )
        assert kinds(outcomes) == ["ok", "stale"], (round_, outcomes)
        issue.refresh_from_db()
        returned = IssueReturn.objects.filter(issue=issue).count()
        assert (issue.signed_at is not None, returned) in {(True, 0), (False, 1)}, round_
