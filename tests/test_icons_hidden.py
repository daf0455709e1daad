"""Icon glyphs are decoration: screen readers must not read them inside link and button
names (issue 15), and every page carries the favicon and the skip link."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# An opening tag, with template tags inside it kept whole (``{% if %}`` may hold ``>``).
TAG = re.compile(r"<([a-z][a-z0-9]*)\b(?:\{%.*?%\}|\{\{.*?\}\}|[^>{]|\{)*>", re.S)
ICON_CLASS = re.compile(r'class="(?:[^"]*\s)?bi[\s"]')


def icon_tags():
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in TAG.finditer(text):
            if ICON_CLASS.search(match.group(0)):
                line = text.count("\n", 0, match.start()) + 1
                yield f"{path.relative_to(TEMPLATES)}:{line}", match.group(0)


def test_the_scan_finds_the_icons():
    """Guards the scan itself: a regex that matched nothing would pass vacuously."""
    assert sum(1 for _ in icon_tags()) > 150


def test_every_bootstrap_icon_in_the_templates_is_hidden_from_screen_readers():
    missing = [where for where, tag in icon_tags() if 'aria-hidden="true"' not in tag]
    assert missing == []


def test_the_favicon_is_a_static_svg():
    found = finders.find("img/favicon.svg")
    assert found, "static/img/favicon.svg is missing"
    assert Path(found).read_text().lstrip().startswith("<svg")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/r/", "/admin/login/"])
def test_public_pages_link_the_favicon(client, url):
    html = client.get(url).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/r/"])
def test_the_skip_link_comes_first_and_leads_to_main(client, url):
    html = client.get(url).content.decode()
    body = html[html.index("<body") :]
    first_link = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body).group(0)
    assert 'href="#main"' in first_link and "skip-link" in first_link
    assert '<main id="main"' in html
