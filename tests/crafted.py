"""Hostile files, crafted small: workbooks that claim or hold far more than they look,
a zip bomb, and PDFs that carry scripts, launch actions or embedded files.

Each workbook is a real package (by default the import template) with one part replaced,
written as a stream so that even the ones unpacking to a gigabyte are built in about a
second and weigh a few hundred kilobytes. ``scripts/time_hostile_files.py`` times how
fast each is refused.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: The sheets of the import template, in its order (企业, 活动, 意见建议).
SHEET = "xl/worksheets/sheet2.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)

Part = bytes | Callable[[io.RawIOBase], None]


def template() -> bytes:
    from imports.template import build_template, workbook_bytes

    return workbook_bytes(build_template())


def repack(package: bytes, parts: dict[str, Part]) -> bytes:
    """``package`` with ``parts`` replaced or added; a callable part writes itself to the
    stream it is given, so a huge part is never held in memory."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist() + [name for name in parts if name not in source.namelist()]
        for name in names:
            part = parts.get(name)
            if part is None:
                target.writestr(name, source.read(name))
            elif callable(part):
                with target.open(name, "w", force_zip64=True) as stream:
                    part(stream)
            else:
                target.writestr(name, part)
    return buffer.getvalue()


def _sheet(package: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(package)).read(SHEET)


def rows_into(package: bytes, rows: bytes) -> bytes:
    """The sheet with ``rows`` added at the end of its data."""
    head, tail = _sheet(package).split(b"</sheetData>")
    return head + rows + b"</sheetData>" + tail


def giant_dimension(package: bytes | None = None) -> bytes:
    """A sheet claiming to be all of Excel's 1,048,576 rows by 16,384 columns."""
    package = package or template()
    sheet = re.sub(
        rb"<dimension ref=\"[^\"]*\"/>", b'<dimension ref="A1:XFD1048576"/>', _sheet(package)
    )
    return repack(package, {SHEET: sheet})


def huge_sheet() -> bytes:
    """The file that kept a request busy for 40 to 73 seconds: a sheet claiming all of
    Excel's rows and columns, with one cell in the last of them (openpyxl then builds
    every row in between, each 16,384 cells wide)."""
    return giant_dimension(last_row())


def last_row(package: bytes | None = None) -> bytes:
    """One cell in the last row and column Excel has."""
    package = package or template()
    row = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return repack(package, {SHEET: rows_into(package, row)})


def many_empty_rows(package: bytes | None = None, count: int = 1_048_576) -> bytes:
    """``count`` empty rows, each declared by its ``r=`` (all of Excel's rows by default)."""
    package = package or template()
    head, tail = _sheet(package).split(b"</sheetData>")
    first = len(re.findall(rb"<row ", head)) + 1

    def write(stream) -> None:
        stream.write(head)
        for start in range(first, count + 1, 10_000):
            stop = min(start + 10_000, count + 1)
            stream.write(b"".join(b'<row r="%d"/>' % number for number in range(start, stop)))
        stream.write(b"</sheetData>" + tail)

    return repack(package, {SHEET: write})


def many_styles(package: bytes | None = None, count: int = 200_000) -> bytes:
    """A styles part with ``count`` cell formats, each a little different so that it packs
    like real XML (not a thousand to one), and claiming as many."""
    package = package or template()
    styles = zipfile.ZipFile(io.BytesIO(package)).read("xl/styles.xml")
    match = re.search(rb'<cellXfs count="(\d+)">', styles)
    randomly = random.Random(11)

    def write(stream) -> None:
        stream.write(styles[: match.start()] + b'<cellXfs count="%d">' % count)
        for start in range(0, count, 10_000):
            stream.write(
                b"".join(
                    b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="%d" xfId="0"/>'
                    % (randomly.randrange(200), randomly.randrange(1000))
                    for _ in range(start, min(start + 10_000, count))
                )
            )
        stream.write(styles[match.end() :])

    return repack(package, {"xl/styles.xml": write})


def shared_strings(
    package: bytes | None = None, *, declared: int = 5_000_000, held: int = 1
) -> bytes:
    """A shared-strings table claiming ``declared`` entries and holding ``held`` different
    ones (random digits, so it packs like real text)."""
    package = package or template()
    types = zipfile.ZipFile(io.BytesIO(package)).read("[Content_Types].xml")
    override = f'<Override PartName="/{SHARED_STRINGS}" ContentType="{SHARED_STRINGS_TYPE}"/>'
    types = types.replace(b"</Types>", override.encode() + b"</Types>")
    randomly = random.Random(5)

    def write(stream) -> None:
        stream.write(
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s" count="%d" uniqueCount="%d">'
            % (MAIN.encode(), declared, declared)
        )
        for start in range(0, held, 10_000):
            stream.write(
                b"".join(
                    b"<si><t>%d</t></si>" % randomly.randrange(10**12)
                    for _ in range(start, min(start + 10_000, held))
                )
            )
        stream.write(b"</sst>")

    return repack(package, {"[Content_Types].xml": types, SHARED_STRINGS: write})


