"""What a cell's value means: text, whole numbers, dates and lists (``imports.cells``)."""

from datetime import date, datetime

import pytest
from django.utils import translation

from imports.cells import CellError, cell_date, cell_int, cell_text, split_list


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here (the users' language is tested elsewhere)."""
    with translation.override("en"):
        yield


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
    assert split_list("安泰、恒达;华联；  ,新光\n闽南") == [
        "安泰",
        "恒达",
        "华联",
        "新光",
        "闽南",
    ]
