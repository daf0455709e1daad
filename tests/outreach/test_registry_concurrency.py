"""Two branches register one company at the same moment; two merges of one record race.

Each attempt runs in its own thread, on its own connection, released together by a
barrier. The duplicate guard's checks can all pass before any registration commits; the
database's unique constraints (credit code; name in county for unconfirmed active rows)
keep one record and the others get the guard's message. A merge locks both rows first, so
a record is merged once.

PostgreSQL only: SQLite serialises whole-database writes, so there is no race to show.
"""

from __future__ import annotations

import importlib
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection

from outreach.models import Enterprise
from outreach.registry import enterprise_create, enterprise_merge
from tests.factories import CountyFactory, EnterpriseFactory, uscc_for
from tests.reference import put_back_role_groups

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Many connections at once: one worker of the suite runs these in turn (make test's
    # --dist loadgroup), so two of them never exhaust PostgreSQL's connection slots.
    pytest.mark.xdist_group("concurrency"),
]

ATTEMPTS = 50


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL: SQLite serialises every write")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Put back the rows data migrations made (a transactional test starts flushed)."""
    from django.apps import apps

    reference = importlib.import_module("outreach.migrations.0002_reference_data")
    put_back_role_groups()
    reference.seed(apps, None)


def race(attempts):
    """Run each ``(function, actor, kwargs)`` in its own thread, all released at once;
    returns ``("ok", result)``, ``("refused", ValidationError)`` or ``("error", error)``."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list = [None] * len(attempts)

    def run(index, function, actor_pk, kwargs):
        try:
            actor = get_user_model().objects.get(pk=actor_pk)
            barrier.wait(timeout=20)
            outcomes[index] = ("ok", function(actor=actor, **kwargs))
        except ValidationError as error:
            outcomes[index] = ("refused", error)
        except Exception as error:  # reported by the test through its outcome
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, function, actor.pk, kwargs))
        for index, (function, actor, kwargs) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return outcomes


def codes(outcomes) -> list[str]:
    """The error code of each refusal (``duplicate_name``, ``duplicate_uscc``)."""
    return sorted(
        error.code
        for kind, refusal in outcomes
        if kind == "refused"
        for errors in refusal.error_dict.values()
        for error in errors
    )


def test_one_company_registered_by_many_at_once_is_one_record(staff_a, staff_b, branch_a):
    county = CountyFactory(branch=branch_a)
    name = "泉州宏达锅炉有限公司"
    attempts = [
        (
            enterprise_create,
            staff_a if index % 2 else staff_b,
            {
                "branch": (staff_a if index % 2 else staff_b).membership.branch,
                "name": name if index % 3 else f" {name}（）",
                "county": county,
            },
        )
        for index in range(ATTEMPTS)
    ]
    outcomes = race(attempts)
    assert [kind for kind, _ in outcomes].count("ok") == 1, outcomes
    assert [kind for kind, _ in outcomes].count("refused") == ATTEMPTS - 1, outcomes
    assert set(codes(outcomes)) == {"duplicate_name"}
    assert Enterprise.objects.count() == 1


def test_one_credit_code_registered_by_many_at_once_is_one_record(staff_a, staff_b):
    code = uscc_for("91350500777777777")
    attempts = [
        (
            enterprise_create,
            actor,
            {"branch": actor.membership.branch, "name": f"名称{index}", "uscc": code},
        )
        for index, actor in enumerate([staff_a, staff_b] * (ATTEMPTS // 2))
    ]
    outcomes = race(attempts)
    assert [kind for kind, _ in outcomes].count("ok") == 1, outcomes
    assert set(codes(outcomes)) == {"duplicate_uscc"}
    assert Enterprise.objects.filter(uscc=code).count() == 1


def test_a_record_merged_twice_at_once_is_merged_once(office, branch_a, branch_b):
    duplicate = EnterpriseFactory(branch=branch_b)
    survivors = EnterpriseFactory.create_batch(2, branch=branch_a)
    attempts = [
        (
            enterprise_merge,
            office,
            {"survivor": survivor, "duplicate": duplicate, "reason": "同一家企业"},
        )
        for survivor in survivors * 5
    ]
    outcomes = race(attempts)
    assert [kind for kind, _ in outcomes].count("ok") == 1, outcomes
    assert [kind for kind, _ in outcomes].count("refused") == len(attempts) - 1, outcomes
    duplicate.refresh_from_db()
    assert duplicate.merged_into in survivors
    assert duplicate.history.count() == 2
