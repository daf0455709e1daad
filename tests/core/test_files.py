"""The upload allowlist (by extension and by content) and the private download response."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import translation

from core import files
from tests import samples
from tests.samples import upload

LIMIT = 1024 * 1024


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English; ``test_messages_are_translated`` checks Chinese."""
    with translation.override("en"):
        yield


def refusal(name: str, content: bytes, *, max_bytes: int = LIMIT) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        files.inspect_upload(upload(name, content), max_bytes=max_bytes)
    return caught.value


# --- what passes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("签到表.jpg", samples.JPEG, files.JPEG),
        ("SCAN.JPEG", samples.JPEG, files.JPEG),
        ("photo.png", samples.PNG, files.PNG),
        ("minutes.pdf", samples.PDF, files.PDF),
        ("minutes.docx", samples.docx(), files.DOCX),
        ("attendance.xlsx", samples.xlsx(), files.XLSX),
    ],
)
def test_real_files_of_each_allowed_type_pass_with_their_canonical_type(name, content, expected):
    assert files.inspect_upload(upload(name, content, "text/html"), max_bytes=LIMIT) == expected


def test_the_browsers_content_type_is_ignored():
    # A browser (or an attacker) may say anything; only the bytes and extension count.
    assert files.inspect_upload(upload("p.png", samples.PNG, "text/html"), max_bytes=LIMIT) == (
        files.PNG
    )


def test_a_checked_file_is_rewound_for_saving():
    uploaded = upload("photo.png", samples.PNG)
    files.inspect_upload(uploaded, max_bytes=LIMIT)
    assert uploaded.read() == samples.PNG


def test_a_file_exactly_at_the_limit_passes():
    assert files.inspect_upload(upload("p.png", samples.PNG), max_bytes=len(samples.PNG))


# --- what is refused ----------------------------------------------------------------


def test_an_html_file_is_refused_by_its_extension():
    error = refusal("page.html", samples.HTML)
    assert error.code == "extension"
    assert error.messages == [
        "Files of this type cannot be uploaded. Allowed: JPG, PNG, PDF, DOCX and XLSX."
    ]


def test_an_svg_image_is_refused_by_its_extension():
    assert refusal("logo.svg", samples.SVG).code == "extension"


@pytest.mark.parametrize("name", ["run.exe", "page.htm", "macro.docm", "old.doc", "noext", "x."])
def test_other_extensions_are_refused(name):
    assert refusal(name, samples.PDF).code == "extension"


def test_a_png_with_html_appended_is_refused_as_active_content():
    error = refusal("photo.png", samples.PNG + samples.HTML)
    assert error.code == "active_content"
    assert error.messages == [
        "The file contains web page or script content and cannot be accepted."
    ]


def test_a_png_with_any_bytes_after_its_end_is_refused():
    assert refusal("photo.png", samples.PNG + b"\x00\x01harmless?").code == "trailing_data"


def test_a_png_with_a_broken_chunk_is_refused():
    broken = bytearray(samples.PNG)
    broken[20] ^= 0xFF  # IHDR's width: the chunk's checksum no longer matches
    assert refusal("photo.png", bytes(broken)).code == "damaged"


def test_a_png_cut_short_is_refused():
    assert refusal("photo.png", samples.PNG[:-6]).code == "damaged"


def test_a_png_file_that_is_really_html_is_refused_as_a_mismatch():
    error = refusal("photo.png", samples.HTML)
    assert error.code == "mismatch"
    assert error.messages == [
        "The file's content does not match its name: it is not a real PNG image."
    ]


def test_an_svg_renamed_png_is_refused_as_a_mismatch():
    assert refusal("logo.png", samples.SVG).code == "mismatch"


def test_an_executable_renamed_pdf_is_refused_as_a_mismatch():
    assert refusal("report.pdf", samples.EXE).code == "mismatch"


def test_a_jpeg_named_png_is_refused_as_a_mismatch():
    assert refusal("photo.png", samples.JPEG).code == "mismatch"


def test_a_workbook_named_docx_is_refused_as_a_mismatch():
    assert refusal("minutes.docx", samples.xlsx()).code == "mismatch"


@pytest.mark.parametrize("name", ["minutes.docx", "sheet.xlsx"])
def test_a_zip_that_is_not_an_office_document_is_refused(name):
    assert refusal(name, samples.plain_zip()).code == "mismatch"


def test_a_truncated_office_document_is_refused():
    assert refusal("minutes.docx", samples.docx()[:200]).code == "mismatch"


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("photo.jpg", b"<script>"),
        ("photo.jpg", b"<svg onload=alert(1)>"),
        ("scan.pdf", b"<HTML>"),
        ("scan.pdf", b"<!DocType html>"),
        ("scan.pdf", b"<iframe src=x>"),
    ],
)
def test_images_and_pdfs_carrying_html_or_script_are_refused(name, marker):
    content = samples.JPEG if name.endswith(".jpg") else samples.PDF
    assert refusal(name, content + marker).code == "active_content"


def test_tag_like_bytes_that_no_browser_reads_as_a_tag_do_not_refuse_a_photo():
    # Compressed image data is near-random: "<svG" followed by another letter turns up in
    # real photos, and is not a tag to any HTML parser.
    assert files.inspect_upload(upload("p.jpg", samples.JPEG + b"<svGq<htmlz"), max_bytes=LIMIT)


