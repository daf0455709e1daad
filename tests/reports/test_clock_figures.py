"""The clock's figures (docs/metrics.md, "The clock") against a dataset whose answers are
known by hand: signed, rectified and replied on time (each numerator and denominator),
extensions, returns and supervision notices. Each is counted per branch and in total, is
the same in the stats API, and links to a list of exactly that many rows, for the province
and for a branch. Rows are made directly (the actions that make them are other work).
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.models import (
    DeadlineExtension,
    Issue,
    IssueReturn,
    Reply,
    ReturnReason,
    SupervisionNotice,
    rectify_due_condition,
    sign_due_condition,
    sign_overdue_condition,
)
from outreach.models import (
    replied_late_condition,
    replied_on_time_condition,
    reply_due_condition,
)
from reports.metrics import CLOCK_KEYS, CLOCK_RATES, campaign_report
from reports.selection import Selection
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    FeedbackItemFactory,
    IssueFactory,
    ReplyFactory,
)
from tests.reports.figure_links import HEADLINE, TOTAL, by_place, figure_links
from tests.reports.test_dashboard import list_count
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

State = Issue.State
S = Reply.Satisfaction
DASHBOARD = reverse("reports:dashboard")
API = reverse("reports:stats_api")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on ``day`` in Asia/Shanghai."""
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


