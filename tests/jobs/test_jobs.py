"""Jobs: asked once, run once, watched, downloaded only by the one who asked (in the scope
they asked in), failed ones asked again, files removed after their time."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import OperationalError, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from branches.models import Membership
from core.replica import REPLICA
from jobs import services
from jobs.models import Job, job_storage
from jobs.registry import JobKind, JobRefused, Output, register
from tests.conftest import done_job
from tests.exports import ask

pytestmark = pytest.mark.django_db


def _refusing(job, progress, output):
    raise JobRefused("不能这样导出")


def _crashing(job, progress, output):
    raise RuntimeError("boom")


def _no_file(job, progress, output):
    progress.start(2)
    progress.advance(2)
    return None


register(JobKind("test_refused", "refused", lambda user: True, _refusing))
register(
    JobKind(
        "test_no_file",
        "no file",
        lambda user: True,
        _no_file,
        back_url=lambda job: "/somewhere/",
        started_by_button=False,
    )
)
register(JobKind("test_crash", "crash", lambda user: True, _crashing))


def new_jobs(world):
    """Jobs besides the world's finished ones."""
    return Job.objects.exclude(pk__in=[world.a.job.pk, world.b.job.pk])


def download(client, job):
    return client.get(reverse("jobs:job_download", args=[job.pk]))


def test_the_ledger_job_is_done_and_downloaded_by_its_owner(client, staff_a, world):
    client.force_login(staff_a)
    job = ask(client, "issue_ledger")
    assert job.state == Job.State.DONE and job.size > 0 and job.filename.endswith(".xlsx")
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert reverse("jobs:job_download", args=[job.pk]) in page
    assert "hx-get" not in page  # finished: no more polling
    response = download(client, job)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_another_user_sees_nothing_of_it(client, staff_a, lead_a, office, world):
    client.force_login(staff_a)
    job = ask(client, "issue_ledger")
    for other in (lead_a, office):
        client.force_login(other)
        for name in ("job_detail", "job_status", "job_download"):
            assert client.get(reverse(f"jobs:{name}", args=[job.pk])).status_code == 404
        assert str(job.pk) not in client.get(reverse("jobs:job_list")).content.decode()


def test_a_changed_scope_cannot_download(client, staff_a, world):
    client.force_login(staff_a)
    job = ask(client, "issue_ledger")
    Membership.objects.filter(user=staff_a).update(branch=world.b.branch)
    assert download(client, job).status_code == 404


def test_an_unfinished_job_is_polled(client, staff_a, world):
    client.force_login(staff_a)
    job = Job.objects.create(user=staff_a, kind="issue_ledger", language="zh-hans", scope="x")
    body = client.get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("jobs:job_status", args=[job.pk])}"' in body
    assert download(client, job).status_code == 404


def test_a_refused_job_says_why_and_can_be_asked_again(client, staff_a, world):
    client.force_login(staff_a)
    job = ask(client, "test_refused")
    assert job.state == Job.State.FAILED and job.failure == Job.Failure.REFUSED
    assert "不能这样导出" in client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("jobs:job_restart", args=[job.pk]))
    again = new_jobs(world).exclude(pk=job.pk).get()
    assert response["Location"] == reverse("jobs:job_detail", args=[again.pk])
    assert again.params == job.params


def test_a_crash_is_logged_and_said_in_the_users_words(client, staff_a, world):
    client.force_login(staff_a)
    job = ask(client, "test_crash")
    assert job.state == Job.State.FAILED and job.failure == Job.Failure.ERROR
    assert "boom" not in job.message


def test_the_same_form_sent_twice_asks_once(client, staff_a, world):
    client.force_login(staff_a)
    url = reverse("jobs:job_start", args=["issue_ledger"])
    data = {"query": "state=answered", "submission_key": "6f1c1f1e-0000-4000-8000-000000000001"}
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data)
    assert first["Location"] == second["Location"]
    assert new_jobs(world).count() == 1


def test_a_job_runs_once_however_often_its_task_comes(client, staff_a, world):
    client.force_login(staff_a)
    job = ask(client, "issue_ledger")
    assert services.run(job.pk) is None
    assert Job.objects.get(pk=job.pk).attempts == 1


def test_a_job_left_running_by_a_dead_worker_is_taken_again(staff_a, settings):
    job = Job.objects.create(
        user=staff_a,
        kind="issue_ledger",
        language="zh-hans",
        scope=services.scope_key(staff_a),
        state=Job.State.RUNNING,
        started_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120),
    )
    assert services.run(job.pk).state == Job.State.DONE


def test_files_are_removed_after_their_time(client, staff_a, world):
    client.force_login(staff_a)
    job = ask(client, "issue_ledger")
    name = job.file
    assert job_storage().exists(name)
    Job.objects.filter(pk__in=[world.a.job.pk, world.b.job.pk]).update(expires_at=None)
    assert services.remove_expired(now=timezone.now() + timedelta(hours=1)) == 0
    later = timezone.now() + timedelta(hours=25)
    assert services.remove_expired(now=later) == 1
    job.refresh_from_db()
    assert job.removed_at is not None and not job.file

    assert not job_storage().exists(name)
    assert download(client, job).status_code == 404


def test_deleting_a_user_removes_their_job_files(staff_a, django_capture_on_commit_callbacks):
    job = done_job(staff_a)
    assert job_storage().exists(job.file)
    with django_capture_on_commit_callbacks(execute=True):
        staff_a.delete()
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not job_storage().exists(job.file)


