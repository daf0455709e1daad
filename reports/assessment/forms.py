"""The assessment's forms: the period a table is about (GET), and the office's scheme."""

from __future__ import annotations

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..models import AssessmentScheme
from .components import COMPONENTS
from .periods import KIND_LABELS, Period, add_months, month_start, recent_periods
from .services import may_start_on

#: A weight is a whole number; the score divides by their sum, so only their ratios count.
WEIGHT_MAX = 100
#: How far ahead a scheme may be set.
MONTHS_AHEAD = 12
#: How far back the months no scheme covered are offered.
MONTHS_BACK = 24


class PeriodForm(forms.Form):
    """Which month, quarter or year: one choice, grouped by kind; a period typed into the
    address outside the choice is taken too if it is well formed."""

    period = forms.CharField(label=_("Period"), required=False)

    def __init__(self, data=None, *, today: date, default: Period):
        self.default = default
        super().__init__(data)
        groups = recent_periods(today)
        self.choices = [
            (KIND_LABELS[kind], [(p.key, p.label) for p in periods])
            for kind, periods in groups.items()
        ]

    def clean_period(self) -> Period:
        key = self.cleaned_data.get("period") or ""
        if not key:
            return self.default
        period = Period.parse(key)
        if period is None:
            raise forms.ValidationError(_("Not a month, quarter or year."), code="invalid")
        return period

    def chosen_period(self) -> Period:
        """The validated period; call after ``is_valid()``."""
        return self.cleaned_data["period"]


def scheme_months(today: date, earliest: date | None) -> list[date]:
    """The months a scheme may start in: the months no scheme covered yet (up to
    ``MONTHS_BACK`` back), the current one and ``MONTHS_AHEAD`` after it."""
    current = month_start(today)
    months = [add_months(current, offset) for offset in range(-MONTHS_BACK, MONTHS_AHEAD + 1)]
    return [month for month in months if may_start_on(month, today, earliest=earliest)]


class SchemeForm(forms.Form):
    """The components' weights (0 leaves one out), the minimum for ranking, the month the
    scheme starts. The service checks the month again and writes."""

    starts_on = forms.TypedChoiceField(
        label=_("In force from"), coerce=date.fromisoformat, empty_value=None
    )
    min_denominator = forms.IntegerField(
        label=_("Minimum for ranking"),
        min_value=1,
        max_value=10_000,
        help_text=AssessmentScheme._meta.get_field("min_denominator").help_text,
    )

    def __init__(self, data=None, *, today: date, earliest: date | None, initial_scheme=None):
        super().__init__(data)
        self.fields["starts_on"].choices = [
            (month.isoformat(), date_format(month, "YEAR_MONTH_FORMAT"))
            for month in scheme_months(today, earliest)
        ]
        self.fields["starts_on"].initial = month_start(today).isoformat()
        weights = (initial_scheme.weights if initial_scheme else None) or {}
        if initial_scheme is not None:
            self.fields["min_denominator"].initial = initial_scheme.min_denominator
        for key, component in COMPONENTS.items():
            self.fields[f"weight_{key}"] = forms.IntegerField(
                label=component.label,
                min_value=0,
                max_value=WEIGHT_MAX,
                initial=weights.get(key, 0),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div(Field("starts_on"), css_class="col-sm-6"),
                Div(Field("min_denominator"), css_class="col-sm-6"),
                css_class="row",
            ),
            Fieldset(
                _("Weights (0 leaves a component out)"),
                Div(
                    *(
                        Div(Field(f"weight_{key}"), css_class="col-sm-6 col-lg-3")
                        for key in COMPONENTS
                    ),
                    css_class="row",
                ),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"weight_{key}") for key in COMPONENTS):
            raise forms.ValidationError(_("Give at least one component a weight."))
        return cleaned

    def weights(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"weight_{key}"] for key in COMPONENTS}
