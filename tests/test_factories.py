"""The factories themselves: every one makes a row the models' own validation accepts."""

import pytest
from django.apps import apps

from branches.models import Membership
from outreach.models import EquipmentClass, FeedbackCategory
from tests import factories

pytestmark = pytest.mark.django_db

ALL_FACTORIES = [
    value
    for value in vars(factories).values()
    if isinstance(value, type)
    and issubclass(value, factories.DjangoModelFactory)
    and value is not factories.DjangoModelFactory
]


#: Written by the database only (a trigger keeps each branch's count): no factory makes one.
KEPT_BY_THE_DATABASE = {"BranchIssueCount"}


def test_every_project_model_has_a_factory():
    covered = {factory._meta.model for factory in ALL_FACTORIES}
    project_models = {
        model
        for app_label in ("branches", "outreach", "issues", "themes")
        for model in apps.get_app_config(app_label).get_models()
        if not model.__name__.startswith("Historical")
        and model.__name__ not in KEPT_BY_THE_DATABASE
    }
    assert project_models - covered == set()


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=lambda factory: factory.__name__)
def test_factory_makes_a_valid_row(factory):
    row = factory()
    row.full_clean()


def test_factory_user_has_the_shared_usable_password():
    # client.login() cannot be used here: django-axes' backend needs a request. Tests log
    # in with client.force_login(user), or POST the login form.
    user = factories.UserFactory()
    assert user.has_usable_password()
    assert user.check_password(factories.PASSWORD)


def test_member_helper_sets_role_branch_and_group(branch_a):
    user = factories.member(Membership.Role.LEAD, branch_a)
    assert (user.membership.branch, user.membership.role) == (branch_a, "lead")
    assert list(user.groups.values_list("name", flat=True)) == ["branch lead"]


def test_provincial_member_defaults_to_the_province(province):
    user = factories.member(Membership.Role.OFFICE)
    assert user.membership.branch == province


def test_feedback_item_belongs_to_its_activity_branch_and_enterprise_branch():
    item = factories.FeedbackItemFactory()
    assert item.branch == item.activity.branch == item.enterprise.branch


def test_seeded_reference_rows_are_reused_not_duplicated():
    before = (FeedbackCategory.objects.count(), EquipmentClass.objects.count())
    factories.FeedbackCategoryFactory.create_batch(10)
    factories.EquipmentClassFactory.create_batch(10)
    assert (FeedbackCategory.objects.count(), EquipmentClass.objects.count()) == before