def test_a_deletion_rolled_back_keeps_the_file(staff_a):
    job = done_job(staff_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        Job.objects.filter(pk=job.pk).delete()
        raise RuntimeError("changed my mind")
    assert job_storage().exists(job.file)


def test_a_job_no_worker_took_for_a_day_can_be_asked_again(staff_a):
    job = Job.objects.create(
        user=staff_a,
        kind="issue_ledger",
        language="zh-hans",
        scope="all",
        created_at=timezone.now() - timedelta(days=2),
    )
    services.remove_expired()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.failure == Job.Failure.LOST


def test_an_unknown_kind_is_not_found(client, staff_a):
    client.force_login(staff_a)
    response = client.post(reverse("jobs:job_start", args=["nothing"]), {"query": ""})
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_a_job_may_end_without_a_file(client, staff_a, world):
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.job_start(user=staff_a, kind="test_no_file")
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.done == 2
    assert not job.file and job.expires_at is None and not job.downloadable
    client.force_login(staff_a)
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-done"' in page and "job-download" not in page
    assert 'href="/somewhere/"' in page  # the kind's own back page
    assert download(client, job).status_code == 404
    client.cookies["django_language"] = "en"
    listed = client.get(reverse("jobs:job_list")).content.decode()
    assert str(job.pk) in listed and "removed" not in listed
    # Asked by its app's service only: the jobs' start button refuses it.
    response = client.post(reverse("jobs:job_start", args=["test_no_file"]), {"query": ""})
    assert response.status_code == 404


def test_a_job_a_dead_worker_left_running_is_given_up(staff_a, settings):
    job = Job.objects.create(
        user=staff_a,
        kind="issue_ledger",
        language="zh-hans",
        scope="all",
        state=Job.State.RUNNING,
        started_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120),
    )
    services.remove_expired()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.failure == Job.Failure.LOST


def test_an_attempt_taken_for_dead_does_not_overwrite_the_next(client, staff_a, world):
    job = Job.objects.create(
        user=staff_a, kind="issue_ledger", language="zh-hans", scope=services.scope_key(staff_a)
    )
    real_run = services._run_claimed

    def overtaken(job):
        # Meanwhile another attempt claimed the job (this one was taken for dead).
        Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
        real_run(job)

    services._run_claimed = overtaken
    try:
        services.run(job.pk)
    finally:
        services._run_claimed = real_run
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING and not job.file


def test_the_same_export_asked_while_it_waits_is_that_job(client, staff_a, world):
    first = services.job_start.__wrapped__(user=staff_a, kind="issue_ledger", params={"q": ["x"]})
    again = services.job_start.__wrapped__(user=staff_a, kind="issue_ledger", params={"q": ["x"]})
    other = services.job_start.__wrapped__(user=staff_a, kind="issue_ledger", params={"q": ["y"]})
    assert again.pk == first.pk and other.pk != first.pk


def test_a_kind_asked_from_its_own_page_is_not_restarted_here(client, staff_a, world):
    register(JobKind("test_own_page", "own", lambda user: True, _crashing, started_by_button=False))
    job = Job.objects.create(
        user=staff_a,
        kind="test_own_page",
        language="zh-hans",
        scope="x",
        state=Job.State.FAILED,
        failure=Job.Failure.ERROR,
    )
    client.force_login(staff_a)
    assert (
        "job-restart" not in client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    )
    client.post(reverse("jobs:job_restart", args=[job.pk]))
    assert not Job.objects.filter(kind="test_own_page").exclude(pk=job.pk).exists()


# --- a replica lost in the middle of a job ---------------------------------------------

_on_replica: list[bool] = []
_attempts: list[bool] = []


@contextmanager
def _pretend_replica(**kwargs):
    """``from_replica`` as with a replica that has caught up."""
    _on_replica.append(True)
    try:
        yield REPLICA
    finally:
        _on_replica.pop()


def _losing_the_replica(job, progress, output):
    """Writes half a file, then loses its connection, whenever it reads the replica."""
    reading_replica = bool(_on_replica)
    _attempts.append(reading_replica)
    progress.start(2)
    output.write(b"half " if reading_replica else b"whole file")
    if reading_replica or job.params.get("primary_fails"):
        raise OperationalError("server closed the connection unexpectedly")
    progress.advance(2)
    return Output("lost.txt", "text/plain")


register(JobKind("test_replica_lost", "replica lost", lambda user: True, _losing_the_replica))


@pytest.fixture
def replica_that_drops(monkeypatch):
    monkeypatch.setattr(services, "from_replica", _pretend_replica)
    _attempts.clear()
    return _attempts


def test_a_job_whose_replica_drops_is_done_again_on_the_primary(
    client, staff_a, replica_that_drops
):
    client.force_login(staff_a)
    job = ask(client, "test_replica_lost")
    assert job.state == Job.State.DONE, job.message
    assert replica_that_drops == [True, False]
    # The file is the primary's whole work, nothing of the attempt on the replica.
    with job_storage().open(job.file, "rb") as handle:
        assert handle.read() == b"whole file"
    assert (job.size, job.done, job.total) == (10, 2, 2)


def test_the_primary_is_tried_once_only(client, staff_a, replica_that_drops):
    client.force_login(staff_a)
    job = ask(client, "test_replica_lost", {"primary_fails": "1"})
    assert (job.state, job.failure) == (Job.State.FAILED, Job.Failure.ERROR)
    assert replica_that_drops == [True, False]


def test_a_database_error_off_the_replica_is_not_retried(client, staff_a):
    _attempts.clear()
    client.force_login(staff_a)
    job = ask(client, "test_replica_lost", {"primary_fails": "1"})
    assert (job.state, job.failure) == (Job.State.FAILED, Job.Failure.ERROR)
    assert _attempts == [False]
