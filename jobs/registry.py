"""The kinds of long work a user can ask for, each declared by the app that does it.

An app's ``jobs.py`` registers a ``JobKind``: who may ask for it, and the function that
does it. That function reads as the user who asked (so their scope, checked again when the
job runs), reports its progress, and writes one file. ``jobs`` knows none of the apps:
they find it, not the other way round (the layers of ``pyproject.toml``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .models import Job
    from .progress import Progress


@dataclass(frozen=True)
class Output:
    """What a job made: its file's name for the user and its content type."""

    filename: str
    content_type: str


@dataclass(frozen=True)
class JobKind:
    #: The key stored on each job (never shown).
    name: str
    #: What the job is, in the user's words ("Issue ledger").
    title: Promise
    #: Whether ``user`` may ask for it at all (the run itself is scoped to the user).
    may_start: Callable[[object], bool]
    #: Does the work: ``run(job, progress, output_file) -> Output`` writes into the open
    #: binary file and says what it is, or returns ``None`` for work whose result is
    #: elsewhere (an import: its batch), which leaves no file; raises ``JobRefused`` for a
    #: reason the user reads.
    run: Callable[[Job, Progress, IO[bytes]], Output | None]
    #: Where the user goes back to (the list the job was asked from), by its URL name.
    back_url_name: str = ""
    #: Or the page itself, from the job (``back_url(job) -> str``), where the user watches
    #: the job's outcome (an import's batch page).
    back_url: Callable[[Job], str] | None = None
    #: Only reads: done on the replica when there is one (``core.replica``).
    reads_only: bool = True
    #: Asked through ``jobs:job_start`` (a list's button). False for work an app asks for
    #: through its own service, with its own checks (a big import's check and import).
    started_by_button: bool = True


class JobRefused(Exception):
    """The job cannot be done as asked; the message (translated, lazily) says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"job kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> JobKind | None:
    return _KINDS.get(name)


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
