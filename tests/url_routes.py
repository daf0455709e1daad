"""Every route of the project's URL map, named or not, with the full path it answers.

``reverse()`` and a walk over names see only named routes; a route added without a name
would slip past any table keyed by name. This walk yields every leaf pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    #: The full pattern from the site root, e.g. ``issues/<int:pk>/``.
    path: str
    #: ``namespace:name``, or None for a route without a name.
    name: str | None
    #: The innermost namespace (``""`` outside any), e.g. ``issues`` or ``admin``.
    namespace: str
    callback: Callable


def every_route(resolver=None, path: str = "", namespace: str = "") -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from every_route(entry, path + str(entry.pattern), inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else None
            innermost = namespace.rstrip(":").rpartition(":")[2]
            yield Route(path + str(entry.pattern), name, innermost, entry.callback)
