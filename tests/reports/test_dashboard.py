"""The dashboard and the stats API: every figure a link to exactly its records, scoped,
and a fixed number of queries whatever the data."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from reports.links import FIGURE_LISTS, figure_url
from reports.metrics import (
    ACTIVITY_KEYS,
    CLOCK_KEYS,
    COUNT_KEYS,
    FEEDBACK_KEYS,
    ISSUE_KEYS,
    KIND_KEYS,
    VOICE_KEYS,
)
from reports.selection import Selection
from tests.factories import ActivityFactory, FeedbackItemFactory, IssueFactory, ReplyFactory
from tests.reports.figure_links import (
    HEADLINE,
    TOTAL,
    FigureLink,
    by_place,
    figure_links,
    voice,
)
from tests.reports.test_metrics import D2, EXPECTED_A, EXPECTED_B, WEEK_1, WEEK_2, Dataset

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
API = reverse("reports:stats_api")


@pytest.fixture
def data(branch_a, branch_b, staff_a):
    return Dataset(branch_a, branch_b, staff_a)


def list_count(client, url: str, key: str) -> int:
    """How many records the list behind ``url`` shows (or, for forms, their total)."""
    response = client.get(url)
    assert response.status_code == 200, url
    if key in ("forms_sent", "forms_returned"):
        # The survey list shows the sums of its surveys' forms, above the surveys.
        totals = response.context["forms_totals"]
        sums = re.search(r'data-testid="forms-totals">([^<]*)<', response.content.decode())
        assert sums and re.findall(r"\d+", sums[1]) == [
            str(totals["sent"]),
            str(totals["returned"]),
        ], url
        return totals[key.removeprefix("forms_")]
    return response.context["paginator"].count


#: What the headline cards link (each rate links its numerator and denominator; the
#: promise meter links the two figures that must reach zero; the opinions by kind and the
#: reopened fixes sit beside their figure).
HEADLINE_KEYS = {*ACTIVITY_KEYS, *FEEDBACK_KEYS, *ISSUE_KEYS, *CLOCK_KEYS, *VOICE_KEYS}
#: What each row of the branch table links (the forms, the opinions by kind, the reopened
#: fixes and the escalations waiting are only in the headline).
ROW_KEYS = HEADLINE_KEYS - {
    "forms_sent",
    "forms_returned",
    *KIND_KEYS,
    "fixed_on_the_spot_reopened",
    "awaiting_decision",
    *VOICE_KEYS,
}
#: What each branch's row of the table of the enterprise's word links: the two
#: satisfactions' numerators and denominators, and where they disagree.
VOICE_ROW_KEYS = {
    "satisfied_feedback",
    "satisfaction_recorded",
    "enterprise_satisfied",
    "enterprise_rated",
    "satisfaction_disagree",
}


def rendered_links(client, params) -> dict[str, dict[str, list[FigureLink]]]:
    """The dashboard's figure links as the page renders them, by place and figure."""
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    return by_place(figure_links(response.content.decode()))


def assert_each_link_lists_what_it_shows(client, links: dict[str, list[FigureLink]]):
    """Following each link (its rendered href, with the reader's own session) lands on a
    list of exactly as many records as the number the link shows."""
    for key, same_figure in links.items():
        for link in same_figure:
            assert list_count(client, link.href, key) == link.shown, link


# --- every number is a link to that many records ------------------------------------------


def test_every_total_links_to_a_list_of_that_many_records(client, data, office):
    client.force_login(office)
    places = rendered_links(client, {"campaign": data.c1.pk})
    assert set(places) == {
        HEADLINE,
        TOTAL,
        "quanzhou",
        "zhangzhou",
        voice("quanzhou"),
        voice("zhangzhou"),
    }
    total = {key: EXPECTED_A[key] + EXPECTED_B[key] for key in COUNT_KEYS}
    for place, keys in ((HEADLINE, HEADLINE_KEYS), (TOTAL, ROW_KEYS)):
        assert set(places[place]) == keys, place
        shown = {key: link.shown for key, links in places[place].items() for link in links}
        assert shown == {key: total[key] for key in keys}, place
        assert_each_link_lists_what_it_shows(client, places[place])
    # Each figure is said once in the headline; the opinions twice (their card and the
    # reply rate's denominator). A card showing figures beside it shows only its own.
    times = {key: len(links) for key, links in places[HEADLINE].items()}
    assert times == {key: 2 if key == "feedback_items" else 1 for key in HEADLINE_KEYS}


