"""Reads on a PostgreSQL streaming replica, for heavy read-only work, never at the cost of
a stale answer.

With ``DATABASE_REPLICA_URL`` set, the work that only reads a lot (exports, the briefing's
Word file, the stats API over long ranges) runs inside ``from_replica()``, and the router
sends its reads to the ``replica`` database. Everything else, and every write, stays on
the primary. Without the variable nothing changes.

Exact, not a guess by time: ``from_replica`` first asks the primary where its WAL is now,
and reads from the replica only when the replica has replayed that far, so the work sees
every write committed before it began, the user's own included (one query to each
server). A replica that is behind, down or unreachable is not read: the primary answers.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"

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
    """The replica is a standby that has replayed up to ``position`` (a WAL position)."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= %s::pg_lsn",
                [position],
            )
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        logger.warning("The replica could not be read; reading from the primary.", exc_info=True)
        connections[REPLICA].close()
        return False


@contextmanager
def from_replica(*, caught_up_to: str | None = None):
    """Reads inside go to the replica when there is one that has replayed everything the
    primary had when this began (or up to ``caught_up_to``); otherwise to the primary, as
    without a replica. Yields the alias read."""
    if not replica_configured():
        yield "default"
        return
    position = caught_up_to if caught_up_to is not None else primary_position()
    if not replica_has(position):
        yield "default"
        return
    token = _reading.set(True)
    try:
        yield REPLICA
    finally:
        _reading.reset(token)


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
