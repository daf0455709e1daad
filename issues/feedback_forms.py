"""Forms about opinions: one per way of disposing of them (the "from feedback to issues"
page), a reply to one or several opinions, and closing one as unreachable.

Each is posted on its own (a ``<form>`` per choice), so the fields one choice needs never
block another. They collect and clean input; ``issues.services`` writes.
"""

from __future__ import annotations

from collections import Counter

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from outreach.models import FeedbackCategory, FeedbackItem

from .models import Issue, Reply

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


# --- replies to opinions, closing as unreachable ----------------------------------------


class OpinionReplyForm(forms.Form):
    """One answer to the enterprise behind one opinion, or behind several of its opinions.

    ``seen_reply_id`` is the newest reply the page showed: a reply recorded since (another
    person, a second click) makes the service refuse this one.
    """

    channel = forms.ChoiceField(label=_("Channel"), choices=Reply.Channel.choices)
    content = forms.CharField(
        label=_("What was answered"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    replied_on = forms.DateField(label=_("Replied on"), widget=DateInput)
    satisfaction = forms.ChoiceField(
        label=_("Enterprise's satisfaction"),
        choices=[("", _("Not recorded")), *Reply.Satisfaction.choices],
        required=False,
        help_text=_(
            "“Not reachable” records an attempt: the opinion still waits for a reply that "
            "reaches the enterprise."
        ),
    )
    seen_reply_id = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, seen_reply_id: int = 0, **kwargs):
        initial = {"replied_on": timezone.localdate(), "seen_reply_id": seen_reply_id}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["replied_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.helper = _helper()
        self.helper.layout = Layout(
            Div(
                Div("channel", css_class="col-sm-6"),
                Div("replied_on", css_class="col-sm-6"),
                css_class="row",
            ),
            Field("content"),
            Field("satisfaction"),
            Field("seen_reply_id"),
        )


class UnreachableForm(forms.Form):
    """The branch lead closes an opinion whose enterprise cannot be reached."""

    reason = forms.CharField(
        label=_("Why the enterprise cannot be reached"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the company has moved and its phone is out of service."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


# --- replies waiting for approval ----------------------------------------------------------


class DraftSendBackForm(forms.Form):
    """A lead sends a reply back to its author, saying what to change."""

    comment = forms.CharField(
        label=_("What the author should change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DraftResubmitForm(OpinionReplyForm):
    """The author edits a reply sent back and submits it again (an attempt is recorded
    as a reply of its own, so "not reachable" is not offered)."""

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["seen_reply_id"]
        if not self.is_bound:
            for name in ("channel", "content", "replied_on", "satisfaction"):
                self.initial[name] = getattr(draft, name)
        satisfaction = self.fields["satisfaction"]
        satisfaction.choices = [
            choice
            for choice in satisfaction.choices
            if choice[0] != Reply.Satisfaction.NOT_REACHABLE
        ]
        satisfaction.help_text = ""
        self.helper.layout = Layout(
            Div(
                Div("channel", css_class="col-sm-6"),
                Div("replied_on", css_class="col-sm-6"),
                css_class="row",
            ),
            Field("content"),
            Field("satisfaction"),
        )
