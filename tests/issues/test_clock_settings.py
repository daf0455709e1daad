"""The office's clock settings: time limits, return reasons, which branches' replies need
approval. The office changes them (service and page), leaders read the pages, branches are
refused; bad input draws the page again with its errors and changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from branches.models import Branch
from issues import clock_settings
from issues.models import ReturnReason, TimeLimit
from tests.db_state import database_rows

pytestmark = pytest.mark.django_db

Step = TimeLimit.Step


def formset_data(**changes) -> dict:
    """The time limits form as the page draws it, with ``changes`` (step → days)."""
    limits = list(TimeLimit.objects.order_by("id"))
    data = {
        "form-TOTAL_FORMS": len(limits),
        "form-INITIAL_FORMS": len(limits),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for n, limit in enumerate(limits):
        data[f"form-{n}-id"] = limit.pk
        data[f"form-{n}-working_days"] = changes.get(limit.step, limit.working_days)
    return data


# --- time limits ---------------------------------------------------------------------------


def test_the_office_sets_a_time_limit_and_its_history_keeps_who(office):
    changed = clock_settings.time_limits_update(actor=office, values={Step.SIGN_FOR: 2})
    limit = TimeLimit.objects.get(step=Step.SIGN_FOR)
    assert changed == [limit] and limit.working_days == 2 and limit.updated_by == office
    assert TimeLimit.current()[Step.SIGN_FOR] == 2
    # The seeded rows were written by a migration, without history; the change has its own.
    assert limit.history.first().working_days == 2
    assert limit.history.first().updated_by == office


def test_an_unchanged_limit_is_not_saved_again(office):
    assert clock_settings.time_limits_update(actor=office, values={Step.PLAN: 3}) == []


@pytest.mark.parametrize("days", [0, 366, -1])
def test_a_limit_out_of_range_is_refused(office, days):
    with pytest.raises(ValidationError):
        clock_settings.time_limits_update(actor=office, values={Step.PLAN: days})
    assert TimeLimit.objects.get(step=Step.PLAN).working_days == 3


@pytest.mark.parametrize("persona", ["lead_a", "staff_a", "leader", "admin_user"])
def test_only_the_office_sets_limits(personas, persona):
    with pytest.raises(PermissionDenied):
        clock_settings.time_limits_update(actor=personas[persona], values={Step.PLAN: 4})


def test_the_time_limits_page_saves_every_limit(client, office):
    client.force_login(office)
    response = client.post(
        reverse("issues:time_limit_edit"), formset_data(reply=7, rectify_serious=8)
    )
    assert response.status_code == 302
    current = TimeLimit.current()
    assert (current[Step.REPLY], current[Step.RECTIFY_SERIOUS]) == (7, 8)


@pytest.mark.parametrize("bad", [0, 400, "三天", ""])
def test_bad_limits_draw_the_page_again_and_change_nothing(client, office, bad):
    client.force_login(office)
    before = database_rows()
    response = client.post(reverse("issues:time_limit_edit"), formset_data(reply=9, plan=bad))
    assert response.status_code == 200
    assert any(form.errors for form in response.context["formset"])
    assert database_rows() == before


def test_a_leader_reads_the_limits_without_a_form(client, leader):
    client.force_login(leader)
    page = client.get(reverse("issues:time_limit_edit")).content.decode()
    assert 'data-step="sign_for"' in page and "time-limits-form" not in page
    before = database_rows()
    assert client.post(reverse("issues:time_limit_edit"), formset_data(plan=9)).status_code == 403
    assert database_rows() == before


# --- return reasons ------------------------------------------------------------------------


def test_the_office_adds_renames_and_takes_a_reason_out_of_use(office):
    reason = clock_settings.return_reason_create(
        actor=office, name="跨区域事项", name_en="Crosses regions", sort_order=9
    )
    assert reason.is_active
    clock_settings.return_reason_update(
        actor=office, reason=reason, name="跨地市事项", name_en="Crosses cities", is_active=False
    )
    reason.refresh_from_db()
    assert (reason.name, reason.name_en, reason.is_active) == (
        "跨地市事项",
        "Crosses cities",
        False,
    )


def test_a_reason_name_is_needed_and_unique(office):
    taken = ReturnReason.objects.first()
    with pytest.raises(ValidationError):
        clock_settings.return_reason_create(actor=office, name=taken.name)
    with pytest.raises(ValidationError):
        clock_settings.return_reason_create(actor=office, name="  ")


@pytest.mark.parametrize("persona", ["lead_a", "leader"])
def test_only_the_office_keeps_the_reasons(personas, persona):
    with pytest.raises(PermissionDenied):
        clock_settings.return_reason_create(actor=personas[persona], name="新理由")


def test_the_reasons_page_adds_one(client, office):
    client.force_login(office)
    response = client.post(
        reverse("issues:return_reason_list"),
        {"name": "需上级协调", "name_en": "Needs the province", "sort_order": 7},
    )
    assert response.status_code == 302
    assert ReturnReason.objects.filter(name="需上级协调", is_active=True).exists()


def test_a_reason_already_listed_draws_the_page_again(client, office):
    client.force_login(office)
    before = database_rows()
    taken = ReturnReason.objects.first()
    response = client.post(
        reverse("issues:return_reason_list"), {"name": taken.name, "sort_order": 1}
    )
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert database_rows() == before


def test_the_reason_page_takes_it_out_of_use(client, office):
    reason = ReturnReason.objects.first()
    client.force_login(office)
    url = reverse("issues:return_reason_update", args=[reason.pk])
    response = client.post(
        url, {"name": reason.name, "name_en": "Renamed", "sort_order": 0, "is_active": ""}
    )
    assert response.status_code == 302
    reason.refresh_from_db()
    assert not reason.is_active and reason.name_en == "Renamed"
    listed = client.get(reverse("issues:return_reason_list")).content.decode()
    assert 'data-testid="out-of-use"' in listed


def test_a_reason_without_a_name_changes_nothing(client, office):
    reason = ReturnReason.objects.first()
    client.force_login(office)
    before = database_rows()
    response = client.post(
        reverse("issues:return_reason_update", args=[reason.pk]),
        {"name": "", "sort_order": "x", "is_active": "on"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert database_rows() == before


def test_a_leader_may_not_add_a_reason(client, leader):
    client.force_login(leader)
    before = database_rows()
    response = client.post(reverse("issues:return_reason_list"), {"name": "新理由"})
    assert response.status_code == 403
    assert database_rows() == before


# --- reply approval per branch -------------------------------------------------------------


def test_the_office_switches_approval_on_and_off(office, branch_a, branch_b):
    changed = clock_settings.branch_approval_set(actor=office, branches=[branch_a])
    assert changed == [branch_a]
    branch_a.refresh_from_db()
    assert branch_a.replies_need_approval
    assert branch_a.history.first().replies_need_approval
    clock_settings.branch_approval_set(actor=office, branches=[branch_b])
    assert list(Branch.objects.filter(replies_need_approval=True)) == [branch_b]


def test_the_province_itself_records_no_replies(office, province):
    with pytest.raises(ValidationError):
        clock_settings.branch_approval_set(actor=office, branches=[province])


@pytest.mark.parametrize("persona", ["lead_a", "leader", "admin_user"])
def test_only_the_office_switches_approval(personas, branch_a, persona):
    with pytest.raises(PermissionDenied):
        clock_settings.branch_approval_set(actor=personas[persona], branches=[branch_a])
    branch_a.refresh_from_db()
    assert not branch_a.replies_need_approval


def test_the_approval_page_ticks_branches(client, office, branch_a, branch_b):
    client.force_login(office)
    url = reverse("issues:branch_approval_edit")
    assert client.post(url, {"branches": [branch_b.pk]}).status_code == 302
    assert list(Branch.objects.filter(replies_need_approval=True)) == [branch_b]


def test_an_unknown_branch_draws_the_page_again(client, office, branch_a, province):
    client.force_login(office)
    before = database_rows()
    response = client.post(
        reverse("issues:branch_approval_edit"), {"branches": [branch_a.pk, province.pk]}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert database_rows() == before


def test_the_office_finds_the_settings_in_the_navigation(client, office, lead_a, leader):
    client.force_login(office)
    assert (
        'data-testid="nav-clock-settings"' in client.get(reverse("reports:home")).content.decode()
    )
    client.force_login(lead_a)
    home = client.get(reverse("reports:home")).content.decode()
    assert 'data-testid="nav-clock-settings"' not in home
