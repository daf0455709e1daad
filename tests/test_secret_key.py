# ruff: noqa: S603 - runs this repository's own manage.py and Python
"""The secret key: without ``DJANGO_SECRET_KEY`` and without debug the app refuses to start,
rather than sign sessions with a key published in the repository. ``make run`` (debug on), the
test settings and the benchmark's settings still start without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
MESSAGE = "DJANGO_SECRET_KEY is not set"


def _run(args: list[str], **variables) -> subprocess.CompletedProcess:
    """Run with none of the caller's DJANGO_* variables, only ``variables``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(variables)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def _setup(settings_module: str, **variables) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; settings.SECRET_KEY"
    return _run(["-c", code], DJANGO_SETTINGS_MODULE=settings_module, **variables)


def test_without_a_key_and_without_debug_the_app_refuses_to_start():
    started = _setup("config.settings")
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert MESSAGE in started.stderr

    checked = _run(["manage.py", "check"], DJANGO_SETTINGS_MODULE="config.settings")
    assert checked.returncode != 0
    assert MESSAGE in checked.stderr
    assert "Traceback" not in checked.stderr  # one line that says what to set


def test_commands_that_sign_nothing_run_without_a_key():
    """makemigrations and the translation commands only read the code and write files of the
    repository: they run with a key of their own, never the published one."""
    checked = _run(
        ["manage.py", "makemigrations", "--check", "--dry-run"],
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    assert checked.returncode == 0, checked.stderr
    assert "No changes detected" in checked.stdout


def test_debug_off_with_a_key_starts():
    key = "a-long-random-production-key-" + "x7Qp2Lr9Vw" * 5
    checked = _run(
        ["manage.py", "check"], DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SECRET_KEY=key
    )
    assert checked.returncode == 0, checked.stderr


def test_make_run_starts_without_a_key():
    """`make run` sets DJANGO_DEBUG=true, and a developer's machine needs nothing else."""
    makefile = (ROOT / "Makefile").read_text()
    assert "DJANGO_DEBUG=true $(PY) manage.py runserver" in makefile
    checked = _run(["manage.py", "check"], DJANGO_DEBUG="true")
    assert checked.returncode == 0, checked.stderr


def test_the_test_settings_start_without_a_key():
    assert _setup("config.test_settings").returncode == 0


def test_the_benchmark_gives_its_server_a_key():
    """bench/run starts gunicorn and manage.py with debug off and bench.settings: the
    environment it builds carries a fresh key."""
    from bench.run import base_env

    env = base_env(SimpleNamespace(database_url="postgres://bench@127.0.0.1/bench"))
    assert env["DJANGO_DEBUG"] == "false"
    assert env["DJANGO_SECRET_KEY"]
    variables = {
        key: value
        for key, value in env.items()
        if key.startswith("DJANGO_") and key != "DJANGO_SETTINGS_MODULE"
    }
    assert env["DJANGO_SETTINGS_MODULE"] == "bench.settings"
    assert _setup("bench.settings", **variables).returncode == 0
    assert MESSAGE in _setup("bench.settings").stderr
