"""Fill in and send a Django admin form as a browser would.

``form_values(response)`` reads the add or change form of an admin page (inputs, selects,
text areas, and the inline formsets' management forms) into the data a browser would post
unchanged; a test overrides the fields it cares about and posts the rest as they were.
"""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED_TYPES = {"submit", "button", "reset", "file", "image"}


class _AdminFormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            # The admin's add/change form is "<model>_form"; the header's logout form is not.
            form_id = attrs.get("id") or ""
            self._in_form = form_id.endswith("_form") and form_id != "logout-form"
        if not self._in_form or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in SKIPPED_TYPES or attrs.get("disabled") is not None:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.setdefault(attrs["name"], []).append(attrs.get("value") or "on")
                return
            self.values.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = attrs["name"]
            self.values.setdefault(self._select, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select].append(attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], []

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the one newline that follows <textarea>.
            text = "".join(self._text)
            self.values[self._textarea] = [text[1:] if text.startswith("\n") else text]
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_values(response) -> dict[str, list[str]]:
    """What the page's admin form would post if nothing were changed."""
    parser = _AdminFormParser()
    parser.feed(response.content.decode())
    values = {name: found for name, found in parser.values.items() if found}
    values.pop("csrfmiddlewaretoken", None)
    return values


def post_admin_form(client, url: str, **changes):
    """GET the admin form at ``url``, change some fields and POST it back.

    A value of ``None`` removes the field; a list gives a multiple choice.
    """
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    data = form_values(page)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return client.post(url, data)


def form_errors(response) -> str:
    """The errors an admin page shows after a refused POST (for assertion messages)."""
    context = response.context
    if context is None:
        return ""
    parts = [str(context.get("errors") or "")]
    for formset in context.get("inline_admin_formsets") or []:
        parts.append(str(formset.formset.errors) + str(formset.formset.non_form_errors()))
    return " ".join(parts)
