"""The assessment (考核) of the demo's months: every component a link to exactly its
records, every branch's rank, a branch shown its own row only, and weights kept per
period (a change of weights leaves every month that has ended as it was).

The demo campaign of ``manage.py seed_demo`` (September to November 2026, with the
office's scheme from September) is built once for the module inside a transaction rolled
back at the end; each test runs in its own savepoint inside it.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.models import Branch, Membership
from reports.assessment.periods import Period, month_start
from reports.assessment.selectors import assess
from reports.assessment.services import assessment_scheme_set
from reports.models import AssessmentScheme
from tests.factories import ActivityFactory, FeedbackItemFactory, IssueFactory
from tests.reports.figure_links import by_place, figure_links
from tests.reports.test_dashboard import list_count

pytestmark = pytest.mark.django_db

URL = reverse("reports:assessment")
SCHEME_URL = reverse("reports:assessment_scheme_edit")
DEMO_MONTHS = ("2026-09", "2026-10", "2026-11")


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", box=False, stdout=StringIO())
        yield
        transaction.set_rollback(True)


def user(username):
    return get_user_model().objects.get(username=username)


def branch_user(code, role=Membership.Role.STAFF):
    return Membership.objects.filter(branch__code=code, role=role).first().user


def page(client, username_or_user, **params):
    client.force_login(
        user(username_or_user) if isinstance(username_or_user, str) else username_or_user
    )
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def snapshot(period_key: str) -> list[tuple]:
    """Each branch's rank, score and components as the office's page computes them."""
    result = assess(user("office"), Period.parse(period_key))
    return [
        (
            row.branch.code,
            row.rank,
            row.shown_score,
            [(cell.component.key, cell.weight, cell.shown, cell.scored) for cell in row.cells],
        )
        for row in result.rows
    ]


def table(response) -> str:
    """The page's table of branches, as rendered (the rest of the page carries its
    one-time keys)."""
    html = response.content.decode()
    start = html.index('data-testid="assessment-table"')
    return html[start : html.index("</table>", start)]


# --- every component, a link to exactly its records ------------------------------------


@pytest.mark.parametrize("month", DEMO_MONTHS)
def test_every_component_of_a_demo_month_links_to_exactly_its_records(client, month):
    response = page(client, "office", period=month)
    scheme = response.context["scheme"]
    assert scheme.starts_on.isoformat() == "2026-09-01"
    html = response.content.decode()
    chosen = [component.key for component, _weight in scheme.chosen()]
    assert html.count('data-component="') == len(chosen) == 7
    places = by_place(figure_links(html))
    codes = set(Branch.objects.filter(kind=Branch.Kind.CITY).values_list("code", flat=True))
    assert set(places) == codes
    followed = {}
    for code, links in places.items():
        row = response.context["assessment"].row_of(Branch.objects.get(code=code).pk)
        keys = {
            key
            for cell in row.cells
            for key in (cell.component.numerator, cell.component.denominator)
        }
        assert set(links) == keys, code
        for key, same in links.items():
            for link in same:
                assert f"branch={row.branch.pk}" in link.href
                if link.href not in followed:
                    followed[link.href] = list_count(client, link.href, key)
                assert followed[link.href] == link.shown, (code, key, link.href)
    # Every month of the demo has records behind its figures, not only zeros.
    assert sum(link.shown for links in places.values() for same in links.values() for link in same)


def test_the_demo_months_rank_their_branches_and_mark_the_few_cases():
    for month in DEMO_MONTHS:
        result = assess(user("office"), Period.parse(month))
        assert len(result.rows) == 7
        ranks = [row.rank for row in result.ranked]
        assert ranks and ranks == sorted(ranks) and ranks[0] == 1
        # A branch below the minimum everywhere it counts is never above a ranked one.
        assert all(not row.ranked for row in result.rows[len(ranks) :])
    november = assess(user("office"), Period.parse("2026-11"))
    assert any(cell.below_minimum for row in november.rows for cell in row.cells)


def test_a_quarter_adds_up_its_months():
    quarter = assess(user("office"), Period.parse("2026-Q4"))
    months = [assess(user("office"), Period.parse(k)) for k in ("2026-10", "2026-11", "2026-12")]
    for row in quarter.rows:
        for position, cell in enumerate(row.cells):
            parts = [m.row_of(row.branch.pk).cells[position].rate for m in months]
            assert cell.rate.numerator == sum(p.numerator for p in parts)
            assert cell.rate.denominator == sum(p.denominator for p in parts)


def test_the_previous_period_gives_the_change(client):
    response = page(client, "leader", period="2026-10")
    result = response.context["assessment"]
    september = {row.branch.pk: row for row in assess(user("office"), Period.parse("2026-09")).rows}
    for row in result.ranked:
        before = september[row.branch.pk]
        if before.rank:
            assert row.rank_change == before.rank - row.rank
    assert "2026年9月" in response.content.decode()  # "change since September"


# --- who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Membership.Role.STAFF, Membership.Role.LEAD])
def test_a_branch_sees_its_own_row_and_rank_only(client, role):
    quanzhou = Branch.objects.get(code="quanzhou")
    office_rows = page(client, "office", period="2026-10").context["assessment"].rows
    office_row = next(row for row in office_rows if row.branch == quanzhou)
    response = page(client, branch_user("quanzhou", role), period="2026-10")
    assert [row.branch for row in response.context["rows"]] == [quanzhou]
    own = response.context["own_row"]
    assert (own.rank, own.shown_score) == (office_row.rank, office_row.shown_score)
    assert response.context["assessment"] is None  # the other rows never reach the page
    html = response.content.decode()
    assert set(by_place(figure_links(html))) == {"quanzhou"}
    for other in Branch.objects.filter(kind=Branch.Kind.CITY).exclude(pk=quanzhou.pk):
        assert f'data-branch="{other.code}"' not in html
        assert other.short_name not in html
        assert f"branch={other.pk}" not in html
    assert 'data-testid="ranked-count"' not in html  # nothing counted of the others
    assert 'data-testid="bulletin-link"' not in html


def test_a_branch_cannot_ask_for_another_branch(client):
    response = page(
        client,
        branch_user("quanzhou"),
        period="2026-10",
        branch=Branch.objects.get(code="zhangzhou").pk,
    )
    assert [row.branch.code for row in response.context["rows"]] == ["quanzhou"]


# --- weights kept per period -----------------------------------------------------------


def test_changing_the_weights_leaves_every_month_that_ended_as_it_was(client):
    today = timezone.localdate()
    before = {key: snapshot(key) for key in (*DEMO_MONTHS, "2026-Q3")}
    pages_before = {key: table(page(client, "office", period=key)) for key in DEMO_MONTHS}
    client.force_login(user("office"))
    response = client.post(
        SCHEME_URL,
        {
            "starts_on": month_start(today).isoformat(),
            "min_denominator": 1,
            "weight_signed_on_time": 0,
            "weight_rectified_on_time": 1,
            "weight_replied_on_time": 0,
            "weight_reply_rate": 9,
            "weight_staff_satisfaction": 5,
            "weight_enterprise_satisfaction": 0,
            "weight_reopen_rate": 0,
            "weight_supervision": 0,
        },
    )
    assert response.status_code == 302
    new = AssessmentScheme.objects.get(starts_on=month_start(today))
    assert new.weights == {"rectified_on_time": 1, "reply_rate": 9, "staff_satisfaction": 5}
    assert new.set_by == user("office")
    for key, rows in before.items():
        assert snapshot(key) == rows, key
    for key, content in pages_before.items():
        assert table(page(client, "office", period=key)) == content, key
    # The current month is assessed with the new weights.
    current = assess(user("office"), Period.containing(today))
    assert current.scheme == new
    assert [cell.weight for cell in current.rows[0].cells] == [1, 9, 5]


def test_a_month_that_ended_keeps_its_scheme(client):
    office = user("office")
    before = snapshot("2026-10")
    with pytest.raises(ValidationError) as refused:
        assessment_scheme_set(
            user=office,
            starts_on=Period.parse("2026-10").start,
            weights={"reply_rate": 1},
            min_denominator=1,
        )
    assert refused.value.code == "month_ended"
    # Nor the scheme of September itself.
    with pytest.raises(ValidationError):
        assessment_scheme_set(
            user=office,
            starts_on=Period.parse("2026-09").start,
            weights={"reply_rate": 1},
            min_denominator=1,
        )
    client.force_login(office)
    response = client.post(
        SCHEME_URL,
        {"starts_on": "2026-10-01", "min_denominator": 1, "weight_reply_rate": 1}
        | {
            f"weight_{key}": 0
            for key in (
                "signed_on_time",
                "rectified_on_time",
                "replied_on_time",
                "staff_satisfaction",
                "enterprise_satisfaction",
                "reopen_rate",
                "supervision",
            )
        },
    )
    assert response.status_code == 200  # the form again: not a month it may choose
    assert response.context["form"].errors
    assert snapshot("2026-10") == before
    assert AssessmentScheme.objects.count() == 1


def test_months_no_scheme_covered_may_get_their_first_one():
    office = user("office")
    assert assess(office, Period.parse("2026-08")).scheme is None
    scheme = assessment_scheme_set(
        user=office,
        starts_on=Period.parse("2026-07").start,
        weights={"reply_rate": 1},
        min_denominator=2,
    )
    assert assess(office, Period.parse("2026-08")).scheme == scheme
    assert assess(office, Period.parse("2026-09")).scheme.starts_on.month == 9
    # Once covered, a month that ended is kept.
    with pytest.raises(ValidationError):
        assessment_scheme_set(
            user=office,
            starts_on=Period.parse("2026-08").start,
            weights={"reply_rate": 1},
            min_denominator=1,
        )


@pytest.mark.parametrize("username", ["leader", "admin"])
def test_only_the_office_sets_weights(username):
    with pytest.raises(PermissionDenied):
        assessment_scheme_set(
            user=user(username),
            starts_on=month_start(timezone.localdate()),
            weights={"reply_rate": 1},
            min_denominator=1,
        )


def test_a_period_before_any_scheme_says_so(client):
    response = page(client, "office", period="2026-06")
    assert response.context["scheme"] is None
    assert 'data-testid="no-scheme"' in response.content.decode()


def test_a_malformed_period_is_a_400(client):
    client.force_login(user("office"))
    assert client.get(URL, {"period": "2026-13"}).status_code == 400


# --- cost ------------------------------------------------------------------------------


def grow(copies):
    campaign = ActivityFactory._meta.model.objects.first().campaign
    for branch in Branch.objects.filter(kind=Branch.Kind.CITY):
        for _ in range(copies):
            activity = ActivityFactory(
                branch=branch, campaign=campaign, occurred_on=Period.parse("2026-10").start
            )
            IssueFactory(
                branch=branch,
                campaign=campaign,
                feedback_items=[FeedbackItemFactory(activity=activity)],
            )


@pytest.mark.parametrize("username", ["leader", "quanzhou_staff"])
def test_queries_do_not_grow_with_the_data(client, username, django_assert_num_queries):
    client.force_login(user(username))
    params = {"period": "2026-10"}
    client.get(URL, params)  # the first request after login refreshes the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    # session, user, membership, the bell, the schemes, the branches, two periods' figures
    assert len(queries) <= 32
    grow(3)
    with django_assert_num_queries(len(queries)):
        assert client.get(URL, params).status_code == 200
