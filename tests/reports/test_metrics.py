"""Every figure of docs/metrics.md against a dataset whose answers are known by hand.

The dataset has the edge cases the definitions decide: an enterprise visited twice, an
enterprise at a forum (not a visit), a withdrawn visit, an anonymous opinion, a withdrawn
opinion, opinions of each kind, an opinion replied twice (the latest satisfaction counts),
a "not reachable" attempt (no answer), a merged issue (its opinion moved to the survivor),
an issue fixed on the spot then reopened, an overdue issue decided by the province then
escalated again (studied and waiting), an escalation decided, and a whole other campaign. It
runs on SQLite and, in CI, on PostgreSQL.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from issues.models import Issue, Reply
from outreach.models import Activity, FeedbackItem
from reports.metrics import CLOCK_KEYS, COUNT_KEYS, VOICE_KEYS, campaign_report
from reports.selection import Selection
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    EnterpriseFactory,
    EscalationFactory,
    FeedbackItemFactory,
    IssueFactory,
    ProvincialDecisionFactory,
    ReplyFactory,
)

pytestmark = pytest.mark.django_db

S = Reply.Satisfaction
STATE = Issue.State
KIND = FeedbackItem.Kind
D1 = date(2026, 9, 10)
D2 = date(2026, 9, 20)
D3 = date(2026, 10, 5)


class Dataset:
    """Campaign ``c1`` in branches A and B, and campaign ``c2`` in A (never counted)."""

    def __init__(self, branch_a, branch_b, staff_a):
        self.c1 = CampaignFactory(starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 31))
        self.c2 = CampaignFactory(starts_on=date(2025, 9, 1), ends_on=date(2025, 12, 31))
        a, b, c1 = branch_a, branch_b, self.c1
        e1, e2, e3, e4 = (EnterpriseFactory(branch=a) for _ in range(4))
        eb = EnterpriseFactory(branch=b)
        e_other = EnterpriseFactory(branch=a)
        # A: e1 visited twice (counted once), e2 once, e3 only at a forum, e4 at a
        # withdrawn visit: 2 enterprises visited.
        self.v1 = ActivityFactory(branch=a, campaign=c1, occurred_on=D1, enterprises=[e1, e2])
        self.v2 = ActivityFactory(branch=a, campaign=c1, occurred_on=D2, enterprises=[e1])
        forum = ActivityFactory(
            branch=a,
            campaign=c1,
            occurred_on=D2,
            kind=Activity.Kind.ENTERPRISE_FORUM,
            enterprises=[e3],
        )
        internal = ActivityFactory(
            branch=a, campaign=c1, occurred_on=D3, kind=Activity.Kind.INTERNAL_FORUM
        )
        ActivityFactory(
            branch=a, campaign=c1, occurred_on=D3, survey=True, forms_sent=10, forms_returned=8
        )
        ActivityFactory(branch=a, campaign=c1, occurred_on=D1, enterprises=[e4], withdrawn=True)
        vb = ActivityFactory(branch=b, campaign=c1, occurred_on=D3, enterprises=[eb])
        v_other = ActivityFactory(
            branch=a, campaign=self.c2, occurred_on=date(2025, 10, 1), enterprises=[e_other]
        )

        def item(activity, **kwargs):
            return FeedbackItemFactory(activity=activity, **kwargs)

        def reply(feedback, satisfaction, on=D3):
            ReplyFactory(
                feedback_item=feedback,
                satisfaction=satisfaction,
                replied_on=on,
                replied_by=staff_a,
            )

        # Opinions of A in c1: 7 counted (f5 withdrawn); problems but f3 (praise) and f4
        # (a suggestion).
        f1 = item(self.v1, enterprise=e1)
        f2 = item(self.v1, anonymous=True)
        f3 = item(forum, enterprise=e3, closed=True, kind=KIND.PRAISE)
        item(internal, anonymous=True, kind=KIND.SUGGESTION)  # f4: undisposed, unreplied
        item(self.v1, enterprise=e2, withdrawn=True)
        f6 = item(self.v2, enterprise=e1)
        f7 = item(self.v2, enterprise=e1)
        f8 = item(self.v1, enterprise=e2)
        reply(f1, S.SATISFIED)
        reply(f2, S.BASICALLY_SATISFIED)
        reply(f3, S.UNSATISFIED)
        reply(f6, S.UNSATISFIED, on=D2)
        reply(f6, S.SATISFIED, on=D3)  # the latest recorded satisfaction counts
        reply(f8, S.NOT_REACHABLE)  # an attempt: not answered, no satisfaction recorded
        past = timezone.localdate() - timedelta(days=3)
        self.fixed = IssueFactory(
            branch=a,
            campaign=c1,
            state=STATE.RECTIFIED,
            immediate_fix=True,
            feedback_items=[f1, f2],
        )
        # f7 came with the merged duplicate (merging moves the opinions to the survivor).
        self.overdue = IssueFactory(
            branch=a, campaign=c1, state=STATE.ESCALATED, deadline=past, feedback_items=[f6, f7]
        )
        # Decided by the province, then escalated again: studied, and waiting again.
        first = EscalationFactory(
            issue=self.overdue,
            requested_by=staff_a,
            requested_at=timezone.now() - timedelta(days=20),
        )
        ProvincialDecisionFactory(escalation=first)
        EscalationFactory(issue=self.overdue, requested_by=staff_a)
        self.merged = IssueFactory(branch=a, campaign=c1)
        Issue.objects.filter(pk=self.merged.pk).update(
            merged_into=self.overdue, merged_at=timezone.now()
        )
        # Fixed on the spot, answered, then reopened: no longer counted as fixed.
        self.reopened = IssueFactory(
            branch=a,
            campaign=c1,
            state=STATE.RECTIFYING,
            immediate_fix=True,
            reopen_count=1,
            deadline=timezone.localdate() + timedelta(days=10),
            feedback_items=[f8],
        )
        # B in c1: one opinion, one answered issue the province decided.
        fb = item(vb, enterprise=eb)
        reply(fb, S.SATISFIED)
        self.answered = IssueFactory(
            branch=b, campaign=c1, state=STATE.ANSWERED, feedback_items=[fb]
        )
        ProvincialDecisionFactory(escalation=EscalationFactory(issue=self.answered))
        # The other campaign: a visit, an opinion, an escalated issue. Never in c1's figures.
        f_other = item(v_other, enterprise=e_other)
        other = IssueFactory(branch=a, campaign=self.c2, feedback_items=[f_other])
        EscalationFactory(issue=other, requested_by=staff_a)


EXPECTED_A = {
    "enterprises_visited": 2,
    "enterprise_forums": 1,
    "internal_forums": 1,
    "surveys": 1,
    "forms_sent": 10,
    "forms_returned": 8,
    "feedback_items": 7,
    "problem_feedback": 5,  # f1, f2, f6, f7, f8
    "suggestion_feedback": 1,  # f4
    "praise_feedback": 1,  # f3
    "undisposed_feedback": 1,  # f4
    "unreplied_feedback": 3,  # f4, f7, f8 (only attempted)
    "replied_feedback": 4,  # f1, f2, f3, f6
    "satisfied_feedback": 3,  # f1, f2, f6 (satisfied after unsatisfied)
    "satisfaction_recorded": 4,  # and f3; f8 was not reachable
    "issues_found": 3,  # fixed, overdue, reopened; the merged one is not counted
    "fixed_on_the_spot": 1,  # fixed; reopened was fixed on the spot, then reopened
    "fixed_on_the_spot_reopened": 1,
    "escalated": 1,  # overdue, escalated twice
    "decided_by_province": 1,  # overdue's first escalation
    "awaiting_decision": 1,  # overdue's second escalation
    "rectified": 1,
    "answered": 0,
    "overdue": 1,
    "state_collected": 0,
    "state_rectifying": 1,
    "state_escalated": 1,
    "state_rectified": 1,
    "state_answered": 0,
    # The clock: no issue of this dataset has a sign-for or reply deadline, or a clock
    # record; the overdue issue is due for rectification (and late).
    **dict.fromkeys(CLOCK_KEYS, 0),
    "rectify_due": 1,
    # No receipt, rating or box opinion (tests/reports/test_voice_figures.py has them).
    **dict.fromkeys(VOICE_KEYS, 0),
    # The assessment's figures: reopened was answered, then reopened; no notice.
    "reopened": 1,
    "answered_ever": 1,
    "supervision_notices": 0,
}
EXPECTED_B = {
    **dict.fromkeys(COUNT_KEYS, 0),
    "enterprises_visited": 1,
    "feedback_items": 1,
    "problem_feedback": 1,
    "replied_feedback": 1,
    "satisfied_feedback": 1,
    "satisfaction_recorded": 1,
    "issues_found": 1,
    "escalated": 1,
    "decided_by_province": 1,
    "rectified": 1,
    "answered": 1,
    "state_answered": 1,
    "answered_ever": 1,
}


@pytest.fixture
def data(branch_a, branch_b, staff_a):
    return Dataset(branch_a, branch_b, staff_a)


def rows_by_code(report):
    return {row.branch.code: row.figures.counts for row in report.branches}


def test_every_figure_of_the_campaign_per_branch_and_in_total(data, office, branch_a, branch_b):
    report = campaign_report(office, Selection(campaign=data.c1))
    rows = rows_by_code(report)
    assert rows[branch_a.code] == EXPECTED_A
    assert rows[branch_b.code] == EXPECTED_B
    assert report.total.counts == {key: EXPECTED_A[key] + EXPECTED_B[key] for key in COUNT_KEYS}


def test_rates_keep_their_numerator_and_denominator(data, office):
    total = campaign_report(office, Selection(campaign=data.c1)).total
    assert (total.reply_rate.numerator, total.reply_rate.denominator) == (5, 8)
    assert total.reply_rate.percent == "62.5%"
    assert (total.satisfaction_rate.numerator, total.satisfaction_rate.denominator) == (4, 5)
    assert total.satisfaction_rate.value == pytest.approx(0.8)


def test_an_enterprise_visited_by_two_branches_counts_once_in_the_province(data, office, branch_b):
    shared = data.v1.enterprises.first()
    ActivityFactory(branch=branch_b, campaign=data.c1, occurred_on=D1, enterprises=[shared])
    report = campaign_report(office, Selection(campaign=data.c1))
    assert rows_by_code(report)[branch_b.code]["enterprises_visited"] == 2
    assert report.total["enterprises_visited"] == 3  # not 4


def test_all_time_adds_the_other_campaign(data, office, branch_a):
    a = rows_by_code(campaign_report(office, Selection()))[branch_a.code]
    assert a["enterprises_visited"] == 3
    assert a["feedback_items"] == 8
    assert a["issues_found"] == 4
    assert a["escalated"] == 2


def test_a_period_selects_activities_by_date_and_what_came_from_them(data, office, branch_a):
    report = campaign_report(office, Selection(date_from=D2, date_to=D2))
    a = rows_by_code(report)[branch_a.code]
    # On D2: the second visit (e1 again) and the forum; f6, f7 and the forum's f3.
    assert a["enterprises_visited"] == 1
    assert a["enterprise_forums"] == 1
    assert a["feedback_items"] == 3
    # The overdue issue holds f6 and f7; the merged one is not counted.
    assert a["issues_found"] == 1
    assert a["overdue"] == 1
    assert report.total["feedback_items"] == 3


def test_a_branch_selection_keeps_one_row(data, office, branch_b):
    report = campaign_report(office, Selection(campaign=data.c1, branch=branch_b))
    assert [row.branch for row in report.branches] == [branch_b]
    assert report.total.counts == EXPECTED_B


def test_branch_staff_count_only_their_branch(data, staff_a, staff_b, branch_a, branch_b):
    report = campaign_report(staff_b, Selection(campaign=data.c1))
    assert [row.branch for row in report.branches] == [branch_b]
    assert report.total.counts == EXPECTED_B
    report = campaign_report(staff_a, Selection(campaign=data.c1))
    assert report.total.counts == EXPECTED_A


def test_no_role_counts_nothing(data, no_role_user):
    report = campaign_report(no_role_user, Selection(campaign=data.c1))
    assert report.branches == []
    assert set(report.total.counts.values()) == {0}


def test_the_reply_summary_follows_every_write_to_replies(data, office):
    """The trigger keeps the opinion's summary: a new reply, an edit, a removal."""
    item = FeedbackItemFactory(activity=data.v1)
    assert (item.last_replied_on, item.satisfaction) == (None, "")
    first = ReplyFactory(feedback_item=item, satisfaction=S.UNSATISFIED, replied_on=D1)
    item.refresh_from_db()
    assert (item.last_replied_on, item.satisfaction) == (D1, S.UNSATISFIED)
    ReplyFactory(feedback_item=item, satisfaction="", replied_on=D2)
    item.refresh_from_db()
    assert (item.last_replied_on, item.satisfaction) == (D2, S.UNSATISFIED)
    Reply.objects.filter(pk=first.pk).update(satisfaction=S.BASICALLY_SATISFIED)
    item.refresh_from_db()
    assert item.satisfaction == S.BASICALLY_SATISFIED
    Reply.objects.filter(feedback_item=item).delete()
    item.refresh_from_db()
    assert (item.last_replied_on, item.satisfaction) == (None, "")


