"""Every page speaks the reader's language: English pages show no Chinese reference data
and no Chinese interface text, Chinese pages no English interface text and no English
names of reference data.

Every GET page of the access table (tests/test_access.py) that a persona opens, plus the
lists filtered by the world's branch, county, category and campaign (their filter chips
and choice labels), is rendered in each language with the ``world``'s rows. What is
checked is the text a reader meets: text nodes, labels in attributes (title, aria-label,
placeholder, alt, a submit button's value) and the data of ``application/json`` scripts
(the charts' labels); never markup, URLs or ids. Text inside an element marked with the
other language (``lang="zh-hans"`` on the language switcher's 中文, the Chinese briefing
beside the English one) is that language's on purpose and is left out.

What people typed (enterprise names, opinions, titles, people's names) stays as typed, so
the English check does not ban every Chinese character: it bans the Chinese names of
reference data (branches, counties, categories, equipment classes, campaigns, return
reasons) standing on their own, and any Chinese in the interface's own elements (labels,
table headers, buttons, legends, terms, the navigation). The Chinese check bans the
English names of the same rows and every English interface string of the catalogue of two
words or more (``locale/zh_Hans``; shorter ones like "OK" could be anyone's words).
"""

from __future__ import annotations

import gettext
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from branches.models import Branch, County
from issues.models import ReturnReason
from outreach.models import Campaign, EquipmentClass, FeedbackCategory
from tests.test_access import ROUTES

pytestmark = pytest.mark.django_db

EN, ZH = "en", "zh-hans"
PERSONAS = ("anonymous", "staff_a", "lead_a", "office", "leader")
PROVINCIAL = {"office", "leader"}
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Elements whose text is the interface's own words, never data.
INTERFACE_TAGS = {"label", "th", "button", "legend", "dt", "caption", "summary", "nav"}
#: Inside the navigation, these hold data: the signed-in user's name, the breadcrumb's
#: record titles; anywhere, what HTML marks as not to be translated (a record's title in
#: a checkbox's label).
DATA_IN_NAV = ({"data-testid": "user-menu"}, {"class": "breadcrumb"}, {"translate": "no"})
VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
#: Answers for scripts, not readers: the stats API's keys are English and its names the
#: stored Chinese ones whatever the interface language (docs/metrics.md).
FOR_SCRIPTS = {"reports:stats_api"}
#: Pages whose subject is a reference row's two names, shown as the fields they edit: the
#: office's list of return reasons and a reason's page.
BOTH_NAMES_SHOWN = {
    "issues:return_reason_list": {ReturnReason},
    "issues:return_reason_update": {ReturnReason},
}


# --- what a reader meets on a page ----------------------------------------------------------


@dataclass
class PageText:
    #: Every piece of text a reader meets, outside elements in the other language.
    pieces: list[str] = field(default_factory=list)
    #: The pieces inside the interface's own elements (INTERFACE_TAGS).
    interface: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " \n ".join(self.pieces)


class _Reader(HTMLParser):
    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.other = "en" if language == ZH else "zh"
        self.page = PageText()
        # (tag, skipped: other language or not shown, interface, data inside interface)
        self.stack: list[tuple[str, bool, bool, bool]] = []
        self.json_script: list[str] | None = None

    def _state(self) -> tuple[bool, bool, bool]:
        return self.stack[-1][1:] if self.stack else (False, False, False)

    def _add(self, text: str) -> None:
        skipped, interface, data = self._state()
        if skipped or not text.strip():
            return
        self.page.pieces.append(text)
        if interface and not data:
            self.page.interface.append(text)

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        skipped, interface, data = self._state()
        other_language = attrs.get("lang", "").lower().startswith(self.other)
        hidden = tag in ("style", "template") or (
            tag == "script" and attrs.get("type") != "application/json"
        )
        if tag == "script" and not hidden and not skipped:
            self.json_script = []
        now_skipped = skipped or other_language or hidden
        if not now_skipped:
            for name in ("title", "aria-label", "placeholder", "alt"):
                if attrs.get(name):
                    self.page.pieces.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.page.pieces.append(attrs["value"])
        if tag in VOID_TAGS:
            return
        in_data = data or any(
            all(value in attrs.get(name, "").split() for name, value in marker.items())
            for marker in DATA_IN_NAV
        )
        self.stack.append((tag, now_skipped, interface or tag in INTERFACE_TAGS, in_data))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "script" and self.json_script is not None:
            for text in _json_strings(json.loads("".join(self.json_script))):
                self.page.pieces.append(text)
            self.json_script = None
        if not any(open_tag == tag for open_tag, *_ in self.stack):
            return  # a stray end tag
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.json_script is not None:
            self.json_script.append(data)
        else:
            self._add(data)


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _json_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _json_strings(item)]
    return []


def page_text(response, language: str) -> PageText:
    if response["Content-Type"].startswith("application/json"):
        return PageText(pieces=_json_strings(json.loads(response.content)))
    reader = _Reader(language)
    reader.feed(response.content.decode())
    reader.close()
    return reader.page


# --- the words that must not be there -------------------------------------------------------


def standing_alone(name: str, text: str, *, chinese: bool) -> str | None:
    """The place where ``name`` stands on its own in ``text`` (not inside a longer run of
    Chinese characters, or of letters), with some context; None if it does not."""
    start = text.find(name)
    while start != -1:
        end = start + len(name)
        before, after = text[start - 1 : start], text[end : end + 1]
        touching = CJK.match if chinese else re.compile(r"\w").match
        if not (before and touching(before)) and not (after and touching(after)):
            return " ".join(text[max(0, start - 30) : end + 30].split())
        start = text.find(name, start + 1)
    return None


