"""Forms of the import pages: the upload, and the confirmation of a previewed file."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import files
from core.submissions import submission_key_input
from outreach import selectors as outreach_selectors
from outreach.models import Campaign

from .reading import SpreadsheetRejected, check_file
from .sheets import MAX_ROWS


def _button(label, name: str, style: str, icon: str) -> Div:
    """A submit button, full width on a phone and natural width from the sm breakpoint."""
    return Div(
        StrictButton(
            format_html('<i class="bi {}" aria-hidden="true"></i> {}', icon, label),
            type="submit",
            name=name,
            css_class=f"btn {style}",
            data_testid=f"{name}-button",
        ),
        css_class="d-grid d-sm-block mt-3",
    )


class UploadForm(forms.Form):
    """A campaign (any the user can see) and the .xlsx file to check."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        empty_label=None,
        help_text=_("The activities in the file are logged under this campaign."),
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{files.XLSX}"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        # The limit is the one every upload has (OUTREACH_MAX_UPLOAD_MB), read per form.
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) made from the template, at most {limit} and "
            "{rows} rows per sheet."
        ).format(limit=filesizeformat(files.upload_limit_bytes()), rows=f"{MAX_ROWS:,}")
        if not self.is_bound:
            self.fields["campaign"].initial = outreach_selectors.current_campaign(user)
        self.helper = FormHelper()
        self.helper.attrs = {"data-testid": "upload-form"}
        self.helper.add_input(submission_key_input())
        self.helper.layout = Layout(
            "campaign",
            "file",
            _button(_("Check the file"), "upload", "btn-primary", "bi-search"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file(upload.name, upload.size, upload)
        except SpreadsheetRejected as rejection:
            raise forms.ValidationError(rejection.message, code="rejected") from None
        return upload


class ConfirmForm(forms.Form):
    """No fields: the button that imports a previewed file (the batch is in the URL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"data-testid": "confirm-form"}
        self.helper.add_input(submission_key_input())
        self.helper.layout = Layout(
            _button(_("Import now"), "confirm", "btn-success", "bi-box-arrow-in-down")
        )
