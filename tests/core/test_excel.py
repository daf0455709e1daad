"""core.excel: user text is never a formula, values keep their types, rows stream."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from core.excel import (
    XLSX_CONTENT_TYPE,
    text_cell,
    value_cell,
    write_header,
    write_rows,
    xlsx_response,
)

DANGEROUS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x","点我")', "\t=1"]


def saved(workbook) -> Workbook:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def sheet():
    workbook = Workbook(write_only=True)
    return workbook, workbook.create_sheet("测试")


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_starting_like_a_formula_is_written_as_text(text):
    workbook, ws = sheet()
    ws.append([text_cell(ws, text)])
    cell = saved(workbook).active["A1"]
    assert cell.data_type == "s"
    assert cell.value == text  # the content itself is not altered
    assert cell.quotePrefix


def test_plain_text_stays_plain():
    workbook, ws = sheet()
    ws.append([text_cell(ws, "锅炉定检报告出具慢"), text_cell(ws, None)])
    row = saved(workbook).active[1]
    assert row[0].value == "锅炉定检报告出具慢"
    assert row[0].data_type == "s"
    assert not row[0].quotePrefix
    assert row[1].value is None


def test_control_characters_are_dropped_instead_of_failing():
    workbook, ws = sheet()
    ws.append([text_cell(ws, "复制\x0b来的\x01文字")])
    assert saved(workbook).active["A1"].value == "复制来的文字"


def test_values_keep_their_types():
    workbook, ws = sheet()
    write_rows(ws, [[42, 1.5, date(2026, 3, 1), datetime(2026, 3, 1, 9, 30), None, "=A1"]])
    row = saved(workbook).active[1]
    assert row[0].value == 42
    assert row[1].value == 1.5
    assert row[2].value == datetime(2026, 3, 1)
    assert row[2].number_format == "yyyy-mm-dd"
    assert row[3].value == datetime(2026, 3, 1, 9, 30)
    assert row[4].value is None
    assert row[5].data_type == "s" and row[5].value == "=A1"


def test_value_cell_writes_text_for_other_objects():
    workbook, ws = sheet()
    ws.append([value_cell(ws, type("Thing", (), {"__str__": lambda self: "-东西"})())])
    cell = saved(workbook).active["A1"]
    assert cell.value == "-东西" and cell.data_type == "s"


def test_write_rows_consumes_a_generator_and_counts():
    workbook, ws = sheet()
    write_header(ws, ["编号", "内容"])
    count = write_rows(ws, ([n, f"第{n}条"] for n in range(5)))
    assert count == 5
    rows = list(saved(workbook).active.values)
    assert rows[0] == ("编号", "内容")
    assert rows[1:] == [(n, f"第{n}条") for n in range(5)]


def test_header_is_bold():
    workbook, ws = sheet()
    write_header(ws, ["=不是公式"])
    cell = saved(workbook).active["A1"]
    assert cell.font.bold
    assert cell.data_type == "s"


@pytest.mark.django_db  # closing a response sends request_finished, which closes connections
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
    assert ws.column_dimensions["B"].width == 40
    assert ws.freeze_panes == "A2"
    response.close()