def test_a_docx_with_a_vba_project_is_refused():
    content = samples.docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macros"})
    error = refusal("minutes.docx", content)
    assert error.code == "macros"
    assert error.messages[0].startswith("Documents with macros cannot be uploaded.")


def test_a_docx_declaring_a_macro_enabled_main_part_is_refused():
    error = refusal("minutes.docx", samples.docx(main_type=samples.DOCM_MAIN))
    assert error.code == "macros"


@pytest.mark.parametrize("name", ["old.docx", "password.xlsx"])
def test_an_old_or_password_protected_office_file_is_refused_with_its_own_code(name):
    # Old .doc/.xls files and encrypted .docx/.xlsx are OLE compound files, not zip packages.
    error = refusal(name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert error.code == "legacy_office"
    assert error.messages[0].startswith("The file's content does not match its name")


def test_an_empty_file_is_refused():
    assert refusal("photo.png", b"").code == "empty"


def test_an_oversized_file_is_refused_with_the_limit_in_the_message():
    error = refusal("scan.pdf", samples.PDF + b"0" * 2048, max_bytes=2048)
    assert error.code == "too_large"
    assert error.messages == ["The file is too large (2.2\xa0KB); the limit is 2.0\xa0KB."]


def test_the_size_is_checked_on_the_bytes_not_only_the_reported_size():
    uploaded = upload("scan.pdf", samples.PDF + b"0" * 2048)
    uploaded.size = 10  # a lying size must not let a big file through
    with pytest.raises(ValidationError) as caught:
        files.inspect_upload(uploaded, max_bytes=2048)
    assert caught.value.code == "too_large"


# --- one type only (an import spreadsheet) ---------------------------------------------


def test_inspect_content_checks_the_one_type_asked_for_whatever_the_name():
    files.inspect_content(io.BytesIO(samples.xlsx()), files.XLSX, max_bytes=LIMIT)
    with pytest.raises(ValidationError) as caught:
        files.inspect_content(io.BytesIO(samples.docx()), files.XLSX, max_bytes=LIMIT)
    assert caught.value.code == "mismatch"


def test_inspect_content_refuses_macros_and_sizes_as_every_upload():
    with pytest.raises(ValidationError) as caught:
        files.inspect_content(
            io.BytesIO(samples.docx(main_type=samples.DOCM_MAIN)), files.DOCX, max_bytes=LIMIT
        )
    assert caught.value.code == "macros"
    for size in (LIMIT + 1, None):  # the size reported, or else the bytes read
        with pytest.raises(ValidationError) as caught:
            files.inspect_content(
                io.BytesIO(b"\0" * (LIMIT + 1)), files.XLSX, max_bytes=LIMIT, size=size
            )
        assert caught.value.code == "too_large"


def test_the_limit_comes_from_the_setting(settings):
    settings.OUTREACH_MAX_UPLOAD_MB = 3
    assert files.upload_limit_bytes() == 3 * 1024 * 1024


def test_messages_are_translated():
    with translation.override("zh-hans"):
        chinese = refusal("page.html", samples.HTML).messages[0]
    with translation.override("en"):
        english = refusal("page.html", samples.HTML).messages[0]
    assert chinese != english
    assert english.startswith("Files of this type cannot be uploaded")


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("签到表.jpg", "签到表.jpg"),
        ("C:\\Users\\张三\\Desktop\\scan.pdf", "scan.pdf"),
        ("../../etc/passwd.png", "passwd.png"),
        ("a\x00b\r\n.png", "ab.png"),
        ("", "file"),
        ("...", "file"),
    ],
)
def test_clean_filename_keeps_the_base_name_only(sent, kept):
    assert files.clean_filename(sent) == kept


def test_clean_filename_shortens_long_names_keeping_the_extension():
    name = files.clean_filename("很" * 300 + ".xlsx")
    assert len(name) == 255
    assert name.endswith(".xlsx")


# --- downloads ------------------------------------------------------------------------


@pytest.fixture
def stored_png():
    return _field(default_storage.save("activities/0123abcd.png", ContentFile(samples.PNG)))


def _field(name):
    from outreach.models import ActivityAttachment

    return ActivityAttachment(file=name).file


def test_a_download_is_an_attachment_that_is_never_sniffed_or_rendered(stored_png):
    response = files.private_file_response(
        stored_png, filename="签到表.png", content_type=files.PNG
    )
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E7%AD%BE%E5%88%B0%E8%A1%A8.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == samples.PNG
    response.file_to_stream.close()


def test_a_stored_type_outside_the_allowlist_is_downloaded_as_opaque_bytes(stored_png):
    response = files.private_file_response(stored_png, filename="x.html", content_type="text/html")
    assert response["Content-Type"] == "application/octet-stream"
    response.file_to_stream.close()


def test_a_file_missing_from_storage_is_a_404(db):
    with pytest.raises(Http404):
        files.private_file_response(
            _field("activities/gone.png"), filename="gone.png", content_type=files.PNG
        )
    with pytest.raises(Http404):
        files.private_file_response(_field(""), filename="none.png", content_type=files.PNG)
