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
    """Count every summary again from the raw rows, in one transaction. On PostgreSQL the
    summaries are locked against writers meanwhile (a write waits, it is not lost)."""
    with transaction.atomic(), connection.cursor() as cursor:
        _serialised(cursor)
        if connection.vendor == "postgresql":
            # The raw tables too: a write between two statements would be counted twice.
            cursor.execute(
                "LOCK TABLE outreach_activity, outreach_feedbackitem, "
                "outreach_activity_enterprises IN SHARE MODE"
            )
        for statement in sql.rebuild(connection.vendor):
            cursor.execute(statement)


def compact() -> None:
    """Fold each key's delta rows into one; every sum stays what it was."""
    with transaction.atomic(), connection.cursor() as cursor:
        _serialised(cursor)
        for table in sql.TABLES:
            for statement in sql.compact(connection.vendor, table):
                cursor.execute(statement)
