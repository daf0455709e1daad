"""Shared fixtures: the named personas every test speaks of, and a small two-branch world.

The personas follow DESIGN.md §2. Each fixture's comment says what that person may do, so a
test reads as a sentence about them (``staff_b`` must not see ``world.a.issue``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.utils import timezone

from branches.models import Membership
from branches.services import liaison_set
from issues.models import Issue, IssueEvent
from jobs.models import Job, job_storage
from jobs.services import scope_key
from receipts.services import receipt_issue
from tests.factories import (
    ActivityAttachmentFactory,
    ActivityFactory,
    BranchFactory,
    CalendarDayFactory,
    CampaignFactory,
    CountyFactory,
    DeadlineExtensionFactory,
    EnterpriseFactory,
    EscalationFactory,
    FeedbackItemFactory,
    ImportBatchFactory,
    InstructionFactory,
    IssueEventFactory,
    IssueEvidenceFactory,
    IssueFactory,
    IssueReturnFactory,
    NotificationFactory,
    ProvinceFactory,
    ProvincialDecisionFactory,
    ProvincialMeetingFactory,
    ReplyDraftFactory,
    ReplyFactory,
    ReturnReasonFactory,
    SupervisionNoticeFactory,
    UserFactory,
    member,
)
from tests.submissions import KeyedClient

Role = Membership.Role


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last: they are the slowest, and being transactional they
    leave emptied tables behind (Django flushes after each), which the tests that run
    inside a rolled-back transaction must not inherit."""
    items.sort(key=lambda item: "tests/browser/" in str(item.path))


class _CountedTablesWritten:
    """Notes whether a statement that may change what the summaries count ran on the
    connection: a write naming a table of the apps the triggers watch or keep. A test that
    wrote none of them (most of the access and form tests) needs no recount. A transactional
    test is always recounted: its live server writes on another connection."""

    READS = ("select", "savepoint", "release", "rollback", "set ", "show ", "pragma")
    TABLES = ("outreach_", "issues_", "summaries_")

    def __init__(self):
        self.written = False

    def __call__(self, execute, sql, params, many, context):
        if not self.written:
            statement = str(sql).lstrip().lower()
            self.written = not statement.startswith(self.READS) and any(
                table in statement for table in self.TABLES
            )
        return execute(sql, params, many, context)


@pytest.fixture(autouse=True)
def summaries_follow_every_write(request):
    """After every test that wrote to the database, the dashboard's summary rows equal a
    recount of the raw rows: every write the suite makes (services, the admin, imports,
    merges, withdrawals, transitions, queryset updates, factories) is a write they follow.
    A test that takes the schema apart (migrations) opts out with
    ``@pytest.mark.summaries_unchecked``."""
    names = request.fixturenames
    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(names)
    if not uses_database or request.node.get_closest_marker("summaries_unchecked"):
        yield
        return
    # Set up the database inside this fixture, so the check runs before it is rolled back.
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    if "transactional_db" in names:
        # Django flushes a transactional test's tables in set order (varies with the hash
        # seed): when it empties the summaries before the issues, the delete triggers leave
        # -1 rows behind for the next test. Count again from the (empty) raw rows first.
        from summaries.services import rebuild

        rebuild()
    from django.db import connection

    watcher = _CountedTablesWritten()
    with connection.execute_wrapper(watcher):
        yield
    if "transactional_db" not in names and not watcher.written:
        return  # nothing the summaries count was written on this test's connection
    if connection.connection is not None and getattr(connection.connection, "closed", False):
        return  # the test closed its connection (a response's request_finished): rolled back
    from summaries.recount import differences

    found = differences(limit=3)
    assert not found, "The summary rows differ from a recount:\n" + "\n".join(found)


@pytest.fixture
def client():
    """A test client that posts like the app's pages: each form with a fresh one-time key."""
    return KeyedClient()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads and the files jobs make land in the test's own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "jobs": {**settings.STORAGES["jobs"], "OPTIONS": {"location": tmp_path / "jobs"}},
    }


# --- branches -----------------------------------------------------------------------


@pytest.fixture
def province(db):
    """The provincial institute: the root branch the office and leaders belong to."""
    return ProvinceFactory()


