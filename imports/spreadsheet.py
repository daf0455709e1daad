"""The import spreadsheet: its three sheets, reading an uploaded file, writing the template.

Reading never evaluates anything: the workbook is opened with ``data_only=False`` and
``read_only=True``, so a formula comes back as its text (``"=SUM(A1:A3)"``) and is kept as
text; files that can carry macros are refused before openpyxl sees them. This module knows
about cells, headers and file formats; what a row means (which enterprise, which
activity) is decided in ``imports.services``.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePath
from typing import IO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from outreach.models import Activity, FeedbackItem
from outreach.validators import uscc_check_digit

#: The largest file accepted (bytes).
MAX_FILE_SIZE = 5 * 1024 * 1024
#: The most rows of data one sheet may hold (the header row not counted).
MAX_ROWS = 10_000
#: Rows looked at per sheet, blank ones included, before giving up: bounds the work a
#: sheet padded with millions of empty rows can cause.
MAX_SCANNED_ROWS = 5 * MAX_ROWS
#: The most bytes the workbook's parts may take once unzipped (a defence against zip bombs).
MAX_UNZIPPED_SIZE = 100 * 1024 * 1024

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Extensions refused with a message saying why (the rest get a generic one).
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlsb", ".xlam"}
LEGACY_EXTENSIONS = {".xls", ".xlt", ".et", ".csv", ".ods"}


class SpreadsheetRejected(Exception):
    """The file as a whole cannot be read (format, size, macros): one message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CellError(ValueError):
    """A cell's value cannot be used; ``message`` says why, in the user's language."""

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


