"""Bounds on what reading an .xlsx workbook can cost, checked before openpyxl opens it.

openpyxl believes what a workbook says and builds everything in it: a sheet whose
``<dimension>`` claims ``A1:XFD1048576`` is padded to 16,384 columns a row, a styles part
with 200,000 formats or a shared-strings table of five million entries is built whole,
and each kept one request busy for up to a minute. ``check_workbook`` reads every XML part
of the package once, as a stream (expat, which builds nothing), and counts what openpyxl
would build: rows, cells (each row filled up to its last cell, as openpyxl fills it),
shared strings, styles, characters in a cell, elements in all. It stops at the first bound
passed, so a refused file costs at most one pass over the bytes its package declares, which
``core.files`` bounds first. What a file claims (its
dimension, the counts of its string table and style lists) is held to the same bounds and
never used to size anything. Rows and cells must come in order: openpyxl silently drops the
ones that do not.
"""

from __future__ import annotations

import functools
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: The widest sheet Excel makes (column XFD).
EXCEL_COLUMNS = 16_384

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Element names as the parser gives them: namespace, a space, local name.
_ROW, _CELL, _DIMENSION, _SHARED_STRING = (
    f"{MAIN} {local}" for local in ("row", "c", "dimension", "si")
)
# The lists of the styles part that openpyxl builds entry by entry, and their entries.
_STYLE_LISTS = frozenset(
    f"{MAIN} {local}"
    for local in (
        "numFmts",
        "fonts",
        "fills",
        "borders",
        "cellStyleXfs",
        "cellXfs",
        "cellStyles",
        "dxfs",
    )
)
# What a cell holds (its value, formula, rich-text runs and their fonts): text inside them
# adds up to the cell's; any other element starts a new count.
_CELL_CONTENT = frozenset(
    f"{MAIN} {local}"
    for local in (
        "v", "f", "is", "r", "t", "rPh", "rPr", "rFont", "charset", "family", "b", "i",
        "strike", "outline", "shadow", "condense", "extend", "color", "sz", "u", "vertAlign",
        "scheme",
    )
)  # fmt: skip
_STYLE_ENTRIES = frozenset(
    f"{MAIN} {local}" for local in ("numFmt", "font", "fill", "border", "xf", "cellStyle", "dxf")
)
_SNIFF_BYTES = 64
_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


@dataclass(frozen=True)
class WorkbookLimits:
    """What one workbook may hold. The defaults are far above any workbook made to be read
    by people and far below what keeps a request busy for more than a few seconds."""

    #: The last row number of any sheet.
    rows: int = 50_000
    #: Cells in all sheets together, each row counted up to its last cell.
    cells: int = 500_000
    #: Entries of the shared-strings table.
    shared_strings: int = 300_000
    #: Entries of each list of the styles part (cell formats, fonts, fills, borders...).
    styles: int = 10_000
    #: Characters in one cell or shared string (Excel's own limit).
    text: int = 32_767
    #: XML elements in all parts together.
    elements: int = 1_500_000


class _Refused(Exception):
    def __init__(self, error: ValidationError):
        self.error = error


def check_workbook(stream, limits: WorkbookLimits) -> None:
    """Refuse a workbook (already a checked .xlsx package) that goes beyond ``limits``.

    Every part that is XML is read: the ``.xml`` and ``.rels`` parts must be well formed;
    any other part that starts like XML (a sheet may be stored under any name its
    relationships give) is counted up to its first error, which is as far as a reader of
    it would get. Raises ``ValidationError`` with the code ``too_many_rows``,
    ``too_many_cells``, ``too_many_strings``, ``too_many_styles``, ``cell_too_long``,
    ``too_complex`` or ``damaged`` (not well-formed XML, a DTD, rows or cells out of
    order). The stream is left at its start.
    """
    counter = _Counter(limits)
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as package:
            for part in package.infolist():
                strict = part.filename.lower().endswith((".xml", ".rels"))
                with package.open(part) as source:
                    head = source.read(_SNIFF_BYTES)
                    if strict or _starts_like_xml(head):
                        _Part(counter).parse(head, source, strict=strict)
    except _Refused as refused:
        raise refused.error from None
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise _damaged() from None
    finally:
        stream.seek(0)


