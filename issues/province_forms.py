"""Forms of the provincial screens: record a meeting, and decide escalations at it.

They collect and clean input; ``issues.services.meeting_record`` and
``issues.transitions.apply_transition`` write.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.templatetags.people import person_name
from core.widgets import DateInput

from .models import ProvincialMeeting


class MeetingForm(forms.ModelForm):
    """A provincial meeting (院长办公会): when, who was there, what was said."""

    class Meta:
        model = ProvincialMeeting
        fields = ["title", "held_on", "attendees", "minutes"]
        widgets = {
            "held_on": DateInput,
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"title": _("Director's office meeting"), "held_on": timezone.localdate()}
        )
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div(Field("title"), css_class="col-md-8"),
                Div(Field("held_on"), css_class="col-md-4"),
                css_class="row",
            ),
            "attendees",
            "minutes",
        )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("Record a meeting once it has been held."))
        return held_on


class DecisionRowForm(forms.Form):
    """One escalation at a meeting: discussed or not, and if so what was decided.

    ``owners`` are the people the decision may give the issue to: the staff and lead of
    the issue's branch, read once for the whole page.
    """

    discussed = forms.BooleanField(label=_("Discussed at this meeting"), required=False)
    decision = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {user.pk: user for user in owners}
        self.fields["owner"].choices = [
            ("", _("Nobody in particular")),
            *((user.pk, person_name(user)) for user in owners),
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("discussed"):
            return cleaned
        if not (cleaned.get("decision") or "").strip():
            self.add_error("decision", _("Write what the meeting decided."))
        deadline = cleaned.get("deadline")
        if deadline and deadline < timezone.localdate():
            self.add_error("deadline", _("The deadline cannot be in the past."))
        return cleaned

    @property
    def owner_user(self):
        return self.owners.get(self.cleaned_data.get("owner"))
