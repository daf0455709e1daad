"""Read the figure links a dashboard page renders, as a reader's browser would follow them.

The tests that say "every number links to exactly its records" must follow the ``href``
the page actually carries, never links rebuilt in the test: a template or view that drops
a link's branch would otherwise go unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

#: Where a figure sits: the headline cards (and the promise meter), a branch row of the
#: table (by the branch's code), or the table's total row; a branch's row of the table of
#: the enterprise's word (``data-table="voice"``) is ``voice(code)``.
HEADLINE = "headline"
TOTAL = "total"


def voice(code: str) -> str:
    return f"voice:{code}"


#: A rate cell of the table links its numerator, then its denominator.
RATE_PARTS = {
    "reply_rate": ("replied_feedback", "feedback_items"),
    "satisfaction_rate": ("satisfied_feedback", "satisfaction_recorded"),
}


@dataclass(frozen=True)
class FigureLink:
    where: str
    key: str
    href: str
    shown: int


class _FigureLinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[FigureLink] = []
        self._in_tfoot = False
        self._row: str | None = None
        self._col: str | None = None
        self._rate_anchor = 0
        self._open: tuple[str, str] | None = None  # (key, href) of the anchor being read
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tfoot":
            self._in_tfoot = True
        elif tag == "tr":
            self._row = TOTAL if self._in_tfoot else attrs.get("data-branch")
            if self._row and attrs.get("data-table") == "voice":
                self._row = voice(self._row)
        elif tag == "td":
            self._col, self._rate_anchor = attrs.get("data-col"), 0
        elif tag == "a":
            key = attrs.get("data-figure")
            if key is None and self._col in RATE_PARTS:
                key = RATE_PARTS[self._col][self._rate_anchor]
                self._rate_anchor += 1
            if key is not None:
                self._open, self._text = (key, attrs["href"]), []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            key, href = self._open
            where = self._row or HEADLINE
            self.links.append(FigureLink(where, key, href, int("".join(self._text).strip())))
            self._open = None
        elif tag == "td":
            self._col = None
        elif tag == "tr":
            self._row = None
        elif tag == "tfoot":
            self._in_tfoot = False


def figure_links(html: str) -> list[FigureLink]:
    """Every figure link of the page, in page order."""
    parser = _FigureLinkParser()
    parser.feed(html)
    parser.close()
    return parser.links


def by_place(links: list[FigureLink]) -> dict[str, dict[str, list[FigureLink]]]:
    """Links grouped by where they sit, then by figure (a figure may be linked twice)."""
    grouped: dict[str, dict[str, list[FigureLink]]] = {}
    for link in links:
        grouped.setdefault(link.where, {}).setdefault(link.key, []).append(link)
    return grouped
