"""What the value of a cell means: its text, a whole number, a date, a list of names.

Cells come as openpyxl reads them with ``data_only=False``: a formula is its text and stays
text, never its result. A value that cannot be used raises ``CellError`` with a message for
the user; ``imports.planning`` records it against the cell.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel


class CellError(ValueError):
    """A cell's value cannot be used; ``message`` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def cell_text(value) -> str:
    """The text of a cell: formulas as their text, numbers without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if not isinstance(value, str):
        # ArrayFormula and DataTableFormula: their text, never their result.
        value = getattr(value, "text", None) or str(value)
    return value.strip()


def cell_int(value) -> int | None:
    """A whole number of zero or more, or None for an empty cell."""
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = cell_text(value).replace(",", "").replace("，", "")
        if not text:
            return None
        text = unicodedata.normalize("NFKC", text)
        if not re.fullmatch(r"[+-]?\d+(\.0+)?", text):
            raise CellError(_("“{value}” is not a whole number.").format(value=text))
        number = int(float(text))
    if number < 0:
        raise CellError(_("Enter zero or more."))
    if number > 2_000_000_000:
        raise CellError(_("This number is too large."))
    return number


_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
# Excel's day numbers for 1954-10-10 and 2118-12-26: outside them a number is no date.
_EXCEL_DAYS = range(20_000, 80_000)


def cell_date(value) -> date | None:
    """An Excel date, an Excel day number, or text such as 2026-11-25 or 2026/11/25."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) in _EXCEL_DAYS:
            return from_excel(int(value)).date()
        raise CellError(_("“{value}” is not a date.").format(value=cell_text(value)))
    text = unicodedata.normalize("NFKC", cell_text(value))
    if not text:
        return None
    match = _DATE_TEXT.fullmatch(text)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(
        _("“{value}” is not a date: write it as 2026-11-25 or 2026/11/25.").format(value=text)
    )


_LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")


def split_list(value) -> list[str]:
    """The items of a cell listing several names (separated by 、 , ; or new lines)."""
    return [item.strip() for item in _LIST_SEPARATORS.split(cell_text(value)) if item.strip()]
