"""Uploaded files: what may come in, and how it goes out again.

Every upload (activity attachments, issue evidence) is checked by ``inspect_upload``
against an allowlist by extension *and* by content; an upload that must be of one type (an
import spreadsheet) is checked by ``inspect_content``, the same rules with the same size
limit (``upload_limit_bytes``), and a workbook that will be read by ``inspect_workbook``,
which also bounds what reading it can cost (``core.workbooks``). Content checks refuse
images and PDFs carrying HTML, PDFs carrying scripts, launch actions or embedded files
(``core.pdf``), Office files with macros, and Office files that unpack far beyond their
size (zip bombs). Every download is served by
``private_file_response`` from a view that has checked the user's scope first. Files are
never served from ``MEDIA_URL``, and a download is never rendered by the browser as a page.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import pdf, workbooks

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Extension -> the content type its content must be.
ALLOWED_EXTENSIONS = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
}
ALLOWED_CONTENT_TYPES = frozenset(ALLOWED_EXTENSIONS.values())
#: For a file input's ``accept`` attribute.
ACCEPT = ",".join(ALLOWED_EXTENSIONS)

#: How each type is named in messages ("... is not a real PNG image").
TYPE_LABELS = {
    JPEG: gettext_lazy("JPG image"),
    PNG: gettext_lazy("PNG image"),
    PDF: gettext_lazy("PDF document"),
    DOCX: gettext_lazy("Word document (.docx)"),
    XLSX: gettext_lazy("Excel workbook (.xlsx)"),
}

# Tags that would make a browser (or a careless viewer) treat the file as a web page.
# Images and PDFs have no business containing them; an HTML tail on a PNG is the classic
# polyglot. Office files are zip-compressed, so their raw bytes are not searched.
ACTIVE_CONTENT_TAGS = (b"html", b"script", b"svg", b"iframe", b"!doctype")
# A tag counts only when its name ends as an HTML parser ends it (space, "/" or ">").
# Compressed image data is close to random: a bare b"<svg" (four bytes) turns up in about
# one 10 MB photo in fifty, so matching it alone would refuse honest photos.
ACTIVE_CONTENT = re.compile(rb"<(?:" + b"|".join(ACTIVE_CONTENT_TAGS) + rb")[\s/>]", re.IGNORECASE)
MARKUP_CHECKED_TYPES = frozenset({JPEG, PNG, PDF})

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
# An OLE compound file: an old Office file (.doc, .xls) or a password-protected .docx/.xlsx.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OFFICE_TYPES = frozenset({DOCX, XLSX})
# The part of an Office document that holds macros, and the content types that declare it.
MACRO_MARKERS = (b"vbaproject", b"macroenabled", b"vnd.ms-office.vba", b"activex")
# [Content_Types].xml is a few kilobytes; a bigger one is not a document we want to read.
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
#: An Office package may hold at most this many parts, unpack to at most this many bytes in
#: all, and no part above ``OFFICE_RATIO_FLOOR_BYTES`` may unpack to more than
#: ``OFFICE_MAX_RATIO`` times its packed size. Real documents pack their XML 3 to 20 times
#: and their pictures not at all; a zip bomb packs a thousand times. Python's zipfile never
#: unpacks a part beyond the size the package declares for it, so the declared sizes bound
#: what any later reader of the file on the server (openpyxl) can be made to unpack.
OFFICE_MAX_PARTS = 2_000
OFFICE_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
OFFICE_MAX_RATIO = 100
OFFICE_RATIO_FLOOR_BYTES = 1024 * 1024


def upload_limit_bytes() -> int:
    """The largest upload accepted (attachments, evidence, import spreadsheets), from
    ``OUTREACH_MAX_UPLOAD_MB``."""
    return getattr(settings, "OUTREACH_MAX_UPLOAD_MB", 10) * 1024 * 1024


def clean_filename(name: str, *, max_length: int = 255) -> str:
    """The name to show and to offer on download: the base name only, no control
    characters, at most ``max_length`` characters with the extension kept."""
    # Browsers on Windows have sent full paths ("C:\\Users\\...\\scan.pdf").
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        return "file"
    if len(name) > max_length:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: max_length - len(suffix)] + suffix
    return name


def inspect_upload(uploaded_file, *, max_bytes: int) -> str:
    """Check an uploaded file against the allowlist and return its content type.

    The extension must be one of ``ALLOWED_EXTENSIONS``, and the content must really be of
    the type the extension names (``inspect_content``). Raises ``ValidationError`` (with a
    ``code`` the tests name) otherwise. The file is left positioned at its start.
    """
    extension = PurePosixPath((uploaded_file.name or "").lower()).suffix
    expected = ALLOWED_EXTENSIONS.get(extension)
    if expected is None:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed: JPG, PNG, PDF, DOCX and XLSX."),
            code="extension",
        )
    inspect_content(uploaded_file, expected, max_bytes=max_bytes, size=uploaded_file.size)
    return expected


def inspect_content(stream, expected: str, *, max_bytes: int, size: int | None = None) -> None:
    """Check that ``stream`` really is a file of type ``expected`` of at most ``max_bytes``.

    ``size`` is the size the upload reports, to refuse a big file before reading it; the
    bytes read decide in the end. JPEG and PDF are recognised by their signature, PNG by
    walking its chunks to IEND with nothing after it, DOCX and XLSX as Office zip packages
    without macros. Images and PDFs carrying HTML or script are refused. Raises
    ``ValidationError`` with one of the codes ``too_large``, ``empty``, ``mismatch``,
    ``legacy_office`` (an old or password-protected Office file), ``active_content``,
    ``pdf_active`` (scripts, launch actions or embedded files), ``pdf_unchecked``,
    ``damaged``, ``trailing_data``, ``macros``, ``too_many_parts`` or ``unpacked_too_large``
    (a zip bomb). The stream is left at its start.
    """
    size = size or 0
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large ({size}); the limit is {limit}.").format(
                size=filesizeformat(size), limit=filesizeformat(max_bytes)
            ),
            code="too_large",
        )
    content = _read(stream, max_bytes)
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(content) > max_bytes:  # the reported size was wrong: trust the bytes
        raise ValidationError(
            _("The file is too large; the limit is {limit}.").format(
                limit=filesizeformat(max_bytes)
            ),
            code="too_large",
        )

    if _sniff(content) != expected:
        legacy = expected in OFFICE_TYPES and content.startswith(OLE_SIGNATURE)
        raise _mismatch(expected, code="legacy_office" if legacy else "mismatch")
    if expected in MARKUP_CHECKED_TYPES and ACTIVE_CONTENT.search(content):
        raise ValidationError(
            _("The file contains web page or script content and cannot be accepted."),
            code="active_content",
        )
    if expected == PNG:
        _check_png(content)
    elif expected == PDF:
        _check_pdf(content)
    elif expected in OFFICE_TYPES:
        _check_office(content, expected)


def inspect_workbook(
    stream, *, max_bytes: int, size: int | None = None, limits: workbooks.WorkbookLimits
) -> None:
    """``inspect_content`` for an .xlsx that will be read, then the bounds on what reading
    it can cost (``core.workbooks.check_workbook``): its rows, cells, texts and styles, read
    as a stream before any spreadsheet library builds them. Raises ``ValidationError``
    with the codes of both. The stream is left at its start."""
    inspect_content(stream, XLSX, max_bytes=max_bytes, size=size)
    workbooks.check_workbook(stream, limits)


def _mismatch(expected: str, *, code: str = "mismatch") -> ValidationError:
    return ValidationError(
        _("The file's content does not match its name: it is not a real {kind}.").format(
            kind=TYPE_LABELS[expected]
        ),
        code=code,
    )


def _read(stream, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of the file, which is then rewound."""
    stream.seek(0)
    content = stream.read(max_bytes + 1)
    stream.seek(0)
    return content


