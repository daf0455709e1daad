"""The enterprise registry: validation, the duplicate guard across the province (and in
the database), who keeps the shared record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from outreach import registry
from outreach.models import Enterprise
from outreach.names import enterprise_name_key
from outreach.registry import enterprise_create, enterprise_update
from outreach.services import record_withdraw
from tests.factories import ActivityFactory, CountyFactory, EnterpriseFactory

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


def test_a_county_of_another_branch_is_where_the_company_is(staff_a, branch_a, branch_b):
    """The county is shared reference data: A may register a company located in B's city."""
    county = CountyFactory(branch=branch_b)
    enterprise = enterprise_create(actor=staff_a, branch=branch_a, name="某公司", county=county)
    assert (enterprise.branch, enterprise.county) == (branch_a, county)


def test_the_same_name_in_the_county_is_refused_whichever_branch_registered_it(
    staff_a, branch_a, branch_b
):
    county_b = CountyFactory(branch=branch_b)
    EnterpriseFactory(branch=branch_b, county=county_b, name="漳州宏达机械有限公司", uscc="")
    with pytest.raises(ValidationError) as caught:
        enterprise_create(
            actor=staff_a, branch=branch_a, name="漳州宏达（机械）有限公司", county=county_b
        )
    assert caught.value.error_dict["name"][0].code == "duplicate_name"
    assert Enterprise.objects.count() == 1


def test_the_database_refuses_an_unconfirmed_namesake_in_the_county(branch_a, branch_b):
    county = CountyFactory(branch=branch_a)
    EnterpriseFactory(branch=branch_a, county=county, name="宏达公司")
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(branch=branch_b, county=county, name="宏达 公司")
    # A confirmed namesake, a withdrawn one, or one in another county is let in.
    EnterpriseFactory(branch=branch_b, county=county, name="宏达公司", namesake_confirmed=True)
    EnterpriseFactory(branch=branch_b, county=county, name="宏达公司", withdrawn=True)
    EnterpriseFactory(branch=branch_b, county=CountyFactory(branch=branch_b), name="宏达公司")
    assert Enterprise.objects.filter(name_key="宏达公司").count() == 4


def test_a_registration_that_races_past_the_guard_gets_the_guards_message(
    staff_a, staff_b, branch_a, branch_b, monkeypatch
):
    """Two branches register one company at the same moment: both pass the checks, the
    database keeps one, and the second gets the duplicate message, not a server error."""
    county = CountyFactory(branch=branch_a)
    enterprise_create(actor=staff_a, branch=branch_a, name="泉州宏达机械有限公司", county=county)
    monkeypatch.setattr(registry, "_refuse_duplicates", lambda *args, **kwargs: False)
    with pytest.raises(ValidationError) as caught:
        enterprise_create(
            actor=staff_b, branch=branch_b, name="泉州宏达机械有限公司", county=county
        )
    assert caught.value.error_dict["name"][0].code == "duplicate_name"
    enterprise_create(actor=staff_b, branch=branch_b, name="另一家", uscc=VALID)
    with pytest.raises(ValidationError) as caught:
        enterprise_create(actor=staff_b, branch=branch_b, name="又一家", uscc=VALID)
    assert caught.value.error_dict["uscc"][0].code == "duplicate_uscc"
    assert Enterprise.objects.count() == 2


def test_confirming_a_namesake_is_recorded_on_the_row(staff_a, branch_a):
    county = CountyFactory(branch=branch_a)
    first = enterprise_create(actor=staff_a, branch=branch_a, name="宏达公司", county=county)
    second = enterprise_create(
        actor=staff_a, branch=branch_a, name="宏达公司", county=county, allow_similar_name=True
    )
    assert (first.namesake_confirmed, second.namesake_confirmed) == (False, True)
    # Confirming when there is no namesake records nothing.
    third = enterprise_create(
        actor=staff_a, branch=branch_a, name="别家公司", county=county, allow_similar_name=True
    )
    assert third.namesake_confirmed is False


def test_the_office_edits_the_shared_record_and_other_branches_do_not(
    staff_b, office, leader, branch_a
):
    enterprise = EnterpriseFactory(branch=branch_a, uscc=VALID)
    for outsider in (staff_b, leader):
        with pytest.raises(PermissionDenied):
            enterprise_update(actor=outsider, enterprise=enterprise, name="改名", uscc=VALID)
    enterprise_update(actor=office, enterprise=enterprise, name="更正后的名称", uscc=VALID)
    enterprise.refresh_from_db()
    assert enterprise.name == "更正后的名称"


def test_the_home_branch_cannot_withdraw_a_record_other_branches_use(
    staff_a, office, branch_a, branch_b
):
    enterprise = EnterpriseFactory(branch=branch_a)
    ActivityFactory(branch=branch_b, enterprises=[enterprise])
    with pytest.raises(ValidationError) as caught:
        record_withdraw(actor=staff_a, record=enterprise, reason="重复")
    assert (
        "省院办公室" in caught.value.messages[0] or "provincial office" in caught.value.messages[0]
    )
    enterprise.refresh_from_db()
    assert enterprise.withdrawn_at is None
    record_withdraw(actor=office, record=enterprise, reason="企业已注销" * 30)
    enterprise.refresh_from_db()
    assert enterprise.is_withdrawn
    assert enterprise.history.first().history_change_reason == ("企业已注销" * 30)[:100]


def test_editing_keeps_history_and_its_own_code_is_not_a_duplicate(staff_a, branch_a):
    enterprise = EnterpriseFactory(branch=branch_a, uscc=VALID)
    enterprise_update(actor=staff_a, enterprise=enterprise, name="新名称有限公司", uscc=VALID)
    enterprise.refresh_from_db()
    assert enterprise.name == "新名称有限公司"
    assert enterprise.history.count() == 2
