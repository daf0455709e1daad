"""The briefing as a Word document (.docx): title, date, overview, branches, and the
escalated issues as a table, in fonts that show Chinese on any Word."""

from __future__ import annotations

from io import BytesIO

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .writer import EN, ZH, Briefing

#: (Latin font, East Asian font) for body text and for headings, per language.
FONTS = {
    ZH: {"body": ("Times New Roman", "仿宋"), "heading": ("Times New Roman", "黑体")},
    EN: {"body": ("Calibri", "宋体"), "heading": ("Calibri", "黑体")},
}
THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(target, latin: str, east_asian: str) -> None:
    """Name the fonts of a style or a run outright, East Asian text's included (Word
    otherwise falls back to theme fonts that lack CJK)."""
    target.font.name = latin
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in THEME_FONT_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:cs"), latin)


def briefing_document(briefing: Briefing) -> bytes:
    """The briefing as a .docx: title, date, overview, branches, escalated issues table."""
    document = docx.Document()
    fonts = FONTS[briefing.language]
    styles = document.styles
    set_fonts(styles["Normal"], *fonts["body"])
    styles["Normal"].font.size = Pt(12 if briefing.language == ZH else 11)
    for name in ("Title", "Heading 1", "Heading 2"):
        set_fonts(styles[name], *fonts["heading"])
    properties = document.core_properties
    properties.title = briefing.title
    properties.language = "zh-CN" if briefing.language == ZH else "en"

    title = document.add_heading(briefing.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date_line = document.add_paragraph(briefing.date_line)
    date_line.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading(briefing.headings["summary"], level=1)
    document.add_paragraph(briefing.summary)

    document.add_heading(briefing.headings["branches"], level=1)
    for paragraph in briefing.branch_paragraphs:
        document.add_paragraph(paragraph.text)

    document.add_heading(briefing.headings["escalated"], level=1)
    if not briefing.escalated:
        document.add_paragraph(briefing.no_escalations)
    else:
        table = document.add_table(rows=1, cols=len(briefing.table_headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, briefing.table_headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(header).bold = True
        for number, item in enumerate(briefing.escalated, start=1):
            decisions = item.decisions
            said = [d.text for d in decisions] + ([item.pending] if item.waiting else [])
            values = [
                str(number),
                item.branch,
                item.title,
                "\n".join(said),
                "\n".join(f"{d.meeting} {d.held_on}" for d in decisions),
                "\n".join(d.owner for d in decisions if d.owner),
                "\n".join(d.deadline for d in decisions if d.deadline),
            ]
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value

    output = BytesIO()
    document.save(output)
    return output.getvalue()