@pytest.fixture
def branch_a(province):
    """City branch A (泉州分院)."""
    return BranchFactory(
        parent=province,
        name="泉州分院",
        name_en="Quanzhou branch",
        short_name="泉州",
        short_name_en="Quanzhou",
        code="quanzhou",
        region_code="3505",
        sort_order=1,
    )


@pytest.fixture
def branch_b(province):
    """City branch B (漳州分院)."""
    return BranchFactory(
        parent=province,
        name="漳州分院",
        name_en="Zhangzhou branch",
        short_name="漳州",
        short_name_en="Zhangzhou",
        code="zhangzhou",
        region_code="3506",
        sort_order=2,
    )


# --- personas -----------------------------------------------------------------------


@pytest.fixture
def staff_a(branch_a):
    """Branch staff of A: sees only branch A; logs activities, enterprises and feedback,
    opens issues, records rectification and replies there."""
    return member(Role.STAFF, branch_a, username="staff_a")


@pytest.fixture
def lead_a(branch_a):
    """Branch lead of A: everything staff of A may do, plus verify rectification, reopen
    and escalate A's issues to the province."""
    return member(Role.LEAD, branch_a, username="lead_a")


@pytest.fixture
def staff_b(branch_b):
    """Branch staff of B: sees only branch B (the outsider to everything in A)."""
    return member(Role.STAFF, branch_b, username="staff_b")


@pytest.fixture
def lead_b(branch_b):
    """Branch lead of B: staff of B's rights plus verify, reopen, escalate, all in B only."""
    return member(Role.LEAD, branch_b, username="lead_b")


@pytest.fixture
def office(province):
    """Provincial office: sees every branch; receives escalations, records provincial
    meetings and decisions, assigns, manages users (and so is Django staff)."""
    return member(Role.OFFICE, province, username="office")


@pytest.fixture
def leader(province, branch_a):
    """Institute leader with liaison branch A: reads every branch (A highlighted), sees
    dashboards and reports, writes instructions (批示) on any issue."""
    user = member(Role.LEADER, province, username="leader")
    liaison_set(leader=user, branches=[branch_a])
    return user


@pytest.fixture
def no_role_user(db):
    """An active account with no membership: may log in but sees nothing."""
    return UserFactory(username="no_role")


@pytest.fixture
def inactive_user(branch_a):
    """Former staff of branch A whose account was deactivated: sees nothing."""
    user = member(Role.STAFF, branch_a, username="inactive_staff_a")
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@pytest.fixture
def anonymous():
    """Not logged in: sees nothing."""
    return AnonymousUser()


# pytest-django's own ``admin_user`` is the system administrator: a superuser with no
# membership, who sees every branch.

PERSONA_NAMES = (
    "staff_a",
    "lead_a",
    "staff_b",
    "lead_b",
    "office",
    "leader",
    "admin_user",
    "no_role_user",
    "inactive_user",
    "anonymous",
)


class Personas(Mapping):
    """Persona name -> user, each made only when first looked up (then the same object)."""

    def __init__(self, request):
        self._request = request

    def __getitem__(self, name: str):
        if name not in PERSONA_NAMES:
            raise KeyError(name)
        return self._request.getfixturevalue(name)

    def __iter__(self):
        return iter(PERSONA_NAMES)

    def __len__(self) -> int:
        return len(PERSONA_NAMES)


@pytest.fixture
def personas(request, db) -> Personas:
    """Every persona by fixture name, for table-driven tests: ``personas["staff_a"]``."""
    return Personas(request)


# --- a small world ------------------------------------------------------------------


