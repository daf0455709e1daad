"""Choice labels in the active language, translated once per language.

Django's ``get_FOO_display`` rebuilds a dict of the field's choices on every call, which
translates every label (a timeline of 118 events with 22 kinds: 2,600 translations, 13 ms).
The labels cannot change while the process runs (the catalogues are compiled), so each
language's are kept.
"""

from __future__ import annotations

from functools import cache

from django.db import models
from django.utils.translation import get_language, override


@cache
def _labels(choices: type[models.Choices], language: str | None) -> dict:
    with override(language):
        return {value: str(label) for value, label in choices.choices}


def choice_label(choices: type[models.Choices], value) -> str:
    """The label of ``value`` among ``choices`` in the active language, as
    ``get_FOO_display`` gives it: a value not among them is given back as it is."""
    return _labels(choices, get_language()).get(value, value)
