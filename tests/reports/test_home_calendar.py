"""The office's home page warns of each year the working-day calendar does not know, whose
deadlines are therefore counted Monday to Friday: this year, next year once it is December,
and every year an open issue's deadline falls in."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import IssueFactory, ScheduledYearFactory

pytestmark = pytest.mark.django_db

HOME = reverse("reports:home")


def warned_years(client) -> list[int]:
    return client.get(HOME).context.get("unknown_years") or []


def on(today: date):
    """Today is ``today`` (only ``timezone.localdate()`` without arguments moves)."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return today if value is None else real(value, timezone)

    return mock.patch("django.utils.timezone.localdate", localdate)


def test_in_december_the_office_is_told_next_year_is_not_known(client, world, office):
    client.force_login(office)
    with on(date(2026, 12, 3)):
        response = client.get(HOME)
    assert response.context["unknown_years"] == [2027]
    body = response.content.decode()
    assert 'data-testid="unknown-year" data-year="2027"' in body
    assert f'href="{reverse("workdays:calendar")}?year=2027"' in body
    assert "周一至周五" in body


def test_before_december_next_year_is_not_asked_for(client, world, office):
    client.force_login(office)
    with on(date(2026, 11, 30)):
        assert warned_years(client) == []


def test_an_open_deadline_in_an_unknown_year_is_a_warning(client, world, office):
    IssueFactory(branch=world.a.branch, campaign=world.campaign, deadline=date(2028, 3, 1))
    IssueFactory(branch=world.b.branch, campaign=world.campaign, deadline=date(2028, 6, 1))
    # Answered or withdrawn issues count no more working days.
    IssueFactory(
        branch=world.a.branch, campaign=world.campaign, state="answered", deadline=date(2029, 1, 5)
    )
    client.force_login(office)
    with on(date(2026, 6, 1)):
        assert warned_years(client) == [2028]
    with on(date(2026, 12, 1)):
        assert warned_years(client) == [2027, 2028]


def test_this_year_unknown_is_a_warning_too(client, world, office):
    client.force_login(office)
    with on(date(2027, 3, 1)):
        assert warned_years(client) == [2027]


def test_the_warning_goes_once_the_office_enters_the_year(client, world, office):
    IssueFactory(branch=world.a.branch, campaign=world.campaign, deadline=date(2028, 3, 1))
    client.force_login(office)
    ScheduledYearFactory(year=2027, entered_by=office)
    with on(date(2026, 12, 3)):
        assert warned_years(client) == [2028]
    ScheduledYearFactory(year=2028, entered_by=office)
    with on(date(2026, 12, 3)):
        response = client.get(HOME)
    assert response.context["unknown_years"] == []
    assert 'data-testid="unknown-year"' not in response.content.decode()


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "leader", "admin_user"])
def test_only_the_office_is_told(client, world, personas, persona):
    IssueFactory(branch=world.a.branch, campaign=world.campaign, deadline=date(2028, 3, 1))
    client.force_login(personas[persona])
    with on(date(2026, 12, 3)):
        response = client.get(HOME)
    assert response.status_code == 200
    assert "unknown_years" not in response.context
    assert 'data-testid="unknown-year"' not in response.content.decode()
