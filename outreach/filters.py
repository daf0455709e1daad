"""List filters of outreach records (django-filter FilterSets).

A FilterSet only narrows the queryset it is given: views pass one that already starts
from ``visible_to(user)``, so no filter value can widen a user's scope. Each takes the
``user`` to offer only choices in scope, and shows the branch filter only to provincial
roles (a branch role sees one branch: that filter could only ever narrow to it).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.filters import ScopedFilterSet
from branches.models import Branch, County
from branches.scoping import scope_of
from branches.selectors import visible_city_branches
from core.ids import MAX_ID
from core.widgets import DateInput
from workdays.calendar import WorkingCalendar

from .models import (
    RECORDED_SATISFACTION,
    REPLIED,
    SATISFACTION_RECORDED,
    SATISFIED,
    UNDISPOSED,
    UNREPLIED,
    VISIT,
    Activity,
    Campaign,
    Enterprise,
    EquipmentClass,
    FeedbackCategory,
    FeedbackItem,
    Satisfaction,
    replied_late_condition,
    replied_on_time_condition,
    reply_due_condition,
    reply_overdue_condition,
)
from .search import containing

# --- feedback -------------------------------------------------------------------------

SORT_NEWEST = "-received_on"
SORT_OLDEST = "received_on"
REPLY_GIVEN = "yes"
REPLY_MISSING = "no"
ONLY_POSITIVE = "positive"
ANY_RECORDED = "recorded"
SATISFACTION_CHOICES = [
    *[(value, label) for value, label in Satisfaction.choices if value in RECORDED_SATISFACTION],
    (ONLY_POSITIVE, _("Satisfied or basically satisfied")),
    (ANY_RECORDED, _("Any satisfaction recorded")),
]
#: The clock's filter on opinions (docs/metrics.md, "The clock"): the reply deadline.
REPLY_CLOCK_CHOICES = [
    ("replied_on_time", _("Replied on time")),
    ("replied_late", _("Replied late, or not yet and past the deadline")),
    ("reply_overdue", _("Not replied, past the reply deadline")),
    ("reply_due", _("Reply due (replied, or past the deadline)")),
]
#: The enterprise's own word on an opinion (docs/metrics.md, "The enterprise's own word").
#: The ratings live in ``receipts``, which outreach may not import: receipts registers each
#: value's condition (``receipts.figures.FEEDBACK_FILTERS``, conditions through the reverse
#: relation ``enterprise_ratings``) with ``register_feedback_condition`` when it is ready.
ENTERPRISE_RATING_CHOICES = [
    ("rated", _("Rated by the enterprise")),
    ("positive", _("Enterprise satisfied")),
    ("negative", _("Enterprise unsatisfied")),
    ("not_solved", _("Enterprise says not solved")),
    ("disagree", _("Staff record and enterprise disagree")),
]
_FEEDBACK_CONDITIONS: dict = {}


def register_feedback_condition(name: str, condition) -> None:
    """Give the ``enterprise_rating`` filter's value ``name`` its condition: a callable
    returning a ``Q`` on opinions."""
    _FEEDBACK_CONDITIONS[name] = condition


class IdFilter(django_filters.NumberFilter):
    """A row's id: a whole number a primary key can hold (``min_value``/``max_value``). An id
    past 64 bits made SQLite raise; a decimal field's step check fails on "1e309"."""

    field_class = forms.IntegerField


