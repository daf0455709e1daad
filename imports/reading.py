"""Reading an uploaded import file: refusing what cannot be read safely, then its rows.

Reading never evaluates anything: the workbook is opened with ``data_only=False`` and
``read_only=True``, so a formula comes back as its text (``"=SUM(A1:A3)"``) and is kept as
text. Before openpyxl sees a file it passes the checks every upload gets
(``core.files.inspect_content``: a real .xlsx without macros or a zip bomb, within the one
upload size limit) and the bounds of ``WORKBOOK_LIMITS`` on what reading it may cost
(``core.files.inspect_workbook``): a file is refused within seconds whatever its
dimension, styles or shared strings claim, never after a minute of openpyxl. openpyxl is
then told to ignore the dimension a sheet claims (``reset_dimensions``). This module knows
about sheets, headers and rows; what a row means (which enterprise, which activity) is
decided in ``imports.planning``.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core import files
from core.workbooks import WorkbookLimits

from .cells import cell_text
from .sheets import MAX_ROWS, SHEET_BY_NAME, SHEETS, SheetSpec, fold, lookup

#: Rows looked at per sheet, blank ones included, before giving up: bounds the work a
#: sheet padded with millions of empty rows can cause.
MAX_SCANNED_ROWS = 5 * MAX_ROWS
#: What an import file may hold before openpyxl reads it (``core.workbooks``): no sheet
#: beyond ``MAX_SCANNED_ROWS``, and cells, texts and styles far above what three sheets of
#: ``MAX_ROWS`` rows need (240,000 cells) and far below what keeps a request busy.
WORKBOOK_LIMITS = WorkbookLimits(rows=MAX_SCANNED_ROWS)

#: Extensions refused with a message saying why (the rest get a generic one).
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlsb", ".xlam"}
LEGACY_EXTENSIONS = {".xls", ".xlt", ".et", ".csv", ".ods"}


class SpreadsheetRejected(Exception):
    """The file as a whole cannot be read (format, size, macros): one message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One error found in the file, located as Excel shows it: sheet, row, column header."""

    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class Row:
    """One row of data: its number as Excel shows it and its values by column key."""

    number: int
    values: dict[str, object]

    def __getitem__(self, key: str):
        return self.values.get(key)


@dataclass
class SheetRows:
    """The rows of one sheet, with the headers as the file spells them."""

    spec: SheetSpec
    name: str
    headers: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def header(self, key: str) -> str:
        return self.headers.get(key) or self.spec.column(key).header


@dataclass
class ReadResult:
    """The sheets of a file by key (``enterprises``, ``activities``, ``feedback``), and
    every problem with the file's structure."""

    sheets: dict[str, SheetRows]
    problems: list[Problem]


def check_file(name: str, size: int, stream: IO[bytes]) -> None:
    """Refuse what is not a plain .xlsx workbook within the upload limit, before reading it.

    The rules are the ones every upload follows (``core.files``); the messages are the
    import's own, which say how to turn the file into one that is accepted.
    """
    suffix = PurePath(name or "").suffix.lower()
    if suffix in MACRO_EXTENSIONS:
        raise SpreadsheetRejected(
            _(
                "Files with macros ({suffix}) are not accepted. Save the workbook as an "
                "Excel workbook (.xlsx) and upload that."
            ).format(suffix=suffix)
        )
    if suffix in LEGACY_EXTENSIONS:
        raise SpreadsheetRejected(
            _(
                "{suffix} files are not accepted. Save the workbook as an Excel workbook "
                "(.xlsx) and upload that."
            ).format(suffix=suffix)
        )
    if suffix != ".xlsx":
        raise SpreadsheetRejected(_("Upload an Excel workbook (.xlsx)."))
    limit = files.upload_limit_bytes()
    try:
        files.inspect_workbook(stream, max_bytes=limit, size=size, limits=WORKBOOK_LIMITS)
    except ValidationError as error:
        raise SpreadsheetRejected(_refusal(error, size=size, limit=limit)) from None