def enormous_cell(package: bytes | None = None, characters: int = 1_000_000) -> bytes:
    """One cell holding ``characters`` random letters and digits (Excel stops at 32,767)."""
    package = package or template()
    text = random.Random(3).randbytes(characters // 2 + 1).hex()[:characters]
    row = f'<row r="2"><c r="J2" t="inlineStr"><is><t>{text}</t></is></c></row>'.encode()
    return repack(package, {SHEET: rows_into(package, row)})


# --- a zip bomb ---------------------------------------------------------------------------


def _deflated(data: bytes, *, final: bool) -> bytes:
    """``data`` as raw deflate blocks that refer to nothing before them, so that pieces can
    be repeated and joined into one stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


def zip_bomb(
    package: bytes | None = None, *, unpacked: int = 1 << 30, declared: int | None = None
) -> bytes:
    """``package`` whose sheet unpacks to ``unpacked`` bytes (a gigabyte of blanks inside the
    sheet's data), packed about a thousand to one. The deflate stream is one compressed
    mebibyte repeated, so it is built in a second. ``declared`` is the size its headers
    state (the real one unless given: a lying package)."""
    package = package or template()
    head, tail = _sheet(package).split(b"</sheetData>")
    tail = b"</sheetData>" + tail
    block = b" " * (1 << 20)
    repeats = (unpacked - len(head) - len(tail)) // len(block)
    data = _deflated(head, final=False) + _deflated(block, final=False) * repeats
    data += _deflated(tail, final=True)
    checksum = zlib.crc32(head)
    for _ in range(repeats):
        checksum = zlib.crc32(block, checksum)
    checksum = zlib.crc32(tail, checksum)
    size = len(head) + len(block) * repeats + len(tail)
    source = zipfile.ZipFile(io.BytesIO(package))
    members = [
        (info.filename, _deflated(source.read(info), final=True), source.read(info))
        for info in source.infolist()
        if info.filename != SHEET
    ]
    return _zip(
        [(name, raw, zlib.crc32(plain), len(plain)) for name, raw, plain in members]
        + [(SHEET, data, checksum, size if declared is None else declared)]
    )


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip file of already deflated ``(name, data, crc32, unpacked size)`` members."""
    out = io.BytesIO()
    directory = []
    for name, data, checksum, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                8,
                0,
                0x21,
                checksum,
                len(data),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded + data)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                checksum,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    out.write(b"".join(directory))
    end = out.tell()
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), end - start, start, 0
        )
    )
    return out.getvalue()


def docx_bomb(unpacked: int = 1 << 30) -> bytes:
    """A Word document whose main part unpacks to ``unpacked`` bytes of blanks."""
    from tests import samples

    document = samples.docx()
    source = zipfile.ZipFile(io.BytesIO(document))
    main = "word/document.xml"
    block = b" " * (1 << 20)
    repeats = unpacked // len(block)
    checksum = 0
    for _ in range(repeats):
        checksum = zlib.crc32(block, checksum)
    members = [
        (
            info.filename,
            _deflated(source.read(info), final=True),
            zlib.crc32(source.read(info)),
            info.file_size,
        )
        for info in source.infolist()
        if info.filename != main
    ]
    data = _deflated(block, final=False) * (repeats - 1) + _deflated(block, final=True)
    return _zip([*members, (main, data, checksum, len(block) * repeats)])


# --- PDFs -----------------------------------------------------------------------------


def pdf(*objects: bytes, trailer: bytes = b"<</Root 1 0 R>>") -> bytes:
    """A PDF whose objects are a catalog (object 1, naming ``/OpenAction 4 0 R`` when there
    is an object 4), one page, and ``objects`` numbered from 4 on."""
    catalog = b"<</Type /Catalog /Pages 2 0 R" + (b" /OpenAction 4 0 R" if objects else b"") + b">>"
    bodies = [
        catalog,
        b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>>",
        *objects,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n" + trailer.replace(b">>", b" /Size %d>>" % (len(bodies) + 1), 1))
    out.write(b"\nstartxref\n%d\n%%%%EOF\n" % start)
    return out.getvalue()


def stream(dictionary: bytes, data: bytes) -> bytes:
    """A stream object's body: its dictionary (``/Length`` added) and its data."""
    return dictionary[:-2] + b" /Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def object_stream(*objects: bytes, filters: bytes = b"/FlateDecode") -> bytes:
    """An object stream (PDF 1.5) holding ``objects``, numbered from 10 on, packed with
    FlateDecode by default."""
    offsets, body = [], b""
    for obj in objects:
        offsets.append(len(body))
        body += obj + b"\n"
    header = b" ".join(b"%d %d" % (10 + index, offset) for index, offset in enumerate(offsets))
    header += b"\n"
    data = header + body
    if filters == b"/FlateDecode":
        data = zlib.compress(data)
    dictionary = b"<</Type /ObjStm /N %d /First %d /Filter %s>>" % (
        len(objects),
        len(header),
        filters,
    )
    return stream(dictionary, data)
