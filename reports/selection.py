"""What a dashboard, briefing, ledger or API call is about: a campaign, a period, a branch.

A period or campaign selects activities by their date or campaign, and everything that
came from them: their opinions, and the issues distilled from those opinions (an issue
belongs to the campaign of its opinions; it falls in the period of its earliest opinion,
so adjacent periods add up). The same selection is written into the links of
every figure, so the list behind a number is filtered exactly as the number was counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from branches.scoping import scope_of
from branches.selectors import table_branches
from core.widgets import DateInput
from issues.models import issue_in_period
from outreach.models import Campaign


@dataclass(frozen=True)
class Selection:
    campaign: Campaign | None = None
    date_from: date | None = None
    date_to: date | None = None
    branch: Branch | None = None

    # --- querysets ---------------------------------------------------------------------

    def activities(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(**self._activity_lookups(""))

    def feedback(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(**self._activity_lookups("activity__"))

    def issues(self, queryset: QuerySet) -> QuerySet:
        lookups = {}
        if self.campaign:
            lookups["campaign"] = self.campaign
        if self.branch:
            lookups["branch"] = self.branch
        queryset = queryset.filter(**lookups)
        if self.date_from or self.date_to:
            queryset = queryset.filter(issue_in_period(self.date_from, self.date_to))
        return queryset

    def _activity_lookups(self, prefix: str) -> dict:
        lookups = {}
        if self.campaign:
            lookups[f"{prefix}campaign"] = self.campaign
        if self.date_from:
            lookups[f"{prefix}occurred_on__gte"] = self.date_from
        if self.date_to:
            lookups[f"{prefix}occurred_on__lte"] = self.date_to
        if self.branch:
            lookups[f"{prefix}branch"] = self.branch
        return lookups

    # --- links -------------------------------------------------------------------------

    def params(self, *, branch: Branch | None = None) -> dict[str, str]:
        """The query parameters every linked list understands (``branch`` overrides)."""
        params = {}
        if self.campaign:
            params["campaign"] = str(self.campaign.pk)
        if self.date_from:
            params["date_from"] = self.date_from.isoformat()
        if self.date_to:
            params["date_to"] = self.date_to.isoformat()
        branch = branch or self.branch
        if branch:
            params["branch"] = str(branch.pk)
        return params

    @property
    def is_all_time(self) -> bool:
        return not (self.campaign or self.date_from or self.date_to)


class SelectionForm(forms.Form):
    """The selection as a GET form; choices are only what the user may see.

    The campaigns and the city branches in scope are read once, and serve the choices,
    the validation and (``branches``) the rows of the dashboard's table: two queries.
    """

    campaign = forms.TypedChoiceField(label=_("Campaign"), required=False, coerce=int)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    branch = forms.TypedChoiceField(label=_("Branch"), required=False, coerce=int)

    def __init__(self, data=None, *, user, default_to_current_campaign: bool = False):
        self.campaigns = {c.pk: c for c in Campaign.objects.visible_to(user)}
        self.branches = table_branches(user)
        if default_to_current_campaign and (data is None or "campaign" not in data):
            # A leader opening the dashboard wants the campaign under way (the newest).
            data = data.copy() if data is not None else {}
            data["campaign"] = str(next(iter(self.campaigns), ""))
        super().__init__(data)
        self.fields["campaign"].choices = [
            ("", _("All campaigns")),
            *[(pk, c.display_name) for pk, c in self.campaigns.items()],
        ]
        if scope_of(user).all_branches:
            self.fields["branch"].choices = [
                ("", _("Whole province")),
                *[(b.pk, b.display_name) for b in self.branches],
            ]
        else:
            # A branch sees itself only: there is nothing to choose.
            del self.fields["branch"]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

    def selection(self) -> Selection:
        """The validated selection; call after ``is_valid()``."""
        data = self.cleaned_data
        branches = {b.pk: b for b in self.branches}
        return Selection(
            campaign=self.campaigns.get(data.get("campaign")),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            branch=branches.get(data.get("branch")),
        )
