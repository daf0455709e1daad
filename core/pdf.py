"""Active content in a PDF: scripts, actions that launch programs, and embedded files.

A PDF reader acts on *names* in the file's dictionaries: a JavaScript action is
``/S /JavaScript /JS (...)``, a launch action ``/S /Launch``, an attached file a
``/FileAttachment`` annotation or an ``/EmbeddedFiles`` tree. ``find_active_content`` looks
for those names without a PDF library, in bounded time:

- Names are read as a reader reads them (``/J#61vaScript`` is ``/JavaScript``).
- The long names (``ACTIVE_NAMES``) are looked for everywhere in the raw bytes: no
  photo or font data holds ``/JavaScript`` by chance. Every kind of action and embedded file
  needs one of them, so hiding a dictionary where the short ones are not looked for does
  not hide the action.
- The short names (``/JS``, ``/AA``, ``/EF``, ``/XFA``) are looked for outside stream data
  only: random compressed bytes contain ``/JS`` in about one 10 MB photo in twenty-five.
- Dictionaries can also sit compressed inside object streams (``/Type /ObjStm``, PDF 1.5+).
  Every stream compressed with FlateDecode (alone or after ASCIIHex/ASCII85) is unpacked,
  within ``MAX_STREAM_BYTES`` each and ``MAX_UNPACKED_BYTES`` in all, and searched like the
  raw bytes; an object stream is searched for every name. An object stream that cannot be
  unpacked (another compression, a predictor, an encrypted file) cannot be checked, and the
  file is refused for that: real ones come from writers that use plain FlateDecode.
- Any unpacked stream holding an HTML ``<script`` is refused too (scripts of XFA forms).

What it does not do: render, repair or decrypt a file. A PDF that only a repairing reader
would open is checked as its bytes stand, which refuses more, never less.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

#: Names that make a reader run something or carry a file, and that random bytes never
#: spell: looked for everywhere.
ACTIVE_NAMES = frozenset(
    {
        b"JavaScript",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"FileAttachment",
        b"RichMedia",
        b"GoToE",
    }
)
#: Short names with the same meaning (a script, additional actions, an embedded file
#: stream, an XFA form with its scripts): looked for outside stream data only.
SHORT_ACTIVE_NAMES = frozenset({b"JS", b"AA", b"EF", b"XFA"})

#: The most bytes one stream is unpacked to, and all of them together; beyond that a
#: stream is not searched (an object stream beyond it makes the file uncheckable).
MAX_STREAM_BYTES = 32 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024

# A name: "/" and the regular characters after it (PDF 32000-1, 7.2.2 and 7.3.5).
_NAME = re.compile(rb"/([^\x00\t\n\f\r /<>\[\]()%{}]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Where stream data starts: the keyword after a dictionary's ">>", then an end of line.
_STREAM = re.compile(rb">>[\x00\t\n\f\r ]*stream(?:\r\n|\n)")
# A /Filter entry: one name, or an array of them (an array cut short is kept as it is).
_FILTER = re.compile(rb"/Filter[\x00\t\n\f\r ]*(\[[^\]]{0,4096}\]?|/[^\x00\t\n\f\r /<>\[\]()%{}]+)")
_PREDICTOR = re.compile(rb"/Predictor[\x00\t\n\f\r ]+(\d+)")
_HTML_SCRIPT = re.compile(rb"<script[\s/>]", re.IGNORECASE)

#: Every stream filter of the standard, with the abbreviations of inline images.
_FILTER_NAMES = frozenset(
    b"FlateDecode Fl ASCIIHexDecode AHx ASCII85Decode A85 LZWDecode LZW RunLengthDecode RL "
    b"CCITTFaxDecode CCF JBIG2Decode DCTDecode DCT JPXDecode Crypt".split()
)
_UNPACKED_HERE = frozenset({b"FlateDecode", b"ASCIIHexDecode", b"ASCII85Decode"})

#: More streams than this in one file are not searched one by one: the file is refused.
MAX_STREAMS = 50_000

ACTIVE = "active"
UNCHECKED = "unchecked"


def _name_pattern(names) -> re.Pattern:
    """A regex for any of ``names`` as a whole name, each character written plainly or as
    a ``#xx`` escape, so the search runs in the regex engine, not name by name."""

    def character(byte: int) -> bytes:
        digits = b"%02x" % byte
        escape = b"".join(
            b"[%s%s]" % (digit.lower(), digit.upper()) if digit.isalpha() else digit
            for digit in (digits[:1], digits[1:])
        )
        return b"(?:" + re.escape(bytes([byte])) + b"|#" + escape + b")"

    alternatives = sorted(names, key=len, reverse=True)
    body = b"|".join(b"".join(character(byte) for byte in name) for name in alternatives)
    return re.compile(rb"/(?:" + body + rb")(?=[\x00\t\n\f\r /<>\[\]()%{}]|\Z)")


