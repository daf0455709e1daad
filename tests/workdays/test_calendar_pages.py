"""The calendar page and the office's edits: adding a day, deleting one, marking a year as
entered. Everyone with a role reads; the provincial office alone edits (view and service)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import CalendarDayFactory, ScheduledYearFactory
from workdays import services
from workdays.models import CalendarDay, ScheduledYear

pytestmark = pytest.mark.django_db

CALENDAR = reverse("workdays:calendar")


def page(year: int) -> str:
    return f"{CALENDAR}?year={year}"


# --- reading ------------------------------------------------------------------------------


def test_the_page_opens_on_this_year(client, office):
    client.force_login(office)
    response = client.get(CALENDAR)
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_a_year_the_package_knows_lists_its_holidays_and_make_up_days(client, office):
    client.force_login(office)
    response = client.get(page(2026))
    overview = response.context["overview"]
    assert overview.packaged and overview.known
    packaged = {entry.day: entry for entry in overview.packaged_days}
    assert not packaged[date(2026, 10, 1)].is_working
    assert packaged[date(2026, 10, 1)].name == "国庆节"
    assert packaged[date(2026, 10, 10)].is_working
    assert packaged[date(2026, 9, 20)].is_working
    assert date(2026, 10, 11) not in packaged  # an ordinary Sunday is not listed
    body = response.content.decode()
    assert 'data-status="packaged"' in body
    assert 'data-day="2026-10-10"' in body


def test_a_year_nobody_knows_says_it_is_counted_monday_to_friday(client, office):
    client.force_login(office)
    response = client.get(page(2027))
    overview = response.context["overview"]
    assert not overview.known
    assert overview.packaged_days == []
    assert 'data-status="unknown"' in response.content.decode()
    assert 'data-testid="mark-year"' in response.content.decode()


def test_a_year_the_office_entered_is_known(client, office):
    ScheduledYearFactory(year=2027, entered_by=office)
    CalendarDayFactory(day=date(2027, 10, 1), name="国庆节", created_by=office)
    client.force_login(office)
    response = client.get(page(2027))
    assert response.context["overview"].known
    body = response.content.decode()
    assert 'data-status="office"' in body
    assert 'data-day="2027-10-01"' in body
    assert 'data-testid="unmark-year"' in body


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "leader", "admin_user"])
def test_everyone_with_a_role_reads_without_the_forms(client, personas, world, persona):
    client.force_login(personas[persona])
    response = client.get(page(world.a.calendar_day.day.year))
    assert response.status_code == 200
    assert world.a.calendar_day.name in response.content.decode()
    assert response.context["form"] is None
    body = response.content.decode()
    for form in ("add-day", "delete-day", "mark-year"):
        assert f'data-testid="{form}"' not in body


def test_no_role_no_calendar(client, no_role_user):
    client.force_login(no_role_user)
    assert client.get(CALENDAR).status_code == 403


@pytest.mark.parametrize("year", ["abc", "0", "99999", "1999", "2101", "２０２６", "-2026"])
def test_an_odd_year_is_not_found(client, office, year):
    client.force_login(office)
    assert client.get(f"{CALENDAR}?year={year}").status_code == 404


def test_the_office_has_the_calendar_in_its_navigation(client, office, staff_a):
    client.force_login(office)
    assert 'data-testid="nav-calendar"' in client.get(reverse("reports:home")).content.decode()
    client.force_login(staff_a)
    assert 'data-testid="nav-calendar"' not in client.get(reverse("reports:home")).content.decode()


# --- adding a day -------------------------------------------------------------------------


def test_the_office_adds_a_day(client, office):
    client.force_login(office)
    response = client.post(
        reverse("workdays:day_create") + "?year=2027",
        {"day": "2027-10-09", "kind": "workday", "name": " 国庆节调休 "},
    )
    assert response.status_code == 302
    assert response.url == page(2027)
    entry = CalendarDay.objects.get(day=date(2027, 10, 9))
    assert (entry.kind, entry.name, entry.created_by) == ("workday", "国庆节调休", office)


def test_a_day_already_entered_is_refused_with_a_message(client, office):
    CalendarDayFactory(day=date(2027, 10, 1), kind="holiday", name="国庆节", created_by=office)
    client.force_login(office)
    response = client.post(
        reverse("workdays:day_create") + "?year=2027",
        {"day": "2027-10-01", "kind": "workday", "name": "补班"},
    )
    assert response.status_code == 200
    assert "2027-10-01" in response.context["form"].errors["day"][0]
    assert "已在" in response.content.decode() or "already" in response.content.decode()
    assert CalendarDay.objects.get(day=date(2027, 10, 1)).name == "国庆节"
    assert response.context["year"] == 2027


@pytest.mark.parametrize(
    "data",
    [
        {"day": "", "kind": "holiday", "name": "国庆节"},
        {"day": "2027-02-30", "kind": "holiday", "name": "国庆节"},
        {"day": "1066-10-14", "kind": "holiday", "name": "国庆节"},
        {"day": "2027-10-01", "kind": "weekend", "name": "国庆节"},
        {"day": "2027-10-01", "kind": "holiday", "name": "   "},
    ],
)
def test_a_wrong_day_comes_back_and_nothing_is_saved(client, office, data):
    client.force_login(office)
    response = client.post(reverse("workdays:day_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not CalendarDay.objects.exists()


def test_branch_staff_may_not_add_a_day(client, staff_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("workdays:day_create"), {"day": "2027-10-01", "kind": "holiday", "name": "国庆节"}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()


# --- deleting a day -----------------------------------------------------------------------


def test_the_office_deletes_a_day_and_its_history_stays(client, office):
    entry = CalendarDayFactory(day=date(2027, 5, 3), name="劳动节", created_by=office)
    client.force_login(office)
    response = client.post(reverse("workdays:day_delete", args=[entry.pk]))
    assert response.status_code == 302
    assert response.url == page(2027)
    assert not CalendarDay.objects.filter(pk=entry.pk).exists()
    deleted = CalendarDay.history.filter(id=entry.pk, history_type="-").get()
    assert (deleted.name, deleted.history_user) == ("劳动节", office)


def test_deleting_a_day_that_is_gone_is_not_found(client, office):
    client.force_login(office)
    assert client.post(reverse("workdays:day_delete", args=[987654])).status_code == 404


def test_a_leader_may_not_delete_a_day(client, world, leader):
    client.force_login(leader)
    response = client.post(reverse("workdays:day_delete", args=[world.a.calendar_day.pk]))
    assert response.status_code == 403
    assert CalendarDay.objects.filter(pk=world.a.calendar_day.pk).exists()


# --- marking a year as entered ------------------------------------------------------------


def test_the_office_marks_a_year_as_entered_and_takes_it_back(client, office):
    client.force_login(office)
    response = client.post(reverse("workdays:year_mark"), {"year": "2027"})
    assert response.status_code == 302
    assert response.url == page(2027)
    assert ScheduledYear.objects.get(year=2027).entered_by == office
    response = client.post(reverse("workdays:year_unmark"), {"year": "2027"})
    assert response.status_code == 302
    assert not ScheduledYear.objects.exists()


def test_marking_a_year_twice_keeps_one_row(office):
    services.scheduled_year_mark(actor=office, year=2027)
    services.scheduled_year_mark(actor=office, year=2027)
    assert ScheduledYear.objects.filter(year=2027).count() == 1


@pytest.mark.parametrize("year", ["", "abc", "20277", "1999"])
def test_an_odd_year_is_not_marked(client, office, year):
    client.force_login(office)
    response = client.post(reverse("workdays:year_mark"), {"year": year})
    assert response.status_code == 200
    assert not ScheduledYear.objects.exists()


# --- the services check the role themselves -----------------------------------------------


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "leader", "admin_user", "no_role_user"])
def test_only_the_office_writes_through_the_services(personas, office, persona):
    user = personas[persona]
    entry = CalendarDayFactory(created_by=office)
    ScheduledYearFactory(year=2027, entered_by=office)
    with pytest.raises(PermissionDenied):
        services.calendar_day_add(actor=user, day=date(2027, 1, 1), kind="holiday", name="元旦")
    with pytest.raises(PermissionDenied):
        services.calendar_day_delete(actor=user, entry=entry)
    with pytest.raises(PermissionDenied):
        services.scheduled_year_mark(actor=user, year=2028)
    with pytest.raises(PermissionDenied):
        services.scheduled_year_unmark(actor=user, year=2027)
    assert CalendarDay.objects.count() == 1
    assert list(ScheduledYear.objects.values_list("year", flat=True)) == [2027]


def test_the_service_refuses_a_duplicate_day(office):
    services.calendar_day_add(actor=office, day=date(2027, 1, 1), kind="holiday", name="元旦")
    with pytest.raises(ValidationError) as refused:
        services.calendar_day_add(actor=office, day=date(2027, 1, 1), kind="workday", name="补班")
    assert "2027-01-01" in str(refused.value)
    assert CalendarDay.objects.get().kind == "holiday"
