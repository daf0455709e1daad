"""The merge page: the office chooses the record that stays, checks what moves, confirms."""

import pytest
from django.urls import reverse

from tests.db_state import database_rows
from tests.factories import ActivityFactory, EnterpriseFactory
from tests.test_access import LOGIN, assert_answer, log_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(world):
    """B's second record of A's enterprise, with B's visit."""
    record = EnterpriseFactory(
        branch=world.b.branch, name=world.a.enterprise.name, county=world.b.county, uscc=""
    )
    ActivityFactory(branch=world.b.branch, campaign=world.campaign, enterprises=[record])
    return record


def merge_url(record):
    return reverse("outreach:enterprise_merge", args=[record.pk])


def test_the_enterprise_page_offers_the_merge_to_the_office_only(client, world, office, staff_a):
    detail = reverse("outreach:enterprise_detail", args=[world.b.enterprise.pk])
    client.force_login(office)
    assert merge_url(world.b.enterprise) in client.get(detail).content.decode()
    client.force_login(staff_a)
    assert merge_url(world.b.enterprise) not in client.get(detail).content.decode()


def test_the_page_offers_records_that_look_like_the_same_company(client, world, office, duplicate):
    client.force_login(office)
    response = client.get(merge_url(duplicate))
    assert response.status_code == 200
    assert response.context["lookalikes"] == [world.a.enterprise]
    assert f"?into={world.a.enterprise.pk}" in response.content.decode()
    chosen = client.get(merge_url(duplicate), {"into": world.a.enterprise.pk})
    assert chosen.context["form"].initial["survivor"] == world.a.enterprise.pk
    assert not chosen.context["form"].errors
    for odd in ("x", "٣", "9" * 40):
        assert client.get(merge_url(duplicate), {"into": odd}).status_code == 200


def test_choosing_shows_what_moves_and_writes_nothing(client, world, office, duplicate):
    client.force_login(office)
    before = database_rows()
    data = {"survivor": world.a.enterprise.pk, "reason": "同一企业两次登记"}
    response = client.post(merge_url(duplicate), data)
    assert response.status_code == 200
    assert response.context["preview"]["survivor"] == world.a.enterprise
    assert response.context["moves"] == {"activities": 1, "opinions": 0}
    body = response.content.decode()
    assert 'name="confirm"' in body and "同一企业两次登记" in body
    assert database_rows() == before


def test_confirming_merges_and_opens_the_record_that_stays(client, world, office, duplicate):
    client.force_login(office)
    data = {"survivor": world.a.enterprise.pk, "reason": "同一企业两次登记", "confirm": "1"}
    response = client.post(merge_url(duplicate), data)
    assert response.url == reverse("outreach:enterprise_detail", args=[world.a.enterprise.pk])
    duplicate.refresh_from_db()
    assert duplicate.merged_into == world.a.enterprise
    page = client.get(response.url)
    assert duplicate.name in page.content.decode()  # among the merged records
    old_page = client.get(reverse("outreach:enterprise_detail", args=[duplicate.pk]))
    assert old_page.status_code == 200
    assert 'data-testid="merged-into"' in old_page.content.decode()
    assert old_page.context["can_merge"] is False


def test_merging_into_itself_or_a_merged_record_is_refused_on_the_page(
    client, world, office, duplicate
):
    client.force_login(office)
    response = client.post(
        merge_url(duplicate), {"survivor": duplicate.pk, "reason": "x", "confirm": "1"}
    )
    assert response.status_code == 200
    assert "survivor" in response.context["form"].errors
    other = EnterpriseFactory(branch=world.a.branch)
    client.post(
        merge_url(other), {"survivor": world.a.enterprise.pk, "reason": "重复", "confirm": "1"}
    )
    response = client.post(merge_url(duplicate), {"survivor": other.pk, "reason": "重复"})
    assert "survivor" in response.context["form"].errors
    duplicate.refresh_from_db()
    assert not duplicate.is_withdrawn
    # A record already merged says where it went, and offers no form.
    response = client.get(merge_url(other))
    assert response.context["duplicate"].merged_into == world.a.enterprise
    assert 'name="survivor"' not in response.content.decode()


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", LOGIN),
        ("staff_a", 403),
        ("lead_a", 403),
        ("staff_b", 403),
        ("lead_b", 403),
        ("leader", 403),
        ("admin_user", 403),
        ("no_role_user", 404),
        ("office", 302),
    ],
)
def test_posting_a_merge_as_every_persona(client, personas, world, duplicate, persona, expected):
    log_in_as(client, personas, persona)
    url = merge_url(duplicate)
    data = {"survivor": world.a.enterprise.pk, "reason": "重复", "confirm": "1"}
    before = database_rows()
    if expected != 302:
        assert_answer(client.post(url, {}), expected, url)
    assert_answer(client.post(url, data), expected, url)
    duplicate.refresh_from_db()
    assert duplicate.is_withdrawn is (expected == 302)
    if expected != 302:
        assert database_rows() == before
