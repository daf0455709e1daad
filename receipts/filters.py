"""The staff's list of receipts, selected as the dashboard selects activities (campaign,
period, branch): the figures ``receipts_issued`` and ``receipts_opened`` link here, so the
list has exactly as many rows as each says (docs/metrics.md, "The enterprise's own word")."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from branches.filters import ScopedFilterSet
from branches.models import Branch
from core.widgets import DateInput
from outreach.models import Campaign

from .figures import RECEIPT_OPENED
from .models import Receipt

YES, NO = "yes", "no"


class ReceiptFilter(ScopedFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), field_name="activity__campaign", queryset=Campaign.objects.none()
    )
    branch = django_filters.ModelChoiceFilter(
        label=_("Branch"), field_name="activity__branch", queryset=Branch.objects.none()
    )
    date_from = django_filters.DateFilter(
        label=_("Activity from"),
        field_name="activity__occurred_on",
        lookup_expr="gte",
        widget=DateInput,
    )
    date_to = django_filters.DateFilter(
        label=_("Activity until"),
        field_name="activity__occurred_on",
        lookup_expr="lte",
        widget=DateInput,
    )
    opened = django_filters.ChoiceFilter(
        label=_("Opened by the enterprise"),
        choices=[(YES, _("Opened at least once")), (NO, _("Never opened"))],
        method="by_opened",
    )

    class Meta:
        model = Receipt
        fields = []

    def by_opened(self, queryset, name, value):
        return queryset.filter(RECEIPT_OPENED) if value == YES else queryset.exclude(RECEIPT_OPENED)
