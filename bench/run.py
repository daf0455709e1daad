# ruff: noqa: S310, S603, S607 - fixed commands and loopback URLs of the benchmark
"""The benchmark: the app under gunicorn on loopback, measured page by page with wrk.

    bench/run [--database-url URL] [--scale S] [--duration 10] [--workers 2] [--connections 2]

What it does, in order (docs/performance.md says why each choice):

1. With ``--scale``, regenerates the data (``manage.py generate_scale_data --scale S --yes``);
   either way it reads the test ids (users, newest campaign, branch, long-timeline issue)
   from ``dataset.json`` in ``--out-dir``.
2. Starts gunicorn (``config.wsgi`` with ``bench.settings``: the project plus the bare
   ``/bench/ceiling/`` view) on a free loopback port, in its own process group, with
   DEBUG off, plain HTTP and a random secret key; waits for it.
3. Logs in through the login form as the leader and as the branch staff member.
4. Requests every page once (it must answer 200), then loads it with ``wrk --latency`` for
   ``--duration`` seconds: req/s, p50 and p99 latency.
5. Stops gunicorn, then runs the whole-province issue ledger as the leader asks for it
   (``bench.probe ledger``): the asking request's time, and the job's seconds, peak
   memory and SQL queries in a process of its own, as a worker runs it.
6. Stops gunicorn (always: try/finally, the whole process group).
7. Counts SQL queries per page in-process (``bench.probe queries``, Django's test client
   with the same session cookies), with EXPLAIN (ANALYZE, BUFFERS) of slow queries.
8. Times the spreadsheet import of ``--import-rows`` opinions (``bench.probe import``, rolled back).
9. Prints a Markdown table with the targets beside the results and writes it, and the raw
   numbers as JSON, to ``--out-dir``/results-<timestamp>.md/.json (EXPLAIN output to
   explain-<timestamp>.txt).

Exit status: 0 when everything ran (missed targets are reported, not failures); 1 when a page
did not answer 200, wrk failed, or a step broke.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEFAULT_OUT = BENCH / "out"
VENV_BIN = ROOT / ".venv" / "bin"

#: Targets at scale 1 on a two-core machine (the issue's numbers).
MAX_QUERIES = 12
EXPORT_SECONDS = 30
EXPORT_PEAK_MB = 300
IMPORT_SECONDS = 20
IMPORT_TARGET_ROWS = 10_000


@dataclass
class Page:
    key: str
    title: str
    user: str  # "leader", "staff" or "" (anonymous)
    path: str
    target_ms: float | None = None
    target_note: str = ""
    result: dict = field(default_factory=dict)


def pages_for(dataset: dict) -> list[Page]:
    """The pages measured, with realistic filters taken from the dataset."""
    campaign = dataset["newest_campaign_id"]
    branch = dataset["branch_id"]
    issue = dataset["long_timeline_issue_id"]
    # 服务效率 (service efficiency), the most common category; opinions still awaiting a reply.
    category = dataset.get("bench_category_id", 2)
    # A two-character word, as people search Chinese names (no whole trigram in it), and a
    # four-character one (trigram indexes apply).
    search = dataset.get("bench_search", "恒信")
    search_long = dataset.get("bench_search_long", "恒信特钢")
    return [
        Page("ceiling", "Bare Django view (ceiling)", "", "/bench/ceiling/"),
        Page("ceiling_session", "Bare Django view, logged in", "leader", "/bench/ceiling/"),
        Page(
            "dashboard_all", "Dashboard: province, all time", "leader", "/dashboard/?campaign=", 150
        ),
        Page(
            "dashboard_campaign",
            "Dashboard: one campaign",
            "leader",
            f"/dashboard/?campaign={campaign}",
            30,
        ),
        Page(
            "attention_all",
            "Dashboard attention lists: all time",
            "leader",
            "/dashboard/attention/?campaign=",
            60,
            "list",
        ),
        Page(
            "attention_campaign",
            "Dashboard attention lists: one campaign",
            "leader",
            f"/dashboard/attention/?campaign={campaign}",
            60,
            "list",
        ),
        Page(
            "dashboard_staff",
            "Dashboard: own branch, one campaign",
            "staff",
            f"/dashboard/?campaign={campaign}",
            30,
        ),
        Page("issues", "Issue list (default)", "leader", "/issues/", 60),
        Page(
            "issues_filtered",
            "Issue list: rectifying + branch + overdue",
            "leader",
            f"/issues/?state=rectifying&branch={branch}&overdue=yes",
            60,
        ),
        Page("issues_staff", "Issue list (default)", "staff", "/issues/", 60),
        Page(
            "feedback_filtered",
            "Feedback list: category + not replied",
            "leader",
            f"/outreach/feedback/?category={category}&replied=no",
            60,
        ),
        Page(
            "feedback_staff",
            "Feedback list: category + not replied",
            "staff",
            f"/outreach/feedback/?category={category}&replied=no",
            60,
        ),
        Page(
            "issue_detail",
            f"Issue page, long timeline (#{issue})",
            "leader",
            f"/issues/{issue}/",
            40,
        ),
        Page(
            "enterprise_search",
            "Enterprise search",
            "leader",
            "/outreach/enterprises/?" + urllib.parse.urlencode({"q": search}),
            60,
        ),
        Page(
            "enterprise_search_long",
            "Enterprise search, 4-character term",
            "leader",
            "/outreach/enterprises/?" + urllib.parse.urlencode({"q": search_long}),
            60,
        ),
        Page(
            "enterprise_search_staff",
            "Enterprise search",
            "staff",
            "/outreach/enterprises/?" + urllib.parse.urlencode({"q": search}),
            60,
        ),
        Page("stats_all", "Stats API: all time", "leader", "/api/stats/?campaign=", 60),
        Page(
            "stats_campaign",
            "Stats API: one campaign",
            "leader",
            f"/api/stats/?campaign={campaign}",
            60,
        ),
        Page("briefing", "Briefing: one campaign", "leader", f"/briefing/?campaign={campaign}"),
    ]


# --- small helpers ----------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def python() -> str:
    candidate = VENV_BIN / "python"
    return str(candidate) if candidate.exists() else sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class BenchError(RuntimeError):
    pass


# --- gunicorn ---------------------------------------------------------------------------


class Server:
    """gunicorn in its own process group, stopped whatever happens."""

    def __init__(self, env: dict, port: int, workers: int, log_path: Path):
        self.env = env
        self.port = port
        self.workers = workers
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        gunicorn = VENV_BIN / "gunicorn"
        command = [
            str(gunicorn) if gunicorn.exists() else "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            # The whole-province ledger may take longer than the default 30 s.
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ]
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(
                    f"gunicorn exited ({self.process.returncode}); see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(self.base + "/bench/ceiling/", timeout=2) as response:
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within 60 s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        if not self.process:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def stop(self) -> None:
        if not self.process:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self._log.close()


# --- logging in -------------------------------------------------------------------------


def login(base: str, username: str, password: str) -> dict[str, str]:
    """The login form, as a browser fills it in; returns the session's cookies."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/accounts/login/", timeout=30) as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not token:
        raise BenchError("no CSRF token on the login page")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/", data=body, headers={"Referer": base + "/accounts/login/"}
    )
    with opener.open(request, timeout=60) as response:
        response.read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise BenchError(
            f"logging in as {username} failed (wrong password, or locked out by django-axes "
            "after 5 failures: `manage.py axes_reset`)"
        )
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in sorted(cookies.items()))