# --- figures that say what the report says -----------------------------------------------


def test_opinions_by_kind_add_up_to_every_opinion(data, office):
    report = campaign_report(office, Selection(campaign=data.c1))
    for figures in [report.total, *(row.figures for row in report.branches)]:
        kinds = figures["problem_feedback"] + figures["suggestion_feedback"]
        assert kinds + figures["praise_feedback"] == figures["feedback_items"]
    assert report.total["praise_feedback"] == 1


def test_a_reopened_fix_leaves_fixed_on_the_spot_for_its_own_figure(data, office, branch_a):
    def figures():
        a = rows_by_code(campaign_report(office, Selection(campaign=data.c1)))[branch_a.code]
        return a["fixed_on_the_spot"], a["fixed_on_the_spot_reopened"]

    assert figures() == (1, 1)
    Issue.objects.filter(pk=data.fixed.pk).update(reopen_count=1, state=STATE.RECTIFYING)
    assert figures() == (0, 2)


def test_decided_then_escalated_again_is_studied_and_waiting(data, office, branch_a, staff_a):
    def figures():
        a = rows_by_code(campaign_report(office, Selection(campaign=data.c1)))[branch_a.code]
        return a["escalated"], a["decided_by_province"], a["awaiting_decision"]

    assert figures() == (1, 1, 1)
    # The second escalation decided: studied, no longer waiting.
    waiting = data.overdue.escalations.filter(decision__isnull=True).get()
    ProvincialDecisionFactory(escalation=waiting)
    assert figures() == (1, 1, 0)
    # A new issue escalated once: escalated and waiting, not yet studied.
    EscalationFactory(issue=IssueFactory(branch=branch_a, campaign=data.c1), requested_by=staff_a)
    assert figures() == (2, 1, 1)


