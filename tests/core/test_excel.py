"""core.excel: user text is never a formula, values keep their types, rows stream."""

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from core.excel import MAX_CELL_TEXT, XLSX_CONTENT_TYPE, xlsx_response
from tests.exports import sheet_parts

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


# --- rows written whole: the XML XlsxWriter itself writes, cell by cell --------------------


class FakeDate(date):
    """A subclass of date (the row path leaves those to XlsxWriter)."""


class IntLike(int):
    pass


INJECTION = (
    '<r><t>a</t></r></is></c><c r="C2"><f>1+1</f></c><c r="D2" t="inlineStr"><is><r><t>b</t></r>'
)
WHITESPACE = [chr(n) for n in range(0x3001) if re.match(r"\s", chr(n)) or chr(n).isspace()]

SAMPLES = [
    [0, -7, 42, 10**17, 1.5, 0.1 + 0.2, -1e-7, 123456789.123456789, 2.0**60],
    [date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1), date(2026, 12, 4)],
    [datetime(2026, 3, 1, 9, 30, 15, 250), datetime(1900, 1, 1, 12), datetime(2024, 2, 29)],
    [datetime(2024, 3, 11, 10, 0, tzinfo=UTC), True, False, None, "", "x", None],
    ["锅炉定检报告出具慢", "标题\n描述", "第一行\r\n第二行", "a\tb", "末尾换行\n"],
    [" 前空格", "后空格 ", "\u3000全角", "全角\u3000", "\n开头", "x\n ", "\t=1", "\r=1"],
    ["=1+1", "+SUM(A1)", "-2", "@cmd", "A & B", "<b>粗</b>", 'say "hi"', "it's", "a>b<c"],
    ["_x0041_", "_X004a_", "_x12_", "a_x00D9_b", "\ufffe", "\uffff", "x\ufffey"],
    ["复制\x0b来的\x01文字", "\x00", "\x1f\x1e", "\x0c", "只有\r", "\r", "\x0b=1"],
    ["<r>x</r>", "<r><t>注入</t></r>", INJECTION],
    ["😀" * 5, "𠀀字", "長" * (MAX_CELL_TEXT + 10)],
    ["😀" * 16_390, 1],  # more than Excel's limit in UTF-16 units: cut there
    [gettext_lazy("Anonymous"), Decimal("1.50"), type("T", (), {"__str__": lambda s: "-东西"})()],
    [None, None, "only the third"],
    [None, None],
    [FakeDate(2026, 1, 2), IntLike(5)],
    [f"{space}边{space}" for space in WHITESPACE],
    [f"{space}" for space in WHITESPACE],
]


@pytest.mark.parametrize("rows", [SAMPLES, [SAMPLES[4]], [SAMPLES[1], SAMPLES[0]]])
def test_rows_are_the_xml_xlsxwriter_writes_cell_by_cell(rows):
    headers, widths = ["编号", "内容", "=不是公式"], (6, 40)
    assert sheet_parts(rows, headers=headers, widths=widths, row_path=True) == sheet_parts(
        rows, headers=headers, widths=widths, row_path=False
    )


def test_text_that_looks_like_rich_text_is_text():
    # XlsxWriter copies text shaped "<r>…</r>" into the file as rich-text XML: this one
    # would have added a formula cell C2 (and D2).
    texts = ["<r><t>注入</t></r>", INJECTION]
    sheet = exported([texts])
    assert (sheet.max_row, sheet.max_column) == (2, 2)  # no cell was added
    assert [sheet["A2"].value, sheet["B2"].value] == texts


def test_a_row_of_empty_values_writes_no_cells_and_the_next_row_is_still_numbered():
    assert list(exported([[None, ""], ["下一行"]]).values)[1:] == [(None, None), ("下一行", None)]
