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


def test_list_is_the_provinces_registry_and_searches_name_code_and_contact(client, world, staff_a):
    EnterpriseFactory(branch=world.a.branch, name="漳浦锅炉厂", contact_name="王建国")
    client.force_login(staff_a)
    url = reverse("outreach:enterprise_list")
    names = {e.name for e in client.get(url).context["object_list"]}
    assert {world.a.enterprise.name, world.b.enterprise.name} <= names
    assert [e.name for e in client.get(url, {"q": "锅炉"}).context["object_list"]] == ["漳浦锅炉厂"]
    assert [e.name for e in client.get(url, {"q": "王建国"}).context["object_list"]] == [
        "漳浦锅炉厂"
    ]
    code = world.a.enterprise.uscc
    found = client.get(url, {"q": code.lower()}).context["object_list"]
    assert [e.pk for e in found] == [world.a.enterprise.pk]


def test_everyone_filters_by_home_branch_and_county_of_the_whole_province(
    client, world, staff_a, office
):
    for user in (staff_a, office):
        client.force_login(user)
        url = reverse("outreach:enterprise_list")
        response = client.get(url, {"branch": world.b.branch.pk})
        assert list(response.context["object_list"]) == [world.b.enterprise]
        response = client.get(url, {"county": world.b.county.pk})
        assert list(response.context["object_list"]) == [world.b.enterprise]


def test_visited_means_by_my_branch_for_a_branch_and_by_anyone_for_the_province(
    client, world, staff_a, staff_b, office
):
    # A visits B's enterprise: A's "visited" lists it; B's own visit lists it for B too.
    ActivityFactory(
        branch=world.a.branch, campaign=world.campaign, enterprises=[world.b.enterprise]
    )
    only_b = EnterpriseFactory(branch=world.b.branch)
    ActivityFactory(branch=world.b.branch, campaign=world.campaign, enterprises=[only_b])
    url = reverse("outreach:enterprise_list")
    visited = {"visited": "yes"}
    client.force_login(staff_a)
    response = client.get(url, visited)
    assert set(response.context["object_list"]) == {world.a.enterprise, world.b.enterprise}
    assert response.context["filter"].form.fields["visited"].label == "本分院走访过"
    assert "visit_branch" not in response.context["filter"].form.fields
    client.force_login(staff_b)
    assert set(client.get(url, visited).context["object_list"]) == {world.b.enterprise, only_b}
    client.force_login(office)
    everyone = set(client.get(url, visited).context["object_list"])
    assert everyone == {world.a.enterprise, world.b.enterprise, only_b}
    by_a = client.get(url, {**visited, "visit_branch": world.a.branch.pk})
    assert set(by_a.context["object_list"]) == {world.a.enterprise, world.b.enterprise}


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
    # session, user, membership, branches (home branch filter), counties, equipment
    # classes, campaigns (visit filter), count, page, unread count
    with django_assert_num_queries(10):
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


def test_a_code_registered_by_another_branch_offers_its_record_to_pick(client, world, staff_a):
    county = CountyFactory(branch=world.a.branch)
    client.force_login(staff_a)
    data = {"name": "别的名字", "uscc": world.b.enterprise.uscc, "county": county.pk}
    response = client.post(reverse("outreach:enterprise_create"), data)
    assert response.status_code == 200
    assert response.context["duplicates"] == [world.b.enterprise]
    body = response.content.decode()
    assert world.b.enterprise.name in body
    pick = reverse("outreach:activity_create", args=["visit"])
    assert f"{pick}?enterprise={world.b.enterprise.pk}" in body
    assert Enterprise.objects.count() == 2


def test_the_same_name_in_another_branchs_county_offers_its_record(client, world, staff_a):
    """A registers a company located in B's county that B registered: the guard finds it."""
    client.force_login(staff_a)
    data = {"name": f" {world.b.enterprise.name} ", "uscc": "", "county": world.b.county.pk}
    response = client.post(reverse("outreach:enterprise_create"), data)
    assert response.status_code == 200
    assert response.context["duplicates"] == [world.b.enterprise]
    assert Enterprise.objects.count() == 2


def test_registering_offers_every_county_of_the_province_the_branchs_first(client, world, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("outreach:enterprise_create"))
    groups = [
        label for label, _choices in response.context["form"].fields["county"].widget.choices[1:]
    ]
    assert groups == [world.a.branch.short_name, world.b.branch.short_name]


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


def test_staff_of_another_branch_open_it_but_see_only_their_own_records(client, world, staff_b):
    ActivityFactory(
        branch=world.b.branch,
        campaign=world.campaign,
        enterprises=[world.a.enterprise],
        title="漳州回访",
    )
    client.force_login(staff_b)
    pk = world.a.enterprise.pk
    response = client.get(reverse("outreach:enterprise_detail", args=[pk]))
    assert response.status_code == 200
    assert [a.title for a in response.context["activities"]] == ["漳州回访"]
    assert list(response.context["feedback_items"]) == []
    body = response.content.decode()
    assert world.a.activity.title not in body
    assert world.a.feedback.content not in body
    assert response.context["can_write"] is False
    assert response.context["can_log_visit"] is True


def test_only_the_home_branch_and_the_office_edit_the_shared_record(client, world, staff_b, office):
    pk = world.a.enterprise.pk
    client.force_login(staff_b)
    assert client.get(reverse("outreach:enterprise_update", args=[pk])).status_code == 403
    response = client.post(reverse("outreach:enterprise_withdraw", args=[pk]), {"reason": "x"})
    assert response.status_code == 403
    client.force_login(office)
    data = {
        "name": "泉州新名称有限公司",
        "uscc": world.a.enterprise.uscc,
        "county": world.a.county.pk,
    }
    response = client.post(reverse("outreach:enterprise_update", args=[pk]), data)
    assert response.status_code == 302
    world.a.enterprise.refresh_from_db()
    assert world.a.enterprise.name == "泉州新名称有限公司"
    assert world.a.enterprise.history.first().history_user == office


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


def test_autocomplete_searches_the_province_with_my_branchs_first(client, world, staff_b):
    client.force_login(staff_b)
    url = reverse("outreach:enterprise_autocomplete")
    results = client.get(url, {"q": ""}).json()["results"]
    assert [row["id"] for row in results] == [world.b.enterprise.pk, world.a.enterprise.pk]
    assert results[1]["text"] == (
        f"{world.a.enterprise.name}（{world.a.county.name}） {world.a.enterprise.uscc}"
    )
    gone = EnterpriseFactory(branch=world.a.branch, name="已撤回的公司", withdrawn=True)
    assert gone.pk not in {row["id"] for row in client.get(url, {"q": "撤回"}).json()["results"]}


def test_autocomplete_gives_nothing_without_a_role(client, world, no_role_user):
    client.force_login(no_role_user)
    url = reverse("outreach:enterprise_autocomplete")
    assert client.get(url, {"q": ""}).json()["results"] == []
