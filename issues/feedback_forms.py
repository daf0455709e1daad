"""Forms of the "from feedback to issues" page: one form per way of disposing of opinions.

Each is posted on its own (a ``<form>`` per choice), so the fields one choice needs never
block another. They collect and clean input; ``issues.services`` writes.
"""

from __future__ import annotations

from collections import Counter

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from outreach.models import FeedbackCategory, FeedbackItem

from .models import Issue

#: The three choices of the page, posted as ``action``.
CREATE, LINK, CLOSE = "create", "link", "close"

TITLE_FROM_CONTENT = 60


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class IssueFromFeedbackForm(forms.ModelForm):
    """Open a new issue: title and category prefilled from the chosen opinions."""

    class Meta:
        model = Issue
        fields = ["title", "category", "severity", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, items: list[FeedbackItem], **kwargs):
        super().__init__(*args, initial=initial_issue(items), **kwargs)
        self.fields["category"].queryset = FeedbackCategory.objects.all()
        self.fields["category"].empty_label = None
        self.helper = _helper()
        self.helper.layout = Layout(
            Field("title"), Field("category"), Field("severity"), Field("description")
        )


def initial_issue(items: list[FeedbackItem]) -> dict:
    """The first opinion's words as the title; the category most of the opinions share."""
    if not items:
        return {}
    # most_common keeps first-met order among equals: the first opinion breaks a tie.
    category = Counter(item.category_id for item in items).most_common(1)[0][0]
    title = " ".join(items[0].content.split())
    return {"title": Truncator(title).chars(TITLE_FROM_CONTENT), "category": category}


class AttachToIssueForm(forms.Form):
    """Attach the opinions to an issue of the branch still being worked on."""

    issue = forms.ModelChoiceField(label=_("Issue"), queryset=Issue.objects.none())

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["issue"]
        field.queryset = issues
        field.empty_label = _("Choose an issue…")
        field.label_from_instance = _issue_label
        field.widget.attrs["data-picker"] = ""
        self.helper = _helper()


def _issue_label(issue: Issue) -> str:
    return f"#{issue.pk} {issue.title} · {issue.get_state_display()}"


class CloseFeedbackForm(forms.Form):
    """Close opinions that need no issue (praise, advice noted), saying why."""

    reason = forms.CharField(
        label=_("Why no issue is needed"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: praise, noted; advice taken into account."),
    )

    def __init__(self, *args, items: list[FeedbackItem], **kwargs):
        if items and all(item.kind == FeedbackItem.Kind.PRAISE for item in items):
            kwargs.setdefault("initial", {"reason": _("Praise, noted: no issue needed.")})
        super().__init__(*args, **kwargs)
        self.helper = _helper()