REFERENCE_MODELS = (Branch, County, FeedbackCategory, EquipmentClass, Campaign, ReturnReason)


def reference_names() -> dict[type, list[tuple[str, str]]]:
    """(Chinese name, English name) of every reference row, by model: each row's names
    and, for a branch, its short names too."""
    names: dict[type, list[tuple[str, str]]] = {}
    for model in REFERENCE_MODELS:
        for row in model.objects.all():
            pairs = names.setdefault(model, [])
            pairs.append((row.name, row.name_en))
            if model is Branch:
                pairs.append((row.short_name, row.short_name_en))
    return names


def both_names_shown(route: str, names) -> set[str]:
    """The names a page shows in both languages as its subject (BOTH_NAMES_SHOWN)."""
    models = BOTH_NAMES_SHOWN.get(route, ())
    return {name for model in models for pair in names[model] for name in pair}


def catalogue_msgids() -> list[str]:
    """The English interface strings the Chinese catalogue translates, of two words or more
    and with no placeholder (whose text is whole on no page)."""
    path = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    msgids = set()
    for key, msgstr in catalogue.items():
        if not isinstance(key, str) or not key or not msgstr:
            continue  # plural forms, the header
        msgid = key.rpartition("\x04")[2]  # without a context
        if msgid == msgstr or len(msgid.split()) < 2 or re.search(r"%|\{|<", msgid):
            continue
        msgids.add(msgid)
    return sorted(msgids)


# --- the pages --------------------------------------------------------------------------------


def pages_of(persona: str, world) -> list[tuple[str, str]]:
    """(route name, URL) of every GET page the persona opens, and the lists filtered by the
    world's rows (their chips name a branch, county, category, campaign)."""
    pages = []
    for name, (method, kwargs, answers) in sorted(ROUTES.items()):
        if method == "get" and answers[persona] == 200 and name not in FOR_SCRIPTS:
            kwargs = kwargs(world) if callable(kwargs) else kwargs
            pages.append((name, reverse(name, kwargs=kwargs)))
    if persona == "anonymous":
        return pages
    rows = world.a
    campaign, category = world.campaign.pk, rows.feedback.category_id
    branch = f"&branch={rows.branch.pk}" if persona in PROVINCIAL else ""
    filtered = {
        "outreach:feedback_list": f"campaign={campaign}&category={category}{branch}",
        "issues:issue_list": f"campaign={campaign}&category={category}{branch}",
        "outreach:activity_list": f"campaign={campaign}{branch}",
        "outreach:enterprise_list": (
            f"county={rows.county.pk}&equipment={rows.equipment.pk}"
            f"&visit_campaign={campaign}{branch}"
        ),
        "reports:dashboard": f"campaign={campaign}{branch}",
        "reports:briefing": f"campaign={campaign}{branch}",
        # The searchable picker's answer: each enterprise with its county.
        "outreach:enterprise_autocomplete": "q=",
    }
    return pages + [(name, f"{reverse(name)}?{query}") for name, query in filtered.items()]


@pytest.fixture
def world_with_equipment(world):
    """The world, its enterprises with a class of equipment (the enterprise pages and the
    registry's filter name it)."""
    boilers = EquipmentClass.objects.get(code="boiler")
    for rows in (world.a, world.b):
        rows.enterprise.equipment_classes.add(boilers)
        rows.equipment = boilers
    return world


def render_all(client, personas, persona, world, language):
    if persona != "anonymous":
        client.force_login(personas[persona])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for route, url in pages_of(persona, world):
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].split(";")[0] in ("text/html", "application/json"):
            yield route, url, page_text(response, language)  # not files, pictures


@pytest.mark.parametrize("persona", PERSONAS)
def test_english_pages_show_no_chinese_reference_data_or_interface(
    client, personas, world_with_equipment, persona
):
    names = reference_names()
    missing = [zh for pairs in names.values() for zh, en in pairs if not en]
    assert missing == [], "every reference row needs an English name for this test to mean much"
    found, pages = [], 0
    for route, url, page in render_all(client, personas, persona, world_with_equipment, EN):
        pages += 1
        text = page.text
        shown = both_names_shown(route, names)
        for model, pairs in names.items():
            for chinese, _english in pairs:
                place = chinese not in shown and standing_alone(chinese, text, chinese=True)
                if place:
                    found.append(f"{url}: {model.__name__} {chinese!r} in “{place}”")
        found += [
            f"{url}: Chinese in the interface: {piece.strip()!r}"
            for piece in page.interface
            if CJK.search(piece)
        ]
    assert pages > (0 if persona == "anonymous" else 20)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("persona", PERSONAS)
def test_chinese_pages_show_no_english_interface_text_or_names(
    client, personas, world_with_equipment, persona
):
    msgids = catalogue_msgids()
    assert len(msgids) > 500
    names = reference_names()
    found, pages = [], 0
    for route, url, page in render_all(client, personas, persona, world_with_equipment, ZH):
        pages += 1
        text = " ".join(page.text.split())
        for msgid in msgids:
            if msgid in text:  # the cheap test first: most pages have none
                place = standing_alone(msgid, text, chinese=False)
                if place:
                    found.append(f"{url}: untranslated “{msgid}” in “{place}”")
        shown = both_names_shown(route, names)
        for model, pairs in names.items():
            for _chinese, english in pairs:
                place = english not in shown and standing_alone(english, text, chinese=False)
                if place:
                    found.append(f"{url}: {model.__name__} {english!r} in “{place}”")
    assert pages > (0 if persona == "anonymous" else 20)
    assert found == [], "\n".join(found)
