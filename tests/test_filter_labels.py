"""Every list's choice filters offer "全部" (All) as their empty choice, never dashes."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = (
    "outreach:enterprise_list",
    "outreach:activity_list",
    "outreach:feedback_list",
    "issues:issue_list",
)


@pytest.mark.parametrize("route", LISTS)
@pytest.mark.parametrize("persona", ["staff_a", "office"])
def test_choice_filters_offer_all_not_dashes(client, personas, persona, route):
    client.force_login(personas[persona])
    page = client.get(reverse(route)).content.decode()
    assert "---------" not in page
    assert '<option value="" selected>全部</option>' in page
