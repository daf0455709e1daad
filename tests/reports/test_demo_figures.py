"""With the demo campaign, the dashboard and the stats API show the report's figures."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

pytestmark = pytest.mark.django_db

# The report's figures per branch (see tests/demo/test_seed_demo.py): enterprises visited,
# enterprise forums, internal forums, opinions, problems, fixed on the spot (and not
# reopened since), escalated, studied by the provincial meeting (every escalation decided).
REPORT = {
    "泉州": (32, 3, 8, 35, 14, 9, 4, 4),
    "宁德": (26, 3, 7, 92, 17, 10, 6, 6),
    "莆田": (64, 2, 7, 13, 9, 6, 2, 2),
    "南平": (29, 2, 7, 98, 19, 12, 6, 6),
    "三明": (30, 3, 7, 96, 20, 12, 7, 7),
    "龙岩": (28, 3, 7, 92, 18, 12, 6, 6),
    "漳州": (24, 3, 9, 84, 19, 12, 6, 6),
}
KEYS = (
    "enterprises_visited",
    "enterprise_forums",
    "internal_forums",
    "feedback_items",
    "issues_found",
    "fixed_on_the_spot",
    "escalated",
    "decided_by_province",
)
PROVINCE = (233, 19, 52, 510, 116, 73, 37, 37)


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        # Without the online box's opinions: the figures are the report's alone.
        call_command("seed_demo", box=False, stdout=StringIO())
        yield
        transaction.set_rollback(True)


def logged_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_dashboard_shows_the_reports_figures(client):
    response = logged_in(client, "leader").get(reverse("reports:dashboard"))
    total = response.context["total"]
    assert tuple(total[key] for key in KEYS) == PROVINCE
    rows = {row["branch"].short_name: row for row in response.context["rows"]}
    for name, figures in REPORT.items():
        cells = {cell["key"]: cell.get("value") for cell in rows[name]["cells"]}
        assert tuple(cells[key] for key in KEYS) == figures, name
    # No fix was reopened, no escalation waits; the opinions by kind make all 510.
    assert (total["fixed_on_the_spot_reopened"], total["awaiting_decision"]) == (0, 0)
    kinds = ("problem_feedback", "suggestion_feedback", "praise_feedback")
    assert sum(total[key] for key in kinds) == 510
    # 莆田 sent 106 survey forms.
    assert total["surveys"] == 1
    assert total["forms_sent"] == 106
    page = response.content.decode()
    for figure in ("233", "510", "116", "73", "37"):
        assert f'data-figure="{KEYS[PROVINCE.index(int(figure))]}">{figure}</a>' in page


def test_the_stats_api_shows_the_reports_figures(client):
    body = logged_in(client, "office").get(reverse("reports:stats_api")).json()
    assert tuple(body[key] for key in KEYS) == PROVINCE
    by_branch = {row["branch"]: row for row in body["branches"]}
    assert len(by_branch) == 7
    for row in body["branches"]:
        short = next(name for name in REPORT if name in row["branch"])
        assert tuple(row[key] for key in KEYS) == REPORT[short]


def test_a_branch_lead_sees_their_branchs_figures(client):
    body = logged_in(client, "ningde_lead").get(reverse("reports:stats_api")).json()
    assert tuple(body[key] for key in KEYS) == REPORT["宁德"]
    assert [row["branch"] for row in body["branches"]] == [body["branches"][0]["branch"]]