def fetch(base: str, path: str, cookies: dict[str, str] | None, chunk: int = 1 << 16) -> tuple:
    request = urllib.request.Request(base + path)
    if cookies:
        request.add_header("Cookie", cookie_header(cookies))
    opener = urllib.request.build_opener(NoRedirect)
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=600) as response:
            size = 0
            while data := response.read(chunk):
                size += len(data)
            return response.status, size, time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, 0, time.perf_counter() - started


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- wrk --------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    result: dict = {}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = float(match.group(1))
    if match := re.search(r"(\d+) requests in ([\d.]+\w+)", output):
        result["requests"] = int(match.group(1))
    for percent, key in (("50", "p50_ms"), ("75", "p75_ms"), ("90", "p90_ms"), ("99", "p99_ms")):
        if match := re.search(rf"^\s*{percent}(?:\.000)?%\s+([\d.]+\w+)", output, re.M):
            result[key] = round(_ms(match.group(1)), 2)
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["non_2xx"] = int(match.group(1))
    if match := re.search(r"Socket errors: (.*)", output):
        result["socket_errors"] = match.group(1).strip()
    return result


def run_wrk(url: str, cookies, *, duration: int, connections: int, threads: int) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "60s",
    ]
    if cookies:
        command += ["-H", f"Cookie: {cookie_header(cookies)}"]
    command.append(url)
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120)
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    result = parse_wrk(done.stdout)
    if "rps" not in result or "p50_ms" not in result:
        raise BenchError(f"could not read wrk's output:\n{done.stdout}")
    return result


