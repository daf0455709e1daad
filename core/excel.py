"""Excel exports that are safe to open and cheap to build, shared by every list export.

Text from users is always written as text, never as a formula: a spreadsheet cell whose
text starts with ``=``, ``+``, ``-`` or ``@`` would otherwise run as a formula in Excel or
WPS when opened (CSV/formula injection). Rows go through openpyxl's write-only mode into
a temporary file, so an export of a million rows costs the memory of one row.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Leading characters that make a spreadsheet read a cell as a formula (or a DDE call).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def text_cell(ws: WriteOnlyWorksheet, value: object) -> WriteOnlyCell:
    """A cell holding ``value`` as plain text, whatever it starts with.

    Characters that XML cannot carry (control characters pasted from other programs) are
    dropped rather than failing the whole export.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    cell = WriteOnlyCell(ws, value=text)
    if text.startswith(FORMULA_PREFIXES):
        # openpyxl typed it as a formula on assignment; make it a string again, and mark
        # it so Excel keeps it text when someone edits the cell.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def value_cell(ws: WriteOnlyWorksheet, value: object) -> WriteOnlyCell | str | int | float | None:
    """A cell for any value: numbers and dates typed as such, everything else as text.

    Numbers, nothing, and text that cannot be read as a formula go in as they are: a
    ledger of 250,000 rows spends most of its time making cells, so only what needs a
    format or a guard gets a ``WriteOnlyCell``.
    """
    if value is None or isinstance(value, int | float):
        return value
    if (
        isinstance(value, str)
        and not value.startswith(FORMULA_PREFIXES)
        and not ILLEGAL_CHARACTERS_RE.search(value)
    ):
        return value
    if isinstance(value, datetime):
        # Excel has no time zones: write the local wall-clock time.
        cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return text_cell(ws, value)


def write_header(ws: WriteOnlyWorksheet, titles: Sequence[str]) -> None:
    """The first row, in bold."""
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = text_cell(ws, title)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)


def write_rows(ws: WriteOnlyWorksheet, rows: Iterable[Sequence[object]]) -> int:
    """Append every row (consumed one at a time); returns how many were written."""
    count = 0
    for row in rows:
        ws.append([value_cell(ws, value) for value in row])
        count += 1
    return count


def xlsx_response(
    *,
    filename: str,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: Sequence[int] = (),
) -> FileResponse:
    """A download of one sheet: ``headers`` then ``rows``, built in a temporary file.

    ``rows`` may be a generator over a queryset's ``iterator()``: nothing holds more than
    one row at a time. ``widths`` are column widths in characters, in column order.
    """
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=sheet_title[:31])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    write_header(ws, headers)
    write_rows(ws, rows)
    # Deleted when the response closes it after sending.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
