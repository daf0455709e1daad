"""The staff's receipt forms: for an enterprise, or for anonymous opinions on request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Enterprise, FeedbackItem

from .models import EnterpriseRating
from .ratings import COMMENT_MAX_LENGTH


class EnterpriseReceiptForm(forms.Form):
    """Issue (or reissue) the receipt of one enterprise that gave opinions at the activity."""

    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("Enterprise"))

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            feedback_items__activity=activity, feedback_items__withdrawn_at__isnull=True
        ).distinct()


class AnonymousReceiptForm(forms.Form):
    """A receipt for anonymous opinions, only when the person asked for one."""

    items = forms.ModelMultipleChoiceField(
        queryset=FeedbackItem.objects.none(),
        label=_("Anonymous opinions"),
        widget=forms.CheckboxSelectMultiple,
    )
    requested = forms.BooleanField(
        label=_("The person asked for a receipt"),
        help_text=_("The receipt will carry no name."),
    )

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = activity.feedback_items.active().filter(
            enterprise__isnull=True
        )
        self.fields["items"].label_from_instance = lambda item: item.content[:80]


#: The five 好差评 levels, best first, as the enterprise reads them.
RATING_LEVELS = sorted(EnterpriseRating.Level.choices, key=lambda choice: -choice[0])


class RatingForm(forms.Form):
    """The enterprise's rating of one answer, on its receipt page (``receipts.ratings``
    checks it again)."""

    level = forms.TypedChoiceField(
        label=_("How satisfied are you with this answer?"),
        choices=RATING_LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the five ratings.")},
    )
    comment = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    not_solved = forms.BooleanField(
        label=_("The problem is not solved"),
        required=False,
        help_text=_("Say in the comment what is still not solved: the branch will follow it up."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("not_solved") and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Say what is still not solved."))
        return cleaned


class FollowUpForm(forms.Form):
    """The lead's note of what was done about an unsatisfied or "not solved" rating."""

    note = forms.CharField(
        label=_("What was done about it"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