def _starts_like_xml(head: bytes) -> bool:
    """Whether a part's first bytes are those of XML (after a UTF-8 or UTF-16 mark)."""
    return head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<")


def _damaged() -> ValidationError:
    return ValidationError(
        _("The workbook is damaged: one of its parts cannot be read. Save it again in Excel."),
        code="damaged",
    )


def _out_of_order() -> _Refused:
    return _Refused(
        ValidationError(
            _(
                "The rows or cells of a sheet are out of order, so some would be lost. Open "
                "the file in Excel and save it again."
            ),
            code="damaged",
        )
    )


@functools.cache
def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _claimed(value) -> int:
    """A count a file states about itself (0 when it states none)."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


class _Counter:
    """The counts of one workbook, across its parts; each refuses at its bound."""

    def __init__(self, limits: WorkbookLimits):
        self.limits = limits
        self.elements = 0
        self.cells = 0

    def too_complex(self) -> _Refused:
        return _Refused(
            ValidationError(
                _(
                    "The workbook is far more complex than its data needs (more than {limit} "
                    "XML elements). Copy the data into the template."
                ).format(limit=f"{self.limits.elements:,}"),
                code="too_complex",
            )
        )

    def text(self, length: int) -> None:
        if length > self.limits.text:
            raise _Refused(
                ValidationError(
                    _(
                        "A cell of the workbook holds more than {limit} characters, more than "
                        "Excel allows."
                    ).format(limit=f"{self.limits.text:,}"),
                    code="cell_too_long",
                )
            )

    def row(self, row: int) -> None:
        if row > self.limits.rows:
            raise _Refused(
                ValidationError(
                    _(
                        "A sheet of the workbook reaches row {row}; at most {limit} rows are "
                        "read. Delete the empty rows below the data, or split the file."
                    ).format(row=f"{row:,}", limit=f"{self.limits.rows:,}"),
                    code="too_many_rows",
                )
            )

    def add_cells(self, count: int) -> None:
        self.cells += count
        if self.cells > self.limits.cells:
            raise _Refused(
                ValidationError(
                    _(
                        "The workbook has more than {limit} cells. Delete the empty columns "
                        "to the right of the data, or split the file."
                    ).format(limit=f"{self.limits.cells:,}"),
                    code="too_many_cells",
                )
            )

    def strings(self, count: int) -> None:
        if count > self.limits.shared_strings:
            raise _Refused(
                ValidationError(
                    _(
                        "The workbook's table of texts has {count} entries; at most {limit} "
                        "are read. Copy the data into the template."
                    ).format(count=f"{count:,}", limit=f"{self.limits.shared_strings:,}"),
                    code="too_many_strings",
                )
            )

    def styles(self, count: int) -> None:
        if count > self.limits.styles:
            raise _Refused(
                ValidationError(
                    _(
                        "The workbook has {count} cell styles; at most {limit} are read. Copy "
                        "the data into the template (paste values only)."
                    ).format(count=f"{count:,}", limit=f"{self.limits.styles:,}"),
                    code="too_many_styles",
                )
            )


class _Part:
    """One XML part, parsed as a stream by expat: every element is counted; a worksheet,
    the shared-strings table and the styles part are also counted by what they hold.

    Rows and cells must come in order; each row is counted up to its last cell (openpyxl
    fills the cells before it); the text of a cell or shared string is summed over its
    pieces; the dimension and counts a part claims are held to the same bounds.
    """

    def __init__(self, counter: _Counter):
        self.counter = counter
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.buffer_size = 65_536
        self.parser.StartElementHandler = self.first
        self.parser.StartDoctypeDeclHandler = self.refuse_dtd
        self.parser.EntityDeclHandler = self.refuse_dtd
        self.row = 0  # the last row number of a worksheet
        self.column = 0  # the last column of the current row
        self.text = 0  # characters of the current cell or shared string
        self.strings = 0
        self.styles: dict[str, int] = {}

    def parse(self, head: bytes, source, *, strict: bool) -> None:
        """Parse ``head`` then the rest of ``source``; a part that need not be XML
        (``strict`` false) is only counted as far as it is well formed."""
        try:
            self.parser.Parse(head, False)
            self.parser.ParseFile(source)
        except expat.ExpatError:
            if strict:
                raise

    def refuse_dtd(self, *args) -> None:
        raise _Refused(_damaged())  # Office XML never has one

    def count(self) -> None:
        counter = self.counter
        counter.elements += 1
        if counter.elements > counter.limits.elements:
            raise counter.too_complex()

    def first(self, name: str, attributes: dict) -> None:
        """The root element says what the part is."""
        parser = self.parser
        if name == f"{MAIN} worksheet":
            parser.StartElementHandler = self.sheet_start
            parser.CharacterDataHandler = self.characters
        elif name == f"{MAIN} sst":
            self.counter.strings(_claimed(attributes.get("uniqueCount")))
            if _claimed(attributes.get("count")) > self.counter.limits.cells:
                self.counter.add_cells(_claimed(attributes.get("count")))
            parser.StartElementHandler = self.strings_start
            parser.CharacterDataHandler = self.characters
        elif name == f"{MAIN} styleSheet":
            parser.StartElementHandler = self.styles_start
        else:
            parser.StartElementHandler = self.other_start
        self.count()

    def other_start(self, name: str, attributes: dict) -> None:
        self.count()

    def characters(self, data: str) -> None:
        # The text since a cell (or shared string, or any other element of a sheet) started
        # is its own: its value, formula or pieces of rich text.
        self.text += len(data)
        if self.text > self.counter.limits.text:
            self.counter.text(self.text)

    # --- a worksheet -------------------------------------------------------------------

    def sheet_start(self, name: str, attributes: dict) -> None:
        counter = self.counter
        counter.elements += 1
        if counter.elements > counter.limits.elements:
            raise counter.too_complex()
        if name in _CELL_CONTENT:
            return
        self.text = 0
        if name == _CELL:
            reference = _REFERENCE.fullmatch(attributes.get("r") or "")
            column = _column_number(reference.group(1)) if reference else self.column + 1
            if column <= self.column or column > EXCEL_COLUMNS:
                raise _out_of_order()
            counter.add_cells(column - self.column)
            self.column = column
        elif name == _ROW:
            number = attributes.get("r") or ""
            row = int(number) if number.isdigit() else self.row + 1
            if row <= self.row:
                raise _out_of_order()
            counter.row(row)
            self.row, self.column = row, 0
        elif name == _DIMENSION:
            self.dimension(attributes.get("ref") or "")

    def dimension(self, ref: str) -> None:
        last = _REFERENCE.fullmatch(ref.split(":")[-1])
        if last is None:
            return
        rows, columns = int(last.group(2)), _column_number(last.group(1))
        self.counter.row(rows)
        if rows * columns > self.counter.limits.cells:
            self.counter.add_cells(rows * columns)  # refused: more than all cells may be

    # --- the shared strings ------------------------------------------------------------

    def strings_start(self, name: str, attributes: dict) -> None:
        counter = self.counter
        counter.elements += 1
        if counter.elements > counter.limits.elements:
            raise counter.too_complex()
        if name == _SHARED_STRING:
            self.text = 0
            self.strings += 1
            if self.strings > counter.limits.shared_strings:
                counter.strings(self.strings)

    # --- the styles --------------------------------------------------------------------

    def styles_start(self, name: str, attributes: dict) -> None:
        self.count()
        if name in _STYLE_ENTRIES:
            self.styles[name] = self.styles.get(name, 0) + 1
            self.counter.styles(self.styles[name])
        elif name in _STYLE_LISTS:
            self.counter.styles(_claimed(attributes.get("count")))
