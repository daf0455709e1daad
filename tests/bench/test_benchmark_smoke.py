# ruff: noqa: S603 - runs the repository's own bench/run
"""``bench/run`` end to end at a tiny scale, so the benchmark cannot rot.

It regenerates a scale-0.002 province in the test database, starts gunicorn against that
same database (the test is transactional, so what the generator writes is committed and
gunicorn sees it), loads every page with wrk for one second, and checks the table it prints.
PostgreSQL only, like the generator; wrk must be installed (``apt-get install wrk``): without
it the test is skipped, except in CI where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.bench.test_generate_scale_data import seed_reference_data

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="the benchmark's generator loads with PostgreSQL COPY; SQLite is refused "
        "(set DATABASE_URL to a PostgreSQL database)",
    ),
]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test starts from whatever the previous one flushed: put them back."""
    seed_reference_data()


@pytest.fixture(scope="module", autouse=True)
def _leave_reference_data_behind(django_db_blocker):
    """Django empties every table after a transactional test; later tests expect the
    migrations' rows (role groups, categories), so put them back."""
    yield
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.fixture
def wrk():
    if shutil.which("wrk"):
        return
    message = "wrk is not installed (apt-get install wrk): the benchmark cannot load pages"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def this_database_url() -> str:
    """The URL of the database this test runs in (pytest-django's ``test_<name>``)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def process_group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_bench_run_at_a_tiny_scale(tmp_path, wrk):
    from bench.run import pages_for

    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--database-url",
            this_database_url(),
            "--scale",
            "0.002",
            "--duration",
            "1",
            "--out-dir",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    assert elapsed < 90, f"the smoke run took {elapsed:.0f} s"

    results = json.loads(next(tmp_path.glob("results-*.json")).read_text())
    dataset = json.loads((tmp_path / "dataset.json").read_text())
    assert dataset["scale"] == 0.002
    assert results["failures"] == []

    # The printed table has a row for every page with a number for p50 and a query count.
    table = done.stdout
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    p50_at, queries_at = header.index("p50 ms"), header.index("SQL queries")
    pages = pages_for(dataset)
    by_key = {page["key"]: page for page in results["pages"]}
    for page in pages:
        result = by_key[page.key]
        assert result["status"] == 200, page.key
        assert result["p50_ms"] > 0 and result["rps"] >= 0, page.key
        assert isinstance(result["queries"], int), page.key
        row = next(
            (
                r
                for r in rows
                if r.startswith(f"| {page.title}") and f"| {page.user or 'anonymous'} |" in r
            ),
            None,
        )
        assert row, f"no row for {page.key} in\n{table}"
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        p50, queries = cells[p50_at], cells[queries_at]
        assert re.fullmatch(r"[\d,]+\.\d", p50), (page.key, row)
        assert re.fullmatch(r"\d+", queries), (page.key, row)
    # Logged-in pages make queries of their own; the bare view makes none.
    assert by_key["ceiling"]["queries"] == 0
    assert by_key["dashboard_all"]["queries"] > 0

    # The export and the import lines.
    export = results["export"]
    assert export["status"] == 200 and export["bytes"] > 0
    assert export["seconds"] > 0 and export["peak_mb"] > 0
    assert "Issue ledger job, whole province" in table
    assert export["ask_ms"] > 0 and export["queries"] > 0
    imported = results["import"]
    assert imported["seconds"] > 0, imported
    assert imported["counts"]["feedback_created"] == imported["rows"]["feedback"]
    assert "Spreadsheet import" in table

    # The import was rolled back: nothing of it is left.
    from imports.models import ImportBatch
    from outreach.models import FeedbackItem

    assert not ImportBatch.objects.exists()
    assert not FeedbackItem.objects.filter(content__startswith="基准测试意见").exists()

    # gunicorn and its workers are gone.
    assert results["meta"]["gunicorn_stopped"]
    assert not process_group_alive(results["meta"]["gunicorn_pid"])