def _refusal(error: ValidationError, *, size: int, limit: int) -> str:
    """The message for a file ``core.files`` refused, in the import's words where it has them."""
    if error.code == "too_large" and size > limit:
        return _(
            "The file is {size} MB; the limit is {limit} MB. Split it into smaller files."
        ).format(size=f"{size / 1024 / 1024:.1f}", limit=limit // 1024 // 1024)
    if error.code == "legacy_office":
        return _(
            "This is an old Excel file (.xls) or an encrypted workbook. Save it as an "
            "Excel workbook (.xlsx) without a password and upload that."
        )
    if error.code == "macros":
        return _(
            "This workbook contains macros, which are not accepted. Save it as an Excel "
            "workbook (.xlsx) without macros and upload that."
        )
    if error.code == "mismatch":
        return _("This file is not an Excel workbook (.xlsx).")
    return error.messages[0]


#: A row's start tag in a sheet's XML, with or without a namespace prefix.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def count_rows(stream: IO[bytes]) -> int:
    """About how many rows of data the file holds, all sheets together, without reading it:
    the rows its sheets' XML holds, less a header row per sheet. Quick (a count of tags
    while the parts are unpacked, no spreadsheet library), for a file already passed
    through ``check_file`` (whose bounds keep the unpacking small). Rows that are empty
    but formatted count too: the number decides only how a file is checked (in the web
    request or by a job), never what is imported."""
    stream.seek(0)
    rows = sheets = 0
    try:
        with zipfile.ZipFile(stream) as archive:
            # Every XML part, wherever the workbook's relationships put its sheets: only
            # worksheets hold <row> tags.
            for info in archive.infolist():
                if not info.filename.lower().endswith(".xml"):
                    continue
                with archive.open(info) as part:
                    found = _count_row_tags(part)
                if found:
                    sheets += 1
                    rows += found
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        # Not countable: the slow path is the safe one.
        return UNCOUNTABLE
    finally:
        stream.seek(0)
    return max(0, rows - sheets)


#: What ``count_rows`` answers for a file it cannot count: more than any threshold.
UNCOUNTABLE = 10**9


def _count_row_tags(part) -> int:
    count = 0
    carry = b""
    for chunk in iter(lambda: part.read(1024 * 1024), b""):
        buffer = carry + chunk
        # A tag cut at the chunk's end is counted with the next chunk.
        cut = buffer.rfind(b"<")
        if cut == -1 or len(buffer) - cut > 64:
            cut = len(buffer)
        count += len(_ROW_TAG.findall(buffer, 0, cut))
        carry = buffer[cut:]
    return count + len(_ROW_TAG.findall(carry))


def read_workbook(stream: IO[bytes], on_row: Callable[[], None] | None = None) -> ReadResult:
    """Read the three sheets of an import file (already passed through ``check_file``;
    reading a file that has not can take minutes).

    Returns the rows found and every problem with the file's structure: missing or
    unknown sheets and columns, values in columns without a header, too many rows.
    ``on_row`` is called for each row below a header (a job's progress).
    """
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it does not read (slicers, conditional
            # formats); none of them matters for the values.
            warnings.simplefilter("ignore")
            workbook = load_workbook(stream, read_only=True, data_only=False, keep_links=False)
        for worksheet in workbook.worksheets:
            # Rows are read as they are in the file, never padded or cut to what its
            # <dimension> claims (a sheet claiming less would lose rows silently).
            worksheet.reset_dimensions()
    except Exception:  # openpyxl raises many kinds of error on a damaged file.
        raise SpreadsheetRejected(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")
        ) from None
    try:
        return _read_sheets(workbook, on_row)
    except (SpreadsheetRejected, SoftTimeLimitExceeded, DatabaseError):
        # A job's time limit, or the database under the progress count: not the file's
        # fault, so not a problem of the file (the job says it failed, and why).
        raise
    except Exception:
        raise SpreadsheetRejected(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")
        ) from None
    finally:
        workbook.close()


def _read_sheets(workbook, on_row=None) -> ReadResult:
    problems: list[Problem] = []
    found: dict[str, object] = {}
    for name in workbook.sheetnames:
        spec = SHEET_BY_NAME.get(fold(name))
        if spec is None:
            problems.append(
                Problem(
                    name,
                    None,
                    "",
                    _("Unexpected sheet: the file must have exactly the sheets {names}.").format(
                        names="、".join(s.title for s in SHEETS)
                    ),
                )
            )
        elif spec.key in found:
            problems.append(Problem(name, None, "", _("This sheet appears twice in the workbook.")))
        else:
            found[spec.key] = workbook[name]
    sheets = {}
    for spec in SHEETS:
        worksheet = found.get(spec.key)
        if worksheet is None:
            problems.append(
                Problem(
                    spec.title,
                    None,
                    "",
                    _("The sheet “{name}” is missing (use the template).").format(name=spec.title),
                )
            )
            sheets[spec.key] = SheetRows(spec=spec, name=spec.title)
            continue
        if not hasattr(worksheet, "iter_rows"):
            problems.append(
                Problem(worksheet.title, None, "", _("This sheet is a chart, not a table."))
            )
            sheets[spec.key] = SheetRows(spec=spec, name=worksheet.title)
            continue
        sheets[spec.key] = _read_sheet(spec, worksheet, problems, on_row)
    return ReadResult(sheets=sheets, problems=problems)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(spec: SheetSpec, worksheet, problems: list[Problem], on_row=None) -> SheetRows:
    """The data rows of one sheet; row 1 holds the headers. An empty sheet has no rows."""
    sheet = SheetRows(spec=spec, name=worksheet.title)
    columns = lookup(spec.columns, lambda c: (c.header, c.key, *c.aliases))
    by_index: dict[int, str] = {}
    headed: set[int] = set()
    for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        if number == 1:
            by_index, headed = _read_header(sheet, columns, values, problems)
            continue
        if on_row is not None:
            on_row()
        if number > MAX_SCANNED_ROWS:
            problems.append(_too_many_rows(sheet))
            break
        if all(_is_blank(value) for value in values):
            continue
        if len(sheet.rows) == MAX_ROWS:
            problems.append(_too_many_rows(sheet))
            break
        if not headed:
            # No header row at all: say so once, not for every cell.
            problems.append(
                Problem(sheet.name, 1, "", _("The first row must hold the column headers."))
            )
            headed = {-1}
        row = Row(number=number, values={})
        for index, value in enumerate(values):
            if _is_blank(value):
                continue
            key = by_index.get(index)
            if key is not None:
                row.values[key] = value
            elif index not in headed:
                problems.append(
                    Problem(
                        sheet.name,
                        number,
                        get_column_letter(index + 1),
                        _("This cell has a value but its column has no header."),
                    )
                )
        sheet.rows.append(row)
    if sheet.headers or sheet.rows:
        _missing_columns(sheet, problems)
    return sheet


def _too_many_rows(sheet: SheetRows) -> Problem:
    return Problem(
        sheet.name,
        None,
        "",
        _("This sheet has more than {limit} rows; split the file into smaller ones.").format(
            limit=f"{MAX_ROWS:,}"
        ),
    )


def _read_header(sheet: SheetRows, columns, values, problems) -> tuple[dict[int, str], set[int]]:
    """Column index -> key for the known headers, and the indexes of every header."""
    by_index: dict[int, str] = {}
    headed: set[int] = set()
    for index, value in enumerate(values):
        text = cell_text(value)
        if not text:
            continue
        headed.add(index)
        column = columns.get(fold(text))
        if column is None:
            problems.append(
                Problem(
                    sheet.name,
                    1,
                    text,
                    _("Unknown column. The columns of this sheet are: {names}.").format(
                        names="、".join(c.header for c in sheet.spec.columns)
                    ),
                )
            )
        elif column.key in sheet.headers:
            problems.append(Problem(sheet.name, 1, text, _("This column appears twice.")))
        else:
            by_index[index] = column.key
            sheet.headers[column.key] = text
    return by_index, headed


def _missing_columns(sheet: SheetRows, problems) -> None:
    for column in sheet.spec.columns:
        if column.required and column.key not in sheet.headers:
            problems.append(
                Problem(
                    sheet.name,
                    1,
                    column.header,
                    _("This required column is missing from the first row."),
                )
            )