# --- the format ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key, the Chinese header of the template, and the other
    headers accepted when reading (English ones, the key itself)."""

    key: str
    header: str
    aliases: tuple[str, ...]
    help: str
    required: bool = False
    width: int = 16
    text_format: bool = False

    @property
    def template_header(self) -> str:
        return f"{self.header}*" if self.required else self.header


@dataclass(frozen=True)
class SheetSpec:
    key: str
    title: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


ENTERPRISES = SheetSpec(
    key="enterprises",
    title="企业",
    aliases=("enterprises", "enterprise"),
    columns=(
        Column(
            "name",
            "企业名称",
            ("enterprise name", "name"),
            gettext_lazy("The enterprise's full registered name."),
            required=True,
            width=36,
        ),
        Column(
            "uscc",
            "统一社会信用代码",
            ("uscc", "unified social credit code", "credit code"),
            gettext_lazy("18 characters; leave empty if unknown."),
            width=24,
            text_format=True,
        ),
        Column(
            "county",
            "县（市、区）",
            ("county", "district"),
            gettext_lazy("A county, city or district served by your branch, as named in the app."),
            required=True,
            width=14,
        ),
        Column("address", "地址", ("address",), gettext_lazy("Street address."), width=30),
        Column(
            "equipment_classes",
            "设备种类",
            ("equipment classes", "equipment"),
            gettext_lazy(
                "Classes of special equipment, separated by 、 or a comma, e.g. 锅炉、电梯."
            ),
            width=22,
        ),
        Column(
            "contact_name",
            "联系人",
            ("contact person", "contact name"),
            gettext_lazy("Name of the contact person."),
            width=12,
        ),
        Column(
            "contact_phone",
            "联系电话",
            ("contact phone", "phone"),
            gettext_lazy("Phone number of the contact person."),
            width=16,
            text_format=True,
        ),
    ),
)

ACTIVITIES = SheetSpec(
    key="activities",
    title="活动",
    aliases=("activities", "activity"),
    columns=(
        Column(
            "ref",
            "活动编号",
            ("activity ref", "activity no", "activity no.", "ref"),
            gettext_lazy(
                "Any short code, unique in this sheet (A1, A2...): the 意见建议 sheet refers to it."
            ),
            required=True,
            width=10,
            text_format=True,
        ),
        Column(
            "kind",
            "活动类型",
            ("activity type", "kind", "type"),
            gettext_lazy(
                "One of 走访调研, 企业座谈会, 内部座谈会, 征求意见表, 热线或网络渠道, 上门服务."
            ),
            required=True,
            width=16,
        ),
        Column(
            "occurred_on",
            "日期",
            ("date",),
            gettext_lazy("An Excel date, or text such as 2026-11-25 or 2026/11/25."),
            required=True,
            width=12,
        ),
        Column(
            "title",
            "标题",
            ("title",),
            gettext_lazy("Leave empty to name it after the kind and the enterprises."),
            width=30,
        ),
        Column(
            "place", "地点", ("place", "location"), gettext_lazy("Where it took place."), width=20
        ),
        Column(
            "enterprises",
            "参与企业",
            ("enterprises", "enterprises met"),
            gettext_lazy(
                "Enterprises met, by name or unified social credit code, separated by 、 or ;. "
                "Each must be in the 企业 sheet or already registered with your branch."
            ),
            width=36,
        ),
        Column(
            "attendee_count",
            "参会人数",
            ("attendees", "attendee count"),
            gettext_lazy("Forums only: how many people attended."),
            width=10,
        ),
        Column(
            "forms_sent",
            "发放表数",
            ("forms sent",),
            gettext_lazy("Survey forms only: how many forms were sent (required for a survey)."),
            width=10,
        ),
        Column(
            "forms_returned",
            "回收表数",
            ("forms returned",),
            gettext_lazy("Survey forms only: how many came back."),
            width=10,
        ),
        Column(
            "minutes", "纪要", ("minutes", "notes"), gettext_lazy("Minutes or notes."), width=40
        ),
    ),
)

FEEDBACK = SheetSpec(
    key="feedback",
    title="意见建议",
    aliases=("feedback", "feedback items", "opinions"),
    columns=(
        Column(
            "ref",
            "活动编号",
            ("activity ref", "activity no", "activity no.", "ref"),
            gettext_lazy("The 活动编号 of the activity in the 活动 sheet where this was heard."),
            required=True,
            width=10,
            text_format=True,
        ),
        Column(
            "enterprise",
            "企业",
            ("enterprise",),
            gettext_lazy(
                "Name or unified social credit code of the enterprise; leave empty for an "
                "anonymous (back-to-back) opinion."
            ),
            width=30,
        ),
        Column(
            "category",
            "类别",
            ("category",),
            gettext_lazy("A feedback category as named in the app, e.g. 服务效率."),
            required=True,
            width=16,
        ),
        Column(
            "kind",
            "性质",
            ("kind", "nature"),
            gettext_lazy("问题, 建议 or 表扬."),
            required=True,
            width=8,
        ),
        Column(
            "content",
            "内容",
            ("content", "text"),
            gettext_lazy("What the enterprise said."),
            required=True,
            width=50,
        ),
        Column(
            "contact",
            "联系方式",
            ("contact",),
            gettext_lazy("How to reach whoever said it."),
            width=20,
        ),
        Column(
            "received_on",
            "收集日期",
            ("received on", "date received", "date"),
            gettext_lazy("Leave empty for the activity's date."),
            width=12,
        ),
    ),
)

SHEETS = (ENTERPRISES, ACTIVITIES, FEEDBACK)


def fold(text: str) -> str:
    """A header or sheet name as compared: full-width folded, lower case, no spaces or *."""
    text = unicodedata.normalize("NFKC", str(text or "")).lower()
    return re.sub(r"[\s*]+", "", text)


def _lookup(spec_items, names):
    return {fold(alias): item for item in spec_items for alias in names(item)}


_SHEET_BY_NAME = _lookup(SHEETS, lambda s: (s.title, s.key, *s.aliases))


# --- cells ---------------------------------------------------------------------------


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


# --- reading -------------------------------------------------------------------------


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
    sheets: dict[str, SheetRows]
    problems: list[Problem]


def check_file(name: str, size: int, stream: IO[bytes]) -> None:
    """Refuse what is not a plain .xlsx workbook of a sensible size, before reading it."""
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
    if size > MAX_FILE_SIZE:
        raise SpreadsheetRejected(
            _(
                "The file is {size} MB; the limit is {limit} MB. Split it into smaller files."
            ).format(size=f"{size / 1024 / 1024:.1f}", limit=MAX_FILE_SIZE // 1024 // 1024)
        )
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetRejected(
            _(
                "This is an old Excel file (.xls) or an encrypted workbook. Save it as an "
                "Excel workbook (.xlsx) without a password and upload that."
            )
        )
    if not head.startswith(b"PK"):
        raise SpreadsheetRejected(_("This file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > MAX_UNZIPPED_SIZE:
                raise SpreadsheetRejected(_("This workbook is too large once unpacked."))
            content_types = (
                archive.read("[Content_Types].xml")
                if "[Content_Types].xml" in archive.namelist()
                else b""
            )
    except (
        zipfile.BadZipFile,
        OSError,
        KeyError,
        RuntimeError,
        ValueError,
        EOFError,
        NotImplementedError,
        zlib.error,
    ):
        raise SpreadsheetRejected(_("This file is not an Excel workbook (.xlsx).")) from None
    finally:
        stream.seek(0)
    if any(PurePath(part.filename).name.lower() == "vbaproject.bin" for part in parts) or (
        b"macroEnabled" in content_types
    ):
        raise SpreadsheetRejected(
            _(
                "This workbook contains macros, which are not accepted. Save it as an Excel "
                "workbook (.xlsx) without macros and upload that."
            )
        )


def read_workbook(stream: IO[bytes]) -> ReadResult:
    """Read the three sheets of an import file (already passed through ``check_file``).

    Returns the rows found and every problem with the file's structure: missing or
    unknown sheets and columns, values in columns without a header, too many rows.
    """
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it does not read (slicers, conditional
            # formats); none of them matters for the values.
            warnings.simplefilter("ignore")
            workbook = load_workbook(stream, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds of error on a damaged file.
        raise SpreadsheetRejected(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")
        ) from None
    try:
        return _read_sheets(workbook)
    except SpreadsheetRejected:
        raise
    except Exception:
        raise SpreadsheetRejected(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")
        ) from None
    finally:
        workbook.close()


def _read_sheets(workbook) -> ReadResult:
    problems: list[Problem] = []
    found: dict[str, object] = {}
    for name in workbook.sheetnames:
        spec = _SHEET_BY_NAME.get(fold(name))
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
        sheets[spec.key] = _read_sheet(spec, worksheet, problems)
    return ReadResult(sheets=sheets, problems=problems)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(spec: SheetSpec, worksheet, problems: list[Problem]) -> SheetRows:
    """The data rows of one sheet; row 1 holds the headers. An empty sheet has no rows."""
    sheet = SheetRows(spec=spec, name=worksheet.title)
    columns = _lookup(spec.columns, lambda c: (c.header, c.key, *c.aliases))
    by_index: dict[int, str] = {}
    headed: set[int] = set()
    for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        if number == 1:
            by_index, headed = _read_header(sheet, columns, values, problems)
            continue
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


# --- writing the template ------------------------------------------------------------


def kind_labels() -> dict[str, str]:
    """Activity kinds by their Chinese label, as the template's dropdown offers them."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in Activity.Kind.choices}