class ClockData:
    """Campaign ``c1``: issues of branch A with every case, a few of B; ``c2`` never counts.

    ``D`` is a month ago (every deadline on it has passed by working days), ``LATER`` a
    month ahead (none has)."""

    def __init__(self, branch_a, branch_b, staff_a, lead_a, office):
        today = timezone.localdate()
        D = self.D = today - timedelta(days=30)
        LATER = today + timedelta(days=30)
        self.c1 = CampaignFactory(starts_on=today - timedelta(days=60), ends_on=LATER)
        c2 = CampaignFactory()
        a, b, c1 = branch_a, branch_b, self.c1
        visit = ActivityFactory(branch=a, campaign=c1, occurred_on=D - timedelta(days=5))
        visit_b = ActivityFactory(branch=b, campaign=c1, occurred_on=D - timedelta(days=5))

        def issue(branch=a, campaign=c1, **fields):
            return IssueFactory(branch=branch, campaign=campaign, **fields)

        # Sign-for. At 23:30 in Shanghai on D is on time; at 00:30 the next day is late,
        # although it is still D in UTC.
        given = {"sign_deadline": D}
        issue(**given, signed_at=at(D, 23, 30))  # on time
        issue(**given, signed_at=at(D + timedelta(days=1), 0, 30))  # late
        self.unsigned = issue(**given, signed_at=None)  # past the deadline, not signed
        not_due = issue(sign_deadline=LATER, signed_at=None)  # not due yet
        issue()  # opened by the branch: no sign-for deadline, in no sign-for figure
        issue(branch=b, sign_deadline=D, signed_at=at(D, 9))  # B: on time
        # Rectification, against the deadline in force.
        rectified = {"state": State.RECTIFIED, "deadline": D}
        issue(**rectified, rectified_at=at(D, 22))  # on time
        issue(state=State.ANSWERED, deadline=D, rectified_at=at(D + timedelta(days=1), 1))
        self.overdue = issue(state=State.RECTIFYING, deadline=D)  # overdue: due, late
        issue(state=State.RECTIFYING, deadline=LATER)  # not due yet
        issue(state=State.RECTIFIED)  # no deadline, no time on record: in neither
        # Extended twice from D to D+10, rectified on D+8: on time by the deadline in force.
        self.extended = issue(
            state=State.RECTIFIED,
            deadline=D + timedelta(days=10),
            rectified_at=at(D + timedelta(days=8), 10),
        )

        def extension(target, old, new, status, **fields):
            decided = status != DeadlineExtension.Status.PENDING
            return DeadlineExtension.objects.create(
                issue=target,
                old_deadline=old,
                new_deadline=new,
                reason="等待设备到货",
                requested_by=staff_a,
                status=status,
                decided_by=lead_a if decided else None,
                decided_at=timezone.now() if decided else None,
                **fields,
            )

        approved, refused = DeadlineExtension.Status.APPROVED, DeadlineExtension.Status.REFUSED
        extension(self.extended, D, D + timedelta(days=5), approved)
        extension(self.extended, D + timedelta(days=5), D + timedelta(days=10), approved)
        extension(self.overdue, D, D + timedelta(days=3), refused)
        extension(self.overdue, D, D + timedelta(days=20), DeadlineExtension.Status.PENDING)
        extension(self.unsigned, D, LATER, approved)  # a second issue extended
        withdrawn = issue(withdrawn=True, deadline=D)
        extension(withdrawn, D, LATER, approved)  # a withdrawn issue's: not counted
        other = issue(campaign=c2, deadline=D)
        extension(other, D, LATER, approved)  # another campaign's: not counted
        # Returns: two of A (one ruled), one of B.
        reason = ReturnReason.objects.create(name="非本分院职责")

        def give_back(target, **fields):
            return IssueReturn.objects.create(
                issue=target, reason=reason, note="请改派", returned_by=staff_a, **fields
            )

        give_back(self.unsigned, ruling="insist", ruled_by=office, ruled_at=timezone.now())
        # Waiting for a ruling (on an issue not past its sign-for deadline: one past it
        # would be the office's to move, in no sign-for figure of the branch).
        give_back(not_due)
        give_back(other)
        self.b_issue = issue(branch=b)
        give_back(self.b_issue)
        # Supervision notices: A two open (one automatic), one answered; B one answered.

        def notice(target, **fields):
            return SupervisionNotice.objects.create(
                issue=target, content="请说明逾期原因", **fields
            )

        notice(self.overdue, deadline=D, automatic=True)
        notice(self.overdue, issued_by=office)
        answered = {"answer": "已落实", "answered_by": lead_a, "answered_at": timezone.now()}
        notice(self.unsigned, issued_by=office, **answered)
        notice(self.b_issue, issued_by=office, **answered)
        notice(withdrawn, issued_by=office)  # not counted
        # Replies to the opinions of issues with a reply deadline.

        def opinion(target, *replies, activity=visit, **fields):
            item = FeedbackItemFactory(activity=activity, **fields)
            item.issue = target
            item.save(update_fields=["issue"])
            for replied_on, satisfaction in replies:
                ReplyFactory(
                    feedback_item=item,
                    replied_on=replied_on,
                    satisfaction=satisfaction,
                    replied_by=staff_a,
                )
            return item

        due = issue(state=State.RECTIFIED, reply_deadline=D, rectified_at=at(D, 9))
        opinion(due, (D, S.SATISFIED))  # on time
        opinion(due, (D + timedelta(days=1), S.UNSATISFIED))  # late
        opinion(due, (D, S.NOT_REACHABLE))  # an attempt only: not answered, past: late
        opinion(due)  # no reply, past: late
        opinion(due, (D, S.SATISFIED), withdrawn=True)  # withdrawn: not counted
        ahead = issue(state=State.RECTIFIED, reply_deadline=LATER, rectified_at=at(D, 9))
        opinion(ahead, (D, ""))  # on time (no satisfaction recorded is still an answer)
        opinion(ahead)  # not due yet
        # Reopened, rectified again on D+2: the answer before it was found wanting.
        again = issue(
            state=State.RECTIFIED,
            reopen_count=1,
            reply_deadline=D + timedelta(days=5),
            rectified_at=at(D + timedelta(days=2), 9),
        )
        opinion(again, (D, S.UNSATISFIED))  # answered before: past, late
        opinion(again, (D, S.UNSATISFIED), (D + timedelta(days=3), S.SATISFIED))  # on time
        opinion(issue(state=State.RECTIFYING), (D, S.SATISFIED))  # no reply deadline
        b_due = issue(branch=b, state=State.RECTIFIED, reply_deadline=D, rectified_at=at(D, 9))
        opinion(b_due, activity=visit_b)  # B: late


EXPECTED_A = {
    "signed_on_time": 1,
    "sign_due": 3,
    "rectified_on_time": 2,  # on D, and the extended one
    "rectify_due": 4,  # and the late one, and the overdue one
    "replied_on_time": 3,
    "reply_due": 7,
    "extensions_approved": 3,
    "issues_extended": 2,
    "returns": 2,
    "supervision_open": 2,
    "supervision_answered": 1,
}
EXPECTED_B = {
    **dict.fromkeys(CLOCK_KEYS, 0),
    "signed_on_time": 1,
    "sign_due": 1,
    "reply_due": 1,
    "returns": 1,
    "supervision_answered": 1,
}
EXPECTED_TOTAL = {key: EXPECTED_A[key] + EXPECTED_B[key] for key in CLOCK_KEYS}


