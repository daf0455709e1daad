"""Registering enterprises: validation, the duplicate guard, scope of the writer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outreach.models import Enterprise
from outreach.names import enterprise_name_key
from outreach.services import enterprise_create, enterprise_update
from tests.factories import CountyFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

VALID = "91350000158142711F"


def test_name_key_folds_spaces_brackets_and_width():
    assert enterprise_name_key("泉州 宏达（集团）有限公司") == enterprise_name_key(
        "泉州宏达(集团)有限公司"
    )
    assert enterprise_name_key("ＡＢＣ 公司") == enterprise_name_key("abc公司")


def test_staff_registers_an_enterprise_with_a_normalised_code(staff_a, branch_a):
    county = CountyFactory(branch=branch_a)
    enterprise = enterprise_create(
        actor=staff_a,
        branch=branch_a,
        name=" 泉州宏达  机械有限公司 ",
        uscc="9135 0000 1581 42711f",
        county=county,
    )
    assert enterprise.uscc == VALID
    assert enterprise.name == "泉州宏达 机械有限公司"
    assert enterprise.created_by == staff_a
    assert enterprise.history.count() == 1


def test_a_wrong_check_character_names_the_character(staff_a, branch_a):
    with pytest.raises(ValidationError) as caught:
        enterprise_create(actor=staff_a, branch=branch_a, name="某公司", uscc=VALID[:-1] + "G")
    assert "18" in caught.value.message_dict["uscc"][0]
    assert not Enterprise.objects.exists()


def test_the_same_code_is_refused_even_in_another_branch(staff_a, staff_b, branch_a, branch_b):
    EnterpriseFactory(branch=branch_b, uscc=VALID)
    with pytest.raises(ValidationError) as caught:
        enterprise_create(actor=staff_a, branch=branch_a, name="另一个名字", uscc=VALID)
    assert caught.value.error_dict["uscc"][0].code == "duplicate_uscc"
    assert Enterprise.objects.count() == 1


def test_the_same_name_in_the_same_county_is_refused_unless_confirmed(staff_a, branch_a):
    county = CountyFactory(branch=branch_a)
    EnterpriseFactory(branch=branch_a, county=county, name="泉州宏达机械有限公司", uscc="")
    with pytest.raises(ValidationError) as caught:
        enterprise_create(
            actor=staff_a, branch=branch_a, name="泉州宏达（机械）有限公司", county=county
        )
    assert caught.value.error_dict["name"][0].code == "duplicate_name"
    second = enterprise_create(
        actor=staff_a,
        branch=branch_a,
        name="泉州宏达（机械）有限公司",
        county=county,
        allow_similar_name=True,
    )
    assert second.pk


def test_the_same_name_in_another_county_is_fine(staff_a, branch_a):
    EnterpriseFactory(branch=branch_a, county=CountyFactory(branch=branch_a), name="宏达公司")
    other = CountyFactory(branch=branch_a)
    assert enterprise_create(actor=staff_a, branch=branch_a, name="宏达公司", county=other).pk


def test_a_withdrawn_namesake_does_not_block(staff_a, branch_a):
    county = CountyFactory(branch=branch_a)
    EnterpriseFactory(branch=branch_a, county=county, name="宏达公司", withdrawn=True)
    assert enterprise_create(actor=staff_a, branch=branch_a, name="宏达公司", county=county).pk


def test_staff_cannot_register_for_another_branch(staff_a, branch_b):
    with pytest.raises(PermissionDenied):
        enterprise_create(actor=staff_a, branch=branch_b, name="某公司")


def test_a_leader_cannot_register_enterprises(leader, branch_a):
    with pytest.raises(PermissionDenied):
        enterprise_create(actor=leader, branch=branch_a, name="某公司")


def test_a_county_of_another_branch_is_refused(staff_a, branch_a, branch_b):
    with pytest.raises(ValidationError) as caught:
        enterprise_create(
            actor=staff_a, branch=branch_a, name="某公司", county=CountyFactory(branch=branch_b)
        )
    assert "county" in caught.value.message_dict


def test_editing_keeps_history_and_its_own_code_is_not_a_duplicate(staff_a, branch_a):
    enterprise = EnterpriseFactory(branch=branch_a, uscc=VALID)
    enterprise_update(actor=staff_a, enterprise=enterprise, name="新名称有限公司", uscc=VALID)
    enterprise.refresh_from_db()
    assert enterprise.name == "新名称有限公司"
    assert enterprise.history.count() == 2
