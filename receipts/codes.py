"""Tracking codes: long, random, typed by people, compared without timing leaks.

A code is 36 characters of Crockford's base 32 (digits and capitals without I, L, O, U, so
it reads aloud and types on a phone): 180 random bits from ``secrets``, derived from no id.
The first 8 characters are the *selector*, stored as they are and used only to find the
row; the other 28 (140 bits) are the *verifier*, of which the database keeps only the
SHA-256. A lookup finds the row by its selector and compares the verifier's digest with
``hmac.compare_digest``, so neither the database index nor the comparison tells a guesser
how close a guess came, and a stolen copy of the database holds no working code.
The code is shown to the staff who issued it (kept in their session) and on the printed
receipt; to print it again later the branch reissues the receipt, which revokes the old
code (see ``receipts.services``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

#: Crockford's base 32: no I, L, O or U.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SELECTOR_LENGTH = 8
VERIFIER_LENGTH = 28
LENGTH = SELECTOR_LENGTH + VERIFIER_LENGTH
#: Random bits in a whole code and in its secret part.
BITS = LENGTH * 5
VERIFIER_BITS = VERIFIER_LENGTH * 5

#: What people type that they mean as another character (Crockford's decoding).
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.\t")

#: Compared against when no row has the selector, so a miss costs what a hit costs.
_NO_SUCH_DIGEST = hashlib.sha256(b"no receipt has this selector").hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str | None:
    """The code as stored, from what a person typed (any case, spaces, dashes), or None
    when it cannot be a code at all."""
    code = (text or "")[: LENGTH * 3].upper().translate(_SEPARATORS).translate(_READS_AS)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def split(code: str) -> tuple[str, str]:
    return code[:SELECTOR_LENGTH], code[SELECTOR_LENGTH:]


def digest(verifier: str) -> str:
    return hashlib.sha256(verifier.encode("ascii")).hexdigest()


def verifier_matches(verifier: str, stored_digest: str | None) -> bool:
    """Constant-time comparison of a typed verifier with the stored digest (a missing row
    is compared with a digest no verifier has)."""
    return hmac.compare_digest(digest(verifier), stored_digest or _NO_SUCH_DIGEST)


def grouped(code: str) -> str:
    """For print and reading aloud: ``ABCD-EFGH-…``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
