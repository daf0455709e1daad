"""What apps further up add to outreach's rules, without outreach importing them.

Each registers in its ``AppConfig.ready`` (as ``receipts`` does in ``issues.extensions``):

- ``ENTERPRISE_KEPT``: functions ``(feedback_item) -> str`` saying why the opinion's
  enterprise can no longer be corrected ("" when nothing they hold keeps it). ``issues``
  keeps it once a reply, an attempt or a reply awaiting approval was recorded for that
  enterprise; ``receipts`` while a receipt given to the enterprise lists the opinion.
"""

from __future__ import annotations

from collections.abc import Callable

ENTERPRISE_KEPT: list[Callable[[object], str]] = []


def why_enterprise_kept(feedback_item) -> str:
    """The first reason an app gives to keep the opinion's enterprise, or ""."""
    for kept in ENTERPRISE_KEPT:
        reason = kept(feedback_item)
        if reason:
            return reason
    return ""
