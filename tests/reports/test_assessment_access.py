"""Who sees what of the assessment, over the two-branch world: the province every branch,
a branch its own row and rank and nothing of the other's; only the office posts weights,
and a refused post changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.assessment.periods import Period, month_start
from reports.models import AssessmentScheme
from tests.db_state import database_rows
from tests.factories import AssessmentSchemeFactory, FeedbackItemFactory, ReplyFactory
from tests.reports.figure_links import by_place, figure_links
from tests.test_access import LOGIN, assert_answer, log_in_as

pytestmark = pytest.mark.django_db

URL = reverse("reports:assessment")
SCHEME_URL = reverse("reports:assessment_scheme_edit")

#: The branches' rows each persona sees (by the branch's code).
ROWS_SEEN = {
    "staff_a": {"quanzhou"},
    "lead_a": {"quanzhou"},
    "staff_b": {"zhangzhou"},
    "office": {"quanzhou", "zhangzhou"},
    "leader": {"quanzhou", "zhangzhou"},
    "admin_user": {"quanzhou", "zhangzhou"},
}


@pytest.fixture
def assessed(world):
    """A scheme in force in the month of the world's activities (a minimum of 1, so both
    branches are ranked on their few opinions): B's opinion replied, one of A's two."""
    AssessmentSchemeFactory(
        starts_on=month_start(world.a.activity.occurred_on),
        weights={"reply_rate": 1, "rectified_on_time": 1},
        min_denominator=1,
    )
    ReplyFactory(feedback_item=world.b.feedback, replied_by=world.b.activity.staff.first())
    FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    return Period.containing(world.a.activity.occurred_on)


@pytest.mark.parametrize("persona", sorted(ROWS_SEEN))
def test_each_persona_sees_the_rows_of_its_scope(client, personas, world, assessed, persona):
    log_in_as(client, personas, persona)
    response = client.get(URL, {"period": assessed.key})
    assert response.status_code == 200
    html = response.content.decode()
    rows = {row.branch.code for row in response.context["rows"]}
    assert rows == ROWS_SEEN[persona]
    assert set(by_place(figure_links(html))) == rows
    hidden = {"quanzhou": world.a.branch, "zhangzhou": world.b.branch}
    for code, branch in hidden.items():
        if code in rows:
            continue
        assert f'data-branch="{code}"' not in html
        assert branch.short_name not in html and branch.name not in html
        assert f"branch={branch.pk}" not in html


def test_a_branch_is_told_its_rank_among_every_branch(client, staff_b, world, assessed):
    client.force_login(staff_b)
    response = client.get(URL, {"period": assessed.key})
    own = response.context["own_row"]
    # B replied to its opinion, A to one of its two: B is first of the two, A second.
    assert (own.branch, own.rank) == (world.b.branch, 1)
    assert 'data-testid="own-rank"' in response.content.decode()
    client.force_login(world.a.activity.staff.first())
    assert client.get(URL, {"period": assessed.key}).context["own_row"].rank == 2


def test_no_role_sees_no_assessment(client, no_role_user, assessed):
    client.force_login(no_role_user)
    assert client.get(URL, {"period": assessed.key}).status_code == 404


def scheme_post(month) -> dict:
    return {
        "starts_on": month.isoformat(),
        "min_denominator": 2,
        "weight_signed_on_time": 0,
        "weight_rectified_on_time": 0,
        "weight_replied_on_time": 0,
        "weight_reply_rate": 3,
        "weight_staff_satisfaction": 0,
        "weight_enterprise_satisfaction": 0,
        "weight_reopen_rate": 1,
        "weight_supervision": 0,
    }


SCHEME_POSTS = {
    "anonymous": LOGIN,
    "staff_a": 403,
    "lead_a": 403,
    "staff_b": 403,
    "lead_b": 403,
    "office": 302,
    "leader": 403,
    "admin_user": 403,
    "no_role_user": 403,
}


@pytest.mark.parametrize("persona", sorted(SCHEME_POSTS))
def test_only_the_office_posts_weights(client, personas, world, persona):
    log_in_as(client, personas, persona)
    data = scheme_post(month_start(timezone.localdate()))
    before = database_rows()
    expected = SCHEME_POSTS[persona]
    if expected != 302:
        assert_answer(client.post(SCHEME_URL, {}), expected, SCHEME_URL)
    response = client.post(SCHEME_URL, data)
    assert_answer(response, expected, SCHEME_URL)
    if expected == 302:
        scheme = AssessmentScheme.objects.get()
        assert scheme.weights == {"reply_rate": 3, "reopen_rate": 1}
        assert scheme.min_denominator == 2
        assert scheme.history.count() == 1
    else:
        assert database_rows() == before


def test_the_current_months_scheme_may_change_again_and_keeps_its_history(client, office):
    client.force_login(office)
    month = month_start(timezone.localdate())
    assert client.post(SCHEME_URL, scheme_post(month)).status_code == 302
    again = {**scheme_post(month), "weight_reply_rate": 1, "weight_supervision": 4}
    assert client.post(SCHEME_URL, again).status_code == 302
    scheme = AssessmentScheme.objects.get()
    assert scheme.weights == {"reply_rate": 1, "reopen_rate": 1, "supervision": 4}
    assert scheme.history.count() == 2
    page = client.get(SCHEME_URL).content.decode()
    assert f'data-starts-on="{month:%Y-%m}"' in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weight_reply_rate": 0, "weight_reopen_rate": 0}, None),
        ({"weight_reply_rate": -1}, "weight_reply_rate"),
        ({"weight_reply_rate": 101}, "weight_reply_rate"),
        ({"min_denominator": 0}, "min_denominator"),
        ({"starts_on": "2026-09-15"}, "starts_on"),
    ],
)
def test_bad_weights_draw_the_form_again_and_change_nothing(client, office, changes, field):
    client.force_login(office)
    response = client.post(
        SCHEME_URL, {**scheme_post(month_start(timezone.localdate())), **changes}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (field or "__all__") in errors
    assert not AssessmentScheme.objects.exists()
