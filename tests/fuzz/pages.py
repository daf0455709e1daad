"""What the fuzz tests send to: every route with its path ids filled, and the forms and query
parameters a rendered page offers.

Routes are read from the URL resolver, so a new page is fuzzed without anyone listing it. A
path id is filled with the test world's row of the kind the segment before it names
(``issues/<int:pk>/`` is ``world.a.issue``); a route whose ids this module cannot fill fails
the test until ``SEGMENT_ROWS`` or ``WORDS`` learns it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from issues.transitions import TRANSITIONS
from outreach.models import Activity
from tests.receipts.rows import enterprise_rating
from tests.themes.rows import theme_holding

#: The path segment before an id -> the world's row of that kind (``world.a.<row>``).
SEGMENT_ROWS = {
    "enterprises": "enterprise",
    "activities": "activity",
    "attachments": "attachment",
    "feedback": "feedback",
    "opinions": "feedback",
    "issues": "issue",
    "evidence": "evidence",
    "instructions": "instruction",
    "meetings": "meeting",
    "import": "import_batch",
    "notifications": "notification",
    "days": "calendar_day",
    "drafts": "reply_draft",
    "return-reasons": "return_reason",
    "receipts": "receipt",
    "ratings": "rating",
    "jobs": "job",
    "users": "user",
    "recurring": "theme",
}
#: Path converters of a row's id, filled from ``SEGMENT_ROWS``.
ID_CONVERTERS = {"int", "uuid"}
#: Rows the world makes only when a route needs one (``world.a.rating`` would change the
#: figures other tests count): kind -> function of ``world.a`` or ``world.b``.
LAZY_ROWS = {
    "rating": enterprise_rating,
    # An account: the branch's staff member who logged its activity.
    "user": lambda rows: rows.activity.created_by,
    # A recurring problem holding an issue of the branch.
    "theme": lambda rows: theme_holding(rows.issue.branch, rows.feedback.category),
}
#: A word parameter of a path -> the words it takes.
WORDS = {
    "kind": [str(kind) for kind in Activity.Kind.values],
    "name": list(TRANSITIONS),
    # A tracking code: well formed but opening nothing, and no code at all.
    "code": ["0" * 36, "not-a-code"],
    # An opinion's place on its receipt (the rating's POST): the first, and none.
    "number": ["1", "99"],
    # A challenge's key (the box's picture): one no challenge has.
    "key": ["0" * 40],
    # A password-reset link: an account id and a token that open nothing.
    "uidb64": ["MQ", "not-a-uid"],
    "token": ["set-password", "0-0"],
}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project: ``issues/<int:pk>/transition/<str:name>/``."""

    name: str
    template: str

    @property
    def parameters(self) -> list[tuple[str, str]]:
        """(name, converter) of each path parameter, in order."""
        return [
            (match["name"], match["converter"] or "str")
            for match in PARAMETER.finditer(self.template)
        ]

    def row_for(self, parameter: str) -> str:
        """The world's row kind an id parameter names (the segment just before it)."""
        start = next(m.start() for m in PARAMETER.finditer(self.template) if m["name"] == parameter)
        segment = self.template[:start].rstrip("/").rsplit("/", 1)[-1]
        if segment not in SEGMENT_ROWS:
            raise LookupError(f"{self.name}: teach SEGMENT_ROWS the id after {segment!r}")
        return SEGMENT_ROWS[segment]

    def url(self, values: dict[str, str]) -> str:
        return "/" + PARAMETER.sub(
            lambda match: quote(str(values[match["name"]]), safe=""), self.template
        )