# Two adjacent weeks (Monday to Sunday) and the fortnight they make.
WEEK_1 = (date(2026, 11, 2), date(2026, 11, 8))
WEEK_2 = (date(2026, 11, 9), date(2026, 11, 15))
FORTNIGHT = (WEEK_1[0], WEEK_2[1])


def test_adjacent_periods_add_up(data, office, branch_a, branch_b):
    """An issue with opinions in both weeks falls in the week of its earliest opinion."""
    a, c1 = branch_a, data.c1
    first = ActivityFactory(branch=a, campaign=c1, occurred_on=date(2026, 11, 6))
    second = ActivityFactory(branch=a, campaign=c1, occurred_on=date(2026, 11, 10))
    in_b = ActivityFactory(branch=branch_b, campaign=c1, occurred_on=date(2026, 11, 15))
    both = [FeedbackItemFactory(activity=first), FeedbackItemFactory(activity=second)]
    IssueFactory(branch=a, campaign=c1, immediate_fix=True, feedback_items=both)
    later = FeedbackItemFactory(activity=second)
    IssueFactory(branch=a, campaign=c1, feedback_items=[later])
    IssueFactory(branch=branch_b, campaign=c1, feedback_items=[FeedbackItemFactory(activity=in_b)])

    def counts(period):
        date_from, date_to = period
        return campaign_report(office, Selection(date_from=date_from, date_to=date_to))

    week_1, week_2, fortnight = counts(WEEK_1), counts(WEEK_2), counts(FORTNIGHT)
    assert (week_1.total["issues_found"], week_2.total["issues_found"]) == (1, 2)
    assert week_1.total["fixed_on_the_spot"] == 1
    # Distinct enterprises visited need not add up; every other figure does.
    for key in set(COUNT_KEYS) - {"enterprises_visited"}:
        assert week_1.total[key] + week_2.total[key] == fortnight.total[key], key
        for row_1, row_2, row in zip(
            week_1.branches, week_2.branches, fortnight.branches, strict=True
        ):
            assert row_1.figures[key] + row_2.figures[key] == row.figures[key], key


