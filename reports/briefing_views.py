"""The briefing (简报): the page with both languages side by side, and its Word download."""

from __future__ import annotations

from io import BytesIO

import docx
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from branches.scoping import scope_of
from core.files import DOCX

from .briefing import EN, LANGUAGES, ZH, Briefing, build_briefing, file_stem, load_briefing_data
from .selection import Selection, SelectionForm


def _selection_form(request):
    user = request.user
    if scope_of(user).is_empty:
        raise Http404
    return SelectionForm(request.GET, user=user, default_to_current_campaign=True)


def _download_query(selection: Selection, language: str) -> str:
    """The selection as query parameters, with "all campaigns" kept explicit (an absent
    campaign would mean the current one)."""
    params = {"campaign": "", **selection.params(), "lang": language}
    return urlencode(params)


@require_safe
@login_required
def briefing(request):
    form = _selection_form(request)
    if not form.is_valid():
        return render(request, "reports/briefing.html", {"form": form}, status=400)
    selection = form.selection()
    data = load_briefing_data(request.user, selection, branches=form.branches)
    zh, en = build_briefing(data, ZH), build_briefing(data, EN)
    context = {
        "form": form,
        "selection": selection,
        "zh": zh,
        "en": en,
        "briefings": [zh, en],
        "download_zh": _download_query(selection, ZH),
        "download_en": _download_query(selection, EN),
    }
    return render(request, "reports/briefing.html", context)


@require_safe
@login_required
def briefing_docx(request):
    form = _selection_form(request)
    language = request.GET.get("lang") or ZH
    if language not in LANGUAGES:
        return HttpResponseBadRequest(_("Unknown briefing language."))
    if not form.is_valid():
        messages = [error for errors in form.errors.values() for error in errors]
        return HttpResponseBadRequest(" ".join(str(message) for message in messages))
    selection = form.selection()
    data = load_briefing_data(request.user, selection, branches=form.branches)
    result = build_briefing(data, language)
    return FileResponse(
        BytesIO(briefing_document(result)),
        as_attachment=True,
        filename=f"{file_stem(selection, language)}.docx",
        content_type=DOCX,
    )


# --- the Word document ----------------------------------------------------------------

#: (Latin font, East Asian font) for body text and for headings, per language.
FONTS = {
    ZH: {"body": ("Times New Roman", "仿宋"), "heading": ("Times New Roman", "黑体")},
    EN: {"body": ("Calibri", "宋体"), "heading": ("Calibri", "黑体")},
}
THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(style, latin: str, east_asian: str) -> None:
    """Name the fonts outright (Word otherwise falls back to theme fonts that lack CJK)."""
    style.font.name = latin
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
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
    _set_fonts(styles["Normal"], *fonts["body"])
    styles["Normal"].font.size = Pt(12 if briefing.language == ZH else 11)
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_fonts(styles[name], *fonts["heading"])
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
            values = [
                str(number),
                item.branch,
                item.title,
                "\n".join(d.text for d in decisions) or item.pending,
                "\n".join(f"{d.meeting} {d.held_on}" for d in decisions),
                "\n".join(d.owner for d in decisions if d.owner),
                "\n".join(d.deadline for d in decisions if d.deadline),
            ]
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value

    output = BytesIO()
    document.save(output)
    return output.getvalue()
