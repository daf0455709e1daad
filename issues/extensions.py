"""What apps further up add to the issue screens, without this app importing them.

``receipts`` (the enterprise's own ratings) registers here in its ``AppConfig.ready``, as
it registers its ground to reopen in ``transitions.REOPEN_GROUNDS``:

- ``OPINION_EXTRAS``: functions ``(opinions, flags) -> None`` that put more on the
  opinions the issue page and the opinion page show, in one query for the whole list;
  ``flags`` is the issue (or the opinion) read with the annotations of
- ``ISSUE_FLAGS`` / ``OPINION_FLAGS``: functions ``() -> dict`` of annotations for the
  issue page's issue and the opinion page's opinion (an index probe saying whether there
  is anything to read: most issues have no rating, and then cost no query);
- ``MY_WORK_SECTIONS``: functions ``(user) -> dict | None`` giving a section of "my work"
  (``key``, ``title``, ``empty``, ``queryset``, ``template``: the row's template, which
  reads ``entry``), or None when the section is not the user's.
"""

from __future__ import annotations

from collections.abc import Callable

OPINION_EXTRAS: list[Callable[[list, object], None]] = []
ISSUE_FLAGS: list[Callable[[], dict]] = []
OPINION_FLAGS: list[Callable[[], dict]] = []
MY_WORK_SECTIONS: list[Callable[[object], dict | None]] = []


def add_opinion_extras(opinions: list, flags) -> None:
    for extra in OPINION_EXTRAS:
        extra(opinions, flags)


def issue_flags() -> dict:
    return {name: value for flags in ISSUE_FLAGS for name, value in flags().items()}


def opinion_flags() -> dict:
    return {name: value for flags in OPINION_FLAGS for name, value in flags().items()}


def extra_my_work_sections(user) -> list[dict]:
    return [spec for spec in (extra(user) for extra in MY_WORK_SECTIONS) if spec]
