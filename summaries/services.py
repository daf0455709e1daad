"""Rebuild and compact the summaries (``sql.py`` holds the SQL)."""

from __future__ import annotations

from django.db import connection, transaction

from . import sql

#: One compaction or rebuild at a time on PostgreSQL (an advisory lock's key).
LOCK_KEY = 0x53554D4D  # "SUMM"


def _serialised(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    else:
        # Take SQLite's write lock before reading: nothing else writes until the end.
        cursor.execute("DELETE FROM summaries_enterprisevisit WHERE 0")


def rebuild() -> None:
    """Count every summary again from the raw rows, in one transaction.

    On PostgreSQL the transaction reads one snapshot (REPEATABLE READ): the old rows it
    deletes and the raw rows it counts are the same moment's, and what other transactions
    commit meanwhile keeps its own delta rows, neither deleted nor counted twice. Writers
    never wait. The advisory lock (held for the session, taken before the snapshot) keeps
    a compaction from folding rows in between."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # SQLite has one writer at a time; inside a caller's transaction, its snapshot.
        with transaction.atomic(), connection.cursor() as cursor:
            _serialised(cursor)
            for statement in sql.rebuild(connection.vendor):
                cursor.execute(statement)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            with transaction.atomic():
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                for statement in sql.rebuild(connection.vendor):
                    cursor.execute(statement)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def compact() -> None:
    """Fold each key's delta rows into one; every sum stays what it was."""
    with transaction.atomic(), connection.cursor() as cursor:
        _serialised(cursor)
        for table in sql.TABLES:
            for statement in sql.compact(connection.vendor, table):
                cursor.execute(statement)