def _branch_rows(branch, *, campaign, staff, lead, office, leader):
    """One row of every branch-owned model in ``branch``, linked as the workflow links
    them: the feedback item distils into an escalated issue that a meeting decided."""
    county = CountyFactory(branch=branch)
    enterprise = EnterpriseFactory(branch=branch, county=county, created_by=staff)
    activity = ActivityFactory(
        branch=branch, campaign=campaign, enterprises=[enterprise], staff=[staff], created_by=staff
    )
    attachment = ActivityAttachmentFactory(activity=activity, uploaded_by=staff)
    feedback = FeedbackItemFactory(activity=activity, enterprise=enterprise, created_by=staff)
    issue = IssueFactory(
        branch=branch,
        campaign=campaign,
        category=feedback.category,
        state=Issue.State.ESCALATED,
        created_by=staff,
        feedback_items=[feedback],
    )
    evidence = IssueEvidenceFactory(issue=issue, uploaded_by=staff)
    escalation = EscalationFactory(issue=issue, requested_by=lead)
    # One meeting per branch: a meeting is visible to the branches whose issues it decided,
    # so a meeting shared by A and B would (rightly) appear in both branches' lists.
    meeting = ProvincialMeetingFactory(recorded_by=office)
    decision = ProvincialDecisionFactory(meeting=meeting, escalation=escalation, recorded_by=office)
    reply = ReplyFactory(feedback_item=feedback, replied_by=staff)
    instruction = InstructionFactory(issue=issue, author=leader)
    event = IssueEventFactory(issue=issue, kind=IssueEvent.Kind.CREATED, note="", actor=staff)
    import_batch = ImportBatchFactory(branch=branch, campaign=campaign, uploaded_by=staff)
    notification = NotificationFactory(recipient=staff, issue=issue)
    # Returned when the province gave it back, the office insisted, the branch signed.
    issue_return = IssueReturnFactory(
        issue=issue,
        reason=ReturnReasonFactory(),
        returned_by=lead,
        ruling="insist",
        ruling_note="职责明确，请签收办理",
        ruled_by=office,
        ruled_at=timezone.now(),
    )
    extension = DeadlineExtensionFactory(
        issue=issue,
        requested_by=staff,
        status="approved",
        decided_by=lead,
        decided_at=timezone.now(),
    )
    supervision_notice = SupervisionNoticeFactory(
        issue=issue,
        issued_by=office,
        answer="已书面说明整改进展",
        answered_by=lead,
        answered_at=timezone.now(),
    )
    reply_draft = ReplyDraftFactory(feedback_item=feedback, drafted_by=staff)
    # The calendar is the province's, not a branch's: a day per branch only gives the
    # routes that name one (and the fuzz test's "other branch's row") a row to name.
    calendar_day = CalendarDayFactory(created_by=office)
    # The enterprise's receipt for this activity; its code opens the public page.
    receipt, receipt_code = receipt_issue(activity=activity, enterprise=enterprise, actor=staff)
    # A finished export of the branch's staff member: only they open and download it.
    job = done_job(staff)
    return SimpleNamespace(
        branch=branch,
        county=county,
        enterprise=enterprise,
        activity=activity,
        attachment=attachment,
        feedback=feedback,
        issue=issue,
        evidence=evidence,
        escalation=escalation,
        meeting=meeting,
        decision=decision,
        reply=reply,
        # The office's list, not a branch's: the reason this branch's return gave.
        return_reason=issue_return.reason,
        instruction=instruction,
        event=event,
        import_batch=import_batch,
        notification=notification,
        issue_return=issue_return,
        extension=extension,
        supervision_notice=supervision_notice,
        reply_draft=reply_draft,
        calendar_day=calendar_day,
        receipt=receipt,
        receipt_code=receipt_code,
        job=job,
    )


def done_job(user):
    """A finished issue-ledger job of ``user``, its file kept for an hour."""
    now = timezone.now()
    job = Job.objects.create(
        user=user,
        kind="issue_ledger",
        language="zh-hans",
        scope=scope_key(user),
        state=Job.State.DONE,
        filename="问题台账.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        finished_at=now,
        expires_at=now + timedelta(hours=1),
        size=4,
    )
    job.file = job_storage().save(job.storage_name(), ContentFile(b"PK\x03\x04"))
    job.save(update_fields=["file"])
    return job


@pytest.fixture
def world(branch_a, branch_b, staff_a, lead_a, staff_b, lead_b, office, leader):
    """One campaign, and one row of every branch-owned model in A (``world.a``) and in B
    (``world.b``): ``world.a.issue``, ``world.b.reply``..."""
    campaign = CampaignFactory()
    common = {"campaign": campaign, "office": office, "leader": leader}
    return SimpleNamespace(
        campaign=campaign,
        a=_branch_rows(branch_a, staff=staff_a, lead=lead_a, **common),
        b=_branch_rows(branch_b, staff=staff_b, lead=lead_b, **common),
    )
