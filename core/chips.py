"""Filter chips: one removable chip per filter in use, so a phone shows what filters a list
even with the filter card folded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django import forms


def filter_chips(
    request,
    filterset,
    *,
    skip: Iterable[str] = ("sort",),
    describe: dict[str, Callable[[object], str | None]] | None = None,
) -> list[dict]:
    """``{"name", "label", "value", "remove"}`` per filter in use; ``remove`` is the query
    string without it. ``describe`` names a value itself (``None`` leaves the chip out)."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    describe = describe or {}
    chips = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if name in skip or value in (None, ""):
            continue
        if name in describe:
            value = describe[name](value)
            if value is None:
                continue
        elif isinstance(field, forms.ModelChoiceField):
            value = field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            value = dict(field.choices).get(value, value)
        elif isinstance(value, date):
            value = value.isoformat()
        query = request.GET.copy()
        query.pop(name, None)
        query.pop("page", None)
        chips.append(
            {"name": name, "label": field.label, "value": value, "remove": query.urlencode()}
        )
    return chips