def _sniff(content: bytes) -> str | None:
    """The type the content says it is, from its first bytes."""
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(PNG_SIGNATURE):
        return PNG
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(ZIP_SIGNATURE):
        return _office_kind(content)
    return None


def _office_kind(content: bytes) -> str | None:
    """DOCX or XLSX for an Office Open XML package, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def _check_png(content: bytes) -> None:
    """Walk the chunks from IHDR to IEND; refuse a broken chunk or anything after IEND."""
    damaged = ValidationError(_("The PNG image is damaged."), code="damaged")
    position = len(PNG_SIGNATURE)
    first = True
    while True:
        header = content[position : position + 8]
        if len(header) < 8:
            raise damaged
        length, kind = struct.unpack(">I4s", header)
        if length > 0x7FFFFFFF or not kind.isalpha() or (first and kind != b"IHDR"):
            raise damaged
        data_end = position + 8 + length
        crc = content[data_end : data_end + 4]
        checksum = zlib.crc32(content[position + 4 : data_end])  # over type and data
        if len(crc) < 4 or struct.unpack(">I", crc)[0] != checksum:
            raise damaged
        position = data_end + 4
        first = False
        if kind == b"IEND":
            break
    if position != len(content):
        raise ValidationError(
            _("The PNG image has extra data after its end and cannot be accepted."),
            code="trailing_data",
        )


def _check_pdf(content: bytes) -> None:
    """Refuse PDFs with scripts, launch actions or embedded files (``core.pdf``)."""
    verdict = pdf.find_active_content(content)
    if verdict == pdf.ACTIVE:
        raise ValidationError(
            _(
                "The PDF contains scripts, actions that open programs, or embedded files, "
                "which are not accepted. Print it to a new PDF (or scan the paper) and upload "
                "that."
            ),
            code="pdf_active",
        )
    if verdict == pdf.UNCHECKED:
        raise ValidationError(
            _(
                "The PDF is encrypted or compressed in a way that cannot be checked. Print it "
                "to a new PDF and upload that."
            ),
            code="pdf_unchecked",
        )


def _check_package_size(package: zipfile.ZipFile, packed: int) -> None:
    """Refuse a zip bomb: too many parts, or parts unpacking far beyond their packed size."""
    parts = package.infolist()
    if len(parts) > OFFICE_MAX_PARTS:
        raise ValidationError(
            _("The document has {count} parts; at most {limit} are accepted.").format(
                count=f"{len(parts):,}", limit=f"{OFFICE_MAX_PARTS:,}"
            ),
            code="too_many_parts",
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > OFFICE_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _(
                "The document would unpack to {unpacked}; at most {limit} is accepted. Save it "
                "without large embedded pictures, or split it."
            ).format(
                unpacked=filesizeformat(unpacked), limit=filesizeformat(OFFICE_MAX_UNPACKED_BYTES)
            ),
            code="unpacked_too_large",
        )
    if any(
        part.file_size > OFFICE_RATIO_FLOOR_BYTES
        and part.file_size > OFFICE_MAX_RATIO * max(part.compress_size, 1)
        for part in parts
    ):
        raise ValidationError(
            _(
                "The document would unpack to {unpacked} from a file of {size}, far more than "
                "a real document does, and cannot be accepted."
            ).format(unpacked=filesizeformat(unpacked), size=filesizeformat(packed)),
            code="unpacked_too_large",
        )


def _check_office(content: bytes, expected: str) -> None:
    """Refuse zip bombs (``_check_package_size``) and Office packages with macros (a
    vbaProject part or a macro content type)."""
    macros = ValidationError(
        _(
            "Documents with macros cannot be uploaded. Save it as a plain .docx or .xlsx "
            "file and try again."
        ),
        code="macros",
    )
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        _check_package_size(package, len(content))
        if any(
            marker in info.filename.lower().encode()
            for info in package.infolist()
            for marker in MACRO_MARKERS
        ):
            raise macros
        info = package.getinfo("[Content_Types].xml")
        if info.file_size > CONTENT_TYPES_MAX_BYTES:
            raise _mismatch(expected)
        try:
            types = package.read(info).lower()
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
            raise _mismatch(expected) from None
    if any(marker in types for marker in MACRO_MARKERS):
        raise macros


def private_file_response(file_field, *, filename: str, content_type: str) -> FileResponse:
    """Stream a stored file as a download (never shown inline, never sniffed as a page).

    Call it only after checking that the user may see the row the file belongs to.
    """
    if content_type not in ALLOWED_CONTENT_TYPES:
        # Rows made before the allowlist, or edited by hand: download as opaque bytes.
        content_type = "application/octet-stream"
    if not file_field:
        raise Http404(_("The file is missing from storage."))
    try:
        handle = file_field.storage.open(file_field.name, "rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=clean_filename(filename), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
