"""A leader asks for the whole province's issue ledger in the browser; a real Celery worker,
fed through Redis, makes it while the page follows the job by itself; the file is
downloaded and read back.

It needs what production has: PostgreSQL (the worker is another process and opens the
test database) and Redis. Without them it skips loudly; in CI (CI=true) it fails instead.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from openpyxl import load_workbook
from playwright.sync_api import expect

from config.celery import app as celery_app
from issues.models import Issue
from jobs.models import Job
from tests.factories import PASSWORD

# One worker process of the suite runs these (make test: --dist loadgroup): each empties
# the test's Redis database, which must not happen under another one's feet.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("redis")]

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


def _missing(why: str):
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI must run the worker test: {why}")
    pytest.skip(why)


def _redis_answers() -> bool:
    import redis

    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def queue(settings, tmp_path):
    """The app sends its tasks to Redis, on a queue of this test's own; returns a function
    that starts one worker on it (stopped after the test)."""
    database = connection.settings_dict
    if database["ENGINE"] != "django.db.backends.postgresql":
        _missing("a worker process needs a database it can open too: set DATABASE_URL")
    if not _redis_answers():
        _missing(f"Redis does not answer at {BROKER}")
    import redis

    name = f"test-{uuid.uuid4().hex[:8]}"
    saved = {
        key: celery_app.conf[key]
        for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    redis.Redis.from_url(BROKER).flushdb()  # the test's own Redis database: no old messages
    celery_app.conf.update(task_always_eager=False, broker_url=BROKER, task_default_queue=name)
    _forget_connections()
    workers = []

    def start():
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "DATABASE_URL": (
                f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
                f"{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "CELERY_BROKER_URL": BROKER,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            # The worker writes where this test's server reads (STORAGES["jobs"]).
            "DJANGO_MEDIA_ROOT": str(tmp_path),
        }
        workers.append(
            subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "-Q",
                    name,
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        )

    yield start
    for worker in workers:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        print(output.decode(errors="replace")[-4000:])
    celery_app.conf.update(saved)
    _forget_connections()


def _forget_connections() -> None:
    """Celery keeps its routing and producer pool from first use (an admin page listing
    the queues, an earlier send): drop them so they are made again from the settings."""
    celery_app.__dict__.pop("amqp", None)
    celery_app._pool = None


def test_a_leader_gets_the_ledger_from_a_real_worker(log_in, live_server, world, leader, queue):
    page = log_in(leader.username, PASSWORD)
    page.goto(f"{live_server.url}/issues/")
    page.get_by_test_id("export-ledger").click()
    page.wait_for_url("**/jobs/*/")
    job_url = page.url
    # No worker yet: the job waits, and the page says so with its progress bar.
    status = page.get_by_test_id("job-status")
    expect(status).to_have_attribute("data-state", "queued")
    expect(page.locator("progress.job-progress")).to_be_visible()
    job = Job.objects.get(user=leader)
    assert job.state == Job.State.QUEUED

    polled = []
    page.on(
        "request", lambda request: polled.append(request.url) if "/status/" in request.url else None
    )
    queue()
    # The page follows the job by itself (htmx), without a reload.
    download_link = page.get_by_test_id("job-download")
    expect(download_link).to_be_visible(timeout=90_000)
    assert page.url == job_url
    assert polled, "the page should have polled the job's status"
    with page.expect_download() as caught:
        download_link.click()
    download = caught.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    counted = Issue.objects.visible_to(leader).counted().count()
    assert len(rows) == counted >= 2
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 1
