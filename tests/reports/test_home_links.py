"""The home page leads to the work: each recent activity opens its page, in scope."""

import pytest
from django.urls import reverse

from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "office", "leader"])
def test_every_recent_activity_is_a_link_to_its_page(client, world, personas, persona):
    ActivityFactory(branch=world.a.branch, campaign=world.campaign, title="新近走访")
    client.force_login(personas[persona])
    response = client.get(reverse("reports:home"))
    body = response.content.decode()
    listed = body[body.index('data-testid="recent-activities"') :]
    listed = listed[: listed.index("</ul>")]
    activities = list(response.context["recent_activities"])
    assert activities
    for activity in activities:
        url = reverse("outreach:activity_detail", args=[activity.pk])
        assert f'href="{url}"' in listed, activity.title
        assert client.get(url).status_code == 200
