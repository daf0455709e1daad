"""The import service: preview, the import itself, re-import, errors and scope."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from imports import services
from imports.models import ImportBatch
from outreach import services as outreach_services
from outreach.models import Activity, Enterprise, FeedbackCategory, FeedbackItem
from tests.factories import (
    ActivityFactory,
    CountyFactory,
    EnterpriseFactory,
    FeedbackItemFactory,
    uscc_for,
)
from tests.imports.conftest import example_rows, preview_of, problem_tuples, upload, xlsx

pytestmark = pytest.mark.django_db


def db_counts(branch):
    return (
        Enterprise.objects.filter(branch=branch).count(),
        Activity.objects.filter(branch=branch).count(),
        FeedbackItem.objects.filter(branch=branch).count(),
    )


@pytest.fixture
def preview(staff_a, branch_a, counties_a, campaign):
    def make(rows=None, content=None):
        return preview_of(
            content if content is not None else xlsx(rows if rows is not None else example_rows()),
            actor=staff_a,
            branch=branch_a,
            campaign=campaign,
        )

    return make


@pytest.fixture
def import_rows(staff_a, batch_of):
    def run(rows=None, content=None):
        if content is None:
            content = xlsx(rows if rows is not None else example_rows())
        batch = batch_of(staff_a, content)
        return services.batch_import(actor=staff_a, batch=batch), batch

    return run


# --- a clean file ---------------------------------------------------------------------


def test_the_example_previews_clean_and_writes_nothing(preview, branch_a):
    result = preview()
    assert result.problems == []
    assert result.counts() == {
        "enterprises_created": 3,
        "enterprises_reused": 0,
        "activities_created": 4,
        "activities_reused": 0,
        "feedback_created": 6,
        "feedback_reused": 0,
    }
    assert db_counts(branch_a) == (0, 0, 0)


def test_the_committed_example_file_imports_cleanly(staff_a, branch_a, batch_of, preview):
    from imports.template import EXAMPLE_PATH

    content = EXAMPLE_PATH.read_bytes()
    assert preview(content=content).problems == []
    services.batch_import(actor=staff_a, batch=batch_of(staff_a, content))
    assert db_counts(branch_a) == (3, 4, 6)


def test_the_import_creates_every_row_as_the_file_says(import_rows, staff_a, branch_a, campaign):
    _result, batch = import_rows()
    assert db_counts(branch_a) == (3, 4, 6)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert batch.imported_at is not None
    created = (batch.enterprises_created, batch.activities_created, batch.feedback_created)
    assert created == (3, 4, 6)

    antai = Enterprise.objects.get(name="泉州市丰泽区安泰锅炉有限公司")
    assert antai.county.name == "丰泽区"
    assert antai.created_by == staff_a
    assert sorted(antai.equipment_classes.values_list("name", flat=True)) == ["压力容器", "锅炉"]
    assert antai.contact_phone == "13905950001"
    assert Enterprise.objects.get(name="泉州华联食品有限公司").uscc == ""

    forum = Activity.objects.get(title="电梯使用单位座谈会")
    assert forum.kind == Activity.Kind.ENTERPRISE_FORUM
    assert forum.campaign == campaign
    assert forum.occurred_on == date(2026, 11, 10)
    assert forum.attendee_count == 18
    assert [e.name for e in forum.enterprises.all()] == ["晋江市恒达电梯工程有限公司"]
    survey = Activity.objects.get(kind=Activity.Kind.SURVEY)
    assert (survey.forms_sent, survey.forms_returned) == (30, 26)

    visit = Activity.objects.get(kind=Activity.Kind.VISIT)
    assert visit.title.startswith("走访调研")  # made up from the kind when left empty
    assert visit.enterprises.count() == 2

    anonymous = FeedbackItem.objects.get(content__startswith="部分检验项目收费标准")
    assert anonymous.enterprise is None
    assert anonymous.category.name == "收费"
    assert anonymous.received_on == date(2026, 11, 10)  # the activity's date
    training = FeedbackItem.objects.get(category__name="作业人员培训")
    assert training.kind == FeedbackItem.Kind.SUGGESTION
    assert training.received_on == date(2026, 11, 18)
    praise = FeedbackItem.objects.get(kind=FeedbackItem.Kind.PRAISE)
    assert praise.enterprise.name == "晋江市恒达电梯工程有限公司"  # referred to by its code


def test_importing_the_same_file_twice_creates_nothing_new(import_rows, branch_a, preview):
    content = xlsx(example_rows())  # the same bytes both times (a workbook holds its time)
    import_rows(content=content)
    before = db_counts(branch_a)
    again = preview(content=content)
    assert again.problems == []
    assert again.creates_nothing
    assert again.counts() == {
        "enterprises_created": 0,
        "enterprises_reused": 3,
        "activities_created": 0,
        "activities_reused": 4,
        "feedback_created": 0,
        "feedback_reused": 6,
    }
    assert again.imported_before is not None
    result, _batch = import_rows(content=content)
    assert result.creates_nothing
    assert db_counts(branch_a) == before


def test_rows_already_entered_by_hand_are_reused_not_duplicated(
    import_rows, staff_a, branch_a, counties_a, campaign
):
    enterprise = EnterpriseFactory(
        branch=branch_a, county=counties_a[0], name="泉州华联食品有限公司", uscc=""
    )
    activity = ActivityFactory(
        branch=branch_a,
        campaign=campaign,
        kind=Activity.Kind.INTERNAL_FORUM,
        occurred_on=date(2026, 11, 20),
        title="检验人员作风建设座谈会",
    )
    FeedbackItemFactory(
        activity=activity,
        enterprise=None,
        content="建议建立企业联系人微信群，及时推送检验计划。",
    )
    result, _batch = import_rows()
    assert result.counts() == {
        "enterprises_created": 2,
        "enterprises_reused": 1,
        "activities_created": 3,
        "activities_reused": 1,
        "feedback_created": 5,
        "feedback_reused": 1,
    }
    assert Enterprise.objects.filter(name="泉州华联食品有限公司").get() == enterprise
    assert db_counts(branch_a) == (3, 4, 6)


def test_a_new_activity_of_another_campaign_is_not_the_same_activity(
    import_rows, branch_a, campaign
):
    ActivityFactory(
        branch=branch_a,
        kind=Activity.Kind.INTERNAL_FORUM,
        occurred_on=date(2026, 11, 20),
        title="检验人员作风建设座谈会",
    )
    result, _batch = import_rows()
    assert result.counts()["activities_created"] == 4


# --- errors ---------------------------------------------------------------------------


def test_every_error_is_located_by_sheet_row_and_column(preview, branch_a):
    rows = example_rows()
    rows["enterprises"][0][1] = "91350503611234560"  # 17 characters
    rows["enterprises"][1][2] = "鼓楼区"  # not a county of branch A
    rows["activities"][1][2] = "2026-11-31"
    rows["activities"][2][1] = "茶话会"
    rows["feedback"][2][2] = "态度"  # no such category
    rows["feedback"][4][0] = "A9"  # no such activity
    rows["feedback"][5][4] = None  # content is required
    result = preview(rows)
    assert problem_tuples(result.problems) == [
        ("企业", 2, "统一社会信用代码"),
        ("企业", 3, "县（市、区）*"),
        ("活动", 3, "日期*"),
        ("活动", 4, "活动类型*"),
        ("意见建议", 4, "类别*"),
        ("意见建议", 6, "活动编号*"),
        ("意见建议", 7, "内容*"),
    ]
    messages = [problem.message for problem in result.problems]
    assert "18" in messages[0]
    assert "丰泽区" in messages[1] and "晋江市" in messages[1]
    assert "2026-11-31" in messages[2]
    assert "走访调研" in messages[3]
    assert "A9" in messages[5]
    assert db_counts(branch_a) == (0, 0, 0)


def test_error_messages_follow_the_users_language(preview):
    from django.utils import translation

    rows = example_rows()
    rows["feedback"][0][3] = "抱怨"
    with translation.override("en"):
        english = preview(rows).problems[0].message
    with translation.override("zh-hans"):
        chinese = preview(rows).problems[0].message
    assert english.startswith("“抱怨” is not one of")
    assert english != chinese


def test_what_a_kind_does_not_record_is_an_error_not_silently_dropped(preview):
    rows = example_rows()
    rows["activities"][0][6] = 5  # attendees of a visit
    rows["activities"][3][5] = "泉州华联食品有限公司"  # enterprises at an internal forum
    rows["activities"][2][7] = None  # a survey without forms sent
    rows["activities"][2][8] = 26
    result = preview(rows)
    assert problem_tuples(result.problems) == [
        ("活动", 2, "参会人数"),
        ("活动", 4, "发放表数"),
        ("活动", 5, "参与企业"),
    ]


def test_a_visit_without_enterprises_is_an_error(preview):
    rows = example_rows()
    rows["activities"][0][5] = None
    assert problem_tuples(preview(rows).problems) == [("活动", 2, "参与企业")]


def test_more_forms_returned_than_sent_is_an_error(preview):
    rows = example_rows()
    rows["activities"][2][8] = 31
    assert problem_tuples(preview(rows).problems) == [("活动", 4, "回收表数")]


def test_duplicate_rows_in_the_file_are_errors(preview):
    rows = example_rows()
    rows["enterprises"].append(list(rows["enterprises"][0]))
    rows["activities"].append(["A1", "内部座谈会", "2026-11-21", None, None, None, 3])
    rows["feedback"].append(list(rows["feedback"][0]))
    result = preview(rows)
    assert problem_tuples(result.problems) == [
        ("企业", 5, "统一社会信用代码"),
        ("企业", 5, "企业名称*"),
        ("活动", 6, "活动编号*"),
        ("意见建议", 8, "内容*"),
    ]


def test_an_unknown_enterprise_reference_says_to_add_it_to_the_sheet(preview):
    rows = example_rows()
    rows["feedback"][0][1] = "不存在的公司"
    [problem] = preview(rows).problems
    assert (problem.sheet, problem.row, problem.column) == ("意见建议", 2, "企业")
    assert "不存在的公司" in problem.message


def test_an_ambiguous_name_asks_for_the_code(preview, branch_a, counties_a):
    EnterpriseFactory(branch=branch_a, county=counties_a[1], name="泉州华联食品有限公司")
    result = preview()
    assert problem_tuples(result.problems) == [("活动", 4, "参与企业"), ("意见建议", 6, "企业")]
    assert "统一社会信用代码" in result.problems[0].message or "code" in result.problems[0].message


def test_a_same_named_enterprise_with_another_code_is_an_error(preview, branch_a, counties_a):
    EnterpriseFactory(
        branch=branch_a,
        county=counties_a[0],
        name="泉州市丰泽区安泰锅炉有限公司",
        uscc=uscc_for("91350503000000001"),
    )
    [problem] = preview().problems
    assert (problem.sheet, problem.row, problem.column) == ("企业", 2, "统一社会信用代码")


def test_too_long_text_is_an_error_before_the_database_sees_it(preview):
    rows = example_rows()
    rows["enterprises"][0][6] = "1" * 31
    [problem] = preview(rows).problems
    assert (problem.sheet, problem.row, problem.column) == ("企业", 2, "联系电话")
    assert "30" in problem.message


def test_a_file_of_the_wrong_shape_reports_the_shape_not_every_row(preview):
    content = xlsx(example_rows())
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(content))
    workbook["活动"].delete_cols(3)  # no date column
    buffer = BytesIO()
    workbook.save(buffer)
    result = preview(content=buffer.getvalue())
    assert problem_tuples(result.problems) == [("活动", 1, "日期")]


def test_an_empty_template_is_one_problem_not_an_empty_import(preview):
    [problem] = preview(rows={}).problems
    assert "template" in problem.message or "模板" in problem.message


def test_a_rejected_file_is_one_problem(preview):
    result = preview(content=b"not a workbook")
    assert len(result.problems) == 1
    assert result.problems[0].sheet == ""


# --- formulas and macros ----------------------------------------------------------------


def test_a_formula_is_imported_as_plain_text(import_rows):
    rows = example_rows()
    rows["feedback"][0][4] = '=HYPERLINK("http://example.com","点击查看")'
    rows["enterprises"][2][3] = "=A1&B1"
    import_rows(rows)
    assert FeedbackItem.objects.filter(
        content='=HYPERLINK("http://example.com","点击查看")'
    ).exists()
    assert Enterprise.objects.get(name="泉州华联食品有限公司").address == "=A1&B1"


def test_a_formula_where_a_number_belongs_is_an_error(preview):
    rows = example_rows()
    rows["activities"][1][6] = "=10+8"
    assert problem_tuples(preview(rows).problems) == [("活动", 3, "参会人数")]


# --- scope ----------------------------------------------------------------------------


def test_an_enterprise_of_another_branch_is_referred_to_by_code(import_rows, branch_a, branch_b):
    """One registry for the province: A's file links B's record, never a second one."""
    other = EnterpriseFactory(branch=branch_b, name="漳州某锅炉厂")
    rows = example_rows()
    rows["activities"][1][5] = other.uscc
    rows["feedback"][3][1] = other.uscc
    result, _batch = import_rows(rows)
    assert result.problems == []
    forum = Activity.objects.get(branch=branch_a, title="电梯使用单位座谈会")
    assert list(forum.enterprises.all()) == [other]
    assert FeedbackItem.objects.filter(branch=branch_a, enterprise=other).count() == 1
    assert Enterprise.objects.filter(name="漳州某锅炉厂").count() == 1


def test_a_name_is_the_branchs_own_first_then_the_provinces(preview, branch_a, branch_b):
    other = EnterpriseFactory(branch=branch_b, name="漳州某锅炉厂")
    rows = example_rows()
    rows["feedback"][2][1] = "漳州某锅炉厂"
    result = preview(rows)
    assert result.problems == []
    assert result.feedback[2].enterprise.existing == other
    # A namesake of the branch's own wins over the other branch's.
    own = EnterpriseFactory(branch=branch_a, name="漳州某锅炉厂")
    assert preview(rows).feedback[2].enterprise.existing == own
    # Two of the province's, none of the branch's: the code is asked for.
    own.withdrawn_at, own.withdrawn_reason = own.created_at, "重复"
    own.save()
    EnterpriseFactory(branch=branch_b, name="漳州某锅炉厂", county=CountyFactory(branch=branch_b))
    assert problem_tuples(preview(rows).problems) == [("意见建议", 4, "企业")]


def test_a_row_with_another_branchs_code_reuses_its_record(import_rows, branch_b):
    other = EnterpriseFactory(branch=branch_b)
    rows = example_rows()
    rows["enterprises"][0][1] = other.uscc
    result, batch = import_rows(rows)
    assert result.problems == []
    assert result.enterprises[0].existing == other
    batch.refresh_from_db()
    assert (batch.enterprises_created, batch.enterprises_reused) == (2, 1)
    assert not Enterprise.objects.filter(name="泉州市丰泽区安泰锅炉有限公司").exists()


def test_a_merged_records_code_leads_to_the_record_it_was_merged_into(
    import_rows, branch_b, office
):
    from outreach.registry import enterprise_merge

    survivor, merged = EnterpriseFactory(branch=branch_b), EnterpriseFactory(branch=branch_b)
    enterprise_merge(actor=office, survivor=survivor, duplicate=merged, reason="同一企业")
    rows = example_rows()
    rows["enterprises"][0][1] = merged.uscc
    rows["activities"][1][5] = merged.uscc
    result, _batch = import_rows(rows)
    assert result.problems == []
    assert result.enterprises[0].existing == survivor
    assert survivor.activities.filter(title="电梯使用单位座谈会").exists()


def test_a_county_of_another_branch_is_where_the_company_is(import_rows, branch_a, branch_b):
    county_b = CountyFactory(branch=branch_b, name="芗城区")
    rows = example_rows()
    rows["enterprises"][0][2] = "芗城区"
    result, _batch = import_rows(rows)
    assert result.problems == []
    created = Enterprise.objects.get(name="泉州市丰泽区安泰锅炉有限公司")
    assert (created.branch, created.county) == (branch_a, county_b)


def test_a_row_naming_another_branchs_enterprise_in_its_county_reuses_it(preview, branch_b):
    county_b = CountyFactory(branch=branch_b, name="芗城区")
    other = EnterpriseFactory(branch=branch_b, county=county_b, name="漳州市芗城区锅炉厂", uscc="")
    rows = example_rows()
    rows["enterprises"].append(["漳州市芗城区锅炉厂", None, "芗城区", None, None, None, None])
    rows["activities"][2][5] = "漳州市芗城区锅炉厂"
    result = preview(rows)
    assert result.problems == []
    assert result.enterprises[3].existing == other
    assert result.activities[2].enterprises[0].instance == other


def test_a_county_of_nowhere_names_the_branchs_counties(preview):
    rows = example_rows()
    rows["enterprises"][0][2] = "火星区"
    result = preview(rows)
    assert problem_tuples(result.problems) == [("企业", 2, "县（市、区）*")]
    assert "丰泽区" in result.problems[0].message


def test_only_staff_of_the_branch_may_preview_or_import(staff_b, branch_a, campaign, counties_a):
    with pytest.raises(PermissionDenied):
        preview_of(xlsx(example_rows()), actor=staff_b, branch=branch_a, campaign=campaign)


def test_only_the_uploader_may_import_a_batch(staff_a, lead_a, batch_of):
    batch = batch_of(staff_a, xlsx(example_rows()))
    with pytest.raises(PermissionDenied):
        services.batch_import(actor=lead_a, batch=batch)


# --- all or nothing ---------------------------------------------------------------------


def test_a_row_refused_at_import_rolls_back_every_row(staff_a, branch_a, batch_of, monkeypatch):
    batch = batch_of(staff_a, xlsx(example_rows()))
    real = outreach_services._new_feedback_item

    def refuse_the_last(actor, opinion):
        if opinion.content.startswith("建议建立企业联系人微信群"):
            raise ValidationError({"content": "refused"})
        return real(actor, opinion)

    monkeypatch.setattr(outreach_services, "_new_feedback_item", refuse_the_last)
    with pytest.raises(services.ImportFailed) as failure:
        services.batch_import(actor=staff_a, batch=batch)
    assert problem_tuples(failure.value.problems) == [("意见建议", 7, "内容*")]
    assert db_counts(branch_a) == (0, 0, 0)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED


def test_the_file_is_validated_again_at_import(staff_a, branch_a, batch_of):
    batch = batch_of(staff_a, xlsx(example_rows()))
    FeedbackCategory.objects.filter(name="收费").update(is_active=False)  # retired meanwhile
    with pytest.raises(services.ImportFailed) as failure:
        services.batch_import(actor=staff_a, batch=batch)
    assert problem_tuples(failure.value.problems) == [("意见建议", 4, "类别*")]
    assert db_counts(branch_a) == (0, 0, 0)


def test_a_batch_is_imported_once(staff_a, branch_a, batch_of):
    batch = batch_of(staff_a, xlsx(example_rows()))
    services.batch_import(actor=staff_a, batch=batch)
    with pytest.raises(services.ImportFailed):
        services.batch_import(actor=staff_a, batch=batch)
    assert db_counts(branch_a) == (3, 4, 6)


def test_a_tampered_kept_file_is_refused(staff_a, branch_a, batch_of):
    batch = batch_of(staff_a, xlsx(example_rows()))
    rows = example_rows()
    rows["feedback"].append(["A1", None, "其他", "问题", "混进来的一条"])
    with open(batch.file.path, "wb") as kept:
        kept.write(xlsx(rows))
    with pytest.raises(services.ImportFailed):
        services.batch_import(actor=staff_a, batch=batch)
    assert db_counts(branch_a) == (0, 0, 0)


def test_the_kept_file_is_private_and_randomly_named(staff_a, batch_of, settings):
    batch = batch_of(staff_a, xlsx(example_rows()), name="泉州分院台账.xlsx")
    assert batch.file.name.startswith("imports/")
    assert "台账" not in batch.file.name
    assert batch.original_name == "泉州分院台账.xlsx"
    assert len(batch.sha256) == 64
    assert batch.file.path.startswith(str(settings.MEDIA_ROOT))


def test_only_an_error_free_preview_is_kept(staff_a, branch_a, campaign, counties_a):
    rows = example_rows()
    rows["feedback"][0][2] = "态度"
    content = xlsx(rows)
    bad = preview_of(content, actor=staff_a, branch=branch_a, campaign=campaign)
    with pytest.raises(ValidationError):
        services.batch_create(
            actor=staff_a, branch=branch_a, campaign=campaign, upload=upload(content), preview=bad
        )


def test_a_generated_title_is_the_same_whatever_the_importers_language(
    import_rows, preview, branch_a
):
    from django.utils import translation

    with translation.override("en"):
        import_rows()
    with translation.override("zh-hans"):
        again = preview()
    assert again.counts()["activities_created"] == 0
    assert db_counts(branch_a) == (3, 4, 6)
