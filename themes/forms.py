"""The office's decisions on a recurring problem, as forms (``services`` writes)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Membership
from core.templatetags.people import person_name
from core.widgets import DateInput

from .models import Theme


def possible_owners():
    """Who may own a provincial problem: the office and the leaders, who read the themes (a
    branch's lead could not open the problem it owned: it holds every branch's issues)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__role__in=Membership.PROVINCIAL_ROLES)
        .select_related("membership__branch")
        .order_by("membership__branch__sort_order", "membership__role", "username")
    )


class AdoptForm(forms.Form):
    title = forms.CharField(label=_("Provincial problem"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)
    decision = forms.CharField(
        label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 3})
    )
    issues = forms.TypedMultipleChoiceField(
        label=_("Issues linked to it"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, theme: Theme, members, **kwargs):
        kwargs.setdefault(
            "initial",
            {"title": theme.title, "issues": [member.issue_id for member in members]},
        )
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = possible_owners()
        owner.label_from_instance = lambda user: (
            f"{person_name(user)} · {user.membership.branch.display_short_name}"
        )
        self.fields["issues"].choices = [
            (member.issue_id, f"{member.issue.branch.display_short_name} · {member.issue.title}")
            for member in members
        ]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Name the provincial problem."))
        return title

    def clean_decision(self):
        decision = self.cleaned_data["decision"].strip()
        if not decision:
            raise forms.ValidationError(_("Write what is to be done."))
        return decision

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not a provincial problem"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why it is dismissed."))
        return reason


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=None)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets
        self.fields["into"].label_from_instance = lambda theme: (
            f"{theme.title} ({theme.get_state_display()})"
        )


class LinkForm(forms.Form):
    issues = forms.TypedMultipleChoiceField(
        label=_("Link these issues too"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].choices = [
            (member.issue_id, f"{member.issue.branch.display_short_name} · {member.issue.title}")
            for member in members
            if not member.linked
        ]


class StateFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[(state, label) for state, label in Theme.State.choices],
    )

    def chosen(self) -> str:
        return self.cleaned_data.get("state") or Theme.State.PROPOSED
