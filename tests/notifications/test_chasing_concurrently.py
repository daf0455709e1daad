"""Two runs of ``send_reminders`` at the same moment do each step once.

Each run is a thread on its own database connection. Both are held until both have read
what exists (no notification, no supervision notice) and are about to write: then the
database decides. The notifications' unique key lets one insert each; the automatic
notice's unique (issue, deadline) makes the loser's insert fail inside its savepoint; the
emails are locked row by row. One notice, one "supervised" line, one "chased" line, each
notification and each email once.

PostgreSQL only: SQLite serialises every write to the whole database, so the two runs
could never race there. CI runs this on PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import importlib
import threading
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from branches.models import Membership
from issues import supervision
from issues.models import Issue, IssueEvent, SupervisionNotice
from notifications import triggers
from notifications.models import Notification
from tests.factories import BranchFactory, IssueFactory, member
from tests.reference import put_back_role_groups

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Many connections at once: one worker of the suite runs these in turn (make test's
    # --dist loadgroup), so two of them never exhaust PostgreSQL's connection slots.
    pytest.mark.xdist_group("concurrency"),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises all writes, so two "
        "runs can never race there",
    ),
]

RUNS = 2
Role = Membership.Role


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Put back the rows data migrations made (role groups, categories): a transactional
    test starts from whatever the previous one flushed."""
    from django.apps import apps

    reference = importlib.import_module("outreach.migrations.0002_reference_data")
    put_back_role_groups()
    reference.seed(apps, None)


@pytest.fixture
def held(monkeypatch):
    """Hold each run before its first write of a kind until every run got there."""
    notices_barrier = threading.Barrier(RUNS)
    deliver_barrier = threading.Barrier(RUNS)
    real_notice, real_deliver = supervision.notice_automatic, triggers.deliver
    waited = threading.local()

    def notice_automatic(**kwargs):
        if not getattr(waited, "notice", False):
            waited.notice = True
            notices_barrier.wait(timeout=30)
        return real_notice(**kwargs)

    def deliver(drafts, **kwargs):
        drafts = list(drafts)
        deliver_barrier.wait(timeout=30)
        return real_deliver(drafts, **kwargs)

    monkeypatch.setattr(supervision, "notice_automatic", notice_automatic)
    monkeypatch.setattr(triggers, "deliver", deliver)


def test_two_runs_at_once_do_each_step_once(held, mailoutbox):
    branch = BranchFactory()
    member(Role.LEAD, branch, username="lead")
    staff = member(Role.STAFF, branch, username="staff")
    member(Role.OFFICE, username="office")
    late = IssueFactory(
        branch=branch, state=Issue.State.RECTIFYING, responsible=staff, deadline=date(2026, 9, 30)
    )
    soon = IssueFactory(
        branch=branch, state=Issue.State.RECTIFYING, responsible=staff, deadline=date(2026, 10, 14)
    )
    errors: list[BaseException] = []
    start = threading.Barrier(RUNS)

    def run():
        try:
            start.wait(timeout=30)
            call_command("send_reminders", today="2026-10-12", stdout=StringIO())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    told = sorted(Notification.objects.values_list("kind", "recipient__username", "issue_id"))
    Kind = Notification.Kind
    assert told == sorted(
        [
            (Kind.DUE_TODAY, "lead", late.pk),
            (Kind.OVERDUE, "staff", late.pk),
            (Kind.SUPERVISED, "lead", late.pk),
            (Kind.SUPERVISED, "office", late.pk),
            (Kind.DEADLINE_SOON, "staff", soon.pk),
        ]
    )
    assert len(mailoutbox) == 5
    assert SupervisionNotice.objects.filter(issue=late, automatic=True).count() == 1
    assert IssueEvent.objects.filter(issue=late, kind=IssueEvent.Kind.SUPERVISED).count() == 1
    assert IssueEvent.objects.filter(issue=late, kind=IssueEvent.Kind.CHASED).count() == 1
