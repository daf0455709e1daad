"""Many identical replies to an enterprise's opinions at the same moment record one each.

A double click, a retried request or a second tab sends the same page again: every request
carries the newest reply the page showed (``seen_reply_id``). ``feedback_reply`` locks the
opinions' rows first, so the requests queue; the first records its replies, every other one
then sees a reply newer than its page and is refused as stale. Likewise the lead closing
an opinion as unreachable twice at once closes it once.

PostgreSQL only: SQLite ignores ``select_for_update`` and serialises whole-database writes.
"""

from __future__ import annotations

import importlib
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from issues import services
from issues.models import Reply
from outreach.models import FeedbackItem
from tests.factories import ActivityFactory, EnterpriseFactory, FeedbackItemFactory, ReplyFactory
from tests.reference import put_back_role_groups

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Many connections at once: one worker of the suite runs these in turn (make test's
    # --dist loadgroup), so two of them never exhaust PostgreSQL's connection slots.
    pytest.mark.xdist_group("concurrency"),
]

SENDERS = 50


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL: SQLite ignores select_for_update")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    from django.apps import apps

    reference = importlib.import_module("outreach.migrations.0002_reference_data")
    put_back_role_groups()
    reference.seed(apps, None)


def at_once(count: int, call) -> list:
    """Run ``call()`` in ``count`` threads released together; one outcome each."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=20)
            outcomes[index] = ("ok", call())
        except ValidationError as error:
            outcomes[index] = (error.code, error)
        except Exception as error:  # reported through the outcome
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return outcomes


def test_fifty_identical_replies_at_once_record_one_per_opinion(branch_a, staff_a):
    enterprise = EnterpriseFactory(branch=branch_a)
    activity = ActivityFactory(branch=branch_a, enterprises=[enterprise])
    items = FeedbackItemFactory.create_batch(3, activity=activity, enterprise=enterprise)
    ids = [item.pk for item in items]
    staff_pk = staff_a.pk

    def send():
        actor = get_user_model().objects.get(pk=staff_pk)
        return services.feedback_reply(
            actor=actor,
            feedback_items=list(FeedbackItem.objects.filter(pk__in=ids)),
            channel=Reply.Channel.PHONE,
            content="已电话答复企业",
            seen_reply_id=0,
        )

    outcomes = at_once(SENDERS, send)
    kinds = [kind for kind, _result in outcomes]
    assert kinds.count("ok") == 1, outcomes
    assert kinds.count("stale") == SENDERS - 1, outcomes
    assert Reply.objects.filter(feedback_item__in=ids).count() == 3


def test_closing_as_unreachable_twice_at_once_closes_it_once(branch_a, staff_a, lead_a):
    item = FeedbackItemFactory(activity=ActivityFactory(branch=branch_a))
    for day in (1, 2):
        ReplyFactory(
            feedback_item=item,
            replied_by=staff_a,
            satisfaction=Reply.Satisfaction.NOT_REACHABLE,
            replied_on=timezone.localdate() - timedelta(days=day),
        )
    lead_pk = lead_a.pk

    def close():
        actor = get_user_model().objects.get(pk=lead_pk)
        return services.feedback_close_unreachable(
            actor=actor, feedback_item=FeedbackItem(pk=item.pk), reason="企业已注销"
        )

    outcomes = at_once(10, close)
    kinds = [kind for kind, _result in outcomes]
    assert kinds.count("ok") == 1, outcomes
    assert kinds.count("stale") == 9, outcomes
    assert FeedbackItem.history.filter(id=item.pk, unreachable_at__isnull=False).count() == 1
