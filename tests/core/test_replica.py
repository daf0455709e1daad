"""Reads on a streaming replica: only inside ``from_replica``, only once the replica has
replayed the user's writes, never a write; without a replica, nothing changes.

The tests against a real standby need one: ``.ci/run`` starts a second PostgreSQL cluster
as a streaming replica of the first and sets ``REPLICA_TEST_URL`` (its host and port; the
database is the test database, which streaming replication copies). Without it they skip
loudly; in CI they fail instead.
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import DatabaseError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core import replica
from issues.models import Issue
from jobs import services as jobs
from jobs.models import Job
from jobs.registry import JobKind, Output, register

STANDBY = os.environ.get("REPLICA_TEST_URL", "")


def test_without_a_replica_everything_reads_the_primary(db):
    assert not replica.replica_configured()
    assert replica.primary_position() == ""
    with replica.from_replica() as alias:
        assert alias == "default"
        assert replica.ReplicaRouter().db_for_read(Issue) == "default"


def test_the_router_never_writes_or_migrates_on_the_replica():
    router = replica.ReplicaRouter()
    assert router.db_for_write(Issue) == "default"
    assert router.allow_migrate("replica", "issues") is False
    assert router.allow_migrate("default", "issues") is True


@pytest.fixture
def standby(transactional_db, settings):
    """The ``replica`` alias pointed at the real standby of the test database."""
    if not STANDBY:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI must test the replica: REPLICA_TEST_URL is not set")
        pytest.skip("no streaming replica: set REPLICA_TEST_URL (see .ci/run)")
    if connection.vendor != "postgresql":
        pytest.skip("the replica is PostgreSQL's")
    import dj_database_url
    from django.db.utils import load_backend

    parsed = dj_database_url.parse(STANDBY)
    alias = {**connections.settings["default"]}
    alias.update(HOST=parsed["HOST"], PORT=parsed["PORT"])
    settings.DATABASES = {**settings.DATABASES, replica.REPLICA: alias}
    settings.DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    # Made by hand, not by the connection handler's settings, so the test's database
    # guard (which would flush it, and a standby cannot be flushed) leaves it alone.
    wrapper = load_backend(alias["ENGINE"]).DatabaseWrapper(alias, replica.REPLICA)
    connections[replica.REPLICA] = wrapper
    yield wrapper
    wrapper.close()
    del connections[replica.REPLICA]


def _caught_up(position: str) -> None:
    for _ in range(100):
        if replica.replica_has(position):
            return
        time.sleep(0.1)
    pytest.fail(f"the replica did not replay {position} in 10 s")


@pytest.mark.django_db(transaction=True)
def test_reads_go_to_the_standby_once_it_has_the_writes(standby, world):
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True
    position = replica.primary_position()
    _caught_up(position)
    with (
        CaptureQueriesContext(standby) as on_standby,
        replica.from_replica(caught_up_to=position) as alias,
    ):
        assert alias == replica.REPLICA
        assert Issue.objects.filter(pk=world.a.issue.pk).exists()
    assert any("issues_issue" in query["sql"] for query in on_standby.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_replica_behind_the_users_writes_is_not_read(standby, world):
    ahead = "FFFFFFFF/FFFFFFFF"
    with replica.from_replica(caught_up_to=ahead) as alias:
        assert alias == "default"
        assert Issue.objects.filter(pk=world.a.issue.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_standby_refuses_writes(standby):
    with pytest.raises(DatabaseError), standby.cursor() as cursor:
        cursor.execute("CREATE TABLE not_here (id int)")


@pytest.mark.django_db(transaction=True)
def test_an_export_job_reads_the_standby_and_sees_the_users_last_write(
    standby, world, staff_a, monkeypatch
):
    issue = world.a.issue
    Issue.objects.filter(pk=issue.pk).update(title="刚改的标题")
    monkeypatch.setattr(jobs, "_enqueue", lambda job: None)  # run below, by hand
    job = jobs.job_start(user=staff_a, kind="issue_ledger", params={})
    _caught_up(replica.primary_position())
    with CaptureQueriesContext(standby) as on_standby:
        jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    assert any("issues_issue" in query["sql"] for query in on_standby.captured_queries)
    with jobs.job_storage().open(job.file, "rb") as handle:
        sheet = load_workbook(handle).active
    assert any(
        "刚改的标题" in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row
    )


@pytest.mark.django_db(transaction=True)
def test_the_stats_api_reads_a_long_range_from_the_standby(standby, client, world, office):
    client.force_login(office)
    # The API reads the standby when it has replayed all the primary has at that moment:
    # with other tests writing beside this one (two workers), it may lag at the instant
    # asked and the answer comes from the primary. Asked again once caught up, it reads it.
    for _attempt in range(20):
        _caught_up(replica.primary_position())
        with CaptureQueriesContext(standby) as on_standby:
            all_time = client.get(reverse("reports:stats_api"))
        assert all_time.status_code == 200
        if on_standby.captured_queries:
            break
    assert any("outreach_feedbackitem" in q["sql"] for q in on_standby.captured_queries)
    with CaptureQueriesContext(standby) as on_standby:
        one_campaign = client.get(reverse("reports:stats_api"), {"campaign": world.campaign.pk})
    assert one_campaign.status_code == 200
    assert not any("outreach_feedbackitem" in q["sql"] for q in on_standby.captured_queries)
    assert all_time.json()["feedback_items"] == one_campaign.json()["feedback_items"]


def test_which_ranges_are_long():
    from datetime import date

    from reports.api import is_long_range
    from reports.selection import Selection

    assert is_long_range(Selection())
    assert is_long_range(Selection(date_from=date(2025, 1, 1)))
    assert is_long_range(Selection(date_from=date(2024, 1, 1), date_to=date(2025, 6, 1)))
    assert not is_long_range(Selection(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)))
    assert not is_long_range(Selection(campaign=object()))


def _dropping_the_replica(job, progress, output):
    """Counts the issues; on the replica, its connection is cut first (as when the standby
    restarts in the middle of an export)."""
    if replica.ReplicaRouter().db_for_read(Issue) == replica.REPLICA:
        _dropped.append(True)
        with connections[replica.REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    output.write(str(Issue.objects.count()).encode())
    return Output("count.txt", "text/plain")


_dropped: list[bool] = []
register(JobKind("test_drops_replica", "drops replica", lambda user: True, _dropping_the_replica))


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_replica_connection_drops_is_done_on_the_primary(
    standby, world, staff_a, monkeypatch
):
    monkeypatch.setattr(jobs, "_enqueue", lambda job: None)  # run below, by hand
    _dropped.clear()
    job = jobs.job_start(user=staff_a, kind="test_drops_replica", params={})
    _caught_up(replica.primary_position())
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    assert _dropped == [True]
    with jobs.job_storage().open(job.file, "rb") as handle:
        assert handle.read() == str(Issue.objects.count()).encode()
    # The replica is read again afterwards, on a new connection.
    position = replica.primary_position()
    _caught_up(position)
    with replica.from_replica(caught_up_to=position) as alias:
        assert alias == replica.REPLICA
        assert Issue.objects.exists()
