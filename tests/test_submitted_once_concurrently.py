"""Fifty identical submissions at the same moment create one record, and all fifty land on it.

Each submission is a real POST through the whole Django stack (middleware, login, view,
services), in its own thread on its own database connection, all released together by a
barrier: a double tap, a retry on a poor network, a hundred impatient clicks. The first to
insert its receipt (``core.SubmissionReceipt``) holds it a moment while doing its work;
the others wait on the receipt's primary key in PostgreSQL, then fail to insert it and
are sent where the first went. Seen before: 2–3 copies of one reply, and every reply
doubled by "reply to every enterprise"; ``test_without_receipts_the_race_is_real`` shows
the same race still doubles when the receipt is switched off, so these tests can fail.

PostgreSQL only: SQLite serialises every write to the whole database, so it cannot show
two transactions racing. CI runs them on PostgreSQL (``DATABASE_URL``), where they never
skip; the sequential cases run everywhere in ``tests/core/test_submissions.py``.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import submissions
from core.models import SubmissionReceipt
from imports.models import ImportBatch
from issues.models import Instruction, Issue, IssueEvidence, ProvincialDecision, Reply
from issues.models import ProvincialMeeting as Meeting
from outreach.models import Activity, ActivityAttachment, Enterprise, FeedbackItem
from tests import samples
from tests.factories import (
    CountyFactory,
    EscalationFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    ProvincialMeetingFactory,
)
from tests.imports.conftest import big_example_batch, example_batch
from tests.issues.screens import issue_in
from tests.reference import put_back_role_groups
from tests.submissions import keyed

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Many connections at once: one worker of the suite runs these in turn (make test's
    # --dist loadgroup), so two of them never exhaust PostgreSQL's connection slots.
    pytest.mark.xdist_group("concurrency"),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises all writes, so two "
        "submissions can never race there",
    ),
]

SIMULTANEOUS = 50
#: How long the first submission holds its receipt before doing its work: long enough
#: that the others surely arrive while it is held.
HOLD_SECONDS = 0.3


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Put back the rows data migrations made (role groups, categories): a transactional
    test starts from whatever the previous one flushed."""
    from django.apps import apps

    reference = importlib.import_module("outreach.migrations.0002_reference_data")
    put_back_role_groups()
    reference.seed(apps, None)


@dataclass
class Claims:
    won: int = 0
    lost: int = 0


@pytest.fixture
def claims(monkeypatch) -> Claims:
    """Count who inserted the receipt and who found it taken; the winner lingers."""
    counted = Claims()
    lock = threading.Lock()
    claim = submissions._claim

    def lingering(request, key, fingerprint):
        won = claim(request, key, fingerprint)
        with lock:
            if won:
                counted.won += 1
            else:
                counted.lost += 1
        if won:
            time.sleep(HOLD_SECONDS)
        return won

    monkeypatch.setattr(submissions, "_claim", lingering)
    return counted


