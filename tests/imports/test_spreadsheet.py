"""Reading cells and sheets, refusing unsafe files, and writing the template."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from imports import spreadsheet
from imports.spreadsheet import CellError, SpreadsheetRejected, cell_date, cell_int, cell_text
from tests.imports.conftest import problem_tuples, xlsx


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here (the users' language is tested elsewhere)."""
    with translation.override("en"):
        yield


# --- cells -----------------------------------------------------------------------------


def test_formula_text_is_kept_as_text():
    assert cell_text('=HYPERLINK("http://evil","点我")') == '=HYPERLINK("http://evil","点我")'


def test_numbers_read_as_text_lose_no_digits_and_no_trailing_zero():
    assert cell_text(13905950001) == "13905950001"
    assert cell_text(12.0) == "12"
    assert cell_text(None) == ""
    assert cell_text("  丰泽区 ") == "丰泽区"


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 11, 25),
        datetime(2026, 11, 25, 0, 0),
        "2026-11-25",
        "2026/11/25",
        "2026/11/25 00:00:00",
        "2026.11.25",
        "2026年11月25日",
        "２０２６－１１－２５",
        46351,  # an Excel day number (a date cell without its format)
    ],
)
def test_dates_are_read_from_excel_dates_and_text(value):
    assert cell_date(value) == date(2026, 11, 25)


@pytest.mark.parametrize("value", ["25/11/2026", "2026-13-01", "明天", "=TODAY()", 7])
def test_other_dates_are_refused_with_a_message(value):
    with pytest.raises(CellError) as error:
        cell_date(value)
    assert error.value.message


@pytest.mark.parametrize(
    ("value", "expected"), [(18, 18), (18.0, 18), ("18", 18), ("1,200", 1200), (None, None)]
)
def test_whole_numbers(value, expected):
    assert cell_int(value) == expected


@pytest.mark.parametrize("value", ["十八", "1.5", -1, "=1+1", True])
def test_other_numbers_are_refused(value):
    with pytest.raises(CellError):
        cell_int(value)


def test_lists_split_on_chinese_and_western_separators():
    assert spreadsheet.split_list("安泰、恒达;华联；  ,新光\n闽南") == [
        "安泰",
        "恒达",
        "华联",
        "新光",
        "闽南",
    ]


# --- refusing files ----------------------------------------------------------------------


def check(name, content):
    spreadsheet.check_file(name, len(content), io.BytesIO(content))


@pytest.mark.parametrize("name", ["ledger.xlsm", "ledger.XLSB", "ledger.xltm"])
def test_macro_workbooks_are_refused_by_extension(name):
    with pytest.raises(SpreadsheetRejected, match="macro"):
        check(name, xlsx())


