"""The online opinion box's form (意见箱): who the sender says they are, what about, the
opinion, a contact, the challenge and the form's signed ticket."""

from __future__ import annotations

import unicodedata

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from outreach.models import FeedbackCategory, FeedbackItem
from outreach.validators import normalize_uscc, validate_uscc

from .box import CONTENT_MAX_LENGTH, box_branches

CONTACT_MAX_LENGTH = 100
NAME_MAX_LENGTH = 200


class ChallengeInput(CaptchaTextInput):
    """The challenge's picture, a button for another one and the answer on a number pad."""

    template_name = "receipts/widgets/challenge.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["refresh_url"] = self.refresh_url()
        return context


class ChallengeField(CaptchaField):
    """django-simple-captcha's field, reading full-width digits (a Chinese keyboard's "１２")
    as the digits they are."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            ChallengeInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "form-control form-control-lg box-answer",
                    "maxlength": 6,
                }
            ),
        )
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("The answer to the sum is wrong. Try the new one below."),
                "required": _("Answer the sum in the picture."),
                "incomplete": _("Answer the sum in the picture."),
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):
        if isinstance(value, list | tuple) and len(value) == 2:
            value = [value[0], unicodedata.normalize("NFKC", value[1] or "")]
        return super().clean(value)


class BoxForm(forms.Form):
    branch = forms.ModelChoiceField(
        queryset=None,
        label=_("Branch"),
        empty_label=_("Choose the branch of your city"),
    )
    anonymous = forms.BooleanField(
        required=False,
        widget=forms.CheckboxInput(attrs={"data-box-anonymous": ""}),
        label=_("Leave it anonymously"),
        help_text=_("No name or credit code is kept; you still get a code to follow it."),
    )
    enterprise_name = forms.CharField(
        required=False, max_length=NAME_MAX_LENGTH, label=_("Enterprise name")
    )
    credit_code = forms.CharField(
        required=False,
        max_length=30,
        label=_("Unified social credit code"),
        help_text=_("18 characters, on the business licence. Optional."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"}
        ),
    )
    category = forms.ModelChoiceField(
        queryset=FeedbackCategory.objects.none(),
        label=_("What is it about"),
        empty_label=_("Choose"),
    )
    kind = forms.ChoiceField(
        choices=FeedbackItem.Kind.choices,
        initial=FeedbackItem.Kind.PROBLEM,
        label=_("Kind"),
        widget=forms.RadioSelect,
    )
    content = forms.CharField(
        max_length=CONTENT_MAX_LENGTH,
        label=_("Your opinion"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": CONTENT_MAX_LENGTH}),
    )
    contact = forms.CharField(
        required=False,
        max_length=CONTACT_MAX_LENGTH,
        label=_("Contact (optional)"),
        help_text=_("A phone number or name the branch may use to reach you."),
    )
    captcha = ChallengeField(label=_("Answer the sum in the picture"))
    ticket = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = box_branches()
        self.fields["branch"].label_from_instance = lambda branch: branch.display_name
        self.fields["category"].queryset = FeedbackCategory.objects.filter(is_active=True)

    def clean_content(self):
        content = self.cleaned_data["content"].strip()
        if not content:
            raise ValidationError(_("Write your opinion."))
        return content

    def clean_credit_code(self):
        code = normalize_uscc(self.cleaned_data["credit_code"])
        if code and not self.cleaned_data.get("anonymous"):
            validate_uscc(code)
        return code

    def clean(self):
        data = super().clean()
        if data.get("anonymous"):
            data["enterprise_name"] = ""
            data["credit_code"] = ""
        return data