@pytest.fixture
def data(branch_a, branch_b, staff_a, lead_a, office):
    return ClockData(branch_a, branch_b, staff_a, lead_a, office)


def clock_counts(figures) -> dict[str, int]:
    return {key: figures[key] for key in CLOCK_KEYS}


def test_each_clock_figure_per_branch_and_in_total(data, office, branch_a, branch_b):
    report = campaign_report(office, Selection(campaign=data.c1))
    rows = {row.branch.code: clock_counts(row.figures) for row in report.branches}
    assert rows == {branch_a.code: EXPECTED_A, branch_b.code: EXPECTED_B}
    assert clock_counts(report.total) == EXPECTED_TOTAL
    rates = {key: getattr(report.total, key) for key in CLOCK_RATES}
    assert {key: (rate.numerator, rate.denominator) for key, rate in rates.items()} == {
        "signed_on_time_rate": (2, 4),
        "rectified_on_time_rate": (2, 4),
        "replied_on_time_rate": (3, 8),
    }
    assert rates["replied_on_time_rate"].percent == "37.5%"


def test_a_branch_counts_its_own_clock(data, staff_a, staff_b):
    assert clock_counts(campaign_report(staff_a, Selection(campaign=data.c1)).total) == EXPECTED_A
    assert clock_counts(campaign_report(staff_b, Selection(campaign=data.c1)).total) == EXPECTED_B


def test_the_other_campaign_counts_its_own_records(data, office):
    everything = clock_counts(campaign_report(office, Selection()).total)
    assert everything["extensions_approved"] == EXPECTED_TOTAL["extensions_approved"] + 1
    assert everything["returns"] == EXPECTED_TOTAL["returns"] + 1


def test_the_api_says_the_same(client, data, office, branch_a):
    client.force_login(office)
    body = client.get(API, {"campaign": data.c1.pk}).json()
    assert {key: body[key] for key in CLOCK_KEYS} == EXPECTED_TOTAL
    assert body["signed_on_time_rate"] == 0.5
    assert body["replied_on_time_rate"] == 0.375
    row = next(row for row in body["branches"] if row["branch_id"] == branch_a.pk)
    assert {key: row[key] for key in CLOCK_KEYS} == EXPECTED_A
    assert row["rectified_on_time_rate"] == 0.5


def clock_links(client, params):
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    places = by_place(figure_links(response.content.decode()))
    return {
        place: {key: links for key, links in figures.items() if key in CLOCK_KEYS}
        for place, figures in places.items()
    }


def assert_lists_match(client, links, expected):
    assert set(links) == set(CLOCK_KEYS)
    for key, same_figure in links.items():
        for link in same_figure:
            assert link.shown == expected[key], link
            assert list_count(client, link.href, key) == link.shown, link


def test_every_clock_figure_of_the_province_links_to_that_many_rows(client, data, office):
    client.force_login(office)
    places = clock_links(client, {"campaign": data.c1.pk})
    assert_lists_match(client, places[HEADLINE], EXPECTED_TOTAL)
    assert_lists_match(client, places[TOTAL], EXPECTED_TOTAL)
    assert_lists_match(client, places["quanzhou"], EXPECTED_A)
    assert_lists_match(client, places["zhangzhou"], EXPECTED_B)


def test_every_clock_figure_of_a_branch_links_to_that_many_rows(client, data, staff_a, staff_b):
    client.force_login(staff_a)
    assert_lists_match(client, clock_links(client, {"campaign": data.c1.pk})[HEADLINE], EXPECTED_A)
    client.force_login(staff_b)
    assert_lists_match(client, clock_links(client, {"campaign": data.c1.pk})[HEADLINE], EXPECTED_B)


@pytest.mark.parametrize(
    "name", ["issues:extension_records", "issues:return_records", "issues:supervision_records"]
)
def test_a_branch_never_lists_another_branchs_records(client, data, staff_b, name):
    client.force_login(staff_b)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert {record.issue.branch_id for record in response.context["object_list"]} <= {
        data.b_issue.branch_id
    }


