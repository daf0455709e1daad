"""Enterprise names folded for matching: two spellings of one company give one key."""

import unicodedata

# Characters that differ between two spellings of the same company name.
_NAME_NOISE = str.maketrans("", "", " \t\u3000()（）[]【】·.,，、-—_\"'“”‘’")


def enterprise_name_key(name: str) -> str:
    """The form of a name used to spot duplicates: full-width folded, no spaces or brackets."""
    return unicodedata.normalize("NFKC", name or "").lower().translate(_NAME_NOISE)
