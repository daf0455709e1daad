"""Refusing unsafe files and reading the sheets of an import file (``imports.reading``)."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from imports import reading
from imports.reading import SpreadsheetRejected
from imports.sheets import MAX_ROWS
from imports.template import build_template, workbook_bytes
from tests import samples
from tests.imports.conftest import problem_tuples, xlsx


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here (the users' language is tested elsewhere)."""
    with translation.override("en"):
        yield


# --- refusing files ----------------------------------------------------------------------


def check(name, content):
    reading.check_file(name, len(content), io.BytesIO(content))


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
    with pytest.raises(SpreadsheetRejected, match="not an Excel workbook"):
        check("notes.xlsx", b"just some text")
    with pytest.raises(SpreadsheetRejected, match="not an Excel workbook"):
        check("minutes.xlsx", samples.docx())
    with pytest.raises(SpreadsheetRejected, match=r"Upload an Excel workbook \(\.xlsx\)"):
        check("notes.txt", xlsx())


def test_files_over_the_upload_limit_are_refused_with_the_limit():
    with pytest.raises(SpreadsheetRejected, match="the limit is 10 MB"):
        reading.check_file("big.xlsx", 10 * 1024 * 1024 + 1, io.BytesIO(xlsx()))


def test_the_limit_is_the_one_setting_every_upload_has(settings):
    settings.OUTREACH_MAX_UPLOAD_MB = 2
    with pytest.raises(SpreadsheetRejected, match="the limit is 2 MB"):
        reading.check_file("big.xlsx", 2 * 1024 * 1024 + 1, io.BytesIO(xlsx()))
    reading.check_file("small.xlsx", len(xlsx()), io.BytesIO(xlsx()))


def test_a_file_bigger_than_it_says_is_refused_by_its_bytes(settings):
    settings.OUTREACH_MAX_UPLOAD_MB = 1
    content = xlsx() + b"\0" * (1024 * 1024)
    with pytest.raises(SpreadsheetRejected, match="too large"):
        reading.check_file("liar.xlsx", 10, io.BytesIO(content))


def test_an_empty_file_is_refused():
    with pytest.raises(SpreadsheetRejected, match="empty"):
        check("empty.xlsx", b"")


# --- reading sheets ------------------------------------------------------------------------


def read(content: bytes):
    return reading.read_workbook(io.BytesIO(content))


def test_the_template_reads_as_three_empty_sheets():
    result = read(xlsx())
    assert result.problems == []
    assert {key: sheet.rows for key, sheet in result.sheets.items()} == {
        "enterprises": [],
        "activities": [],
        "feedback": [],
    }


def test_rows_are_numbered_as_excel_shows_them_blank_rows_included():
    workbook = build_template()
    sheet = workbook["活动"]
    sheet["A3"] = "A1"
    sheet["B7"] = "走访调研"
    result = read(workbook_bytes(workbook))
    assert [row.number for row in result.sheets["activities"].rows] == [3, 7]


def test_formulas_come_back_as_their_text_never_their_result():
    workbook = build_template()
    workbook["意见建议"]["E2"] = "=1+1"
    result = read(workbook_bytes(workbook))
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
    result = read(workbook_bytes(workbook))
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
    result = read(workbook_bytes(workbook))
    assert problem_tuples(result.problems) == [
        ("Sheet1", None, ""),
        ("企业", 1, "备注"),
        ("企业", 1, "县（市、区）"),
        ("意见建议", None, ""),
    ]


def test_a_value_in_a_column_without_header_is_an_error_not_dropped():
    workbook = build_template()
    workbook["企业"]["Z4"] = "备注：老客户"
    result = read(workbook_bytes(workbook))
    assert problem_tuples(result.problems) == [("企业", 4, "Z")]


def test_more_than_ten_thousand_rows_is_refused_with_the_limit(settings):
    workbook = build_template()
    sheet = workbook["意见建议"]
    for number in range(MAX_ROWS + 1):
        sheet.append(["A1", None, "收费", "问题", f"意见{number}"])
    result = read(workbook_bytes(workbook))
    assert len(result.problems) == 1
    assert result.problems[0].sheet == "意见建议"
    assert "10,000" in result.problems[0].message


def test_ten_thousand_rows_are_accepted():
    workbook = build_template()
    sheet = workbook["意见建议"]
    for number in range(MAX_ROWS):
        sheet.append(["A1", None, "收费", "问题", f"意见{number}"])
    result = read(workbook_bytes(workbook))
    assert result.problems == []
    assert len(result.sheets["feedback"].rows) == MAX_ROWS


def test_a_damaged_workbook_is_refused_with_a_message():
    content = bytearray(xlsx())
    content[200:400] = b"x" * 200
    with pytest.raises(SpreadsheetRejected):
        read(bytes(content))
