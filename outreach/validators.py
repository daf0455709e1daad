"""What identifies an enterprise, normalised and checked: the unified social credit code
(统一社会信用代码, GB 32100-2015) and the name as duplicate checks compare it."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The 31 characters the standard allows (no I, O, S, V, Z), in the order of their values.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18


# Characters that differ between two spellings of the same company name.
_NAME_NOISE = str.maketrans("", "", " \t\u3000()（）[]【】·.,，、-—_\"'“”‘’")


def enterprise_name_key(name: str) -> str:
    """The form of a name used to spot duplicates: full-width folded, no spaces or brackets."""
    return unicodedata.normalize("NFKC", name or "").lower().translate(_NAME_NOISE)


def normalize_uscc(value: str) -> str:
    """Upper-case and strip spaces, as people type codes from paper forms."""
    return "".join((value or "").split()).upper()


def uscc_check_digit(first17: str) -> str:
    """The 18th character for the first 17 (which must be in the alphabet)."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Raise ValidationError naming the first wrong character of ``value``."""
    code = normalize_uscc(value)
    if len(code) != USCC_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has {count}.").format(
                count=len(code)
            ),
            code="uscc_length",
        )
    for position, ch in enumerate(code, start=1):
        if ch not in USCC_ALPHABET:
            raise ValidationError(
                _(
                    "Character {position} (“{char}”) is not allowed in a unified social "
                    "credit code (only digits and capital letters except I, O, S, V, Z)."
                ).format(position=position, char=ch),
                code="uscc_character",
            )
    for position in range(3, 9):
        if not code[position - 1].isdigit():
            raise ValidationError(
                _(
                    "Character {position} (“{char}”) must be a digit: characters 3 to 8 "
                    "are the administrative division code."
                ).format(position=position, char=code[position - 1]),
                code="uscc_division",
            )
    expected = uscc_check_digit(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character (character 18) is “{actual}” but should be "
                "“{expected}” for the first 17 characters: one of them is probably mistyped."
            ).format(actual=code[17], expected=expected),
            code="uscc_check_digit",
        )