def test_every_branch_cell_links_to_a_list_of_that_many_records(client, data, office):
    client.force_login(office)
    places = rendered_links(client, {"campaign": data.c1.pk})
    for code, expected in (("quanzhou", EXPECTED_A), ("zhangzhou", EXPECTED_B)):
        row = places[code]
        assert set(row) == ROW_KEYS, code
        shown = {key: link.shown for key, links in row.items() for link in links}
        assert shown == {key: expected[key] for key in ROW_KEYS}, code
        assert_each_link_lists_what_it_shows(client, row)


def test_figures_of_a_period_link_to_lists_of_that_period(client, data, office):
    client.force_login(office)
    places = rendered_links(client, {"campaign": "", "date_from": D2, "date_to": D2})
    headline = places[HEADLINE]
    assert (headline["feedback_items"][0].shown, headline["issues_found"][0].shown) == (3, 1)
    for place in (HEADLINE, TOTAL, "quanzhou", "zhangzhou"):
        assert_each_link_lists_what_it_shows(client, places[place])


def test_adjacent_weeks_link_to_lists_that_add_up(client, data, office, branch_a):
    """An issue with opinions in two adjacent weeks is listed in the week of its earliest
    opinion only: the two weeks' lists add up to the fortnight's."""
    first = ActivityFactory(branch=branch_a, campaign=data.c1, occurred_on=WEEK_1[1])
    second = ActivityFactory(branch=branch_a, campaign=data.c1, occurred_on=WEEK_2[0])
    both = [FeedbackItemFactory(activity=first), FeedbackItemFactory(activity=second)]
    IssueFactory(branch=branch_a, campaign=data.c1, feedback_items=both)
    IssueFactory(
        branch=branch_a, campaign=data.c1, feedback_items=[FeedbackItemFactory(activity=second)]
    )
    client.force_login(office)
    shown = {}
    for name, (date_from, date_to) in (
        ("week_1", WEEK_1),
        ("week_2", WEEK_2),
        ("fortnight", (WEEK_1[0], WEEK_2[1])),
    ):
        places = rendered_links(
            client, {"campaign": "", "date_from": date_from, "date_to": date_to}
        )
        for place in (HEADLINE, TOTAL, "quanzhou"):
            assert_each_link_lists_what_it_shows(client, places[place])
        shown[name] = places[HEADLINE]["issues_found"][0].shown
    assert shown == {"week_1": 1, "week_2": 1, "fortnight": 2}


def test_branch_staff_figures_link_to_their_own_lists(client, data, staff_a):
    client.force_login(staff_a)
    places = rendered_links(client, {"campaign": data.c1.pk})
    # One branch: the headline and its own row of the enterprise's word, no table of
    # branches.
    assert set(places) == {HEADLINE, voice("quanzhou")}
    shown = {key: link.shown for key, links in places[HEADLINE].items() for link in links}
    assert shown == {key: EXPECTED_A[key] for key in HEADLINE_KEYS}
    assert_each_link_lists_what_it_shows(client, places[HEADLINE])


def test_every_figure_has_a_list():
    assert set(FIGURE_LISTS) == set(COUNT_KEYS)


def test_links_carry_the_selection(data, branch_a):
    url = figure_url("overdue", Selection(campaign=data.c1, date_to=D2), branch_a)
    query = parse_qs(urlsplit(url).query)
    assert query == {
        "overdue": ["yes"],
        "campaign": [str(data.c1.pk)],
        "date_to": [D2.isoformat()],
        "branch": [str(branch_a.pk)],
    }
    # The enterprise list's branch is the home branch: a visit has its own names.
    url = figure_url("enterprises_visited", Selection(campaign=data.c1), branch_a)
    assert parse_qs(urlsplit(url).query) == {
        "visited": ["yes"],
        "visit_campaign": [str(data.c1.pk)],
        "visit_branch": [str(branch_a.pk)],
    }


