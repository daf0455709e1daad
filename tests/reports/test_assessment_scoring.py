"""The assessment's rules, on figures made by hand (docs/metrics.md, "The assessment"):
scores, the minimum for ranking, the share of weight a rank needs, ties, and periods."""

from datetime import date

import pytest
from django.urls import reverse

from branches.models import Branch
from reports.assessment.components import COMPONENTS
from reports.assessment.periods import Period, default_period
from reports.assessment.scoring import assess_branches
from reports.metrics import BranchFigures, Figures, Rate, Report
from reports.models import AssessmentScheme
from reports.selection import Selection


def branch(pk: int) -> Branch:
    return Branch(pk=pk, code=f"b{pk}", name=f"B{pk}", short_name=f"B{pk}", sort_order=pk)


def figures(**counts) -> Figures:
    result = Figures()
    result.counts.update(counts)
    return result


def report(*rows: Figures) -> Report:
    return Report(
        selection=Selection(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31)),
        total=Figures(),
        branches=[BranchFigures(branch(i), False, f) for i, f in enumerate(rows, start=1)],
        over_time={},
        categories=[],
        categories_by_branch={},
    )


def scheme(weights, minimum=5) -> AssessmentScheme:
    return AssessmentScheme(starts_on=date(2026, 9, 1), weights=weights, min_denominator=minimum)


def test_each_kind_of_component_scores_from_0_to_100():
    assert COMPONENTS["reply_rate"].score(Rate(9, 10)) == pytest.approx(90)
    # Less is better: 1 reopened of 4 answered scores 75.
    assert COMPONENTS["reopen_rate"].score(Rate(1, 4)) == pytest.approx(75)
    # Notices per 100 issues: 3 notices on 20 issues is 15 per 100, scoring 85; never < 0.
    supervision = COMPONENTS["supervision"]
    assert supervision.score(Rate(3, 20)) == pytest.approx(85)
    assert supervision.shown(Rate(3, 20)) == "15.0"
    assert supervision.score(Rate(30, 20)) == 0
    assert COMPONENTS["reply_rate"].score(Rate(0, 0)) is None


def test_the_score_is_the_weighted_mean_of_the_scored_components():
    [row] = assess_branches(
        report(figures(replied_feedback=8, feedback_items=10, rectified_on_time=5, rectify_due=10)),
        scheme({"reply_rate": 3, "rectified_on_time": 1}),
    )
    assert row.score == pytest.approx((3 * 80 + 1 * 50) / 4)
    assert row.rank == 1
    # In the components' order, whatever the weights' order; each links its list.
    assert [cell.component.key for cell in row.cells] == ["rectified_on_time", "reply_rate"]
    assert [cell.numerator_url.split("?")[0] for cell in row.cells] == [
        reverse("issues:issue_list"),
        reverse("outreach:feedback_list"),
    ]


def test_a_component_below_the_minimum_is_shown_marked_and_left_out():
    [row] = assess_branches(
        report(figures(replied_feedback=8, feedback_items=10, rectified_on_time=0, rectify_due=2)),
        scheme({"reply_rate": 3, "rectified_on_time": 1}),
    )
    rectified, reply = row.cells
    assert (rectified.below_minimum, rectified.shown) == (True, "0.0%")
    assert not reply.below_minimum
    assert row.score == pytest.approx(80)  # the 0 of 2 does not pull it down
    assert row.ranked  # the reply rate carries 3/4 of the weight


def test_a_branch_with_two_cases_is_not_ranked_above_one_with_two_hundred():
    few = figures(replied_feedback=2, feedback_items=2, rectified_on_time=2, rectify_due=2)
    many = figures(replied_feedback=180, feedback_items=200, rectified_on_time=150, rectify_due=200)
    rows = assess_branches(report(few, many), scheme({"reply_rate": 1, "rectified_on_time": 1}))
    assert [(row.branch.code, row.rank, row.ranked) for row in rows] == [
        ("b2", 1, True),
        ("b1", None, False),
    ]
    assert all(cell.below_minimum for cell in rows[1].cells)


def test_components_with_nothing_due_count_neither_for_nor_against():
    # Nothing to sign for (0/0): the reply rate alone, above the minimum, ranks the branch.
    only_replies = figures(replied_feedback=9, feedback_items=10)
    [row] = assess_branches(report(only_replies), scheme({"reply_rate": 1, "signed_on_time": 3}))
    assert row.ranked and row.weight_scored == 1
    assert not row.cells[0].below_minimum  # 0/0 is not "too few": there is nothing due


def test_less_than_half_of_the_weight_scored_is_not_ranked():
    rows = assess_branches(
        report(figures(replied_feedback=9, feedback_items=10, rectified_on_time=1, rectify_due=2)),
        scheme({"reply_rate": 1, "rectified_on_time": 2}),
    )
    assert not rows[0].ranked and rows[0].rank is None
    assert rows[0].weight_scored == pytest.approx(1 / 3)


def test_equal_scores_share_a_rank_and_the_next_one_skips():
    def replied(n):
        return figures(replied_feedback=n, feedback_items=10)

    rows = assess_branches(
        report(replied(7), replied(9), replied(9), replied(5)), scheme({"reply_rate": 1})
    )
    assert [(row.branch.code, row.rank) for row in rows] == [
        ("b2", 1),
        ("b3", 1),
        ("b1", 3),
        ("b4", 4),
    ]


def test_the_change_is_measured_against_the_previous_period():
    rows = assess_branches(
        report(
            figures(replied_feedback=9, feedback_items=10),
            figures(replied_feedback=5, feedback_items=10),
        ),
        scheme({"reply_rate": 1}),
    )
    before = assess_branches(
        report(
            figures(replied_feedback=5, feedback_items=10),
            figures(replied_feedback=6, feedback_items=10),
        ),
        scheme({"reply_rate": 1}),
    )
    by_code = {row.branch.code: row for row in before}
    for row in rows:
        row.previous = by_code[row.branch.code]
    first, second = rows
    assert (first.branch.code, first.rank_change, first.score_change) == ("b1", 1, 40.0)
    assert (second.rank_change, second.places_moved) == (-1, 1)


@pytest.mark.parametrize(
    ("key", "start", "end", "previous"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "2026-10"),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31), "2025-12"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "2025-Q4"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2025"),
    ],
)
def test_periods_read_as_they_say(key, start, end, previous):
    period = Period.parse(key)
    assert (period.start, period.end, period.previous().key, period.key) == (
        start,
        end,
        previous,
        key,
    )
    assert period.selection() == Selection(date_from=start, date_to=end)


@pytest.mark.parametrize(
    "key",
    ["", "2026-13", "2026-00", "2026-Q5", "26-11", "1999", "9999-12", "2026-11-01", "２０２６"],
)
def test_a_malformed_period_is_none(key):
    assert Period.parse(key) is None


def test_the_default_period_is_the_last_month_that_ended():
    assert default_period(date(2026, 12, 4)).key == "2026-11"
    assert default_period(date(2027, 1, 1)).key == "2026-12"