def nature_labels() -> dict[str, str]:
    """Feedback kinds (问题/建议/表扬) by their Chinese label."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in FeedbackItem.Kind.choices}


_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0B4F8A")
_REQUIRED_FILL = PatternFill("solid", fgColor="9A3412")


def _dropdown(worksheet, column_index: int, options: list[str], title: str) -> None:
    """A list validation on the column, when Excel can hold the list inline (255 chars)."""
    options = [option for option in options if option and "," not in option and '"' not in option]
    formula = '"{}"'.format(",".join(options))
    if not options or len(formula) > 257:
        return
    letter = get_column_letter(column_index)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=_("Choose a value from the list."),
    )
    validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    worksheet.add_data_validation(validation)


def build_template(
    *, counties: list[str] = (), categories: list[str] = (), rows: dict | None = None
) -> Workbook:
    """The import workbook: the three sheets with headers, help comments and dropdowns.

    ``counties`` and ``categories`` fill the dropdowns of those columns; ``rows`` (sheet
    key -> list of rows, each a list of values in column order) fills in data.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    dropdowns = {
        ("enterprises", "county"): list(counties),
        ("activities", "kind"): list(kind_labels()),
        ("feedback", "category"): list(categories),
        ("feedback", "kind"): list(nature_labels()),
    }
    for spec in SHEETS:
        worksheet = workbook.create_sheet(spec.title)
        for index, column in enumerate(spec.columns, start=1):
            cell = worksheet.cell(row=1, column=index, value=column.template_header)
            cell.font = _HEADER_FONT
            cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            cell.comment = Comment(str(column.help), "outreach")
            dimension = worksheet.column_dimensions[get_column_letter(index)]
            dimension.width = column.width
            if column.text_format:
                dimension.number_format = "@"
            options = dropdowns.get((spec.key, column.key))
            if options:
                _dropdown(worksheet, index, options, column.header)
        worksheet.freeze_panes = "A2"
        for values in (rows or {}).get(spec.key, []):
            worksheet.append(values)
            for index, value in enumerate(values, start=1):
                if isinstance(value, date):
                    worksheet.cell(row=worksheet.max_row, column=index).number_format = "yyyy-mm-dd"
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the example file ----------------------------------------------------------------