MIN_SAMPLES = 5


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def sequential(base: str, path: str, cookies, samples: int = MIN_SAMPLES) -> dict:
    """p50/p99 of a few requests made one at a time (for pages slower than wrk's window)."""
    times = []
    for _ in range(samples):
        status, _size, seconds = fetch(base, path, cookies)
        if status != 200:
            return {"non_2xx": 1}
        times.append(seconds * 1000)
    return {
        "p50_ms": round(percentile(times, 0.50), 2),
        "p99_ms": round(percentile(times, 0.99), 2),
        "latency_from": f"{samples} sequential requests (wrk completed too few)",
        "wrk_requests": None,
    }


# --- the report -------------------------------------------------------------------------


def fmt(value, digits=1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def verdict(page: Page) -> str:
    result = page.result
    misses = []
    p50 = result.get("p50_ms")
    if page.target_ms is not None and p50 is not None and p50 > page.target_ms:
        misses.append("p50")
    queries = result.get("queries")
    if page.user and isinstance(queries, int) and queries > MAX_QUERIES:
        misses.append("queries")
    if result.get("status") != 200 or result.get("non_2xx"):
        misses.append("errors")
    if page.target_ms is None and not misses:
        return "—" if page.key.startswith("ceiling") else "(no target)"
    return "no: " + ", ".join(misses) if misses else "yes"


def render(meta: dict, pages: list[Page], export: dict, imported: dict) -> str:
    ceiling = next((p.result.get("rps") for p in pages if p.key == "ceiling"), None)
    lines = [
        f"## Results {meta['started']} (commit {meta['commit']})",
        "",
        f"Scale {meta['scale']} · gunicorn {meta['workers']} sync workers · "
        f"wrk -t{meta['threads']} -c{meta['connections']} -d{meta['duration']}s · "
        f"{meta['cpus']} CPUs · PostgreSQL on the same machine · load average "
        f"{meta.get('load_before', '?')} before, {meta.get('load_after', '?')} after "
        "(above ~0.5 before: something else was running)",
        "",
        "| page | user | req/s | p50 ms | p99 ms | alone ms | SQL ms | SQL queries "
        "| × ceiling | target p50 | met? |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in pages:
        r = page.result
        ratio = r["rps"] / ceiling if ceiling and r.get("rps") else None
        target = f"≤ {page.target_ms:g}" if page.target_ms is not None else "—"
        if page.target_note:
            target += f" ({page.target_note})"
        star = " *" if r.get("latency_from") else ""
        lines.append(
            f"| {page.title}{star} | {page.user or 'anonymous'} | {fmt(r.get('rps'))} | "
            f"{fmt(r.get('p50_ms'))} | {fmt(r.get('p99_ms'))} | {fmt(r.get('in_process_ms'))} | "
            f"{fmt(r.get('sql_ms'))} | {fmt(r.get('queries'))} | "
            f"{'—' if ratio is None else f'{ratio:.2g}'} | {target} | {verdict(page)} |"
        )
    lines += [
        "",
        f"p50/p99: wrk with {meta['connections']} connections for {meta['duration']} s. "
        "alone: one request by itself, in-process (Django's test client, no HTTP), of which "
        "SQL ms in the database. SQL queries target: "
        f"≤ {MAX_QUERIES} per page, constant in data size.",
    ]
    if any(p.result.get("latency_from") for p in pages):
        lines.append(
            f"\\* wrk completed fewer than {MIN_SAMPLES} requests in the window: p50/p99 "
            f"from {MIN_SAMPLES} requests made one after another."
        )
    lines.append("")
    if export:
        misses = [
            name
            for name, missed in (
                ("errors", export.get("status") != 200),
                ("time", export["seconds"] > EXPORT_SECONDS),
                ("memory", (export.get("peak_mb") or 0) > EXPORT_PEAK_MB),
            )
            if missed
        ]
        met = "no: " + ", ".join(misses) if misses else "yes"
        lines += [
            "| export | rows | seconds | peak memory MB | SQL queries | target | met? |",
            "|---|---:|---:|---:|---:|---|---|",
            f"| Issue ledger job, whole province (leader; asked in "
            f"{fmt(export.get('ask_ms'))} ms) | {fmt(export.get('rows'))} | "
            f"{fmt(export.get('seconds'))} | {fmt(export.get('peak_mb'))} "
            f"(idle {fmt(export.get('baseline_mb'))}) | {fmt(export.get('queries'))} | "
            f"≤ {EXPORT_SECONDS} s, ≤ {EXPORT_PEAK_MB} MB (250,000 issues) | {met} |",
        ]
    if imported:
        if "seconds" in imported:
            rows = imported["rows"]
            total = sum(rows.values())
            met = "yes" if imported["seconds"] <= IMPORT_SECONDS else "no"
            if rows["feedback"] < IMPORT_TARGET_ROWS:
                met += f" (target is for {IMPORT_TARGET_ROWS:,} rows)"
            lines.append(
                f"| Spreadsheet import: {rows['feedback']:,} opinions, {rows['activities']:,} "
                f"activities, {rows['enterprises']:,} enterprises ({total:,} rows; staff) | "
                f"{fmt(total)} | {fmt(imported['seconds'])} (read+validate "
                f"{fmt(imported['preview_seconds'])}, write {fmt(imported['import_seconds'])}) | "
                f"{fmt(imported.get('peak_mb'))} | — | ≤ {IMPORT_SECONDS} s "
                f"({IMPORT_TARGET_ROWS:,} rows) | {met} |"
            )
        else:
            problems = imported.get("problems") or imported
            lines.append(f"| Spreadsheet import | — | failed: {problems} | | | | no |")
    return "\n".join(lines) + "\n"


# --- main -------------------------------------------------------------------------------


def git_commit() -> str:
    """HEAD's short hash, with "+changes" when tracked files differ from it (what ran)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=10", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=ROOT).returncode != 0
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+changes" if dirty else "")


def parse_args(argv=None):
    cpus = cpu_count()
    parser = argparse.ArgumentParser(
        prog="bench/run",
        description="Measure the app under gunicorn with wrk (docs/performance.md).",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL to measure against (default: $DATABASE_URL)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        help="regenerate the data at this scale first (empties the domain tables)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument(
        "--workers",
        type=int,
        default=cpus,
        help=f"gunicorn sync workers (default: one per CPU, {cpus})",
    )
    parser.add_argument(
        "--connections",
        type=int,
        help="wrk connections (default: one per worker: latency without queueing)",
    )
    parser.add_argument("--threads", type=int, help="wrk threads (default: min(connections, 2))")
    parser.add_argument(
        "--import-rows",
        type=int,
        help=f"opinions in the import workbook (default {IMPORT_TARGET_ROWS:,} "
        "times the dataset's scale, at least 100 and at most 10,000)",
    )
    parser.add_argument("--only", help="comma-separated page keys to load (default: all)")
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="measure without VACUUM (ANALYZE) first (default: vacuum, as autovacuum would)",
    )
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument(
        "--explain-ms",
        type=float,
        default=5.0,
        help="EXPLAIN (ANALYZE, BUFFERS) a page's slowest query when it takes this long",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT,
        help="where dataset.json is read (and written with --scale) and results go",
    )
    parser.add_argument(
        "--dataset", type=Path, help="the generator's dataset.json (default: in --out-dir)"
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url (or DATABASE_URL) must name a PostgreSQL database")
    args.connections = args.connections or args.workers
    args.threads = args.threads or min(args.connections, 2)
    return args


def base_env(args) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECURE="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(48),
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # runs the finally blocks: gunicorn is stopped


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if not shutil.which("wrk"):
        log("wrk is not installed: `apt-get install wrk` (Debian) and run again")
        return 2
    out = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    env = base_env(args)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    started = datetime.now().strftime("%Y-%m-%d %H:%M")

    # The database must have the code's schema (indexes included) for the numbers to
    # describe this commit: apply any migration the code has and the database lacks.
    pending = subprocess.run(
        [python(), "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )
    if pending.returncode != 0:
        log("applying the migrations the database lacks (manage.py migrate)")
        subprocess.run(
            [python(), "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            check=True,
            stdout=sys.stderr,
        )
    if args.scale is not None:
        log(f"generating data at scale {args.scale} (empties the domain tables)")
        subprocess.run(
            [
                python(),
                "manage.py",
                "generate_scale_data",
                "--scale",
                str(args.scale),
                "--seed",
                str(args.seed),
                "--yes",
                "--out-dir",
                str(out),
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            check=True,
            stdout=sys.stderr,
        )
    if not args.no_vacuum:
        log("VACUUM (ANALYZE): the state autovacuum keeps a production database in")
        vacuum_path = out / f"vacuum-{stamp}.json"
        subprocess.run(
            [python(), "-m", "bench.probe", "vacuum", str(vacuum_path)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        vacuumed = json.loads(vacuum_path.read_text())
        vacuum_path.unlink()
        log(
            f"vacuumed in {vacuumed['seconds']} s; all-visible pages before "
            f"{vacuumed['all_visible_pages_before']}, after {vacuumed['all_visible_pages_after']}"
        )
    dataset_path = (
        out / "dataset.json" if args.scale is not None or not args.dataset else args.dataset
    )
    if not dataset_path.exists():
        log(f"no {dataset_path}: run with --scale (e.g. --scale 1) or generate the data first")
        return 2
    dataset = json.loads(dataset_path.read_text())
    pages = pages_for(dataset)
    if args.only:
        keep = set(args.only.split(",")) | {"ceiling"}
        pages = [page for page in pages if page.key in keep]
    import_rows = args.import_rows or max(
        100, min(IMPORT_TARGET_ROWS, round(IMPORT_TARGET_ROWS * dataset["scale"]))
    )
    meta = {
        "started": started,
        "commit": git_commit(),
        "scale": dataset["scale"],
        "workers": args.workers,
        "connections": args.connections,
        "threads": args.threads,
        "duration": args.duration,
        "cpus": cpu_count(),
        "dataset_rows": dataset.get("rows", {}),
    }
    meta["load_before"] = round(os.getloadavg()[0], 2)
    failures: list[str] = []
    server = Server(env, free_port(), args.workers, out / f"gunicorn-{stamp}.log")
    export: dict = {}
    sessions: dict[str, dict] = {}
    try:
        log(f"starting gunicorn ({args.workers} workers) on {server.base}")
        server.start()
        meta["gunicorn_pid"] = server.process.pid
        password = dataset["password"]
        sessions = {
            "leader": login(server.base, dataset["users"]["leader"], password),
            "staff": login(server.base, dataset["users"]["branch_staff"], password),
            "": {},
        }
        for page in pages:
            cookies = sessions[page.user]
            status, size, seconds = fetch(server.base, page.path, cookies)
            page.result.update(status=status, bytes=size, first_ms=round(seconds * 1000, 1))
            if status != 200:
                failures.append(f"{page.key}: {page.path} answered {status}")
                log(f"{page.key}: {page.path} answered {status}; not loading it")
                continue
            page.result.update(
                run_wrk(
                    server.base + page.path,
                    cookies,
                    duration=args.duration,
                    connections=args.connections,
                    threads=args.threads,
                )
            )
            if page.result.get("requests", 0) < MIN_SAMPLES:
                # Slower than the duration allows for: time a few requests one after another.
                page.result.update(sequential(server.base, page.path, cookies))
            if page.result.get("non_2xx"):
                failures.append(
                    f"{page.key}: {page.result['non_2xx']} non-2xx responses under load"
                )
            r = page.result
            log(
                f"{page.key:<26} {r['rps']:>8.1f} req/s"
                f"  p50 {r['p50_ms']:>8.1f} ms  p99 {r.get('p99_ms', 0):>8.1f} ms"
            )
    finally:
        server.stop()
        meta["gunicorn_stopped"] = server.process is not None and server.process.poll() is not None
        log("gunicorn stopped")

    # SQL queries per request, in-process with the same sessions.
    spec = [
        {
            "key": page.key,
            "path": page.path,
            "session": sessions.get(page.user, {}).get("sessionid"),
        }
        for page in pages
    ]
    if not args.skip_export:
        log("running the whole-province issue ledger job as the leader")
        ledger_path = out / f"ledger-{stamp}.json"
        subprocess.run(
            [python(), "-m", "bench.probe", "ledger", str(dataset_path), str(ledger_path)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        export = json.loads(ledger_path.read_text())
        ledger_path.unlink()
        export["rows"] = dataset.get("counted_issues")
        if export["status"] != 200:
            failures.append(f"ledger job ended {export['status']}: {export.get('message')}")
        log(
            f"ledger: asked in {export.get('ask_ms')} ms; job {export['seconds']} s,"
            f" {export['bytes']:,} bytes, peak {export.get('peak_mb')} MB"
        )
    spec_path = out / f"probe-spec-{stamp}.json"
    spec_path.write_text(json.dumps(spec))
    queries_path = out / f"queries-{stamp}.json"
    log("counting SQL queries per page (in-process)")
    subprocess.run(
        [
            python(),
            "-m",
            "bench.probe",
            "queries",
            str(spec_path),
            str(queries_path),
            "--explain-ms",
            str(args.explain_ms),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    spec_path.unlink()
    counted = json.loads(queries_path.read_text())
    for page in pages:
        probe = counted.get(page.key, {})
        page.result.update(
            queries=probe.get("queries"),
            sql_ms=probe.get("sql_ms"),
            in_process_ms=probe.get("in_process_ms"),
        )

    imported: dict = {}
    if not args.skip_import:
        log(f"timing the spreadsheet import of {import_rows:,} opinions (rolled back)")
        import_path = out / f"import-{stamp}.json"
        subprocess.run(
            [
                python(),
                "-m",
                "bench.probe",
                "import",
                str(dataset_path),
                str(import_path),
                "--rows",
                str(import_rows),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        imported = json.loads(import_path.read_text())
        import_path.unlink()
        if "seconds" not in imported:
            failures.append(f"import failed: {imported.get('problems')}")

    explain_lines = []
    for key, probe in counted.items():
        if "explain" in probe:
            explain_lines += [
                f"=== {key}: slowest query {probe['slowest'][0]['ms']} ms "
                f"of {probe['queries']} ({probe['sql_ms']} ms in all)",
                probe["explain"]["sql"],
                "",
                probe["explain"]["plan"],
                "",
            ]
    explain_path = out / f"explain-{stamp}.txt"
    explain_path.write_text("\n".join(explain_lines))

    meta["load_after"] = round(os.getloadavg()[0], 2)
    table = render(meta, pages, export, imported)
    print(table)
    (out / f"results-{stamp}.md").write_text(table)
    (out / "results-latest.md").write_text(table)
    (out / f"results-{stamp}.json").write_text(
        json.dumps(
            {
                "meta": meta,
                "pages": [
                    {
                        "key": p.key,
                        "title": p.title,
                        "user": p.user,
                        "path": p.path,
                        "target_ms": p.target_ms,
                        "met": verdict(p),
                        **p.result,
                    }
                    for p in pages
                ],
                "export": export,
                "import": imported,
                "failures": failures,
                "queries_file": queries_path.name,
                "explain_file": explain_path.name,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    log(f"written to {out}/results-{stamp}.md (.json), queries-{stamp}.json, explain-{stamp}.txt")
    if failures:
        for failure in failures:
            log("FAILED " + failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