_ACTIVE_NAME = _name_pattern(ACTIVE_NAMES)
_SHORT_ACTIVE_NAME = _name_pattern(SHORT_ACTIVE_NAMES)
_ANY_ACTIVE_NAME = _name_pattern(ACTIVE_NAMES | SHORT_ACTIVE_NAMES)
_OBJECT_STREAM = _name_pattern({b"ObjStm"})
_PREDICTOR_NAME = _name_pattern({b"Predictor"})
_FILTER_NAME = _name_pattern(_FILTER_NAMES)


def find_active_content(content: bytes) -> str | None:
    """``ACTIVE`` if the PDF ``content`` carries scripts, launch actions or embedded files,
    ``UNCHECKED`` if an object stream of it cannot be unpacked to be searched, else None."""
    if _ACTIVE_NAME.search(content):
        return ACTIVE
    budget = MAX_UNPACKED_BYTES
    object_streams = streams = 0
    position = 0
    for match in _STREAM.finditer(content):
        if match.start() < position:
            continue  # inside the data of the stream before
        streams += 1
        if streams > MAX_STREAMS:
            return UNCHECKED
        # Since the last stream's data: objects without data, then this stream's dictionary.
        before = content[position : match.start() + 2]
        if _SHORT_ACTIVE_NAME.search(before):
            return ACTIVE
        start = match.end()
        end = content.find(b"endstream", start)
        end = len(content) if end < 0 else end
        if _OBJECT_STREAM.search(before):
            object_streams += 1
            verdict, unpacked = _search_object_stream(before, content[start:end], budget)
        else:
            verdict, unpacked = _search_stream(before, content[start:end], budget)
        if verdict:
            return verdict
        budget -= unpacked
        position = end
    if _SHORT_ACTIVE_NAME.search(content, position):
        return ACTIVE
    if len(_OBJECT_STREAM.findall(content)) > object_streams:
        return UNCHECKED  # an object stream whose data is not where a stream's data is
    return None


def _search_object_stream(before: bytes, data: bytes, budget: int) -> tuple[str | None, int]:
    """An object stream holds dictionaries: it must be unpacked and searched for every name.
    Every filter named since the last stream must be one unpacked here, and in the chain
    read from its dictionary; a predictor cannot be undone here."""
    filters = _filters(before)
    named = {_unescape(name)[1:] for name in _FILTER_NAME.findall(before)}
    predictors = set(_PREDICTOR.findall(_unescape(before)))
    if (
        not named <= _UNPACKED_HERE
        or not named <= set(filters)
        or (_PREDICTOR_NAME.search(before) and predictors != {b"1"})
    ):
        return UNCHECKED, 0
    limit = min(MAX_STREAM_BYTES, budget)
    unpacked = _decode(data, filters, limit) if limit > 0 else None
    if unpacked is None or len(unpacked) >= limit:
        return UNCHECKED, 0
    if _ANY_ACTIVE_NAME.search(unpacked) or _HTML_SCRIPT.search(unpacked):
        return ACTIVE, len(unpacked)
    return None, len(unpacked)


def _search_stream(before: bytes, data: bytes, budget: int) -> tuple[str | None, int]:
    """Any other stream (pages, fonts, images, XFA forms) is searched for the long names
    and HTML scripts when it is unpacked here; it cannot hold a dictionary a reader reads."""
    if b"/Filter" not in before and b"/F#" not in before:
        return None, 0  # plain data was searched with the raw bytes
    filters = _filters(before)
    if not filters or not set(filters) <= _UNPACKED_HERE or budget <= 0:
        return None, 0
    unpacked = _decode(data, filters, min(MAX_STREAM_BYTES, budget))
    if unpacked is None:
        return None, 0
    if _ACTIVE_NAME.search(unpacked) or _HTML_SCRIPT.search(unpacked):
        return ACTIVE, len(unpacked)
    return None, len(unpacked)


def _unescape(data: bytes) -> bytes:
    if b"#" not in data:
        return data
    return _ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), data)


def _filters(before: bytes) -> list[bytes]:
    """The filter chain of the last /Filter entry in ``before`` (the stream's own)."""
    values = _FILTER.findall(_unescape(before))
    if not values:
        return []
    if values[-1].startswith(b"[") and not values[-1].endswith(b"]"):
        return [b"?"]  # an array too long to be real
    return [name for name in _NAME.findall(values[-1]) if name]


def _decode(data: bytes, filters: list[bytes], limit: int) -> bytes | None:
    """The stream's data run through ``filters`` in order, at most ``limit`` bytes of it;
    None when it is damaged."""
    try:
        for name in filters:
            if name == b"ASCIIHexDecode":
                text = re.sub(rb"[\x00\t\n\f\r ]", b"", data.split(b">", 1)[0])
                data = binascii.unhexlify(text + b"0" * (len(text) % 2))
            elif name == b"ASCII85Decode":
                text = data.strip().removeprefix(b"<~")
                data = base64.a85decode(text.split(b"~>", 1)[0], adobe=False)
            else:
                data = zlib.decompressobj().decompress(data, limit)
    except (ValueError, binascii.Error, zlib.error):
        return None
    return data[:limit]
