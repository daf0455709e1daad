"""Form widgets shared by every app's forms and filters."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker (ISO dates in and out), which opens the phone's date wheel."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
