"""The staff's receipt forms: for an enterprise, or for anonymous opinions on request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Enterprise, FeedbackItem


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
