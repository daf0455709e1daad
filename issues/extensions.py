"""What apps further up add to the issue screens, without this app importing them.

``receipts`` (the enterprise's own ratings) registers here in its ``AppConfig.ready``, as
it registers its ground to reopen in ``transitions.REOPEN_GROUNDS``:

- ``OPINION_EXTRAS``: functions ``(opinions) -> None`` that put more on the opinions the
  issue page and the opinion page show (one query for the whole list, none for an empty
  one);
- ``MY_WORK_SECTIONS``: functions ``(user) -> dict | None`` giving a section of "my work"
  (``key``, ``title``, ``empty``, ``queryset``, ``template``: the row's template, which
  reads ``entry``), or None when the section is not the user's.
"""

from __future__ import annotations

from collections.abc import Callable

OPINION_EXTRAS: list[Callable[[list], None]] = []
MY_WORK_SECTIONS: list[Callable[[object], dict | None]] = []


def add_opinion_extras(opinions: list) -> None:
    for extra in OPINION_EXTRAS:
        extra(opinions)


def extra_my_work_sections(user) -> list[dict]:
    return [spec for spec in (extra(user) for extra in MY_WORK_SECTIONS) if spec]
