"""Every row the project's own apps hold, to prove that a refused action changed nothing.

A refusal test that checks only the one field it expects a bug to touch misses the bug
that touches another (an event written, a reply kept, a history row added). Comparing
every row of every project model before and after is cheap on the small test worlds.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings

#: Bookkeeping, not records: a refusal that redirects keeps its submission's receipt so the
#: same form sent again gets the same answer (core/submissions.py).
NOT_RECORDS = {"core.SubmissionReceipt"}


def _project_models():
    """Models of the apps that live in this repository (history models included)."""
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root in path.parents and ".venv" not in path.parts:
            yield from (m for m in config.get_models() if m._meta.label not in NOT_RECORDS)


def database_rows() -> dict[str, list[dict]]:
    """Model label -> every row's values, in primary-key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in _project_models()
    }