def project_routes(resolver=None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every route outside the Django admin, named or not."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        template = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += project_routes(entry, template, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"(unnamed) {template}"
            routes.append(Route(name=name, template=template.lstrip("^").rstrip("$")))
    return routes


def admin_list_urls() -> list[str]:
    """The Django admin's list of every registered model (their search, filters, sorting
    and pages are query parameters like any other page's)."""
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


def row_of(rows, kind: str):
    """The world's row of ``kind`` in one branch, made now if it is made on demand."""
    if kind in LAZY_ROWS:
        return LAZY_ROWS[kind](rows)
    return getattr(rows, kind)


def route_urls(route: Route, world) -> list[str]:
    """The route with the world's rows: branch A's row, and each word a word parameter takes."""
    urls = [{}]
    for parameter, converter in route.parameters:
        if parameter in WORDS:
            values = WORDS[parameter]
        elif converter in ID_CONVERTERS:
            values = [row_of(world.a, route.row_for(parameter)).pk]
        else:
            raise LookupError(f"{route.name}: teach WORDS the values of {parameter!r}")
        urls = [{**done, parameter: value} for done in urls for value in values]
    return [route.url(values) for values in urls]


def odd_route_urls(route: Route, world, odd_ids, odd_words) -> list[str]:
    """The route with one parameter at a time replaced by an odd value (the others real):
    another branch's row, ids that match no row, words that name nothing."""
    real = {}
    for parameter, converter in route.parameters:
        if converter in ID_CONVERTERS and parameter not in WORDS:
            real[parameter] = row_of(world.a, route.row_for(parameter)).pk
        else:
            real[parameter] = WORDS[parameter][0]
    urls = []
    for parameter, converter in route.parameters:
        if converter in ID_CONVERTERS and parameter not in WORDS:
            other_branch = row_of(world.b, route.row_for(parameter)).pk
            odd = [other_branch, *odd_ids]
        else:
            odd = odd_words
        urls += [route.url({**real, parameter: value}) for value in odd]
    return urls


# --- forms on a rendered page ---------------------------------------------------------------


@dataclass
class Form:
    """A form as a browser would submit it: where to, how, and each field's shown value."""

    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    #: Fields that only go with the submit button that names them (``action=create``).
    buttons: dict[str, list[str]] = field(default_factory=dict)

    def data(self, **replaced) -> dict[str, list[str]]:
        """The form as shown, with the submit buttons' values, some fields replaced."""
        data = {name: list(values) for name, values in self.fields.items()}
        for name, values in self.buttons.items():
            data.setdefault(name, values[:1])
        data.update(replaced)
        return data

    @property
    def names(self) -> list[str]:
        return sorted({*self.fields, *self.buttons})


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}
        self.current: Form | None = None
        self.select: tuple[Form, str, bool] | None = None
        self.select_first: str | None = None
        self.select_chosen: list[str] = []
        self.textarea: tuple[Form, str] | None = None
        self.textarea_text: list[str] = []
        self.orphans: list[tuple[str, str, str]] = []  # (form id, name, value)
        self.links: list[str] = []

    def _form_for(self, attrs: dict) -> Form | None:
        owner = attrs.get("form")
        if owner:
            return self.by_id.get(owner)
        return self.current

    def handle_starttag(self, tag, attrs):
        if tag == "option":
            self._option(attrs)
            return
        attrs = {key: value or "" for key, value in attrs}
        for key in ("href", "hx-get"):
            if "?" in attrs.get(key, ""):
                self.links.append(attrs[key])
        if attrs.get("data-autocomplete-url"):  # static/js/app.js asks it with ?q=
            self.links.append(attrs["data-autocomplete-url"] + "?q=")
        if attrs.get("data-suggest-url"):  # static/js/suggestions.js, as the user types
            asked = "&text=&category=&enterprise="
            if attrs.get("data-suggest-campaign-field"):
                asked += "&campaign="
            self.links.append(
                f"{attrs['data-suggest-url']}?{attrs.get('data-suggest-params', '')}{asked}"
            )
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self.current = Form(method=method, action=action)
            self.forms.append(self.current)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = self.current
            return
        name = attrs.get("name")
        if not name:
            return
        form = self._form_for(attrs)
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("submit", "image", "button"):
                target = form.buttons if form else None
            elif kind in ("checkbox", "radio") and "checked" not in attrs:
                target = None
                if form is not None:
                    form.fields.setdefault(name, [])
            elif kind == "file":
                target = None
            else:
                target = form.fields if form else None
            if form is None and attrs.get("form"):
                self.orphans.append((attrs["form"], name, value))
            elif target is not None:
                target.setdefault(name, []).append(value)
        elif tag == "button" and form is not None:
            form.buttons.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and form is not None:
            self.select = (form, name, "multiple" in attrs)
            self.select_first, self.select_chosen = None, []
        elif tag == "textarea" and form is not None:
            self.textarea, self.textarea_text = (form, name), []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _option(self, attrs):
        if self.select is None:
            return
        attrs = dict(attrs)
        value = attrs.get("value") or ""
        if self.select_first is None and value:
            self.select_first = value
        if "selected" in attrs:
            self.select_chosen.append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None:
            form, name, multiple = self.select
            chosen = self.select_chosen or ([] if multiple else [self.select_first or ""])
            form.fields[name] = chosen
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            form, name = self.textarea
            form.fields.setdefault(name, []).append("".join(self.textarea_text).strip("\n"))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea_text.append(data)

    def unknown_decl(self, data):  # pragma: no cover - malformed markup is not ours
        pass


def page_forms(html: str, page_url: str) -> tuple[list[Form], dict[str, set[str]]]:
    """The forms of a page, and the query parameters its links carry (path -> names)."""
    parser = _FormParser(page_url)
    parser.feed(html)
    parser.close()
    for form_id, name, value in parser.orphans:
        if form_id in parser.by_id:
            parser.by_id[form_id].fields.setdefault(name, []).append(value)
    query_names: dict[str, set[str]] = {}
    for link in parser.links:
        parts = urlsplit(urljoin(page_url, link))
        names = {name for name, _value in parse_qsl(parts.query, keep_blank_values=True)}
        query_names.setdefault(parts.path, set()).update(names)
    return parser.forms, query_names