# --- the summaries and the raw rows agree -------------------------------------------------

#: Wider than any activity of the dataset: every issue falls in it.
EVERYTHING = {"date_from": date(2000, 1, 1), "date_to": date(2100, 12, 31)}


@pytest.mark.parametrize("scope", ["campaign", "all time"])
def test_summary_rows_count_what_the_raw_rows_count(data, office, scope):
    """Without dates the issues and the enterprises visited are counted from their summary
    rows; with dates, from each issue and visit. A period holding everything must give
    every figure the same, for the province and for each branch."""
    base = {"campaign": data.c1} if scope == "campaign" else {}
    summary = campaign_report(office, Selection(**base))
    raw = campaign_report(office, Selection(**base, **EVERYTHING))
    assert summary.total.counts == raw.total.counts
    assert summary.total["issues_found"] > 0 and summary.total["overdue"] > 0
    assert [row.figures.counts for row in summary.branches] == [
        row.figures.counts for row in raw.branches
    ]
    # All time reads the month rows, a period the day rows: the same charts.
    assert summary.categories == raw.categories
    assert summary.categories_by_branch == raw.categories_by_branch
    if scope == "all time":
        assert summary.over_time == raw.over_time
        assert sum(summary.over_time["opinions"]) == summary.total["feedback_items"]
