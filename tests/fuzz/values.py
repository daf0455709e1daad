"""The odd values the fuzz tests send: text, numbers, dates and ids no form expects.

Each kind is a fixed list of the values that have broken apps like this one (a NUL byte
PostgreSQL refuses, a digit ``int()`` reads but the database does not, a date no calendar
has, an id past the 64-bit range) plus a Hypothesis strategy that draws more of the same
kind. Every value is a string, as a browser would send it.
"""

from __future__ import annotations

from hypothesis import strategies as st

TEXT = [
    "\x00",
    "a\x00b",
    "x" * 5000,
    "\u202eevil\u202c مرحبا بالعالم",
    "שלום\u200f עולם",
    "😀👩‍👩‍👧‍👦🚀",
    "' OR '1'='1' --",
    "1; DROP TABLE issues_issue; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7|add:7 }}{% now 'Y' %}",
    "%_\\",
    " \t\r\n ",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999999999999999",
    "١٢",
    "１２",
    "²",
    "1.5",
    "1e309",
    "NaN",
    "-inf",
    "0x10",
]
DATES = [
    "2026-02-30",
    "0000-00-00",
    "99999-01-01",
    "0001-01-01",
    "9999-12-31",
    "2026-13-01",
    "2026-1-1",
    "31/12/2026",
    "-2026-01-01",
]
#: Ids that name no row (another branch's rows are added by the test, from its world).
IDS = ["0", "-1", "²", "١", "9223372036854775807", "9223372036854775808", "1,2", "1 OR 1=1"]
#: Sent to every field on its own: a digit ``str.isdigit`` accepts and ``int`` refuses, and an
#: id one past the 64-bit range (each answered 500 somewhere before issue 11).
ALWAYS = ["²", "9223372036854775808"]
#: Words for a path's word parameter (``<str:kind>``): none of them names anything.
PATH_WORDS = ["nope", "\x00", "😀", "x" * 300, "..", "1", "%2F"]
#: Ids for a path's id parameter (``<int:pk>``): the converter takes ASCII digits only.
PATH_IDS = ["0", "9223372036854775807", "9223372036854775808", "9" * 40]

KINDS = ("text", "number", "date", "id")


def _calendar_date():
    """Dates as typed: real ones at the calendar's edges and ones no calendar has."""
    return st.one_of(
        st.dates().map(lambda day: day.isoformat()),
        st.tuples(st.integers(-1, 100_000), st.integers(-1, 14), st.integers(-1, 40)).map(
            lambda ymd: f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"
        ),
    )


def strategy(kind: str, extra_ids: list[str] = ()) -> st.SearchStrategy[str]:
    """Odd values of one kind: the fixed list first, then drawn ones."""
    # Any character UTF-8 carries but NUL: a request with one is refused whole before any
    # view reads it (core.input_guard), so it would hide what the other fields do.
    odd_characters = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
    if kind == "text":
        text = [value for value in TEXT if "\x00" not in value]
        return st.one_of(st.sampled_from(text), st.text(odd_characters, max_size=40))
    if kind == "number":
        return st.one_of(
            st.sampled_from(NUMBERS),
            st.integers().map(str),
            st.floats(allow_nan=True, allow_infinity=True).map(str),
            st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=6),
        )
    if kind == "date":
        return st.one_of(st.sampled_from(DATES), _calendar_date())
    if kind == "id":
        return st.one_of(
            st.sampled_from([*IDS, *extra_ids]),
            st.integers(min_value=-(2**70), max_value=2**70).map(str),
        )
    raise ValueError(kind)


def any_odd(index: int, extra_ids: list[str] = ()) -> st.SearchStrategy[str]:
    """Any odd value, for the ``index``-th field of a form. Hypothesis's first, simplest
    example takes the first of a list, so each field's list starts elsewhere: that example
    sends a different fixed value to each field."""
    fixed = [value for value in (*TEXT, *NUMBERS, *DATES, *IDS, *extra_ids) if "\x00" not in value]
    start = (index * 7) % len(fixed)
    rotated = fixed[start:] + fixed[:start]
    return st.one_of(st.sampled_from(rotated), *(strategy(kind, extra_ids) for kind in KINDS))
