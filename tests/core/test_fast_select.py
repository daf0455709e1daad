"""``FastSelect`` writes the HTML Django's ``Select`` writes (whitespace aside), and the
labels ``core.choices`` keeps are the ones Django gives."""

from __future__ import annotations

import re

from django import forms
from django.utils import translation

from core.choices import choice_label
from core.widgets import FastSelect
from issues.models import Issue, IssueEvent

CHOICES = [
    ("", "全部"),
    ("a&b", '<b>"粗体"</b>'),
    (7, "七"),
    ("组", [("x", "甲"), ("y", "乙")]),
]


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_the_html_is_djangos():
    attrs = {"id": "id_pick", "class": "form-select", "required": True, "disabled": False}
    for value in ["", "a&b", 7, "y", None]:
        django = forms.Select(choices=CHOICES).render("pick", value, attrs=attrs)
        fast = FastSelect(choices=CHOICES).render("pick", value, attrs=attrs)
        assert squeezed(fast) == squeezed(django)
    assert "&lt;b&gt;&quot;粗体&quot;&lt;/b&gt;" in fast


def test_a_choice_label_is_get_display_in_the_active_language():
    issue, event = Issue(state=Issue.State.RECTIFYING), IssueEvent(kind="escalated")
    shown = {}
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            assert issue.get_state_display() == str(Issue.State.RECTIFYING.label)
            assert event.get_kind_display() == str(IssueEvent.Kind.ESCALATED.label)
            shown[language] = issue.get_state_display()
    assert shown["zh-hans"] != shown["en"]
    assert choice_label(Issue.State, "no such state") == "no such state"
    assert IssueEvent(to_state="").get_to_state_display() == ""
