"""Uploads that would act when opened: PDFs with scripts, launch actions or embedded files,
and Office files that unpack far beyond their size (``core.files``, ``core.pdf``).

Every attachment and every import spreadsheet goes through these checks; ordinary PDFs,
documents and workbooks still pass.
"""

import io
import random
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core import files, pdf
from tests import crafted, samples
from tests.samples import upload

LIMIT = 10 * 1024 * 1024


def noise(size: int, seed: int = 7) -> bytes:
    """Bytes as random as compressed image data, the same on every run."""
    return random.Random(seed).randbytes(size)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        files.inspect_upload(upload(name, content), max_bytes=LIMIT)
    return caught.value


def passes(name: str, content: bytes) -> str:
    return files.inspect_upload(upload(name, content), max_bytes=LIMIT)


# --- PDFs --------------------------------------------------------------------------------

JAVASCRIPT = b"<</S /JavaScript /JS (app.alert('hello'))>>"
LAUNCH = b"<</S /Launch /F (cmd.exe) /P (/c calc)>>"
ATTACHED = b"<</Type /Filespec /F (invoice.exe) /EF <</F 5 0 R>> >>"


@pytest.mark.parametrize(
    "objects",
    [
        (JAVASCRIPT,),
        (LAUNCH,),
        (b"<</S /GoTo /D [3 0 R /Fit]>>", b"<</Names <</JavaScript 6 0 R>> >>"),
        (b"<</S /GoTo /D [3 0 R /Fit]>>", crafted.stream(b"<</Type /EmbeddedFile>>", b"MZ")),
        (b"<</EmbeddedFiles <</Names [(a.exe) 6 0 R]>> >>",),
        (b"<</Type /Annot /Subtype /FileAttachment /FS 6 0 R>>",),
        (ATTACHED,),
        (b"<</Type /Annot /Subtype /Widget /AA <</K 6 0 R>> >>",),
        (b"<</S /J#61va#53cript /JS (app.alert(1))>>",),
        (b"<</Type /Annot /#41#41 <</O 6 0 R>> >>",),
        (b"<</XFA 6 0 R>>",),
    ],
    ids=[
        "OpenAction JavaScript",
        "Launch",
        "document JavaScript",
        "EmbeddedFile stream",
        "EmbeddedFiles tree",
        "FileAttachment",
        "EF in a file spec",
        "AA additional actions",
        "escaped JavaScript name",
        "escaped AA name",
        "XFA form",
    ],
)
def test_pdfs_with_scripts_actions_or_embedded_files_are_refused(objects):
    assert refusal("scan.pdf", crafted.pdf(*objects)).code == "pdf_active"


@pytest.mark.parametrize(
    "filters",
    [b"/FlateDecode", b"[/ASCIIHexDecode /FlateDecode]", b"[/ASCII85Decode /FlateDecode]"],
)
def test_scripts_hidden_in_a_compressed_object_stream_are_found(filters):
    packed = crafted.object_stream(JAVASCRIPT, b"<</AA <</O 10 0 R>> >>")
    if filters != b"/FlateDecode":
        data = packed.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
        encoded = data.hex().encode() + b">" if b"Hex" in filters else _a85(data)
        packed = crafted.stream(b"<</Type /ObjStm /N 2 /First 10 /Filter %s>>" % filters, encoded)
    assert refusal("scan.pdf", crafted.pdf(packed)).code == "pdf_active"


def _a85(data: bytes) -> bytes:
    import base64

    return base64.a85encode(data, adobe=True)[2:]


def test_short_names_alone_in_an_object_stream_are_found():
    packed = crafted.object_stream(b"<</Type /Annot /AA <</O 11 0 R>> >>")
    assert refusal("scan.pdf", crafted.pdf(packed)).code == "pdf_active"


@pytest.mark.parametrize(
    "dictionary",
    [
        b"<</Type /ObjStm /N 1 /First 4 /Filter /LZWDecode>>",
        b"<</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /DecodeParms <</Predictor 12>> >>",
        b"<</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode>>",  # data not Flate: encrypted
    ],
    ids=["LZW", "predictor", "encrypted"],
)
def test_an_object_stream_that_cannot_be_unpacked_here_is_refused_as_unchecked(dictionary):
    content = crafted.pdf(crafted.stream(dictionary, noise(200)))
    error = refusal("scan.pdf", content)
    assert error.code == "pdf_unchecked"


def test_an_object_stream_whose_data_is_not_where_stream_data_is_is_refused_as_unchecked():
    content = crafted.pdf(b"<</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode>> % stream")
    assert refusal("scan.pdf", content).code == "pdf_unchecked"


