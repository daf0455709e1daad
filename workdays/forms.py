"""Forms of the calendar page: the office adds a day, marks a year as entered."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput

from .models import CalendarDay
from .selectors import FIRST_YEAR, LAST_YEAR
from .services import duplicate_day_message


class CalendarDayForm(forms.ModelForm):
    """One day the office declares a holiday or a make-up working day."""

    class Meta:
        model = CalendarDay
        fields = ["day", "kind", "name"]
        widgets = {"day": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div(Field("day"), css_class="col-sm-4"),
                Div(Field("kind"), css_class="col-sm-4"),
                Div(Field("name"), css_class="col-sm-4"),
                css_class="row",
            )
        )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a day between {first} and {last}.").format(
                    first=FIRST_YEAR, last=LAST_YEAR
                )
            )
        if CalendarDay.objects.filter(day=day).exists():
            raise forms.ValidationError(duplicate_day_message(day))
        return day

    def validate_unique(self):
        # clean_day says it in words the office understands; the service and the
        # database's unique constraint refuse a duplicate that arrives meanwhile.
        pass


class YearForm(forms.Form):
    """The year whose whole schedule the office has entered (or takes back)."""

    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