class FeedbackItemFilter(ScopedFilterSet):
    """The feedback list and its Excel export: every filter, plus ``q`` over the text."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Content, contact or enterprise")}
        ),
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), field_name="activity__campaign", queryset=Campaign.objects.none()
    )
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.none())
    activity_kind = django_filters.ChoiceFilter(
        label=_("Activity kind"), field_name="activity__kind", choices=Activity.Kind.choices
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=FeedbackCategory.objects.all()
    )
    kind = django_filters.ChoiceFilter(label=_("Opinion kind"), choices=FeedbackItem.Kind.choices)
    received_on_after = django_filters.DateFilter(
        label=_("Received from"), field_name="received_on", lookup_expr="gte", widget=DateInput
    )
    received_on_before = django_filters.DateFilter(
        label=_("Received until"), field_name="received_on", lookup_expr="lte", widget=DateInput
    )
    # The dashboard's period: the date of the activity the opinion was heard at.
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
    enterprise = IdFilter(
        label=_("Enterprise"),
        field_name="enterprise_id",
        widget=forms.HiddenInput,
        min_value=1,
        max_value=MAX_ID,
    )
    disposition = django_filters.ChoiceFilter(
        label=_("Disposition"), choices=FeedbackItem.Disposition.choices, method="by_disposition"
    )
    replied = django_filters.ChoiceFilter(
        label=_("Reply"),
        choices=[(REPLY_GIVEN, _("Replied")), (REPLY_MISSING, _("Not replied"))],
        method="by_reply",
    )
    satisfaction = django_filters.ChoiceFilter(
        label=_("Satisfaction"), choices=SATISFACTION_CHOICES, method="by_satisfaction"
    )
    clock = django_filters.ChoiceFilter(
        label=_("Reply deadline"), choices=REPLY_CLOCK_CHOICES, method="by_clock"
    )
    enterprise_rating = django_filters.ChoiceFilter(
        label=_("Enterprise's rating"),
        choices=ENTERPRISE_RATING_CHOICES,
        method="by_enterprise_rating",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=[(SORT_NEWEST, _("Newest first")), (SORT_OLDEST, _("Oldest first"))],
        empty_label=None,
        method="sort_by",
    )

    class Meta:
        model = FeedbackItem
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(content__icontains=value)
            | Q(contact__icontains=value)
            | Q(enterprise__name__icontains=value)
        )

    def by_disposition(self, queryset, name, value):
        if value == FeedbackItem.Disposition.OPEN:
            return queryset.filter(UNDISPOSED)
        if value == FeedbackItem.Disposition.LINKED:
            return queryset.filter(issue__isnull=False)
        return queryset.filter(closed_at__isnull=False)

    def by_reply(self, queryset, name, value):
        return queryset.filter(REPLIED if value == REPLY_GIVEN else UNREPLIED)

    def by_satisfaction(self, queryset, name, value):
        """The satisfaction of each opinion's latest reply that recorded one."""
        if value == ONLY_POSITIVE:
            return queryset.filter(SATISFIED)
        if value == ANY_RECORDED:
            return queryset.filter(SATISFACTION_RECORDED)
        return queryset.filter(satisfaction=value)

    def by_clock(self, queryset, name, value):
        if value == "replied_on_time":
            return queryset.filter(replied_on_time_condition())
        # Past the deadline by working days, as an overdue issue (issues.models.overdue_cutoff).
        cutoff = WorkingCalendar.load().working_day_back(timezone.localdate(), 1)
        conditions = {
            "replied_late": replied_late_condition,
            "reply_overdue": reply_overdue_condition,
            "reply_due": reply_due_condition,
        }
        return queryset.filter(conditions[value](cutoff))

    def by_enterprise_rating(self, queryset, name, value):
        """The opinion's latest enterprise rating (one condition, one join: listed once)."""
        return queryset.filter(_FEEDBACK_CONDITIONS[value]())

    def sort_by(self, queryset, name, value):
        if value == SORT_OLDEST:
            return queryset.order_by("received_on", "id")
        return queryset.order_by("-received_on", "-id")


# --- enterprises and activities --------------------------------------------------------


VISITED = "yes"


class EnterpriseFilter(ScopedFilterSet):
    """The province's registry: every member filters every enterprise by its shared data;
    "visited" means by a visit in the user's scope (a branch: its own visits)."""

    province_wide = frozenset({"branch", "county"})

    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Name, credit code or contact")
    )
    branch = django_filters.ModelChoiceFilter(
        label=_("Home branch"), queryset=Branch.objects.none()
    )
    county = django_filters.ModelChoiceFilter(label=_("County"), queryset=County.objects.none())
    equipment = django_filters.ModelChoiceFilter(
        label=_("Equipment class"),
        field_name="equipment_classes",
        queryset=EquipmentClass.objects.all(),
    )
    # Visited: an enterprise present at a visit matching every one of these at once.
    visited = django_filters.ChoiceFilter(
        label=_("Visited"), choices=[(VISITED, _("Visited"))], method="by_visit"
    )
    visit_campaign = django_filters.ModelChoiceFilter(
        label=_("Visited in campaign"), queryset=Campaign.objects.none(), method="by_visit"
    )
    visit_from = django_filters.DateFilter(
        label=_("Visited from"), widget=DateInput, method="by_visit"
    )
    visit_to = django_filters.DateFilter(
        label=_("Visited until"), widget=DateInput, method="by_visit"
    )
    visit_branch = django_filters.ModelChoiceFilter(
        label=_("Visited by branch"), queryset=Branch.objects.none(), method="by_visit"
    )
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("county__code", "county"), ("created_at", "created")),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Enterprise
        fields = ["q", "branch", "county", "equipment"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if scope_of(user).all_branches:
            self.filters["visit_branch"].queryset = visible_city_branches(user)
        else:
            # A branch sees its own visits only: "visited" can only mean by it.
            del self.filters["visit_branch"]
            self.filters["visited"].label = _("Visited by my branch")
        self._visit_applied = False

    def by_visit(self, queryset, name, value):
        """All the visit filters together, once: one visit must match them all."""
        if self._visit_applied:
            return queryset
        self._visit_applied = True
        data = self.form.cleaned_data
        visits = (
            Activity.objects.visible_to(self.user)
            .active()
            .filter(VISIT, enterprises=OuterRef("pk"))
        )
        if data.get("visit_campaign"):
            visits = visits.filter(campaign=data["visit_campaign"])
        if data.get("visit_from"):
            visits = visits.filter(occurred_on__gte=data["visit_from"])
        if data.get("visit_to"):
            visits = visits.filter(occurred_on__lte=data["visit_to"])
        if data.get("visit_branch"):
            visits = visits.filter(branch=data["visit_branch"])
        return queryset.filter(Exists(visits))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            containing(
                queryset,
                name=value,
                uscc=value.upper(),
                contact_name=value,
                contact_phone=value,
            )
        )


class ActivityFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", help_text=_("Title or place"))
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.none()
    )
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.none())
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Activity.Kind.choices)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="occurred_on", lookup_expr="gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="occurred_on", lookup_expr="lte", widget=DateInput
    )

    class Meta:
        model = Activity
        fields = ["q", "campaign", "branch", "kind", "date_from", "date_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value))