# --- the page ------------------------------------------------------------------------------


def test_dashboard_opens_on_the_newest_campaign(client, data, office):
    client.force_login(office)
    response = client.get(DASHBOARD)
    assert response.context["selection"].campaign == data.c1
    assert response.context["total"]["feedback_items"] == 8


def test_leaders_see_their_liaison_branches_marked(client, data, leader, branch_a, branch_b):
    client.force_login(leader)
    response = client.get(DASHBOARD, {"campaign": data.c1.pk})
    marked = {row["branch"] for row in response.context["rows"] if row["is_liaison"]}
    assert marked == {branch_a}
    assert b'data-liaison="true"' in response.content


def test_the_table_sorts_by_any_column(client, data, office, branch_a, branch_b):
    client.force_login(office)
    by_answered = client.get(DASHBOARD, {"campaign": data.c1.pk, "sort": "-answered"})
    assert [row["branch"] for row in by_answered.context["rows"]] == [branch_b, branch_a]
    by_opinions = client.get(DASHBOARD, {"campaign": data.c1.pk, "sort": "-feedback_items"})
    assert [row["branch"] for row in by_opinions.context["rows"]] == [branch_a, branch_b]
    by_rate = client.get(DASHBOARD, {"campaign": data.c1.pk, "sort": "reply_rate"})
    assert [row["branch"] for row in by_rate.context["rows"]] == [branch_a, branch_b]


def test_branch_staff_cannot_widen_their_scope_with_a_branch_id(client, data, staff_b, branch_a):
    client.force_login(staff_b)
    response = client.get(DASHBOARD, {"campaign": data.c1.pk, "branch": branch_a.pk})
    assert response.context["total"].counts == EXPECTED_B
    assert "branch" not in response.context["form"].fields


def test_a_backwards_period_is_refused_with_a_message(client, data, office):
    client.force_login(office)
    response = client.get(DASHBOARD, {"date_from": "2026-10-01", "date_to": "2026-09-01"})
    assert response.status_code == 400
    assert "开始日期晚于结束日期" in response.content.decode()


def test_the_charts_carry_the_counts(client, data, office):
    client.force_login(office)
    charts = client.get(DASHBOARD, {"campaign": data.c1.pk}).context["charts"]
    assert charts["funnel"]["counts"] == [8, 5, 4, 2, 1]
    assert sum(charts["over_time"]["opinions"]) == 8
    assert sum(charts["over_time"]["activities"]) == 6
    assert charts["over_time"]["bucket"] == "week"
    assert sum(charts["categories"]["counts"]) == 8
    assert charts["by_branch"] is True


def test_attention_lists_overdue_escalations_and_unsatisfied(client, data, office, branch_a):
    unhappy = FeedbackItemFactory(activity=data.v1)
    ReplyFactory(feedback_item=unhappy, satisfaction="unsatisfied")
    client.force_login(office)
    response = client.get(reverse("reports:dashboard_attention"), {"campaign": data.c1.pk})
    assert list(response.context["overdue_issues"]) == [data.overdue]
    assert [e.issue for e in response.context["escalations"]] == [data.overdue]
    # The forum's closed opinion was unsatisfied too; the newest reply comes first.
    unsatisfied = list(response.context["unsatisfied"])
    assert unsatisfied[0] == unhappy
    assert len(unsatisfied) == 2
    assert list_count(client, response.context["unsatisfied_url"], "") == 2


def test_titles_are_escaped(client, data, office):
    data.overdue.title = "<script>alert(1)</script>"
    data.overdue.save()
    client.force_login(office)
    response = client.get(reverse("reports:dashboard_attention"), {"campaign": data.c1.pk})
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;" in response.content


# --- the stats API ---------------------------------------------------------------------------

