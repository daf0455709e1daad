"""core.excel: user text is never a formula, values keep their types, rows stream."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from core.excel import MAX_CELL_TEXT, XLSX_CONTENT_TYPE, xlsx_response

# Closing a response sends request_finished, which closes connections.
pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x","点我")', "\t=1"]


def exported(rows, headers=("编号", "内容"), **kwargs):
    response = xlsx_response(
        filename="台账.xlsx", sheet_title="问题台账", headers=list(headers), rows=rows, **kwargs
    )
    content = b"".join(response.streaming_content)
    response.close()
    return load_workbook(io.BytesIO(content))["问题台账"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_starting_like_a_formula_is_written_as_text(text):
    cell = exported([[text]])["A2"]
    assert cell.data_type == "s"
    assert cell.value == text  # the content itself is not altered
    assert cell.quotePrefix


def test_plain_text_stays_plain():
    row = exported([["锅炉定检报告出具慢", None, "http://example.org", "0123"]])[2]
    assert row[0].value == "锅炉定检报告出具慢"
    assert row[0].data_type == "s"
    assert not row[0].quotePrefix
    assert row[1].value is None
    # Neither a link nor a number: text as it was typed.
    assert row[2].value == "http://example.org" and row[2].hyperlink is None
    assert row[3].value == "0123"


def test_control_characters_are_dropped_instead_of_failing():
    assert exported([["复制\x0b来的\x01文字"]])["A2"].value == "复制来的文字"


def test_text_longer_than_a_cell_holds_is_cut_not_lost():
    assert len(exported([["长" * (MAX_CELL_TEXT + 10)]])["A2"].value) == MAX_CELL_TEXT


def test_values_keep_their_types():
    row = exported([[42, 1.5, date(2026, 3, 1), datetime(2026, 3, 1, 9, 30), None, "=A1"]])[2]
    assert row[0].value == 42
    assert row[1].value == 1.5
    assert row[2].value == datetime(2026, 3, 1)
    assert row[2].number_format == "yyyy-mm-dd"
    assert row[3].value == datetime(2026, 3, 1, 9, 30)
    assert row[4].value is None
    assert row[5].data_type == "s" and row[5].value == "=A1"


def test_other_objects_are_written_as_their_text():
    thing = type("Thing", (), {"__str__": lambda self: "-东西"})()
    cell = exported([[thing]])["A2"]
    assert cell.value == "-东西" and cell.data_type == "s"


def test_rows_are_consumed_from_a_generator_in_order():
    sheet = exported([n, f"第{n}条"] for n in range(5))
    rows = list(sheet.values)
    assert rows[0] == ("编号", "内容")
    assert rows[1:] == [(n, f"第{n}条") for n in range(5)]


def test_header_is_bold_and_never_a_formula():
    cell = exported([], headers=["=不是公式"])["A1"]
    assert cell.font.bold
    assert cell.data_type == "s"


def test_xlsx_response_is_a_download_of_one_sheet():
    response = xlsx_response(
        filename="台账.xlsx",
        sheet_title="问题台账",
        headers=["编号", "内容"],
        rows=iter([[1, "=1+1"], [2, "正常"]]),
        widths=(6, 40),
    )
    assert response.streaming
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = workbook["问题台账"]
    assert list(ws.values) == [("编号", "内容"), (1, "=1+1"), (2, "正常")]
    assert ws["B2"].data_type == "s"
    assert ws.column_dimensions["B"].width == pytest.approx(40, abs=1)
    assert ws.freeze_panes == "A2"
    response.close()
