"""Reference data in the reader's language: the models' names, the migration that gives
the branches already there their English short names, and the office keeping the English
names in the admin (and nothing else of the rows)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from branches.models import Branch
from outreach.models import Campaign, EquipmentClass
from tests.admin_forms import form_values, post_admin_form
from tests.factories import BranchFactory, CampaignFactory, CountyFactory

pytestmark = pytest.mark.django_db

SHORT_NAMES = importlib.import_module("branches.migrations.0005_branch_short_name_en")
OFFICE_NAMES = importlib.import_module("branches.migrations.0006_office_keeps_english_names")
KNOWN_CAMPAIGNS = importlib.import_module("outreach.migrations.0019_campaign_name_en")


def test_a_branch_is_named_in_the_readers_language(branch_a):
    with translation.override("zh-hans"):
        assert (str(branch_a), branch_a.display_short_name) == ("泉州分院", "泉州")
    with translation.override("en"):
        assert (str(branch_a), branch_a.display_short_name) == ("Quanzhou branch", "Quanzhou")


def test_without_an_english_short_name_english_pages_show_the_english_name(province):
    branch = BranchFactory(parent=province, short_name="南平", short_name_en="", name_en="")
    with translation.override("en"):
        assert branch.display_short_name == "南平"  # nothing English to show: the Chinese
    branch.name_en = "Nanping Branch"
    with translation.override("en"):
        assert branch.display_short_name == "Nanping Branch"
    with translation.override("zh-hans"):
        assert branch.display_short_name == "南平"


def test_counties_campaigns_and_classes_follow_the_language(branch_a):
    county = CountyFactory(branch=branch_a, name="鲤城区", name_en="Licheng District")
    campaign = CampaignFactory(name="第二批教育实践活动", name_en="Second round")
    boilers = EquipmentClass.objects.get(code="boiler")
    with translation.override("en"):
        assert [str(county), str(campaign), str(boilers)] == [
            "Licheng District",
            "Second round",
            "Boilers",
        ]
    with translation.override("zh-hans"):
        assert [str(county), str(campaign), str(boilers)] == [
            "鲤城区",
            "第二批教育实践活动",
            "锅炉",
        ]
    campaign.name_en = ""
    with translation.override("en"):
        assert campaign.display_name == "第二批教育实践活动"


def test_the_migration_gives_the_branches_there_english_short_names(province):
    Branch.objects.filter(pk=province.pk).update(short_name_en="")
    quanzhou = BranchFactory(parent=province, short_name="泉州", name_en="", short_name_en="")
    other = BranchFactory(
        parent=province, short_name="试点", name_en="Pilot Branch", short_name_en=""
    )
    kept = BranchFactory(parent=province, short_name="宁德", short_name_en="Ningde City")
    unknown = BranchFactory(parent=province, short_name="试验", name_en="", short_name_en="")

    SHORT_NAMES.fill_english_names(apps, None)

    names = {
        branch.pk: (branch.name_en, branch.short_name_en)
        for branch in Branch.objects.filter(pk__in=[province.pk, quanzhou.pk, other.pk, kept.pk])
    }
    assert names[province.pk][1] == "Provincial institute"
    assert names[quanzhou.pk] == ("Quanzhou Branch", "Quanzhou")
    assert names[other.pk] == ("Pilot Branch", "Pilot")
    assert names[kept.pk][1] == "Ningde City"  # what the office entered stays
    unknown.refresh_from_db()
    assert (unknown.name_en, unknown.short_name_en) == ("", "")


def test_the_migration_names_the_seed_reports_campaign_in_english(db):
    campaign = CampaignFactory(name="第二批党的群众路线教育实践活动", name_en="")
    KNOWN_CAMPAIGNS.name_known_campaigns(apps, None)
    campaign.refresh_from_db()
    assert campaign.name_en.startswith("Second round of the Party's Mass Line")


def test_the_office_is_given_the_english_names_of_databases_made_before(office):
    group = Group.objects.get(name="provincial office")
    changed = Permission.objects.filter(
        codename__in=["change_branch", "change_county", "change_equipmentclass"]
    )
    group.permissions.remove(*changed)
    OFFICE_NAMES.give(apps, None)
    assert set(changed) <= set(group.permissions.all())
    # Run on the real registry, the migration leaves the apps' models known: later
    # create_permissions() calls (transactional tests put permissions back) still work.
    assert all(config.models_module for config in apps.get_app_configs() if config.models)


def test_the_office_changes_a_branchs_english_names_and_nothing_else(client, office, branch_a):
    client.force_login(office)
    url = reverse("admin:branches_branch_change", args=[branch_a.pk])
    fields = form_values(client.get(url))
    assert {"name_en", "short_name_en"} <= set(fields)
    assert not {"name", "short_name", "code", "kind", "parent", "sort_order"} & set(fields)
    county = CountyFactory(branch=branch_a)
    response = post_admin_form(
        client,
        url,
        name_en="Quanzhou Branch",
        short_name_en="Quanzhou City",
        name="改名分院",
        **{"counties-0-name_en": "Renamed district", "counties-0-name": "改名区"},
    )
    assert response.status_code == 302
    branch_a.refresh_from_db()
    county.refresh_from_db()
    assert (branch_a.name, branch_a.name_en, branch_a.short_name_en) == (
        "泉州分院",
        "Quanzhou Branch",
        "Quanzhou City",
    )
    assert (county.name_en, county.name != "改名区") == ("Renamed district", True)


def test_the_office_keeps_counties_and_equipment_classes_english_names(client, office, branch_a):
    client.force_login(office)
    county = CountyFactory(branch=branch_a)
    fields = form_values(client.get(reverse("admin:branches_county_change", args=[county.pk])))
    assert set(fields) & {"name", "name_en", "code", "branch"} == {"name_en"}
    boilers = EquipmentClass.objects.get(code="boiler")
    url = reverse("admin:outreach_equipmentclass_change", args=[boilers.pk])
    assert post_admin_form(client, url, name_en="Steam boilers").status_code == 302
    boilers.refresh_from_db()
    assert (boilers.name, boilers.name_en) == ("锅炉", "Steam boilers")


def test_the_system_administrator_changes_every_field(client, admin_user, branch_a):
    client.force_login(admin_user)
    fields = form_values(client.get(reverse("admin:branches_branch_change", args=[branch_a.pk])))
    assert {"name", "short_name", "code", "name_en", "short_name_en"} <= set(fields)
    county_fields = form_values(
        client.get(reverse("admin:branches_county_change", args=[CountyFactory().pk]))
    )
    assert {"name", "name_en", "code", "branch"} <= set(county_fields)


def test_the_office_names_campaigns_in_english(client, office):
    campaign = CampaignFactory(name_en="")
    client.force_login(office)
    url = reverse("admin:outreach_campaign_change", args=[campaign.pk])
    assert post_admin_form(client, url, name_en="Third round").status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).name_en == "Third round"
