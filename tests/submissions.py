"""Posting as the app's own pages do: with the one-time key every form carries.

Every form the app draws has a fresh ``submission_key`` (``core.submissions``), and a
POST without one is refused. The suite's ``client`` fixture is a ``KeyedClient`` so a test
posts what a page would; tests of the mechanism itself post keys of their own with
``keyed()`` (the same key twice is a double click) or use ``django.test.Client``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.test import Client
from django.test.client import MULTIPART_CONTENT

from core.submissions import FIELD, new_key


def keyed(data: Mapping | None = None, key: str | None = None) -> dict:
    """``data`` with a one-time key: a new one, or ``key`` to send the same form again."""
    return {**(data or {}), FIELD: key or new_key()}


class KeyedClient(Client):
    """A test client whose form POSTs carry a fresh key, as a freshly drawn page's do."""

    def post(self, path, data=None, content_type=MULTIPART_CONTENT, *args, **kwargs):
        form = content_type == MULTIPART_CONTENT and (data is None or isinstance(data, Mapping))
        if form and FIELD not in (data or {}):
            data = keyed(data)
        return super().post(path, data, content_type, *args, **kwargs)
