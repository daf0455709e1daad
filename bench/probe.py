# ruff: noqa: S311 - reproducible sample data, not secrets
"""The benchmark's in-process steps, each run by ``bench/run`` in a fresh Python process.

``python -m bench.probe queries SPEC OUT``
    For every page of SPEC (JSON: a list of ``{"key", "path", "session"}``), request it once
    through Django's test client to warm up, then once more inside ``CaptureQueriesContext``:
    the number of SQL queries, their total time and the slowest ones (full SQL, as sent), and
    ``EXPLAIN (ANALYZE, BUFFERS)`` of each page's slowest SELECT when it took at least
    ``--explain-ms``. The session cookie is the one ``bench/run`` got by logging in to gunicorn,
    so the probe sees exactly what the load test saw.

``python -m bench.probe import DATASET OUT --rows N``
    Builds a workbook of N feedback rows (the 意见建议 sheet; ``N/10`` activities meeting
    ``N/20`` new and ``N/20`` registered enterprises of the dataset's branch), then times
    the whole import as the upload page does it: ``batch_preview`` (read and validate),
    ``batch_create`` (keep the file) and ``batch_import`` (read, validate again, write in one
    transaction). It all runs inside an outer transaction that is rolled back at the end,
    so the database is left as it was; uploads go to a temporary MEDIA_ROOT.

``python -m bench.probe ledger DATASET OUT``
    The whole-province issue ledger as the leader asks for it: the web request that asks
    (Django's test client; the job is queued, not sent) and then the job itself, run in
    this process as a worker runs it: seconds, the process's peak memory
    (``ru_maxrss``, before and after), SQL queries and the file's size. The job and its
    file are removed afterwards.

``python -m bench.probe vacuum OUT``
    ``VACUUM (ANALYZE)`` the whole database first, as autovacuum would have (see ``vacuum``).

Each writes JSON to OUT. Run with ``DJANGO_SETTINGS_MODULE=bench.settings`` and the
benchmark's ``DATABASE_URL``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


# --- SQL queries per page ---------------------------------------------------------------


def _consume(response) -> int:
    if response.streaming:
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        response.close()
        return size
    return len(response.content)


def _explain(connection, sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


_DECLARE = re.compile(r"^\s*DECLARE\s+\S+\s+.*?\bCURSOR\b.*?\bFOR\s+", re.I | re.S)


def _select_of(sql: str) -> str | None:
    """The SELECT to EXPLAIN: the query itself, or the one a server-side cursor declares."""
    sql = _DECLARE.sub("", sql, count=1)
    return sql if sql.lstrip().upper().startswith(("SELECT", "WITH")) else None


def count_queries(spec: list[dict], *, explain_ms: float, top: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = {}
    for page in spec:
        client = Client()
        if page.get("session"):
            client.cookies["sessionid"] = page["session"]
        if page.get("warm", True):
            _consume(client.get(page["path"]))
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"])
            size = _consume(response)
        elapsed = time.perf_counter() - started
        queries = [
            {"ms": round(float(query["time"]) * 1000, 1), "sql": query["sql"]}
            for query in captured.captured_queries
        ]
        slowest = sorted(queries, key=lambda query: -query["ms"])[:top]
        result = {
            "status": response.status_code,
            "bytes": size,
            "queries": len(queries),
            "sql_ms": round(sum(query["ms"] for query in queries), 1),
            "in_process_ms": round(elapsed * 1000, 1),
            "slowest": slowest,
        }
        selects = [
            (q["ms"], _select_of(q["sql"])) for q in slowest if _select_of(q["sql"]) is not None
        ]
        if selects and selects[0][0] >= explain_ms:
            sql = selects[0][1]
            try:
                plan = _explain(connection, sql)
            except Exception as error:  # a failed EXPLAIN is reported, not fatal
                plan = f"EXPLAIN failed: {error}"
            result["explain"] = {"sql": sql, "plan": plan}
        results[page["key"]] = result
    return results


# --- the spreadsheet import -------------------------------------------------------------


def _uscc(rng: random.Random, taken: set[str]) -> str:
    from outreach.validators import uscc_check_digit

    while True:
        body = "91350500" + "".join(rng.choice("0123456789") for _ in range(9))
        code = body + uscc_check_digit(body)
        if code not in taken:
            taken.add(code)
            return code


def build_import_rows(dataset: dict, feedback_rows: int, seed: int = 7) -> tuple[dict, dict]:
    """The three sheets' rows for ``feedback_rows`` opinions, and the objects they refer to."""
    from django.contrib.auth import get_user_model

    from branches.models import Branch, County
    from outreach.models import Campaign, Enterprise, FeedbackCategory

    rng = random.Random(seed)
    branch = Branch.objects.get(code=dataset["branch_code"])
    campaign = Campaign.objects.get(pk=dataset["newest_campaign_id"])
    user = get_user_model().objects.get(username=dataset["users"]["branch_staff"])
    counties = list(County.objects.filter(branch=branch).order_by("code"))
    categories = [c.name for c in FeedbackCategory.objects.filter(is_active=True).order_by("pk")]
    n_activities = max(1, feedback_rows // 10)
    n_new = max(1, feedback_rows // 20)
    n_registered = max(1, feedback_rows // 20)
    registered_qs = Enterprise.objects.filter(branch=branch).exclude(uscc="")
    if hasattr(Enterprise, "withdrawn_at"):
        registered_qs = registered_qs.filter(withdrawn_at__isnull=True)
    registered = list(registered_qs.order_by("pk").values_list("uscc", flat=True)[:n_registered])
    taken = set(Enterprise.objects.exclude(uscc="").values_list("uscc", flat=True))

    enterprises = []
    new_codes = []
    for index in range(n_new):
        county = counties[index % len(counties)]
        code = _uscc(rng, taken)
        new_codes.append(code)
        enterprises.append(
            [
                f"基准测试{county.name}第{index + 1:05d}号特种设备有限公司",
                code,
                county.name,
                f"{county.name}基准路{index + 1}号",
                "锅炉、压力容器" if index % 2 else "电梯",
                "王工",
                f"1390595{index:04d}",
            ]
        )
    met_pool = new_codes + registered
    # Activities are logged after they happen: dates in the campaign, never after today.
    today = date.today()
    start = min(campaign.starts_on, today)
    span = max(0, (min(campaign.ends_on or today, today) - start).days)
    activities = []
    met_by_activity = []
    for index in range(n_activities):
        met = rng.sample(met_pool, k=min(2, len(met_pool)))
        met_by_activity.append(met)
        day = start.fromordinal(start.toordinal() + index % (span + 1))
        if index % 5 == 4:
            activities.append(
                [
                    f"B{index + 1}",
                    "企业座谈会",
                    day,
                    f"基准座谈会{index + 1}",
                    "分院会议室",
                    "、".join(met),
                    10 + index % 20,
                    None,
                    None,
                    "基准测试导入",
                ]
            )
        else:
            activities.append(
                [
                    f"B{index + 1}",
                    "走访调研",
                    day,
                    f"基准走访{index + 1}",
                    None,
                    "、".join(met),
                    None,
                    None,
                    None,
                    None,
                ]
            )
    feedback = []
    natures = ["问题", "建议", "表扬"]
    for index in range(feedback_rows):
        activity = index % n_activities
        met = met_by_activity[activity]
        enterprise = None if index % 25 == 0 else met[index % len(met)]
        feedback.append(
            [
                f"B{activity + 1}",
                enterprise,
                categories[index % len(categories)],
                natures[index % 3],
                f"基准测试意见第{index + 1}条：希望进一步缩短检验报告出具时间，提高服务效率。",
                None,
                None,
            ]
        )
    rows = {"enterprises": enterprises, "activities": activities, "feedback": feedback}
    refs = {
        "branch": branch,
        "campaign": campaign,
        "user": user,
        "counties": counties,
        "categories": categories,
    }
    return rows, refs


class _RollBack(Exception):
    pass


def time_import(dataset: dict, feedback_rows: int) -> dict:
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.db import transaction

    from imports import services
    from imports.template import build_template, workbook_bytes

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    rows, refs = build_import_rows(dataset, feedback_rows)
    started = time.perf_counter()
    data = workbook_bytes(
        build_template(
            counties=[c.name for c in refs["counties"]], categories=refs["categories"], rows=rows
        )
    )
    build_seconds = time.perf_counter() - started
    result = {
        "rows": {key: len(value) for key, value in rows.items()},
        "file_bytes": len(data),
        "build_seconds": round(build_seconds, 2),
    }
    user, branch, campaign = refs["user"], refs["branch"], refs["campaign"]
    try:
        with transaction.atomic():
            started = time.perf_counter()
            upload = ContentFile(data, name="bench-import.xlsx")
            preview = services.batch_preview(
                actor=user,
                branch=branch,
                campaign=campaign,
                name=upload.name,
                size=len(data),
                stream=upload,
            )
            preview_seconds = time.perf_counter() - started
            if not preview.is_valid:
                result["problems"] = [
                    f"{p.sheet} row {p.row} {p.column}: {p.message}" for p in preview.problems[:20]
                ]
                raise _RollBack
            batch = services.batch_create(
                actor=user, branch=branch, campaign=campaign, upload=upload, preview=preview
            )
            started_import = time.perf_counter()
            try:
                imported = services.batch_import(actor=user, batch=batch)
            except services.ImportFailed as failure:
                result["problems"] = [
                    f"{p.sheet} row {p.row} {p.column}: {p.message}" for p in failure.problems[:20]
                ]
                raise _RollBack from None
            import_seconds = time.perf_counter() - started_import
            result.update(
                preview_seconds=round(preview_seconds, 2),
                import_seconds=round(import_seconds, 2),
                seconds=round(time.perf_counter() - started, 2),
                counts=imported.counts(),
            )
            raise _RollBack
    except _RollBack:
        pass
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["rolled_back"] = True
    return result


def vacuum() -> dict:
    """VACUUM (ANALYZE) the database, as autovacuum keeps a production one.

    A database just loaded by COPY has no visibility map (``relallvisible`` 0), so
    PostgreSQL can use no index-only scan, and on a server with autovacuum off it stays so.
    """
    from django.db import connection

    def all_visible() -> dict:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, relpages, relallvisible FROM pg_class "
                "WHERE relname IN ('issues_issue', 'outreach_feedbackitem', 'issues_reply')"
            )
            return {name: f"{visible}/{pages}" for name, pages, visible in cursor.fetchall()}

    before = all_visible()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "all_visible_pages_before": before,
        "all_visible_pages_after": all_visible(),
    }


def time_ledger(dataset: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from core.submissions import new_key
    from jobs import services
    from jobs.models import Job, job_storage

    user = get_user_model().objects.get(username=dataset["users"]["leader"])
    client = Client()
    client.force_login(user)
    queued = []
    real_enqueue = services._enqueue
    services._enqueue = queued.append  # the probe is the worker, below
    try:
        started = time.perf_counter()
        response = client.post(
            reverse("jobs:job_start", args=["issue_ledger"]),
            {"query": "", "submission_key": new_key()},
        )
        ask_ms = (time.perf_counter() - started) * 1000
    finally:
        services._enqueue = real_enqueue
    if response.status_code != 302 or not queued:
        return {"status": response.status_code, "bytes": 0, "seconds": 0}
    job = queued[0]
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        services.run(job.pk)
        seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    job.refresh_from_db()
    result = {
        "status": 200 if job.state == Job.State.DONE else 500,
        "message": job.message,
        "bytes": job.size or 0,
        "seconds": round(seconds, 2),
        "ask_ms": round(ask_ms, 1),
        "peak_mb": round(peak_kb / 1024, 1),
        "baseline_mb": round(baseline_kb / 1024, 1),
        "peak_source": "ru_maxrss of the process running the job",
        "queries": len(queries.captured_queries),
    }
    if job.file:
        job_storage().delete(job.file)
    Job.objects.filter(pk=job.pk).delete()
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    queries = sub.add_parser("queries")
    queries.add_argument("spec")
    queries.add_argument("out")
    queries.add_argument("--explain-ms", type=float, default=5.0)
    queries.add_argument("--top", type=int, default=3)
    imports = sub.add_parser("import")
    imports.add_argument("dataset")
    imports.add_argument("out")
    imports.add_argument("--rows", type=int, default=10_000)
    ledgers = sub.add_parser("ledger")
    ledgers.add_argument("dataset")
    ledgers.add_argument("out")
    vacuums = sub.add_parser("vacuum")
    vacuums.add_argument("out")
    args = parser.parse_args(argv)
    setup_django()
    if args.command == "vacuum":
        result = vacuum()
    elif args.command == "ledger":
        result = time_ledger(json.loads(Path(args.dataset).read_text()))
    elif args.command == "queries":
        spec = json.loads(Path(args.spec).read_text())
        result = count_queries(spec, explain_ms=args.explain_ms, top=args.top)
    else:
        dataset = json.loads(Path(args.dataset).read_text())
        result = time_import(dataset, args.rows)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