# --- "passed" counts working days -----------------------------------------------------------

FRIDAY = date(2026, 9, 25)
SATURDAY = date(2026, 9, 26)
MONDAY = date(2026, 9, 28)  # the National Day week begins on Thursday 1 October


def test_a_friday_deadline_has_not_passed_on_saturday(branch_a):
    unsigned = IssueFactory(branch=branch_a, sign_deadline=FRIDAY, signed_at=None)
    late = IssueFactory(branch=branch_a, state=State.RECTIFYING, deadline=FRIDAY)
    issues = Issue.objects.filter(pk__in=[unsigned.pk, late.pk])
    assert not issues.filter(sign_overdue_condition(SATURDAY)).exists()
    assert not issues.filter(sign_due_condition(SATURDAY)).exists()
    assert not issues.filter(rectify_due_condition(SATURDAY)).exists()
    assert list(issues.filter(sign_due_condition(MONDAY))) == [unsigned]
    assert list(issues.filter(rectify_due_condition(MONDAY))) == [late]


def test_a_reply_deadline_passes_by_working_days(branch_a):
    target = IssueFactory(branch=branch_a, state=State.RECTIFIED, reply_deadline=FRIDAY)
    item = FeedbackItemFactory(activity=ActivityFactory(branch=branch_a, campaign=target.campaign))
    item.issue = target
    item.save(update_fields=["issue"])
    items = type(item).objects.filter(pk=item.pk)
    # The cutoff of Saturday is Friday itself; of Monday, Monday.
    assert not items.filter(reply_due_condition(FRIDAY)).exists()
    assert items.filter(reply_due_condition(MONDAY)).exists()


def test_a_return_awaiting_the_offices_ruling_is_not_the_branchs_to_sign(
    client, branch_a, staff_a, office
):
    """Returned within its limit, the issue waits for the office: past the sign-for deadline,
    it is not "not signed for, late" for the branch (nor due in its sign-for rate); ruled,
    it has a new sign-for deadline and counts again once that passes."""
    returned = IssueFactory(branch=branch_a, sign_deadline=FRIDAY, signed_at=None)
    IssueReturn.objects.create(
        issue=returned,
        reason=ReturnReason.objects.first(),
        note="不属于本分院",
        returned_by=staff_a,
    )
    issues = Issue.objects.filter(pk=returned.pk)
    assert not issues.filter(sign_overdue_condition(MONDAY)).exists()
    assert not issues.filter(sign_due_condition(MONDAY)).exists()
    client.force_login(staff_a)
    listed = client.get(reverse("issues:issue_list"), {"clock": "sign_overdue"})
    assert returned not in listed.context["page_obj"].object_list
    IssueReturn.objects.filter(issue=returned).update(
        ruling=IssueReturn.Ruling.INSIST, ruled_by=office, ruled_at=timezone.now()
    )
    assert issues.filter(sign_overdue_condition(MONDAY)).exists()


def test_a_reply_approved_after_the_reply_deadline_is_late(branch_a, staff_a, lead_a):
    """Dated by its draft (on the deadline), judged by the later of that and its approval."""
    target = IssueFactory(branch=branch_a, state=State.RECTIFIED, reply_deadline=FRIDAY)
    activity = ActivityFactory(branch=branch_a, campaign=target.campaign)

    def opinion(approved_on=None):
        item = FeedbackItemFactory(activity=activity)
        item.issue = target
        item.save(update_fields=["issue"])
        ReplyFactory(
            feedback_item=item,
            replied_on=FRIDAY,
            replied_by=staff_a,
            approved_by=lead_a if approved_on else None,
            approved_at=at(approved_on, 23, 30) if approved_on else None,
        )
        return item

    direct, approved_in_time, approved_late = (
        opinion(),
        opinion(FRIDAY),
        opinion(MONDAY),
    )
    items = type(direct).objects.filter(issue=target)
    assert set(items.filter(replied_on_time_condition())) == {direct, approved_in_time}
    assert set(items.filter(replied_late_condition(MONDAY + timedelta(days=1)))) == {approved_late}
    assert set(items.filter(reply_due_condition(MONDAY + timedelta(days=1)))) == set(items)
