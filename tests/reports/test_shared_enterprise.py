"""One company visited by two branches: one record, counted once for the province and once
for each branch, and every "enterprises visited" link lists exactly that many.

The figures are read from the dashboards the office and each branch render, and each link
is followed as the reader's browser would (``figure_links``).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import Enterprise
from outreach.registry import enterprise_create, enterprise_merge
from outreach.services import activity_create
from tests.factories import CampaignFactory, CountyFactory
from tests.reports.figure_links import HEADLINE, TOTAL, by_place, figure_links

pytestmark = pytest.mark.django_db

KEY = "enterprises_visited"


@pytest.fixture
def campaign(db):
    return CampaignFactory()


def visit(actor, campaign, *enterprises):
    return activity_create(
        actor=actor,
        branch=actor.membership.branch,
        campaign=campaign,
        kind="visit",
        occurred_on=timezone.localdate() - timedelta(days=3),
        enterprises=enterprises,
    )


def visited_links(client, campaign) -> dict[str, list]:
    """Where each "enterprises visited" link sits, with the number it shows and its href."""
    response = client.get(reverse("reports:dashboard"), {"campaign": campaign.pk})
    assert response.status_code == 200
    places = by_place(figure_links(response.content.decode()))
    return {place: figures[KEY] for place, figures in places.items() if KEY in figures}


def listed(client, href) -> list[Enterprise]:
    response = client.get(href)
    assert response.status_code == 200, href
    return list(response.context["paginator"].object_list)


def assert_figures(client, campaign, expected: dict[str, int]):
    """Each place shows ``expected`` and links to a list of exactly those records."""
    links = visited_links(client, campaign)
    assert {place: [link.shown for link in group] for place, group in links.items()} == {
        place: [count] for place, count in expected.items()
    }
    for group in links.values():
        for link in group:
            assert len(listed(client, link.href)) == link.shown, link


def test_a_company_visited_by_two_branches_counts_once_for_the_province_and_each(
    client, campaign, branch_a, branch_b, staff_a, staff_b, office
):
    county = CountyFactory(branch=branch_a)
    company = enterprise_create(
        actor=staff_a, branch=branch_a, name="泉州宏达锅炉有限公司", county=county
    )
    visit(staff_a, campaign, company)
    visit(staff_a, campaign, company)  # twice by A: still one enterprise
    visit(staff_b, campaign, company)  # B picks A's record: no second registration
    assert Enterprise.objects.count() == 1

    client.force_login(office)
    assert_figures(client, campaign, {HEADLINE: 1, TOTAL: 1, "quanzhou": 1, "zhangzhou": 1})
    api = client.get(reverse("reports:stats_api"), {"campaign": campaign.pk}).json()
    assert api[KEY] == 1
    assert [row[KEY] for row in api["branches"]] == [1, 1]
    for user in (staff_a, staff_b):
        client.force_login(user)
        assert_figures(client, campaign, {HEADLINE: 1})
        [link] = visited_links(client, campaign)[HEADLINE]
        assert listed(client, link.href) == [company]


def test_two_records_of_one_company_count_once_after_the_office_merges_them(
    client, campaign, branch_a, branch_b, staff_a, staff_b, office
):
    # Registered by each branch before the registry was shared (different counties).
    by_a = enterprise_create(
        actor=staff_a,
        branch=branch_a,
        name="宏达锅炉有限公司",
        county=CountyFactory(branch=branch_a),
    )
    by_b = enterprise_create(
        actor=staff_b,
        branch=branch_b,
        name="宏达锅炉有限公司",
        county=CountyFactory(branch=branch_b),
    )
    visit(staff_a, campaign, by_a)
    visit(staff_b, campaign, by_b)
    client.force_login(office)
    assert_figures(client, campaign, {HEADLINE: 2, TOTAL: 2, "quanzhou": 1, "zhangzhou": 1})

    enterprise_merge(actor=office, survivor=by_a, duplicate=by_b, reason="同一家企业")
    assert_figures(client, campaign, {HEADLINE: 1, TOTAL: 1, "quanzhou": 1, "zhangzhou": 1})
    for user in (staff_a, staff_b):
        client.force_login(user)
        [link] = visited_links(client, campaign)[HEADLINE]
        assert (link.shown, listed(client, link.href)) == (1, [by_a])
