"""Row ids as they arrive in a request: ASCII digits naming a row the database could hold.

``int()`` and ``str.isdigit()`` accept more than that ("²" is a digit to ``isdigit`` but not to
``int``; "١٢" is twelve to ``int``), and an id past the 64-bit range makes SQLite raise instead
of finding nothing. Views that read ids themselves, and forms that take several, go through
here, so an odd id is simply the id of no row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

#: The largest id a 64-bit primary key holds.
MAX_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """The id ``value`` names, or None when it names no possible row."""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    text = str(value)
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable) -> set[int] | None:
    """The ids named, or None when any value names no possible row."""
    ids = {parse_id(value) for value in values}
    return None if None in ids else ids


class ModelIdsChoiceField(forms.ModelMultipleChoiceField):
    """Django's several-rows field, refusing an odd id as an invalid choice before it
    reaches the database (where SQLite would raise on one past 64 bits)."""

    def clean(self, value):
        if isinstance(value, (list, tuple)) and (self.to_field_name or "pk") == "pk":
            for pk in value:
                if pk not in self.empty_values and parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)
