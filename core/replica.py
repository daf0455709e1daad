"""Reads on a PostgreSQL streaming replica, for heavy read-only work, never at the cost of
a stale answer.

With ``DATABASE_REPLICA_URL`` set, the work that only reads a lot (exports, the briefing's
Word file, the stats API over long ranges) runs inside ``from_replica(...)``, and the
router sends its reads to the ``replica`` database. Everything else, and every write,
stays on the primary. Without the variable nothing changes.

Read-your-writes is exact, not a guess by time: after a user's write the primary's WAL
position is kept (a signed cookie for web requests, ``Job.primary_lsn`` for jobs), and
work reads from the replica only once the replica has replayed up to it; until then it
reads from the primary. A replica that cannot be reached is the same: the primary answers.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
#: The cookie with the primary's WAL position after the user's latest write.
PIN_COOKIE = "primary_lsn"
PIN_SALT = "core.replica.pin"
#: How long the cookie lives: a replica is far less behind than this.
PIN_SECONDS = 300

_reading = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def primary_position() -> str:
    """The primary's WAL write position now ("" without a replica)."""
    if not replica_configured():
        return ""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def replica_has(position: str) -> bool:
    """The replica has replayed up to ``position`` (a WAL position, or "" for none)."""
    try:
        with connections[REPLICA].cursor() as cursor:
            if not position:
                cursor.execute("SELECT pg_is_in_recovery()")
                return bool(cursor.fetchone()[0])
            cursor.execute(
                "SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= %s::pg_lsn",
                [position],
            )
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        logger.warning("The replica could not be read; reading from the primary.", exc_info=True)
        return False


@contextmanager
def from_replica(*, caught_up_to: str = ""):
    """Reads inside go to the replica when there is one that has replayed up to
    ``caught_up_to``; otherwise to the primary, as without a replica. Yields the alias."""
    if not replica_configured() or not replica_has(caught_up_to):
        yield "default"
        return
    token = _reading.set(True)
    try:
        yield REPLICA
    finally:
        _reading.reset(token)


def position_of_request(request) -> str:
    """The WAL position the user's latest write left (the pin cookie), or ""."""
    value = request.COOKIES.get(PIN_COOKIE)
    if not value:
        return ""
    try:
        return signing.loads(value, salt=PIN_SALT, max_age=PIN_SECONDS)
    except signing.BadSignature:
        return ""


class ReplicaRouter:
    """Reads inside ``from_replica`` go to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PinAfterWriteMiddleware:
    """After a user's write, remember where the primary was, so their next heavy read
    waits for the replica to have it (or reads the primary)."""

    UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in self.UNSAFE and response.status_code < 400 and replica_configured():
            response.set_signed_cookie(
                PIN_COOKIE,
                primary_position(),
                salt=PIN_SALT,
                max_age=PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
