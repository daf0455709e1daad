"""The bulletin as an official document (公文), after GB/T 9704's layout: a red header
(红头) with the institute's name over a red rule, the title in 方正小标宋简体, headings in
黑体, the body in 仿宋_GB2312 at 三号 (16 pt) on a fixed 28 pt line, page numbers in the
footer ("— 1 —"). Every run names its East Asian font outright (``w:eastAsia``), so Word
and WPS use it whatever the theme says."""

from __future__ import annotations

from io import BytesIO

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..briefing.word import set_fonts
from .writer import ZH, Bulletin

LATIN = "Times New Roman"
#: The body (仿宋_GB2312), the headings (黑体), the header and title (方正小标宋简体), the
#: page numbers (宋体), as GB/T 9704 names them.
BODY = "仿宋_GB2312"
HEADING = "黑体"
TITLE = "方正小标宋简体"
PAGE_NUMBER = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
#: 三号, the body's size; 二号, the title's.
BODY_SIZE = Pt(16)
TITLE_SIZE = Pt(22)
HEADER_SIZE = Pt(30)
TABLE_SIZE = Pt(9)
LINE = Pt(28)
#: Two characters of the body: a paragraph's first-line indent.
INDENT = Pt(32)


def _run(paragraph, text: str, east_asian: str, size, *, bold=False, color=None):
    run = paragraph.add_run(text)
    set_fonts(run, LATIN, east_asian)
    run.font.size = size
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _paragraph(document_or_cell, text: str, east_asian: str = BODY, size=BODY_SIZE, **options):
    paragraph = document_or_cell.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = options.get("space_before", Pt(0))
    fmt.space_after = options.get("space_after", Pt(0))
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = options.get("line", LINE)
    if options.get("indent", True):
        fmt.first_line_indent = INDENT
    if "align" in options:
        paragraph.alignment = options["align"]
    _run(
        paragraph,
        text,
        east_asian,
        size,
        bold=options.get("bold", False),
        color=options.get("color"),
    )
    return paragraph


def _red_rule(paragraph) -> None:
    """A red line under the header: the paragraph's bottom border."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "18")  # eighths of a point: 2.25 pt
    bottom.set(qn("w:space"), "6")
    bottom.set(qn("w:color"), "FF0000")
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _field_char(run, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    run._r.append(element)


def _page_number(paragraph) -> None:
    """ "— N —", N a PAGE field Word fills in on every page."""
    size = Pt(14)
    _run(paragraph, "— ", PAGE_NUMBER, size)
    _field_char(_run(paragraph, "", PAGE_NUMBER, size), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    _run(paragraph, "", PAGE_NUMBER, size)._r.append(instruction)
    _field_char(_run(paragraph, "", PAGE_NUMBER, size), "separate")
    _run(paragraph, "1", PAGE_NUMBER, size)
    _field_char(_run(paragraph, "", PAGE_NUMBER, size), "end")
    _run(paragraph, " —", PAGE_NUMBER, size)


#: The ranking table's first columns (rank, branch, score, change); the components share
#: what is left of the text's width.
FIRST_COLUMNS = (Mm(12), Mm(20), Mm(12), Mm(16))
TEXT_WIDTH = Mm(210 - 28 - 26)


def _cell(cell, text: str, east_asian: str, width) -> None:
    """A cell of one or more lines (a rate over its numerator/denominator), centred."""
    cell.width = width
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    previous = None
    for line in text.split("\n"):
        if previous is not None:
            previous.add_break()
        previous = _run(paragraph, line, east_asian, TABLE_SIZE)


def _table(document, table) -> None:
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    rest = len(table.headers) - len(FIRST_COLUMNS)
    other = int((TEXT_WIDTH - sum(FIRST_COLUMNS)) / max(rest, 1))
    widths = [*FIRST_COLUMNS, *([other] * rest)]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for cell, header, width in zip(grid.rows[0].cells, table.headers, widths, strict=True):
        _cell(cell, header, HEADING, width)
    for values in table.rows:
        for cell, value, width in zip(grid.add_row().cells, values, widths, strict=True):
            _cell(cell, value, BODY, width)


def bulletin_document(bulletin: Bulletin) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    set_fonts(normal, LATIN, BODY)
    normal.font.size = BODY_SIZE
    properties = document.core_properties
    properties.title = bulletin.title
    properties.language = "zh-CN" if bulletin.language == ZH else "en"

    header = _paragraph(
        document,
        bulletin.institute,
        TITLE,
        HEADER_SIZE,
        color=RED,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        line=Pt(40),
        space_after=Pt(6),
    )
    _red_rule(header)
    _paragraph(
        document,
        bulletin.title,
        TITLE,
        TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        line=Pt(36),
        space_before=Pt(28),
        space_after=Pt(28),
    )
    _paragraph(document, bulletin.addressee, indent=False)
    _paragraph(document, bulletin.opening)
    for part in bulletin.sections:
        # 黑体 marks a Chinese heading; Latin text has no such face: it is bold instead.
        _paragraph(document, part.heading, HEADING, bold=bulletin.language != ZH)
        for text in part.paragraphs:
            _paragraph(document, text)
        if part.table is not None:
            _table(document, part.table)
        for text in part.closing:
            _paragraph(document, text)
    _paragraph(
        document,
        bulletin.signature,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        indent=False,
        space_before=Pt(56),
    )
    _paragraph(document, bulletin.date_line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)

    output = BytesIO()
    document.save(output)
    return output.getvalue()
