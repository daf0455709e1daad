"""Enterprise screens: list with search and filters, register with the duplicate guard,
the history page, withdrawal."""

import pytest
from django.urls import reverse

from outreach.models import Enterprise
from tests.factories import (
    ActivityFactory,
    CountyFactory,
    EnterpriseFactory,
    FeedbackItemFactory,
    ReplyFactory,
)

pytestmark = pytest.mark.django_db


def test_list_shows_own_branch_only_and_searches_name_code_and_contact(client, world, staff_a):
    EnterpriseFactory(branch=world.a.branch, name="漳浦锅炉厂", contact_name="王建国")
    client.force_login(staff_a)
    url = reverse("outreach:enterprise_list")
    names = {e.name for e in client.get(url).context["object_list"]}
    assert world.a.enterprise.name in names
    assert world.b.enterprise.name not in names
    assert [e.name for e in client.get(url, {"q": "锅炉"}).context["object_list"]] == ["漳浦锅炉厂"]
    assert [e.name for e in client.get(url, {"q": "王建国"}).context["object_list"]] == [
        "漳浦锅炉厂"
    ]
    code = world.a.enterprise.uscc
    found = client.get(url, {"q": code.lower()}).context["object_list"]
    assert [e.pk for e in found] == [world.a.enterprise.pk]


def test_branch_filter_is_for_provincial_roles_and_cannot_widen_scope(
    client, world, staff_a, office
):
    client.force_login(staff_a)
    response = client.get(reverse("outreach:enterprise_list"), {"branch": world.b.branch.pk})
    assert "branch" not in response.context["filter"].form.fields
    assert world.b.enterprise not in response.context["object_list"]
    client.force_login(office)
    response = client.get(reverse("outreach:enterprise_list"), {"branch": world.b.branch.pk})
    assert list(response.context["object_list"]) == [world.b.enterprise]


def test_county_filter(client, world, staff_a):
    county = CountyFactory(branch=world.a.branch)
    inside = EnterpriseFactory(branch=world.a.branch, county=county)
    client.force_login(staff_a)
    response = client.get(reverse("outreach:enterprise_list"), {"county": county.pk})
    assert list(response.context["object_list"]) == [inside]


@pytest.mark.parametrize("rows", [10, 200])
def test_list_costs_the_same_queries_at_any_size(
    client, staff_a, branch_a, rows, django_assert_num_queries
):
    county = CountyFactory(branch=branch_a)
    EnterpriseFactory.create_batch(rows, branch=branch_a, county=county)
    client.force_login(staff_a)
    client.get(reverse("reports:home"))
    # session, user, membership, counties, equipment classes, campaigns (visit filter),
    # count, page, unread count
    with django_assert_num_queries(9):
        client.get(reverse("outreach:enterprise_list"))


def test_registering_offers_the_existing_enterprise_instead_of_a_second(client, staff_a, branch_a):
    county = CountyFactory(branch=branch_a)
    existing = EnterpriseFactory(
        branch=branch_a, county=county, name="泉州宏达机械有限公司", uscc=""
    )
    client.force_login(staff_a)
    data = {"name": "泉州宏达机械有限公司", "uscc": "", "county": county.pk, "address": ""}
    response = client.post(reverse("outreach:enterprise_create"), data)
    assert response.status_code == 200
    assert response.context["duplicates"] == [existing]
    assert "allow_similar_name" in response.context["form"].fields
    assert Enterprise.objects.count() == 1
    response = client.post(
        reverse("outreach:enterprise_create"), {**data, "allow_similar_name": "on"}
    )
    assert response.status_code == 302
    assert Enterprise.objects.count() == 2


def test_a_code_registered_by_another_branch_is_refused_without_showing_it(client, world, staff_a):
    county = CountyFactory(branch=world.a.branch)
    client.force_login(staff_a)
    data = {"name": "别的名字", "uscc": world.b.enterprise.uscc, "county": county.pk}
    response = client.post(reverse("outreach:enterprise_create"), data)
    assert response.status_code == 200
    assert response.context["duplicates"] == [], response.context["form"].errors
    assert response.context["hidden_duplicate"] is True, response.context["form"].errors
    assert world.b.enterprise.name not in response.content.decode()


def test_a_mistyped_code_re_renders_with_the_character_named(client, staff_a, branch_a):
    county = CountyFactory(branch=branch_a)
    client.force_login(staff_a)
    data = {"name": "某公司", "uscc": "91350000158142711G", "county": county.pk}
    response = client.post(reverse("outreach:enterprise_create"), data)
    assert response.status_code == 200
    assert "校验码（第18位）" in response.content.decode()
    assert not Enterprise.objects.filter(name="某公司").exists()


def test_registering_a_valid_enterprise_redirects_to_its_page(client, staff_a, branch_a):
    county = CountyFactory(branch=branch_a)
    client.force_login(staff_a)
    data = {"name": "三明丙烷充装站", "uscc": "91350000158142711F", "county": county.pk}
    response = client.post(reverse("outreach:enterprise_create"), data)
    enterprise = Enterprise.objects.get(name="三明丙烷充装站")
    assert response.url == reverse("outreach:enterprise_detail", args=[enterprise.pk])
    assert enterprise.branch == branch_a


def test_history_page_lists_activities_opinions_issues_and_replies(client, world, staff_a):
    later = ActivityFactory(branch=world.a.branch, campaign=world.campaign, title="回访座谈")
    later.enterprises.add(world.a.enterprise)
    item = FeedbackItemFactory(
        activity=later, enterprise=world.a.enterprise, content="希望简化报检流程"
    )
    ReplyFactory(feedback_item=item, content="已开通网上报检")
    client.force_login(staff_a)
    response = client.get(reverse("outreach:enterprise_detail", args=[world.a.enterprise.pk]))
    body = response.content.decode()
    for text in ("回访座谈", "希望简化报检流程", "已开通网上报检", world.a.issue.title):
        assert text in body
    assert world.b.feedback.content not in body


def test_staff_of_another_branch_cannot_open_or_edit(client, world, staff_b):
    client.force_login(staff_b)
    pk = world.a.enterprise.pk
    assert client.get(reverse("outreach:enterprise_detail", args=[pk])).status_code == 404
    assert client.get(reverse("outreach:enterprise_update", args=[pk])).status_code == 404
    response = client.post(reverse("outreach:enterprise_withdraw", args=[pk]), {"reason": "x"})
    assert response.status_code == 404


def test_withdrawing_needs_a_reason_and_keeps_the_row(client, world, staff_a):
    enterprise = EnterpriseFactory(branch=world.a.branch)
    client.force_login(staff_a)
    url = reverse("outreach:enterprise_withdraw", args=[enterprise.pk])
    client.post(url, {"reason": ""})
    enterprise.refresh_from_db()
    assert enterprise.withdrawn_at is None
    client.post(url, {"reason": "重复录入"})
    enterprise.refresh_from_db()
    assert enterprise.withdrawn_reason == "重复录入"
    list_url = reverse("outreach:enterprise_list")
    assert enterprise not in client.get(list_url).context["object_list"]


def test_autocomplete_returns_only_the_users_scope(client, world, staff_a):
    client.force_login(staff_a)
    results = client.get(reverse("outreach:enterprise_autocomplete"), {"q": ""}).json()["results"]
    ids = {row["id"] for row in results}
    assert world.a.enterprise.pk in ids
    assert world.b.enterprise.pk not in ids
