"""Writing the template and the example file (``imports.template``)."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from imports.template import EXAMPLE_PATH, example_workbook, workbook_bytes
from tests.imports.conftest import xlsx


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here (the users' language is tested elsewhere)."""
    with translation.override("en"):
        yield


def load(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_the_template_has_exactly_the_three_sheets_with_chinese_headers():
    workbook = load(xlsx())
    assert workbook.sheetnames == ["企业", "活动", "意见建议"]
    assert [cell.value for cell in workbook["企业"][1]] == [
        "企业名称*",
        "统一社会信用代码",
        "县（市、区）*",
        "地址",
        "设备种类",
        "联系人",
        "联系电话",
    ]
    assert [cell.value for cell in workbook["活动"][1]][:3] == ["活动编号*", "活动类型*", "日期*"]
    assert [cell.value for cell in workbook["意见建议"][1]] == [
        "活动编号*",
        "企业",
        "类别*",
        "性质*",
        "内容*",
        "联系方式",
        "收集日期",
    ]


def dropdowns(worksheet) -> dict[str, str]:
    return {
        str(validation.sqref).split(":")[0]: validation.formula1
        for validation in worksheet.data_validations.dataValidation
    }


def test_the_template_offers_dropdowns_for_kind_category_nature_and_county():
    workbook = load(xlsx(counties=["丰泽区", "晋江市"], categories=["收费", "其他"]))
    assert dropdowns(workbook["活动"]) == {
        "B2": '"走访调研,企业座谈会,内部座谈会,征求意见表,热线或网络渠道,上门服务"'
    }
    assert dropdowns(workbook["意见建议"]) == {"C2": '"收费,其他"', "D2": '"问题,建议,表扬"'}
    assert dropdowns(workbook["企业"]) == {"C2": '"丰泽区,晋江市"'}


def test_a_list_too_long_for_excel_gets_no_dropdown_rather_than_a_broken_file():
    categories = [f"很长的意见类别名称第{n}号" for n in range(40)]
    workbook = load(xlsx(categories=categories))
    assert "C2" not in dropdowns(workbook["意见建议"])


def values(workbook):
    return {
        name: [list(row) for row in workbook[name].iter_rows(values_only=True)]
        for name in workbook.sheetnames
    }


def test_the_committed_example_file_is_what_the_generator_writes():
    committed = load_workbook(EXAMPLE_PATH)
    generated = load(workbook_bytes(example_workbook()))
    assert values(committed) == values(generated), (
        "docs/examples/outreach-import-example.xlsx is stale: regenerate it with "
        "imports.template.save_example()"
    )