def race(user, url: str, make_data: Callable[[], dict]) -> list:
    """POST ``make_data()`` (the same form, the same key) to ``url`` as ``user`` from
    SIMULTANEOUS threads at once; one (status, Location) per thread."""
    session = Client()
    session.force_login(user)
    barrier = threading.Barrier(SIMULTANEOUS)
    answers: list = [None] * SIMULTANEOUS

    def run(index: int) -> None:
        client = Client()  # one browser tab each, the same logged-in session
        client.cookies.update(session.cookies)
        data = make_data()
        try:
            barrier.wait(timeout=60)
            response = client.post(url, data)
            answers[index] = (response.status_code, response.get("Location"))
        except Exception as error:  # reported through the answers
            answers[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(SIMULTANEOUS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a submission hung"
    return answers


def same_form(data: dict) -> Callable[[], dict]:
    """The same page's form each time: the same fields and the same one-time key."""
    sent = keyed(data)
    return lambda: dict(sent)


def assert_once(answers, claims: Claims, created: Callable[[], int], expected: int) -> str:
    """One record (``expected`` rows), every answer the same redirect; returns where to."""
    assert {answer[0] for answer in answers} == {302}, answers
    targets = {answer[1] for answer in answers}
    assert len(targets) == 1, targets
    assert created() == expected
    assert (claims.won, claims.lost) == (1, SIMULTANEOUS - 1)
    assert SubmissionReceipt.objects.count() == 1
    return targets.pop()


def count(model: type[Model], **filters) -> Callable[[], int]:
    return lambda: model.objects.filter(**filters).count()


def today() -> str:
    return timezone.localdate().isoformat()


# --- outreach -----------------------------------------------------------------------------


def test_an_activity(world, staff_a, claims):
    data = {
        "campaign": world.campaign.pk,
        "occurred_on": today(),
        "enterprises": [world.a.enterprise.pk],
        "staff": [staff_a.pk],
        "place": "晋江市",
        "title": "走访安泰锅炉",
        "minutes": "了解检验预约情况",
    }
    url = reverse("outreach:activity_create", args=["visit"])
    answers = race(staff_a, url, same_form(data))
    target = assert_once(answers, claims, count(Activity, title="走访安泰锅炉"), 1)
    assert target == reverse("outreach:activity_detail", args=[Activity.objects.latest("pk").pk])


def test_an_opinion_batch(world, staff_a, claims):
    """The entry form with several rows (added with htmx on the page): three opinions."""
    rows = [
        ("problem", "检验预约电话经常占线"),
        ("suggestion", "希望开通网上预约"),
        ("praise", "检验人员服务热情"),
    ]
    data = {
        "feedback-TOTAL_FORMS": "4",
        "feedback-INITIAL_FORMS": "0",
        "feedback-MIN_NUM_FORMS": "0",
        "feedback-MAX_NUM_FORMS": "100",
    }
    category = FeedbackCategoryFactory(name="服务效率")
    for index, (kind, content) in enumerate([*rows, ("problem", "")]):
        data.update(
            {
                f"feedback-{index}-enterprise": world.a.enterprise.pk if content else "",
                f"feedback-{index}-category": category.pk if content else "",
                f"feedback-{index}-kind": kind,
                f"feedback-{index}-content": content,
                f"feedback-{index}-contact": "",
            }
        )
    activity = world.a.activity
    url = reverse("outreach:feedback_entry", args=[activity.pk])
    answers = race(staff_a, url, same_form(data))
    created = count(FeedbackItem, activity=activity, content__in=[row[1] for row in rows])
    target = assert_once(answers, claims, created, 3)
    assert target == reverse("outreach:activity_detail", args=[activity.pk])


def test_an_attachment(world, staff_a, claims):
    activity = world.a.activity
    before = ActivityAttachment.objects.filter(activity=activity).count()
    sent = keyed()  # each thread its own file object, the same file and the same key

    def data() -> dict:
        return {**sent, "file": samples.upload("签到表.png", samples.PNG)}

    answers = race(staff_a, reverse("outreach:attachment_add", args=[activity.pk]), data)
    created = count(ActivityAttachment, activity=activity)
    assert_once(answers, claims, created, before + 1)


def test_an_enterprise(world, staff_a, claims):
    county = CountyFactory(branch=world.a.branch)
    data = {"name": "三明丙烷充装站", "uscc": "91350000158142711F", "county": county.pk}
    answers = race(staff_a, reverse("outreach:enterprise_create"), same_form(data))
    assert_once(answers, claims, count(Enterprise, name="三明丙烷充装站"), 1)


# --- issues -------------------------------------------------------------------------------


def reply_data(**more) -> dict:
    return {
        "channel": "phone",
        "content": "已电话告知整改结果",
        "replied_on": today(),
        "satisfaction": "satisfied",
        **more,
    }


def test_a_reply(world, staff_a, claims):
    issue = issue_in(world, "rectified")
    item = issue.feedback_items.get()
    url = reverse("issues:reply_add", args=[issue.pk])
    answers = race(staff_a, url, same_form(reply_data(feedback_item=item.pk)))
    target = assert_once(answers, claims, count(Reply, feedback_item=item), 1)
    assert target == reverse("issues:issue_detail", args=[issue.pk])


def test_a_reply_to_every_enterprise_with_replied_ones_included(world, staff_a, claims):
    """With "only opinions without a reply" unticked: one more reply to each of three."""
    issue = issue_in(world, "rectified", items=3, replied=True)
    url = reverse("issues:reply_add", args=[issue.pk])
    answers = race(staff_a, url, same_form(reply_data()))
    assert_once(answers, claims, count(Reply, feedback_item__issue=issue), 3 + 3)


def test_an_issue_from_feedback(world, staff_a, claims):
    opinions = [FeedbackItemFactory(activity=world.a.activity) for _ in range(2)]
    data = {
        "items": [item.pk for item in opinions],
        "action": "create",
        "title": "检验预约难",
        "category": opinions[0].category_id,
        "severity": "normal",
        "description": "两家企业反映预约电话占线",
    }
    answers = race(staff_a, reverse("issues:feedback_dispose"), same_form(data))
    target = assert_once(answers, claims, count(Issue, title="检验预约难"), 1)
    issue = Issue.objects.get(title="检验预约难")
    assert target == reverse("issues:issue_detail", args=[issue.pk])
    assert set(issue.feedback_items.all()) == set(opinions)


def test_a_rectification_with_evidence(world, staff_a, claims):
    issue = issue_in(world, "rectifying")
    sent = keyed({"rectification": "已开通网上预约"})

    def data() -> dict:
        return {**sent, "evidence": samples.upload("整改照片.png", samples.PNG)}

    answers = race(staff_a, reverse("issues:rectification_report", args=[issue.pk]), data)
    assert_once(answers, claims, count(IssueEvidence, issue=issue), 1)


def test_a_provincial_decision(world, office, staff_a, claims):
    """A transition that creates a record: the decide form on the issue page."""
    issue = issue_in(world, "escalated")
    EscalationFactory(issue=issue)
    meeting = ProvincialMeetingFactory(recorded_by=office)
    data = {
        "expected_state": "escalated",
        "meeting": meeting.pk,
        "decision": "由分院牵头，省院收费科配合",
        "owner": staff_a.pk,
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    url = reverse("issues:issue_transition", args=[issue.pk, "decide"])
    answers = race(office, url, same_form(data))
    assert_once(answers, claims, count(ProvincialDecision, escalation__issue=issue), 1)


def test_a_meeting(office, claims):
    data = {"title": "院长办公会", "held_on": today(), "attendees": "", "minutes": ""}
    answers = race(office, reverse("issues:meeting_create"), same_form(data))
    assert_once(answers, claims, count(Meeting, title="院长办公会"), 1)


def test_an_instruction(world, leader, claims):
    issue = world.a.issue
    url = reverse("issues:instruction_add", args=[issue.pk])
    answers = race(leader, url, same_form({"content": "请一周内办结"}))
    assert_once(answers, claims, count(Instruction, issue=issue, content="请一周内办结"), 1)


# --- imports ------------------------------------------------------------------------------


def test_an_import_confirmation(branch_a, staff_a, claims):
    batch = example_batch(staff_a, branch_a)

    def rows() -> tuple[int, int, int]:
        return (Enterprise.objects.count(), Activity.objects.count(), FeedbackItem.objects.count())

    before = rows()
    answers = race(staff_a, reverse("imports:confirm", args=[batch.pk]), same_form({}))
    target = assert_once(answers, claims, lambda: 1, 1)
    assert target == reverse("imports:confirm", args=[batch.pk])
    after = rows()
    assert tuple(b - a for a, b in zip(before, after, strict=True)) == (3, 4, 6)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED


def test_a_big_files_import_confirmation(branch_a, staff_a, claims):
    """A big file's confirmation asks for a job: the same click fifty times asks once."""
    from jobs.models import Job

    batch = big_example_batch(staff_a, branch_a)
    answers = race(staff_a, reverse("imports:confirm", args=[batch.pk]), same_form({}))
    assert_once(answers, claims, count(Job, kind="import_run"), 1)
    assert (Enterprise.objects.count(), FeedbackItem.objects.count()) == (3, 6)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED


def test_a_big_files_import_from_fifty_tabs_is_one_job(branch_a, staff_a, claims):
    """Fifty different pages (each its own key) confirm at once: the batch's row lock lets
    one ask for the import; the others find it asked, or the file imported."""
    from jobs.models import Job

    batch = big_example_batch(staff_a, branch_a)
    answers = race(staff_a, reverse("imports:confirm", args=[batch.pk]), lambda: keyed({}))
    assert {answer[0] for answer in answers} == {302}, answers
    assert Job.objects.filter(kind="import_run").count() == 1
    assert (Enterprise.objects.count(), FeedbackItem.objects.count()) == (3, 6)


# --- the race is real ---------------------------------------------------------------------


def test_without_receipts_the_race_is_real(world, staff_a, monkeypatch):
    """With the receipt switched off, the same fifty clicks on "reply to every enterprise"
    record every reply fifty times: what the receipt prevents above."""
    monkeypatch.setattr(submissions, "_claim", lambda request, key, fingerprint: True)
    issue = issue_in(world, "rectified", items=3)
    url = reverse("issues:reply_add", args=[issue.pk])
    answers = race(staff_a, url, same_form(reply_data()))
    assert {answer[0] for answer in answers} == {302}, answers
    assert Reply.objects.filter(feedback_item__issue=issue).count() == 3 * SIMULTANEOUS
