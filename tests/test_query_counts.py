"""Every list, detail and "my work" page costs the same queries with few rows and with many.

Each test builds a page's data at two sizes (``ROWS``) and asserts the exact number of
queries, the same at both: a page whose count grew with its rows would be an N+1. The
comment above each table of counts lists what each query is. Pages already covered
elsewhere (home, the outreach lists, the provincial queue and meeting list, notifications,
imports, the ledger export, the dashboard and briefing) are not repeated here.

Each count includes the three queries of every logged-in request (session, user,
membership) and the layout's unread-notification count; the first request after login
(a warm-up ``GET`` of the home page) settles the session so it is not counted.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Membership
from issues.models import (
    DeadlineExtension,
    Issue,
    IssueEvent,
    IssueReturn,
    ReturnReason,
    SupervisionNotice,
)
from outreach.models import FeedbackItem
from outreach.services import feedback_update
from receipts.models import EnterpriseRating
from tests.factories import (
    ActivityAttachmentFactory,
    ActivityFactory,
    EnterpriseFactory,
    EscalationFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    InstructionFactory,
    IssueEventFactory,
    IssueEvidenceFactory,
    IssueFactory,
    ProvincialDecisionFactory,
    ReplyFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

Role = Membership.Role
State = Issue.State

#: The two data sizes: a page's count must be the same at both.
ROWS = [2, 30]


def warm_up(client, user) -> None:
    client.force_login(user)
    client.get(reverse("reports:home"))  # the first request after login refreshes the session


def today():
    return timezone.localdate()


# --- outreach: the activity page ---------------------------------------------------------


def activity_with(world, rows: int):
    """World A's activity with ``rows`` more enterprises, staff, attachments and opinions;
    every opinion has two replies, and every other one is linked to its own issue."""
    a = world.a
    activity = a.activity
    enterprises = EnterpriseFactory.create_batch(rows, branch=a.branch)
    activity.enterprises.add(*enterprises)
    activity.staff.add(*UserFactory.create_batch(rows))
    ActivityAttachmentFactory.create_batch(rows, activity=activity, uploaded_by=UserFactory())
    for n, enterprise in enumerate(enterprises):
        item = FeedbackItemFactory(
            activity=activity,
            enterprise=enterprise,
            category=FeedbackCategoryFactory(),
            anonymous=n % 3 == 0,
        )
        ReplyFactory.create_batch(2, feedback_item=item, replied_by=UserFactory())
        if n % 2:
            IssueFactory(
                branch=a.branch,
                campaign=world.campaign,
                category=item.category,
                responsible=UserFactory(),
                feedback_items=[item],
            )
    return activity


# session, user, membership; the activity (branch, campaign, created_by, withdrawn_by
# joined); its enterprises (county joined); its staff; attachments (uploaded_by joined);
# opinions (enterprise, category, issue joined; "replied" read from last_replied_on);
# its history (who made each row joined; the records a change names, none here); the
# bell's unread count. The same for every reader.
ACTIVITY_DETAIL = {"staff_a": 10, "office": 10, "leader": 10}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", list(ACTIVITY_DETAIL))
def test_activity_detail(client, world, personas, persona, rows, django_assert_num_queries):
    activity = activity_with(world, rows)
    url = reverse("outreach:activity_detail", kwargs={"pk": activity.pk})
    warm_up(client, personas[persona])
    with django_assert_num_queries(ACTIVITY_DETAIL[persona]):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["feedback_items"]) == rows + 1
    assert len(response.context["enterprises"]) == rows + 1


# --- outreach: the enterprise page -------------------------------------------------------


def enterprise_with(world, rows: int):
    """World A's enterprise at ``rows`` more activities, each with an opinion it gave
    (replied twice); every other opinion is linked to its own issue."""
    a = world.a
    enterprise = a.enterprise
    for n in range(rows):
        activity = ActivityFactory(
            branch=a.branch,
            campaign=world.campaign,
            enterprises=[enterprise],
            staff=[UserFactory()],
        )
        item = FeedbackItemFactory(
            activity=activity, enterprise=enterprise, category=FeedbackCategoryFactory()
        )
        ReplyFactory.create_batch(2, feedback_item=item, replied_by=UserFactory())
        if n % 2:
            IssueFactory(
                branch=a.branch,
                campaign=world.campaign,
                category=item.category,
                responsible=UserFactory(),
                feedback_items=[item],
            )
    return enterprise


# session, user, membership; the enterprise (branch, county, created_by, merged_into
# joined); the records merged into it; its equipment classes; the bell's unread count; its
# opinions (category, activity, issue joined); their replies; the people who replied; its
# activities (opinions counted); its last change (who made it joined). The same for every
# reader.
ENTERPRISE_DETAIL = {"staff_a": 12, "office": 12, "leader": 12}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", list(ENTERPRISE_DETAIL))
def test_enterprise_detail(client, world, personas, persona, rows, django_assert_num_queries):
    enterprise = enterprise_with(world, rows)
    url = reverse("outreach:enterprise_detail", kwargs={"pk": enterprise.pk})
    warm_up(client, personas[persona])
    with django_assert_num_queries(ENTERPRISE_DETAIL[persona]):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["feedback_items"]) == rows + 1
    assert len(response.context["activities"]) == rows + 1


# --- outreach: merging two records of one company (the office) ----------------------------

# session, user, membership; the record (branch, county, merged_into joined); its activities
# and opinions counted (two); the records that look like it (branch, county joined); the bell.
# With a record chosen: the chosen one twice (the picker's choice; the form's, its branch
# joined), both counts, the bell; and the submission's receipt (a savepoint, the receipt
# written, then rolled back since the check page is no result to replay).
ENTERPRISE_MERGE = 8
ENTERPRISE_MERGE_CHECK = 15


@pytest.mark.parametrize("rows", ROWS)
def test_enterprise_merge(client, world, office, rows, django_assert_num_queries):
    duplicate = enterprise_with(world, rows)
    EnterpriseFactory.create_batch(rows, branch=world.b.branch, name=duplicate.name, county=None)
    url = reverse("outreach:enterprise_merge", kwargs={"pk": duplicate.pk})
    warm_up(client, office)
    with django_assert_num_queries(ENTERPRISE_MERGE):
        response = client.get(url)
    assert len(response.context["lookalikes"]) == min(rows, 10)
    survivor = response.context["lookalikes"][0]
    with django_assert_num_queries(ENTERPRISE_MERGE_CHECK):
        response = client.post(url, {"survivor": survivor.pk, "reason": "重复登记"})
    assert response.context["preview"]["survivor"] == survivor


# --- issues: the list ----------------------------------------------------------------------


def many_issues(world, rows: int) -> None:
    """``rows`` issues in each of A and B, each with two opinions, its own responsible
    person and a category; every other one is being rectified past its deadline."""
    for side in (world.a, world.b):
        for n in range(rows):
            activity = side.activity
            items = FeedbackItemFactory.create_batch(
                2, activity=activity, enterprise=side.enterprise
            )
            ReplyFactory(feedback_item=items[0], replied_by=UserFactory())
            IssueFactory(
                branch=side.branch,
                campaign=world.campaign,
                category=FeedbackCategoryFactory(),
                responsible=member(Role.STAFF, side.branch),
                state=State.RECTIFYING if n % 2 else State.COLLECTED,
                deadline=today() - timedelta(days=3) if n % 2 else today() + timedelta(days=9),
                feedback_items=items,
            )


# session, user, membership; the paginator's count; the bell's unread count; the filter
# form's choices: [branches, for provincial readers], categories, responsible people,
# campaigns; the page (branch, category, responsible, campaign joined; opinions and
# unreplied opinions counted in subqueries); the office's calendar days (overdue counts
# working days).
ISSUE_LIST = {"staff_a": 10, "lead_a": 10, "office": 11, "leader": 11}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", list(ISSUE_LIST))
def test_issue_list(client, world, personas, persona, rows, django_assert_num_queries):
    many_issues(world, rows)
    warm_up(client, personas[persona])
    with django_assert_num_queries(ISSUE_LIST[persona]):
        response = client.get(reverse("issues:issue_list"))
    assert response.status_code == 200
    branches = 1 if persona in ("staff_a", "lead_a") else 2
    assert response.context["paginator"].count == branches * (rows + 1)


# As the office's unfiltered list, plus the branch filter's lookup of the chosen branch
# (made when the filter validates, before the paginator's count).
ISSUE_LIST_FILTERED = 12


@pytest.mark.parametrize("rows", ROWS)
def test_issue_list_filtered_by_the_office(client, world, office, rows, django_assert_num_queries):
    many_issues(world, rows)
    warm_up(client, office)
    query = f"?state=rectifying&branch={world.a.branch.pk}&overdue=yes"
    with django_assert_num_queries(ISSUE_LIST_FILTERED):
        response = client.get(reverse("issues:issue_list") + query)
    assert response.status_code == 200
    assert response.context["paginator"].count == rows // 2
    assert len(response.context["active_filters"]) == 3


# --- issues: my work -----------------------------------------------------------------------


def queues_of(world, staff, lead, office, leader, rows: int) -> None:
    """``rows`` rows in every section of "my work" for A's staff and lead, the office and
    the leader: issues they are responsible for, rectification to verify, rectified issues
    waiting for replies, instructions to acknowledge and escalations to decide; issues to
    sign for, returns to rule on, extension requests to decide (the lead's: a branch
    issue's; the office's: an overdue issue's), supervision notices to answer; the
    enterprises' ratings awaiting the lead's follow-up."""
    a = world.a
    reason = ReturnReason.objects.get_or_create(name="非本单位职责")[0]

    def issue(**fields):
        items = FeedbackItemFactory.create_batch(2, activity=a.activity, enterprise=a.enterprise)
        return IssueFactory(
            branch=a.branch,
            campaign=world.campaign,
            category=FeedbackCategoryFactory(),
            feedback_items=items,
            **fields,
        )

    for n in range(rows):
        person = staff if n % 2 else lead
        issue(state=State.RECTIFYING, responsible=person, deadline=today() + timedelta(days=n))
        issue(state=State.RECTIFYING, responsible=UserFactory(), rectification="已整改")
        issue(state=State.RECTIFIED, responsible=UserFactory())
        InstructionFactory(issue=a.issue, author=leader)
        escalated = issue(state=State.ESCALATED, responsible=UserFactory())
        EscalationFactory(issue=escalated, requested_by=lead)
        issue(state=State.RECTIFYING, signed_at=None, sign_deadline=today() + timedelta(days=7))
        returned = issue(state=State.RECTIFYING, signed_at=None)
        IssueReturn.objects.create(issue=returned, reason=reason, note="退回", returned_by=staff)
        for days in (30, -30):  # the lead's to decide, then the office's (overdue)
            late = issue(
                state=State.RECTIFYING,
                responsible=UserFactory(),
                deadline=today() + timedelta(days),
            )
            DeadlineExtension.objects.create(
                issue=late,
                old_deadline=late.deadline,
                new_deadline=today() + timedelta(days=60),
                reason="等待检测报告",
                requested_by=staff,
            )
        SupervisionNotice.objects.create(issue=escalated, content="请书面说明", issued_by=office)
        # An enterprise's "not solved" rating of an answered opinion, for the lead.
        rated = FeedbackItemFactory(activity=a.activity, enterprise=a.enterprise)
        EnterpriseRating.objects.create(
            receipt=a.receipt,
            feedback_item=rated,
            reply=ReplyFactory(feedback_item=rated, replied_by=staff),
            level=EnterpriseRating.Level.UNSATISFIED,
            comment="仍未解决",
            not_solved=True,
        )


# session, user, membership; one query per section, each row's issue, branch, category,
# responsible and counts joined or annotated (staff: responsible, replies, opinions still
# lacking a disposition or a reply (enterprise, category, issue joined), instructions;
# the lead also verify; the office: escalations; the leader: their own instructions);
# the bell's unread count; the opinions' queue counted (waiting, undisposed, unreplied: one
# query for the three). The clock's queues: issues to sign for (staff and lead), returns
# to rule on (the office), extension requests to decide (lead and office), supervision
# notices (the lead's to answer, the office's open ones); for staff, leads
# and the office, the office's calendar days, read once (deadlines count working days).
# Replies sent back to their author (staff and lead: opinion and enterprise, reviewer
# joined); the lead also the replies waiting for their approval, and the enterprises'
# ratings awaiting follow-up (opinion, enterprise, category and issue joined).
MY_WORK = {"staff_a": 12, "lead_a": 17, "office": 9, "leader": 5}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", list(MY_WORK))
def test_my_work(
    client,
    world,
    personas,
    staff_a,
    lead_a,
    office,
    leader,
    persona,
    rows,
    django_assert_num_queries,
):
    queues_of(world, staff_a, lead_a, office, leader, rows)
    warm_up(client, personas[persona])
    with django_assert_num_queries(MY_WORK[persona]):
        response = client.get(reverse("issues:my_work"))
    assert response.status_code == 200
    sizes = {section["key"]: len(section["items"]) for section in response.context["sections"]}
    assert all(sizes.values()), sizes


# --- issues: the issue page ----------------------------------------------------------------


def issue_with(world, rows: int, *, state: str, office):
    """World A's issue, in ``state``, with a long history: ``rows`` more timeline events,
    linked opinions (two replies each), evidence files, instructions (every other one
    acknowledged), escalations each decided at a meeting, issues merged into it, and as
    many other open issues of A it could be merged into."""
    a = world.a
    issue = a.issue
    for n in range(rows):
        IssueEventFactory(issue=issue, kind=IssueEvent.Kind.COMMENT, actor=UserFactory())
        item = FeedbackItemFactory(
            activity=a.activity,
            enterprise=EnterpriseFactory(branch=a.branch),
            category=FeedbackCategoryFactory(),
            issue=issue,
        )
        ReplyFactory.create_batch(2, feedback_item=item, replied_by=UserFactory())
        IssueEvidenceFactory(issue=issue, uploaded_by=UserFactory())
        acknowledged = {"acknowledged_at": timezone.now(), "acknowledged_by": UserFactory()}
        InstructionFactory(
            issue=issue, author=member(Role.LEADER), **(acknowledged if n % 2 else {})
        )
        escalation = EscalationFactory(issue=issue, requested_by=UserFactory())
        ProvincialDecisionFactory(escalation=escalation, owner=UserFactory(), recorded_by=office)
        IssueFactory(
            branch=a.branch, campaign=world.campaign, merged_into=issue, merged_at=timezone.now()
        )
        IssueFactory(branch=a.branch, campaign=world.campaign, state=State.COLLECTED)
        member(Role.STAFF, a.branch)  # one more person to pick as responsible or owner
    fields = {"state": state}
    if state == State.RECTIFYING:
        fields.update(responsible=a.escalation.requested_by, rectification="已按要求整改")
    Issue.objects.filter(pk=issue.pk).update(**fields)
    return issue


# session, user, membership; the issue (branch, campaign, category, responsible,
# verified_by, created_by, merged_into joined); its opinions (enterprise, activity,
# category joined); their replies (replied_by joined); escalations (requested_by,
# decision, its meeting and owner joined); instructions (author, acknowledged_by
# joined); [staff and lead of the branch: the open issues it may be merged into, one
# query for both "may it merge?" and the merge form's select]; evidence (uploaded_by
# joined); issues merged into it; the timeline (actor joined); the clock's returns,
# extension requests and supervision notices (each with its people joined); its last
# change (who made it joined); the bell's unread count.
# The transition forms add their pickers: "plan" the branch's people (collected, for its
# staff and lead), "decide" the meetings and the decision owners (escalated, for the
# office). With every section full, up to 18, over the page target of 12; a section the
# issue has no rows in (the issue query says so) costs nothing: see the test below.
ISSUE_DETAIL = {
    (State.COLLECTED, "staff_a"): 18,
    (State.COLLECTED, "lead_a"): 18,
    (State.COLLECTED, "office"): 16,
    (State.COLLECTED, "leader"): 16,
    (State.ESCALATED, "staff_a"): 17,
    (State.ESCALATED, "lead_a"): 17,
    (State.ESCALATED, "office"): 18,
    (State.ESCALATED, "leader"): 16,
    (State.RECTIFYING, "staff_a"): 17,
    (State.RECTIFYING, "lead_a"): 17,
    (State.RECTIFYING, "office"): 16,
    (State.RECTIFYING, "leader"): 16,
}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize(("state", "persona"), list(ISSUE_DETAIL))
def test_issue_detail(
    client, world, personas, office, state, persona, rows, django_assert_num_queries
):
    issue = issue_with(world, rows, state=state, office=office)
    url = reverse("issues:issue_detail", kwargs={"pk": issue.pk})
    warm_up(client, personas[persona])
    with django_assert_num_queries(ISSUE_DETAIL[state, persona]):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["events"]) == rows + 1
    assert len(response.context["items"]) == rows + 1
    assert len(response.context["escalations"]) == rows + 1
    assert len(response.context["merged_issues"]) == rows


def plain_issue_with(world, rows: int):
    """World A's issue as most are: opinions and a long timeline, but no evidence,
    instructions, escalations or merged duplicates."""
    a = world.a
    issue = IssueFactory(branch=a.branch, campaign=world.campaign, category=a.issue.category)
    for _n in range(rows):
        IssueEventFactory(issue=issue, kind=IssueEvent.Kind.COMMENT, actor=UserFactory())
        item = FeedbackItemFactory(activity=a.activity, issue=issue)
        ReplyFactory(feedback_item=item, replied_by=UserFactory())
        IssueFactory(branch=a.branch, campaign=world.campaign, state=State.COLLECTED)
    return issue


# session, user, membership, the issue, opinions, replies, [merge candidates], timeline,
# last change, unread count, [the plan form's people]: the empty sections are skipped.
PLAIN_ISSUE_DETAIL = {"staff_a": 11, "lead_a": 11, "office": 9, "leader": 9}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", list(PLAIN_ISSUE_DETAIL))
def test_a_typical_issue_page_stays_under_the_target(
    client, world, personas, persona, rows, django_assert_num_queries
):
    issue = plain_issue_with(world, rows)
    warm_up(client, personas[persona])
    with django_assert_num_queries(PLAIN_ISSUE_DETAIL[persona]):
        response = client.get(reverse("issues:issue_detail", kwargs={"pk": issue.pk}))
    assert len(response.context["events"]) == rows
    assert response.context["escalations"] == []
    assert response.context["merged_issues"] == []


# --- issues: one opinion ---------------------------------------------------------------------


def opinion_with(world, rows: int):
    """World A's opinion (in its issue) with ``rows`` more replies, every other one an
    attempt ("not reachable"), each by another person."""
    item = world.a.feedback
    for n in range(rows):
        ReplyFactory(
            feedback_item=item,
            replied_by=UserFactory(),
            satisfaction="not_reachable" if n % 2 else "satisfied",
            replied_on=today() - timedelta(days=n),
        )
    return item


# session, user, membership; the opinion (branch, enterprise, activity, campaign, category,
# issue, the people who recorded, closed and withdrew it joined); its replies (who replied
# joined); its replies waiting for approval or sent back (author and reviewer joined); its
# history (who made each row joined; the records a change names, none here); the bell's
# unread count. The same for every reader.
OPINION_DETAIL = {"staff_a": 8, "lead_a": 8, "office": 8, "leader": 8}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", list(OPINION_DETAIL))
def test_opinion_detail(client, world, personas, persona, rows, django_assert_num_queries):
    item = opinion_with(world, rows)
    warm_up(client, personas[persona])
    with django_assert_num_queries(OPINION_DETAIL[persona]):
        response = client.get(reverse("issues:feedback_detail", kwargs={"pk": item.pk}))
    assert response.status_code == 200
    assert len(response.context["replies"]) == rows + 1


def opinion_corrected(world, rows: int, staff):
    """An opinion of A's activity, which met ``rows`` more enterprises, corrected ``rows``
    times (its enterprise, category and words each time)."""
    a = world.a
    enterprises = EnterpriseFactory.create_batch(rows, branch=a.branch)
    a.activity.enterprises.add(*enterprises)
    categories = [FeedbackCategoryFactory(name=f"类别{n}") for n in range(rows)]
    item = FeedbackItemFactory(activity=a.activity, enterprise=a.enterprise, created_by=staff)
    for n, (enterprise, category) in enumerate(zip(enterprises, categories, strict=True)):
        item.refresh_from_db()
        feedback_update(
            actor=staff,
            feedback_item=item,
            seen_updated_at=item.updated_at,
            enterprise=enterprise,
            category=category,
            kind=item.kind,
            content=f"第{n}次更正",
            contact=item.contact,
        )
    return item


@pytest.mark.parametrize("rows", ROWS)
def test_opinion_detail_with_its_history(client, world, staff_a, rows, django_assert_num_queries):
    """The page as counted above, plus the enterprises and the categories its changes
    name: one query each, however many changes."""
    item = opinion_corrected(world, rows, staff_a)
    warm_up(client, staff_a)
    with django_assert_num_queries(OPINION_DETAIL["staff_a"] + 2):
        response = client.get(reverse("issues:feedback_detail", kwargs={"pk": item.pk}))
    assert len(response.context["history"]) == rows + 1
    assert response.context["trail"].changed_by == staff_a


# session, user, membership; the opinion (activity, branch, enterprise, category joined);
# what keeps its fields: its replies, its replies awaiting approval, its live receipts; the
# form's enterprises (those met at the activity, and its own) and categories; the bell's
# unread count.
FEEDBACK_EDIT = 10


@pytest.mark.parametrize("rows", ROWS)
def test_feedback_edit_page(client, world, staff_a, rows, django_assert_num_queries):
    item = opinion_corrected(world, rows, staff_a)
    warm_up(client, staff_a)
    with django_assert_num_queries(FEEDBACK_EDIT):
        response = client.get(reverse("outreach:feedback_update", kwargs={"pk": item.pk}))
    assert response.status_code == 200
    # The enterprises met at the activity (the world's and ``rows`` more), and anonymous.
    assert len(response.context["form"].fields["enterprise"].choices) == rows + 2


# --- issues: a provincial meeting ----------------------------------------------------------


def meeting_with(world, rows: int, *, office):
    """World A's meeting deciding ``rows`` more escalations of A and of B, and as many
    escalations still waiting (the office decides them on this page)."""
    meeting = world.a.meeting
    for side in (world.a, world.b):
        for _n in range(rows):
            escalated = IssueFactory(
                branch=side.branch, campaign=world.campaign, state=State.ESCALATED
            )
            escalation = EscalationFactory(issue=escalated, requested_by=UserFactory())
            ProvincialDecisionFactory(
                meeting=meeting, escalation=escalation, owner=UserFactory(), recorded_by=office
            )
            waiting = IssueFactory(
                branch=side.branch, campaign=world.campaign, state=State.ESCALATED
            )
            EscalationFactory(issue=waiting, requested_by=UserFactory())
    return meeting


# session, user, membership; the meeting (recorded_by joined); [for the office, who
# decides here: the waiting escalations (issue, branch, requested_by joined) and, once,
# the staff and leads of their branches to pick owners from]; the decisions (issue,
# branch, owner, recorded_by joined); the bell's unread count.
MEETING_DETAIL = {"staff_a": 6, "office": 8, "leader": 6}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", list(MEETING_DETAIL))
def test_meeting_detail(client, world, personas, office, persona, rows, django_assert_num_queries):
    meeting = meeting_with(world, rows, office=office)
    url = reverse("issues:meeting_detail", kwargs={"pk": meeting.pk})
    warm_up(client, personas[persona])
    with django_assert_num_queries(MEETING_DETAIL[persona]):
        response = client.get(url)
    assert response.status_code == 200
    decided = rows + 1 if persona == "staff_a" else 2 * rows + 1
    assert len(response.context["decisions"]) == decided


# --- the online opinion box on the staff's pages ---------------------------------------------


def box_opinions(world, rows: int) -> list:
    """``rows`` opinions left in branch A's online box, every third anonymous, every other
    named one with the credit code of a registered enterprise."""
    from receipts import box, codes

    items = []
    for n in range(rows):
        enterprise = EnterpriseFactory(branch=world.a.branch) if n % 2 else None
        receipt = box.box_submit(
            code=codes.new_code(),
            branch=world.a.branch,
            category=world.a.feedback.category,
            content=f"箱中意见{n}",
            anonymous=n % 3 == 0,
            stated_name=f"声称的公司{n}",
            stated_uscc=enterprise.uscc if enterprise else "",
        )
        items.extend(receipt.feedback_items.all())
    return items


# The activity page's count, plus what the senders stated, one query for every opinion.
BOX_ACTIVITY_DETAIL = ACTIVITY_DETAIL["staff_a"] + 1


@pytest.mark.parametrize("rows", ROWS)
def test_box_activity_detail(client, world, staff_a, rows, django_assert_num_queries):
    items = box_opinions(world, rows)
    warm_up(client, staff_a)
    with django_assert_num_queries(BOX_ACTIVITY_DETAIL):
        response = client.get(reverse("outreach:activity_detail", args=[items[0].activity_id]))
    assert response.content.decode().count('data-testid="box-mark"') == rows


# "My work" as counted above, plus what the senders stated, one query for the whole
# section of opinions (none when no opinion of the section came from the box).
@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", ["staff_a", "lead_a"])
def test_box_opinions_in_my_work(
    client,
    world,
    personas,
    staff_a,
    lead_a,
    office,
    leader,
    persona,
    rows,
    django_assert_num_queries,
):
    queues_of(world, staff_a, lead_a, office, leader, rows)
    # The longest waiting first: left on the campaign's first day, they are all shown.
    FeedbackItem.objects.filter(pk__in=[i.pk for i in box_opinions(world, rows)]).update(
        received_on=world.campaign.starts_on
    )
    warm_up(client, personas[persona])
    with django_assert_num_queries(MY_WORK[persona] + 1):
        response = client.get(reverse("issues:my_work"))
    assert response.content.decode().count('data-testid="box-mark"') == rows


# The opinion page as counted above, plus what its sender stated, read once.
@pytest.mark.parametrize("anonymous", [True, False])
def test_box_opinion_detail(client, world, staff_a, anonymous, django_assert_num_queries):
    from receipts import box, codes

    receipt = box.box_submit(
        code=codes.new_code(),
        branch=world.a.branch,
        category=world.a.feedback.category,
        content="箱中意见",
        anonymous=anonymous,
        stated_name="声称的公司",
    )
    item = receipt.feedback_items.get()
    warm_up(client, staff_a)
    with django_assert_num_queries(OPINION_DETAIL["staff_a"] + 1):
        response = client.get(reverse("issues:feedback_detail", kwargs={"pk": item.pk}))
    assert 'data-testid="box-sender"' in response.content.decode()


# --- reports: the assessment, its weights, the bulletin ------------------------------------


def themes_found_in(world, month, rows: int) -> None:
    """``rows`` recurring problems proposed in ``month``, each of two issues (A's, B's)."""
    from tests.themes.rows import proposed_theme

    for _n in range(rows):
        proposed_theme(world, proposed_in=month)


def assessed_world(world, rows: int, *, office):
    """A scheme in force in the month of the world's activities and the one before, ``rows`` more
    activities in that month for each branch, each with an opinion in an issue (overdue,
    under supervision) and a reply; as many schemes for later months."""
    from reports.assessment.periods import Period, add_months, month_start
    from tests.factories import AssessmentSchemeFactory, SupervisionNoticeFactory

    start = month_start(world.a.activity.occurred_on)
    AssessmentSchemeFactory(starts_on=add_months(start, -1))  # the previous month's too
    for n in range(1, rows + 1):
        AssessmentSchemeFactory(starts_on=add_months(start, n), set_by=office)
    for side in (world.a, world.b):
        for _n in range(rows):
            activity = ActivityFactory(
                branch=side.branch, campaign=world.campaign, occurred_on=start
            )
            item = FeedbackItemFactory(activity=activity)
            ReplyFactory(feedback_item=item, replied_by=UserFactory())
            issue = IssueFactory(
                branch=side.branch,
                campaign=world.campaign,
                state=State.RECTIFYING,
                deadline=today() - timedelta(days=20),
                feedback_items=[item],
            )
            SupervisionNoticeFactory(issue=issue)
    return Period.containing(start)


# session, user, membership; the schemes up to the period's last month; the city branches
# (a leader's marked as liaison); two periods' figures of six grouped queries each (the
# working-day calendar read once for both); the bell's unread count. The same for every
# reader: a branch's rank is counted among every branch.
ASSESSMENT = {"staff_a": 17, "lead_a": 17, "office": 17, "leader": 17}
#: The assessment's, and the institute, the period's overdue issues and its notices, its
#: recurring problems and their issues.
BULLETIN = {"office": 22, "leader": 22}
#: session, user, membership, the schemes (who set each joined), the bell.
SCHEME_EDIT = {"office": 5}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize(
    ("name", "persona", "count"),
    [
        *(("assessment", persona, count) for persona, count in ASSESSMENT.items()),
        *(("bulletin", persona, count) for persona, count in BULLETIN.items()),
        *(("assessment_scheme_edit", persona, count) for persona, count in SCHEME_EDIT.items()),
    ],
)
def test_assessment_pages(
    client, world, personas, office, name, persona, count, rows, django_assert_num_queries
):
    period = assessed_world(world, rows, office=office)
    if name == "bulletin":
        themes_found_in(world, period.start, rows)
    warm_up(client, personas[persona])
    with django_assert_num_queries(count):
        response = client.get(reverse(f"reports:{name}"), {"period": period.key})
    assert response.status_code == 200
    if name == "assessment":
        cells = [cell for row in response.context["rows"] for cell in row.cells]
        assert any(cell.rate.denominator >= rows for cell in cells)
    if name == "assessment_scheme_edit":
        assert len(response.context["schemes"]) == rows + 1
    if name == "bulletin":
        assert len(response.context["bulletin"].sections[3].paragraphs) == 2  # overdue, notices
        recurring = response.context["bulletin"].sections[4].paragraphs[0]
        assert recurring.count("“") == min(rows, 10)  # ten named, the rest counted


# --- themes: the recurring problems ------------------------------------------------------

#: session, user, membership, the bell; the themes with their counts, the count by state,
#: the last search.
THEME_LIST = {"office": 7, "leader": 7}
#: session, user, membership, the bell; the theme; its issues with branches and categories,
#: their opinions with enterprises; for the office, the possible owners and the themes to
#: merge into (whether there are any, then the choices).
THEME_DETAIL = {"office": 10, "leader": 7}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", list(THEME_LIST))
def test_theme_list(client, world, personas, persona, rows, django_assert_num_queries):
    from tests.themes.rows import proposed_theme

    for _n in range(rows):
        proposed_theme(world)
    warm_up(client, personas[persona])
    with django_assert_num_queries(THEME_LIST[persona]):
        response = client.get(reverse("themes:theme_list"))
    assert len(response.context["themes"]) == rows


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", list(THEME_DETAIL))
def test_theme_detail(client, world, personas, persona, rows, django_assert_num_queries):
    from tests.factories import ThemeIssueFactory
    from tests.themes.rows import proposed_theme

    theme = proposed_theme(world)
    for _n in range(rows):
        issue = IssueFactory(branch=world.a.branch, campaign=world.campaign)
        FeedbackItemFactory(activity=world.a.activity, issue=issue, enterprise=world.a.enterprise)
        ThemeIssueFactory(theme=theme, issue=issue)
        proposed_theme(world)  # one more to merge into
    warm_up(client, personas[persona])
    with django_assert_num_queries(THEME_DETAIL[persona]):
        response = client.get(reverse("themes:theme_detail", args=[theme.pk]))
    assert len(response.context["evidence"].members) == rows + 2
