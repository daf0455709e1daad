"""Excel exports that are safe to open and cheap to build, shared by every list export.

Text from users is always written as text, never as a formula: a spreadsheet cell whose
text starts with ``=``, ``+``, ``-`` or ``@`` would otherwise run as a formula in Excel or
WPS when opened (CSV/formula injection). Such text also carries Excel's quote prefix, so it
stays text when someone edits the cell. Rows stream through XlsxWriter's constant-memory
mode into a temporary file: an export of a million rows costs the memory of one row.

Rows are written whole: ``SheetWriter.append`` makes a row's cell XML in one pass and hands
it to the worksheet (``_RowWorksheet``), where XlsxWriter's per-cell calls cost about 6 µs a
cell in Python (the 250,000-row ledger has 3.75 million). The XML is what XlsxWriter itself
writes for the same values, byte for byte (``tests/core/test_excel.py`` compares the two);
a value outside what the row path knows (a number that is not finite, text longer than
16,383 characters) sends its row through XlsxWriter's own per-cell calls.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import xlsxwriter
from django.http import FileResponse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Leading characters that make a spreadsheet read a cell as a formula (or a DDE call).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

#: The most characters Excel keeps in one cell.
MAX_CELL_TEXT = 32_767

#: Text the row path writes as it is: none of the characters XML or Excel escape (control
#: characters, ``&<>``, the two non-characters) and no ``_xHHHH_`` that Excel would read as
#: an escape. Anything else goes through ``_escaped``.
_NEEDS_ESCAPING = re.compile(r"[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")

#: Longer text may exceed Excel's limit in UTF-16 units (XlsxWriter cuts it there).
_ROW_PATH_MAX_TEXT = MAX_CELL_TEXT // 2


def clean_text(value: object) -> str:
    """``value`` as text a workbook can carry: characters XML cannot hold (control
    characters pasted from other programs) are dropped rather than failing the export."""
    text = "" if value is None else str(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_TEXT]


def _escaped(text: str) -> str:
    """Clean text as XlsxWriter writes an inline string: control characters as ``_xHHHH_``
    (and a literal ``_xHHHH_`` escaped in turn), then XML's ``&<>``."""
    text = Worksheet._escape_control_characters(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _RowWorksheet(Worksheet):
    """XlsxWriter's worksheet (constant-memory mode) taking a whole row's cells as XML."""

    def _start_row(self, row: int) -> None:
        """Write out the row written before (XlsxWriter keeps one row until the next
        begins): formats get their numbers in the order cells are written, as XlsxWriter's
        own calls give them."""
        if row > self.previous_row:
            self._write_single_row(row)

    def _xml_rich_inline_string(self, string, attributes=()) -> None:
        # No export writes rich text: user text that merely looks like it ("<r>…</r>") is
        # text, escaped, not XML copied into the file (where it could add cells and formulas).
        self._xml_inline_string(string, _preserve_whitespace(string), list(attributes))

    def _write_row_xml(self, row: int, first: int, last: int, cells: str) -> bool:
        """Write row ``row`` (0-based) holding columns ``first`` to ``last`` as ``cells``;
        False (nothing written) where XlsxWriter would refuse the cells."""
        if self._check_dimensions(row, first) or self._check_dimensions(row, last):
            return False
        self.fh.write(f'<row r="{row + 1}">{cells}</row>')
        return True


class SheetWriter:
    """One worksheet written row by row, every value typed by what it is."""

    def __init__(self, workbook: xlsxwriter.Workbook, title: str):
        self.sheet = workbook.add_worksheet(title[:31], worksheet_class=_RowWorksheet)
        self.bold = workbook.add_format({"bold": True})
        self.as_text = workbook.add_format({"quote_prefix": True})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.rows = 0
        self._row_path: bool | None = None  # known at the first row
        self._columns: list[str] = []
        # A date's cell number, worked out once per date (a ledger repeats a few thousand).
        self._date_numbers: dict[date, str] = {}

    def header(self, titles: Sequence[str]) -> None:
        for column, title in enumerate(titles):
            self.sheet.write_string(0, column, clean_text(title), self.bold)
        self.sheet.freeze_panes(1, 0)
        self.rows = 1

    def widths(self, widths: Sequence[int]) -> None:
        for column, width in enumerate(widths):
            self.sheet.set_column(column, column, width)

    def _plain_rows(self) -> bool:
        """The row path writes plain <row> and <c> elements: only while nothing gives rows
        or columns attributes of their own (no set_row, no column format, default height)."""
        sheet = self.sheet
        return (
            sheet.excel_version != 2010
            and not sheet.row_info
            and sheet.default_row_height == sheet.original_row_height
            and all(info.column_format is None for info in sheet.col_info.values())
        )

    def append(self, values: Sequence[object]) -> None:
        row = self.rows
        if self._row_path is None:
            self._row_path = self._plain_rows()
        self.sheet._start_row(row)
        if not (self._row_path and self._append_xml(row, values)):
            self._append_cells(row, values)
        self.rows += 1

    def _append_xml(self, row: int, values: Sequence[object]) -> bool:
        """The row as one piece of XML; False if a value needs XlsxWriter's own calls."""
        columns = self._columns
        if len(values) > len(columns):
            columns.extend(xl_col_to_name(n) for n in range(len(columns), len(values)))
        number = str(row + 1)
        cells = []
        add = cells.append
        first = last = None
        needs_escaping = _NEEDS_ESCAPING.search
        for column, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if not value:
                    continue  # an empty cell, not an empty string
                if (
                    len(value) > _ROW_PATH_MAX_TEXT
                    or needs_escaping(value)
                    or value.startswith(FORMULA_PREFIXES)
                    or value[0].isspace()
                    or value[-1].isspace()
                ):
                    cell = self._text_cell(columns[column] + number, value)
                else:  # most text: written as it is
                    cell = (
                        f'<c r="{columns[column]}{number}" t="inlineStr">'
                        f"<is><t>{value}</t></is></c>"
                    )
            elif kind is int or (kind is float and math.isfinite(value)):
                cell = f'<c r="{columns[column]}{number}"><v>{value:.16G}</v></c>'
            elif kind is date:
                serial = self._date_numbers.get(value)
                if serial is None:
                    serial = self._date_numbers[value] = (
                        f"{self.sheet._convert_date_time(value):.16G}"
                    )
                cell = (
                    f'<c r="{columns[column]}{number}" s="{self.date._get_xf_index()}">'
                    f"<v>{serial}</v></c>"
                )
            elif kind is datetime:
                # Excel has no time zones: write the local wall-clock time.
                serial = self.sheet._convert_date_time(value.replace(tzinfo=None))
                cell = (
                    f'<c r="{columns[column]}{number}" s="{self.datetime._get_xf_index()}">'
                    f"<v>{serial:.16G}</v></c>"
                )
            elif kind is bool:
                cell = f'<c r="{columns[column]}{number}" t="b"><v>{int(value)}</v></c>'
            elif isinstance(value, bool | int | float | date):
                return False  # subclasses and odd numbers: XlsxWriter's own calls
            else:
                cell = self._text_cell(columns[column] + number, str(value))
            if not cell:
                if cell is None:
                    return False
                continue  # an empty cell, not an empty string
            if first is None:
                first = column
            last = column
            add(cell)
        if first is None:
            return True  # nothing to write: XlsxWriter writes no row either
        return self.sheet._write_row_xml(row, first, last, "".join(cells))

    def _text_cell(self, ref: str, text: str) -> str | None:
        """An inline string cell; "" for text that makes no cell (empty once cleaned), None
        for text too long for the row path (it may need cutting in UTF-16 units)."""
        escape = _NEEDS_ESCAPING.search(text)
        if escape:
            text = clean_text(text)
        if not text:
            return ""
        if len(text) > _ROW_PATH_MAX_TEXT:
            return None
        quoted = text.startswith(FORMULA_PREFIXES)
        if escape:
            text = _escaped(text)
        # XlsxWriter keeps leading or trailing whitespace (its ^\s|\s$).
        space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
        style = f' s="{self.as_text._get_xf_index()}"' if quoted else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'

    def _append_cells(self, row: int, values: Sequence[object]) -> None:
        """The row through XlsxWriter's per-cell calls (what the row path must equal)."""
        sheet = self.sheet
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(row, column, value)
            elif isinstance(value, int | float):
                sheet.write_number(row, column, value)
            elif isinstance(value, datetime):
                # Excel has no time zones: write the local wall-clock time.
                sheet.write_datetime(row, column, value.replace(tzinfo=None), self.datetime)
            elif isinstance(value, date):
                sheet.write_datetime(row, column, value, self.date)
            else:
                text = clean_text(value)
                if not text:
                    continue  # an empty cell, not an empty string
                if text.startswith(FORMULA_PREFIXES):
                    sheet.write_string(row, column, text, self.as_text)
                else:
                    sheet.write_string(row, column, text)

    def extend(self, rows: Iterable[Sequence[object]]) -> int:
        """Append every row (consumed one at a time); returns how many were written."""
        first = self.rows
        for values in rows:
            self.append(values)
        return self.rows - first


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
    # Deleted when the response closes it after sending.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    write_xlsx(output, sheet_title=sheet_title, headers=headers, rows=rows, widths=widths)
    output.seek(0)
    return FileResponse(
        output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def write_xlsx(
    output,
    *,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: Sequence[int] = (),
) -> None:
    """Write one sheet into the open binary file ``output`` (a job's file, a response's)."""
    workbook = new_workbook(output)
    sheet = SheetWriter(workbook, sheet_title)
    sheet.widths(widths)
    sheet.header(headers)
    sheet.extend(rows)
    workbook.close()


def new_workbook(output) -> xlsxwriter.Workbook:
    """A workbook streaming into ``output``, one row in memory at a time."""
    return xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            # Text is text: never turned into formulas, links or numbers.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