def test_a_pdf_bomb_in_an_object_stream_is_not_unpacked_without_end(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_STREAM_BYTES", 1024 * 1024)
    packed = crafted.stream(
        b"<</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode>>", zlib.compress(b" " * (8 << 20))
    )
    assert refusal("scan.pdf", crafted.pdf(packed)).code == "pdf_unchecked"


def test_ordinary_pdfs_pass():
    assert passes("minutes.pdf", samples.PDF) == files.PDF
    # An opening view, links, an outline and clean compressed object streams, as writers
    # such as pdfTeX, Word and Chromium make them.
    opening = b"<</S /GoTo /D [3 0 R /FitH null]>>"
    link = b"<</Type /Annot /Subtype /Link /A <</S /URI /URI (https://example.cn)>> >>"
    packed = crafted.object_stream(b"<</Type /Outlines /Count 0>>", b"<</Title (JS and AA)>>")
    assert passes("minutes.pdf", crafted.pdf(opening, link, packed)) == files.PDF


def test_names_in_image_data_are_not_mistaken_for_actions():
    # Compressed data holds "/JS " by chance (about one 10 MB photo in twenty-five); only
    # the long names are looked for there.
    data = noise(50_000) + b"/JS /AA /EF /XFA " + noise(50_000, seed=8)
    image = crafted.stream(
        b"<</Type /XObject /Subtype /Image /Width 10 /Height 10 /Filter /DCTDecode>>", data
    )
    assert passes("photo.pdf", crafted.pdf(b"<</S /GoTo /D [3 0 R /Fit]>>", image)) == files.PDF


def test_a_long_name_in_image_data_is_still_refused():
    image = crafted.stream(
        b"<</Type /XObject /Subtype /Image /Filter /DCTDecode>>", b"\xff\xd8 /JavaScript "
    )
    assert refusal("photo.pdf", crafted.pdf(b"<<>>", image)).code == "pdf_active"


def test_an_html_script_in_a_compressed_stream_is_refused():
    form = crafted.stream(
        b"<</Filter /FlateDecode>>", zlib.compress(b'<template><script contentType="x">')
    )
    assert refusal("form.pdf", crafted.pdf(b"<<>>", form)).code == "pdf_active"


# --- Office zip bombs -------------------------------------------------------------------


def test_a_docx_unpacking_to_a_gigabyte_is_refused_before_it_is_unpacked():
    bomb = crafted.docx_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    error = refusal("minutes.docx", bomb)
    assert error.code == "unpacked_too_large"
    assert "100.0" in error.messages[0]


def test_an_xlsx_unpacking_to_a_gigabyte_is_refused_before_it_is_unpacked():
    assert refusal("sheet.xlsx", crafted.zip_bomb()).code == "unpacked_too_large"


def test_a_part_packed_far_beyond_what_real_documents_pack_is_refused():
    # 30 MB of blanks packed into 30 kB: within the size limit, a thousand to one.
    bomb = crafted.docx_bomb(unpacked=30 << 20)
    error = refusal("minutes.docx", bomb)
    assert error.code == "unpacked_too_large"
    assert "far more than a real document" in error.messages[0]


def test_a_document_of_too_many_parts_is_refused():
    buffer = io.BytesIO(samples.docx())
    with zipfile.ZipFile(buffer, "a") as package:
        for number in range(files.OFFICE_MAX_PARTS):
            package.writestr(f"word/media/image{number}.png", b"")
    assert refusal("minutes.docx", buffer.getvalue()).code == "too_many_parts"


def test_ordinary_office_files_pass():
    from django.conf import settings

    example = settings.BASE_DIR / "docs" / "examples" / "outreach-import-example.xlsx"
    assert passes("minutes.docx", samples.docx()) == files.DOCX
    assert passes("sheet.xlsx", samples.xlsx()) == files.XLSX
    assert passes("example.xlsx", example.read_bytes()) == files.XLSX
    # A document whose part packs well, as text does, but nowhere near a bomb.
    text = "".join(
        f"<w:p><w:r><w:t>第{n}条意见：办理进度。</w:t></w:r></w:p>" for n in range(40_000)
    )
    document = samples.docx(extra={"word/document2.xml": text.encode()})
    assert passes("minutes.docx", document) == files.DOCX


def test_messages_are_translated():
    with translation.override("zh-hans"):
        pdf_message = refusal("scan.pdf", crafted.pdf(JAVASCRIPT)).messages[0]
        bomb_message = refusal("minutes.docx", crafted.docx_bomb(unpacked=30 << 20)).messages[0]
    assert pdf_message != refusal("scan.pdf", crafted.pdf(JAVASCRIPT)).messages[0]
    assert bomb_message != refusal("minutes.docx", crafted.docx_bomb(30 << 20)).messages[0]
