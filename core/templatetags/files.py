"""Template helpers for uploaded files: an icon per type, and the upload limits."""

from django import template
from django.template.defaultfilters import filesizeformat

from core import files

register = template.Library()

ICONS = {
    files.JPEG: "bi-file-earmark-image",
    files.PNG: "bi-file-earmark-image",
    files.PDF: "bi-file-earmark-pdf",
    files.DOCX: "bi-file-earmark-word",
    files.XLSX: "bi-file-earmark-excel",
}


@register.filter
def file_icon(content_type: str) -> str:
    """The Bootstrap icon class for a stored file's content type."""
    if content_type in ICONS:
        return ICONS[content_type]
    return "bi-file-earmark-image" if str(content_type).startswith("image/") else "bi-file-earmark"


@register.simple_tag
def upload_limit() -> str:
    """The largest upload accepted, for humans ("10.0 MB")."""
    return filesizeformat(files.upload_limit_bytes())


@register.simple_tag
def upload_accept() -> str:
    """The extensions a file input should offer (its ``accept`` attribute)."""
    return files.ACCEPT