def test_old_xls_files_are_refused_with_the_way_out():
    with pytest.raises(SpreadsheetRejected, match=r"\.xlsx"):
        check("ledger.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(SpreadsheetRejected, match="old Excel file"):
        check("renamed.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)


def test_a_workbook_carrying_a_vba_project_is_refused_whatever_its_name():
    buffer = io.BytesIO(xlsx())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"')
    with pytest.raises(SpreadsheetRejected, match="macros"):
        check("innocent.xlsx", buffer.getvalue())


def test_other_files_named_xlsx_are_refused():
    with pytest.raises(SpreadsheetRejected):
        check("notes.xlsx", b"just some text")
    with pytest.raises(SpreadsheetRejected):
        check("notes.txt", xlsx())


def test_files_over_five_megabytes_are_refused_with_the_limit():
    with pytest.raises(SpreadsheetRejected, match="5 MB"):
        spreadsheet.check_file("big.xlsx", 5 * 1024 * 1024 + 1, io.BytesIO(xlsx()))


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (spreadsheet.MAX_UNZIPPED_SIZE + 1))
    with pytest.raises(SpreadsheetRejected, match="too large"):
        check("bomb.xlsx", buffer.getvalue())


# --- reading sheets ------------------------------------------------------------------------


def read(content: bytes):
    return spreadsheet.read_workbook(io.BytesIO(content))


def test_the_template_reads_as_three_empty_sheets():
    result = read(xlsx())
    assert result.problems == []
    assert {key: sheet.rows for key, sheet in result.sheets.items()} == {
        "enterprises": [],
        "activities": [],
        "feedback": [],
    }


def test_rows_are_numbered_as_excel_shows_them_blank_rows_included():
    workbook = spreadsheet.build_template()
    sheet = workbook["活动"]
    sheet["A3"] = "A1"
    sheet["B7"] = "走访调研"
    result = read(spreadsheet.workbook_bytes(workbook))
    assert [row.number for row in result.sheets["activities"].rows] == [3, 7]


def test_formulas_come_back_as_their_text_never_their_result():
    workbook = spreadsheet.build_template()
    workbook["意见建议"]["E2"] = "=1+1"
    result = read(spreadsheet.workbook_bytes(workbook))
    assert result.sheets["feedback"].rows[0]["content"] == "=1+1"


def test_english_sheet_names_and_headers_are_accepted():
    workbook = Workbook()
    workbook.active.title = "Enterprises"
    workbook.active.append(["Enterprise name", "County"])
    activities = workbook.create_sheet("Activities")
    activities.append(["Activity ref", "Activity type", "Date"])
    feedback = workbook.create_sheet("Feedback")
    feedback.append(["Activity ref", "Category", "Kind", "Content"])
    feedback.append(["A1", "Fees", "Problem", "Too expensive"])
    result = read(spreadsheet.workbook_bytes(workbook))
    assert result.problems == []
    assert result.sheets["feedback"].rows[0].values == {
        "ref": "A1",
        "category": "Fees",
        "kind": "Problem",
        "content": "Too expensive",
    }
    assert result.sheets["feedback"].header("content") == "Content"


def test_missing_and_unexpected_sheets_and_columns_are_each_named():
    workbook = Workbook()
    workbook.active.title = "企业"
    workbook.active.append(["企业名称*", "备注"])  # no county column, an unknown one
    workbook.create_sheet("活动").append(["活动编号", "活动类型", "日期"])
    workbook.create_sheet("Sheet1")
    result = read(spreadsheet.workbook_bytes(workbook))
    assert problem_tuples(result.problems) == [
        ("Sheet1", None, ""),
        ("企业", 1, "备注"),
        ("企业", 1, "县（市、区）"),
        ("意见建议", None, ""),
    ]


def test_a_value_in_a_column_without_header_is_an_error_not_dropped():
    workbook = spreadsheet.build_template()
    workbook["企业"]["Z4"] = "备注：老客户"
    result = read(spreadsheet.workbook_bytes(workbook))
    assert problem_tuples(result.problems) == [("企业", 4, "Z")]


def test_more_than_ten_thousand_rows_is_refused_with_the_limit(settings):
    workbook = spreadsheet.build_template()
    sheet = workbook["意见建议"]
    for number in range(spreadsheet.MAX_ROWS + 1):
        sheet.append(["A1", None, "收费", "问题", f"意见{number}"])
    result = read(spreadsheet.workbook_bytes(workbook))
    assert len(result.problems) == 1
    assert result.problems[0].sheet == "意见建议"
    assert "10,000" in result.problems[0].message


def test_ten_thousand_rows_are_accepted():
    workbook = spreadsheet.build_template()
    sheet = workbook["意见建议"]
    for number in range(spreadsheet.MAX_ROWS):
        sheet.append(["A1", None, "收费", "问题", f"意见{number}"])
    result = read(spreadsheet.workbook_bytes(workbook))
    assert result.problems == []
    assert len(result.sheets["feedback"].rows) == spreadsheet.MAX_ROWS


def test_a_damaged_workbook_is_refused_with_a_message():
    content = bytearray(xlsx())
    content[200:400] = b"x" * 200
    with pytest.raises(SpreadsheetRejected):
        read(bytes(content))


# --- the template and the example ------------------------------------------------------


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
    committed = load_workbook(spreadsheet.EXAMPLE_PATH)
    generated = load(spreadsheet.workbook_bytes(spreadsheet.example_workbook()))
    assert values(committed) == values(generated), (
        "docs/examples/outreach-import-example.xlsx is stale: regenerate it with "
        "imports.spreadsheet.save_example()"
    )
