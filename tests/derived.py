"""Helpers for the tests of derived data (copies the database keeps equal or refuses)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction

from reports.metrics import campaign_report
from reports.selection import Selection


@contextmanager
def refused_by_the_database():
    """The write inside fails in the database (a trigger's RAISE), and changes nothing.

    The savepoint keeps PostgreSQL's test transaction usable after the error.
    """
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


def branch_counts(user, key: str, **selection) -> dict[str, int]:
    """One figure of the dashboard per branch code, as ``user`` sees it."""
    report = campaign_report(user, Selection(**selection))
    return {row.branch.code: row.figures[key] for row in report.branches}
