"""A record's history as its page shows it, read from django-simple-history's rows: who
entered it and when, who changed it last and when, and what each change was.

``trail(record)`` costs one query (the latest change); ``entries(...)`` reads rows the
caller fetched (``record.history.select_related("history_user")``) and one query per
related model whose values it names, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

CREATED, CHANGED, WITHDRAWN = "created", "changed", "withdrawn"


@dataclass(frozen=True)
class FieldChange:
    """One field of one change: its label and its value before and after, as text. For
    links (``links``: many-to-many, such as the enterprises met), ``old`` names those
    removed and ``new`` those added."""

    name: str
    label: str
    old: str
    new: str
    links: bool = False


@dataclass
class HistoryEntry:
    """One history row: entered, changed (with what changed) or withdrawn (with why)."""

    kind: str
    at: datetime
    user: object | None
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class Trail:
    """Who entered a record and when; who changed it last and when (none: never changed)."""

    entered_by: object | None
    entered_at: datetime | None
    changed_by: object | None = None
    changed_at: datetime | None = None

    @property
    def changed(self) -> bool:
        return self.changed_at is not None


def last_change(record):
    """The newest history row of ``record`` that changed it (not the one that entered it)."""
    return record.history.filter(history_type="~").select_related("history_user").first()


#: ``trail(latest=...)`` not given: the newest change is read.
UNREAD = object()


def trail(record, *, latest=UNREAD) -> Trail:
    """``record``'s trail. Entered: its ``created_by`` and ``created_at``; changed:
    ``latest``, the newest change row (None: never changed) when the caller has read
    the rows already, else read here."""
    if latest is UNREAD:
        latest = last_change(record)
    return Trail(
        entered_by=getattr(record, "created_by", None),
        entered_at=getattr(record, "created_at", None),
        changed_by=latest.history_user if latest is not None else None,
        changed_at=latest.history_date if latest is not None else None,
    )


def newest_change(rows: Sequence) -> object | None:
    """The newest change row among ``rows`` (any order), for ``trail(latest=...)``."""
    changes = [row for row in rows if row.history_type == "~"]
    return max(changes, key=_order, default=None)


def _order(row):
    return (row.history_date, row.history_id)


def entries(
    model: type[models.Model],
    rows: Iterable,
    fields: Sequence[str],
    *,
    extra: Callable[[object, object], list[FieldChange]] | None = None,
    entered_by=None,
) -> list[HistoryEntry]:
    """The history of one record from its rows, newest first.

    Each row after the first is compared with the one before it on ``fields`` (names of
    ``model``'s fields); ``extra(row, previous)`` adds changes the fields do not hold. A
    row that changed none of them, and did not withdraw the record, is left out (a
    change of something the page does not show). The related records a change names
    are read once per related model. ``entered_by`` names who entered the record where
    its entering row does not (a row written outside a request, by a loader).
    """
    rows = sorted(rows, key=_order)
    shown = [model._meta.get_field(name) for name in fields]
    raw = []  # (kind, row, [(field, old, new)], reason)
    previous = None
    for row in rows:
        if row.history_type == "+":
            if row.history_user is None and entered_by is not None:
                row.history_user = entered_by
            raw.append((CREATED, row, [], ""))
        if previous is None or row.history_type == "+":
            # A record loaded without its entering row starts from its oldest change.
            previous = row
            continue
        changes = [
            (f, old, new)
            for f in shown
            if (old := getattr(previous, f.attname)) != (new := getattr(row, f.attname))
        ]
        withdrawn = (
            getattr(previous, "withdrawn_at", None) is None
            and getattr(row, "withdrawn_at", None) is not None
        )
        more = extra(row, previous) if extra is not None else []
        if withdrawn:
            reason = getattr(row, "withdrawn_reason", "") or row.history_change_reason or ""
            raw.append((WITHDRAWN, row, [], reason))
        elif changes or more:
            raw.append((CHANGED, row, [*changes, *more], ""))
        previous = row
    names = _related_names([change for _kind, _row, changes, _reason in raw for change in changes])
    result = [
        HistoryEntry(
            kind,
            row.history_date,
            row.history_user,
            [
                change
                if isinstance(change, FieldChange)
                else FieldChange(
                    change[0].name,
                    capfirst(change[0].verbose_name),
                    _text(change[0], change[1], names),
                    _text(change[0], change[2], names),
                )
                for change in changes
            ],
            reason,
        )
        for kind, row, changes, reason in raw
    ]
    result.reverse()
    return result


def _related_names(changes) -> dict:
    """{(related model, pk): its name} for the related records ``changes`` name: one
    query per related model."""
    wanted: dict = {}
    for change in changes:
        if isinstance(change, FieldChange) or not change[0].is_relation:
            continue
        ids = wanted.setdefault(change[0].related_model, set())
        ids.update(value for value in change[1:] if value is not None)
    names = {}
    for model, ids in wanted.items():
        for pk, obj in model._base_manager.in_bulk(ids).items():
            names[(model, pk)] = str(obj)
    return names


def _text(f, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)