#: The example's counties: tests create them in the importing branch.
EXAMPLE_COUNTIES = ("丰泽区", "晋江市")
EXAMPLE_PATH = Path(settings.BASE_DIR) / "docs" / "examples" / "outreach-import-example.xlsx"
_ANTAI_USCC = "91350503611234567" + uscc_check_digit("91350503611234567")
_HENGDA_USCC = "91350582705678901" + uscc_check_digit("91350582705678901")


def example_rows() -> dict[str, list[list]]:
    """The rows of docs/examples/outreach-import-example.xlsx, one of each kind of line."""
    return {
        "enterprises": [
            [
                "泉州市丰泽区安泰锅炉有限公司",
                _ANTAI_USCC,
                "丰泽区",
                "泉州市丰泽区东海街道滨海路18号",
                "锅炉、压力容器",
                "张明",
                "13905950001",
            ],
            [
                "晋江市恒达电梯工程有限公司",
                _HENGDA_USCC,
                "晋江市",
                "晋江市青阳街道世纪大道66号",
                "电梯、起重机械",
                "李红",
                "0595-85671234",
            ],
            [
                "泉州华联食品有限公司",
                None,
                "丰泽区",
                "泉州市丰泽区华大街道",
                "压力容器",
                "陈伟",
                None,
            ],
        ],
        "activities": [
            [
                "A1",
                "走访调研",
                date(2026, 11, 3),
                None,
                "丰泽区、晋江市",
                "泉州市丰泽区安泰锅炉有限公司、晋江市恒达电梯工程有限公司",
                None,
                None,
                None,
                "走访两家企业，听取定检和报告出具方面的意见。",
            ],
            [
                "A2",
                "企业座谈会",
                "2026-11-10",
                "电梯使用单位座谈会",
                "泉州分院三楼会议室",
                _HENGDA_USCC,
                18,
                None,
                None,
                "18家电梯使用单位参加。",
            ],
            [
                "A3",
                "征求意见表",
                "2026/11/15",
                "第四季度征求意见表",
                None,
                "泉州华联食品有限公司",
                None,
                30,
                26,
                None,
            ],
            [
                "A4",
                "内部座谈会",
                date(2026, 11, 20),
                "检验人员作风建设座谈会",
                "分院会议室",
                None,
                12,
                None,
                None,
                None,
            ],
        ],
        "feedback": [
            [
                "A1",
                "泉州市丰泽区安泰锅炉有限公司",
                "服务效率",
                "问题",
                "锅炉定期检验报告出具时间偏长，希望缩短到10个工作日内。",
                "张明 13905950001",
                None,
            ],
            [
                "A1",
                "晋江市恒达电梯工程有限公司",
                "检验能力与范围",
                "建议",
                "希望增加电梯限速器现场校验服务。",
                None,
                None,
            ],
            [
                "A2",
                None,
                "收费",
                "问题",
                "部分检验项目收费标准不够公开，建议在办事大厅公示。",
                None,
                None,
            ],
            [
                "A2",
                _HENGDA_USCC,
                "服务态度",
                "表扬",
                "检验人员现场服务态度好，讲解耐心细致。",
                None,
                None,
            ],
            [
                "A3",
                "泉州华联食品有限公司",
                "作业人员培训",
                "建议",
                "希望分院定期组织压力容器操作人员培训。",
                "陈伟",
                date(2026, 11, 18),
            ],
            [
                "A4",
                None,
                "其他",
                "建议",
                "建议建立企业联系人微信群，及时推送检验计划。",
                None,
                None,
            ],
        ],
    }


def example_workbook() -> Workbook:
    """The example file, in Chinese whatever the active language."""
    with translation.override("zh-hans"):
        return build_template(
            counties=list(EXAMPLE_COUNTIES),
            categories=[
                "服务态度",
                "服务效率",
                "检验能力与范围",
                "作业人员培训",
                "收费",
                "廉政作风",
                "沟通渠道",
                "其他",
            ],
            rows=example_rows(),
        )


def save_example(path: Path | str = EXAMPLE_PATH) -> Path:
    """Write the example file; run it again after changing the format::

        .venv/bin/python manage.py shell -c \\
            "from imports.spreadsheet import save_example; save_example()"
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = example_workbook()
    fixed = datetime(2026, 11, 25, 8, 0, 0)
    workbook.properties.creator = "outreach"
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.save(path)
    return path