API_KEYS = {
    "enterprises_visited",
    "enterprise_forums",
    "internal_forums",
    "surveys",
    "forms_sent",
    "forms_returned",
    "feedback_items",
    "issues_found",
    "problem_feedback",
    "suggestion_feedback",
    "praise_feedback",
    "fixed_on_the_spot",
    "fixed_on_the_spot_reopened",
    "escalated",
    "decided_by_province",
    "awaiting_decision",
    "rectified",
    "answered",
    "overdue",
    "undisposed_feedback",
    "unreplied_feedback",
    "reply_rate",
    "satisfaction_rate",
}


def test_api_returns_every_key_in_total_and_per_branch(client, data, office):
    client.force_login(office)
    body = client.get(API, {"campaign": data.c1.pk}).json()
    assert API_KEYS <= set(body)
    assert {key: body[key] for key in API_KEYS - {"reply_rate", "satisfaction_rate"}} == {
        key: EXPECTED_A[key] + EXPECTED_B[key]
        for key in API_KEYS - {"reply_rate", "satisfaction_rate"}
    }
    assert body["reply_rate"] == 0.625
    assert body["satisfaction_rate"] == 0.8
    branches = {row["branch"]: row for row in body["branches"]}
    assert set(branches) == {"泉州分院", "漳州分院"}
    for row in body["branches"]:
        assert API_KEYS | {"branch"} <= set(row)
    assert sum(row["feedback_items"] for row in body["branches"]) == 8


def test_api_filters_by_period_and_branch(client, data, office, branch_b):
    client.force_login(office)
    body = client.get(API, {"date_from": D2, "date_to": D2}).json()
    assert (body["feedback_items"], body["issues_found"]) == (3, 1)
    body = client.get(API, {"campaign": data.c1.pk, "branch": branch_b.pk}).json()
    assert body["feedback_items"] == 1
    assert [row["branch_id"] for row in body["branches"]] == [branch_b.pk]


def test_api_without_a_campaign_counts_all_time(client, data, office):
    client.force_login(office)
    assert client.get(API).json()["feedback_items"] == 9


def test_api_is_scoped_like_the_dashboard(client, data, staff_b, branch_a):
    client.force_login(staff_b)
    body = client.get(API, {"campaign": data.c1.pk, "branch": branch_a.pk}).json()
    assert body["feedback_items"] == 1
    assert len(body["branches"]) == 1


def test_api_refuses_bad_parameters_with_reasons(client, data, office):
    client.force_login(office)
    response = client.get(API, {"campaign": 999999, "date_from": "tomorrow"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"campaign", "date_from"}


def test_api_asks_anonymous_callers_to_log_in(client):
    response = client.get(API)
    assert response.status_code == 401
    assert "error" in response.json()


# --- queries: the same at any size -----------------------------------------------------------


def grow(branch, campaign, n):
    for _ in range(n):
        activity = ActivityFactory(branch=branch, campaign=campaign)
        items = FeedbackItemFactory.create_batch(3, activity=activity)
        ReplyFactory(feedback_item=items[0])
        IssueFactory(branch=branch, campaign=campaign, feedback_items=items[1:])


# session, user, membership, campaigns, branches, activities, visited (one UNION),
# opinions, the office's calendar days (overdue counts working days), issues (their
# summaries, the running clock and the escalated, one UNION), the clock's records and
# opinions replied on time (one UNION), unread notifications
DASHBOARD_QUERIES = 12
# session, user, membership, campaigns, branches, overdue, escalations, unsatisfied (a
# fragment: no bell), the office's calendar days
ATTENTION_QUERIES = 9
# the dashboard's, without the notifications
API_QUERIES = 11


@pytest.mark.parametrize("size", [1, 15])
def test_query_counts_do_not_grow_with_the_data(
    client, data, office, branch_a, size, django_assert_num_queries
):
    grow(branch_a, data.c1, size)
    client.force_login(office)
    client.get(reverse("reports:home"))
    params = {"campaign": data.c1.pk}
    with django_assert_num_queries(DASHBOARD_QUERIES):
        client.get(DASHBOARD, params)
    with django_assert_num_queries(ATTENTION_QUERIES):
        client.get(reverse("reports:dashboard_attention"), params)
    with django_assert_num_queries(API_QUERIES):
        client.get(API, params)
