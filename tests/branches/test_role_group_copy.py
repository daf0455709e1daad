"""A user's role group is their membership's role, whatever writes
(branches/migrations/0003).

The Django admin reads permissions from the role's group, the app's screens from the
membership: the group is a copy of the role. The database keeps it equal after every write
to a membership, and the account page shows groups read-only. Each path is tried: the
admin's forms, a queryset ``update()``, and the service.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from branches.models import Membership
from branches.services import membership_set
from tests.admin_forms import form_errors, post_admin_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def groups_of(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def test_admin_changing_the_role_changes_the_group(client, office, staff_a):
    client.force_login(office)
    url = reverse("admin:branches_membership_change", args=[staff_a.membership.pk])
    response = post_admin_form(client, url, role="lead")
    assert response.status_code == 302, form_errors(response)
    assert groups_of(staff_a) == ["branch lead"]


def test_admin_account_page_does_not_take_groups_from_the_form(client, admin_user, staff_a):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[staff_a.pk])
    extra = Group.objects.get(name="institute leader")
    response = post_admin_form(client, url, groups=[extra.pk])
    assert response.status_code == 302, form_errors(response)
    assert groups_of(staff_a) == ["branch staff"]


def test_update_of_the_role_moves_the_group(staff_a, province):
    Membership.objects.filter(user=staff_a).update(role="office", branch=province)
    staff_a.refresh_from_db()
    assert groups_of(staff_a) == ["provincial office"]
    assert staff_a.is_staff  # the office manages users in the admin


def test_a_membership_given_to_another_account_takes_its_group_along(staff_a):
    other = UserFactory()
    Membership.objects.filter(user=staff_a).update(user=other)
    assert groups_of(staff_a) == []
    assert groups_of(other) == ["branch staff"]


def test_a_deleted_membership_takes_its_group(staff_a):
    Membership.objects.filter(user=staff_a).delete()
    assert groups_of(staff_a) == []


def test_the_service_sets_exactly_the_roles_group(branch_a, branch_b):
    user = UserFactory()
    membership_set(user=user, branch=branch_a, role="staff")
    membership_set(user=user, branch=branch_b, role="lead")
    assert groups_of(user) == ["branch lead"]
    assert Membership.objects.get(user=user).branch == branch_b
