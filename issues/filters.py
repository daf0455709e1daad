"""The issue list's filters (django-filter).

Like the outreach filters, a FilterSet only narrows the queryset the view gives it, which
already starts from ``Issue.objects.visible_to(user)``: no value can widen a user's scope,
and every choice offered (branches, responsible people) is in the user's scope.
"""

from __future__ import annotations

import django_filters
import django_filters.fields
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.filters import ScopedFilterSet
from branches.models import Branch, Membership
from branches.scoping import scope_of
from core.templatetags.people import person_name
from core.widgets import DateInput
from outreach.models import Campaign, FeedbackCategory

from .models import (
    ANSWERED,
    FIXED_ON_THE_SPOT,
    FIXED_ON_THE_SPOT_REOPENED,
    RECTIFIED,
    RECTIFIED_LATE,
    RECTIFIED_ON_TIME,
    SIGNED_LATE,
    SIGNED_ON_TIME,
    WAS_ANSWERED,
    WAS_REOPENED,
    DeadlineExtension,
    Issue,
    IssueReturn,
    SupervisionNotice,
    awaiting_decision_condition,
    decided_condition,
    escalated_condition,
    extended_condition,
    issue_in_period,
    overdue_condition,
    rectify_due_condition,
    sign_due_condition,
    sign_overdue_condition,
)
from .supervision import attention_condition

YES = "yes"
NO = "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]
REOPENED = "reopened"
#: Answered at least once: answered now, or reopened since (the reopen rate's denominator).
EVER = "ever"
#: The leaders' attention list: ``attention_after`` working days overdue or more.
ATTENTION = "attention"
DECIDED = "decided"
WAITING = "waiting"

#: The clock's filter (docs/metrics.md, "The clock"): each value is the condition of a
#: figure, or of its complement within the rate's denominator.
CLOCK_CHOICES = [
    ("signed_on_time", _("Signed for on time")),
    ("signed_late", _("Signed for late")),
    ("sign_overdue", _("Not signed for, past the sign-for deadline")),
    ("sign_due", _("Sign-for due (signed for, or past the deadline)")),
    ("rectified_on_time", _("Rectified on time")),
    ("rectified_late", _("Rectified late")),
    ("rectify_due", _("Rectification due (rectified, or overdue)")),
    ("extended", _("Deadline extended")),
]


def people_in_scope(user):
    """Staff and leads of the branches ``user`` sees: who can be responsible for an issue."""
    scope = scope_of(user)
    people = (
        get_user_model()
        .objects.filter(membership__role__in=[Membership.Role.STAFF, Membership.Role.LEAD])
        .order_by("last_name", "first_name", "username")
        # Only what a choice shows (person_name): two hundred users on every list view.
        .only("username", "first_name", "last_name")
    )
    if scope.all_branches:
        return people
    if scope.branch_id is None:
        return people.none()
    return people.filter(membership__branch=scope.branch_id)


class PersonChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class PersonChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of people, labelled as the rest of the app names them (张三)."""

    field_class = PersonChoiceField


class IssueFilter(ScopedFilterSet):
    """The issue list: every filter the ledger needs, plus ``q`` over title and description."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title or description")}),
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=Issue.State.choices)
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.none())
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=FeedbackCategory.objects.all()
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        choices=[
            (YES, _("Overdue only")),
            (ATTENTION, _("On the leaders' attention list")),
        ],
        method="by_overdue",
    )
    escalated = django_filters.ChoiceFilter(
        label=_("Escalated to the province"), choices=YES_NO, method="by_escalated"
    )
    responsible = PersonChoiceFilter(
        label=_("Responsible person"), queryset=get_user_model().objects.none()
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.none()
    )
    provincial = django_filters.ChoiceFilter(
        label=_("Provincial decision"),
        choices=[
            (DECIDED, _("Studied by the provincial meeting")),
            (WAITING, _("Waiting for a provincial decision")),
        ],
        method="by_provincial",
    )
    immediate_fix = django_filters.ChoiceFilter(
        label=_("Fixed on the spot"),
        choices=[
            (YES, _("Yes, not reopened since")),
            (REOPENED, _("Yes, reopened since")),
            (NO, _("No")),
        ],
        method="by_immediate_fix",
    )
    rectified = django_filters.ChoiceFilter(
        label=_("Rectified (or answered)"), choices=YES_NO, method="by_rectified"
    )
    answered = django_filters.ChoiceFilter(
        label=_("Answered"),
        choices=[*YES_NO, (EVER, _("At least once (now, or reopened since)"))],
        method="by_answered",
    )
    reopened = django_filters.ChoiceFilter(
        label=_("Reopened"),
        choices=[(YES, _("Reopened at least once")), (NO, _("Never reopened"))],
        method="by_reopened",
    )
    clock = django_filters.ChoiceFilter(
        label=_("Time limits"), choices=CLOCK_CHOICES, method="by_clock"
    )
    # The dashboard's period: an issue whose earliest opinion came from an activity then.
    date_from = django_filters.DateFilter(
        label=_("Activity from"), widget=DateInput, method="by_period"
    )
    date_to = django_filters.DateFilter(
        label=_("Activity until"), widget=DateInput, method="by_period"
    )

    class Meta:
        model = Issue
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.filters["responsible"].queryset = people_in_scope(user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def by_overdue(self, queryset, name, value):
        if value == ATTENTION:
            return queryset.filter(attention_condition())
        return queryset.filter(overdue_condition())

    def by_escalated(self, queryset, name, value):
        ever = escalated_condition()
        return queryset.filter(ever if value == YES else ~ever)

    def by_provincial(self, queryset, name, value):
        if value == DECIDED:
            return queryset.filter(decided_condition())
        return queryset.filter(awaiting_decision_condition())

    def by_immediate_fix(self, queryset, name, value):
        if value == YES:
            return queryset.filter(FIXED_ON_THE_SPOT)
        if value == REOPENED:
            return queryset.filter(FIXED_ON_THE_SPOT_REOPENED)
        return queryset.filter(immediate_fix=False)

    def by_rectified(self, queryset, name, value):
        rectified = RECTIFIED
        return queryset.filter(rectified if value == YES else ~rectified)

    def by_answered(self, queryset, name, value):
        if value == EVER:
            return queryset.filter(WAS_ANSWERED)
        answered = ANSWERED
        return queryset.filter(answered if value == YES else ~answered)

    def by_reopened(self, queryset, name, value):
        return queryset.filter(WAS_REOPENED if value == YES else ~WAS_REOPENED)

    def by_clock(self, queryset, name, value):
        conditions = {
            "signed_on_time": lambda: SIGNED_ON_TIME,
            "signed_late": lambda: SIGNED_LATE,
            "sign_overdue": sign_overdue_condition,
            "sign_due": sign_due_condition,
            "rectified_on_time": lambda: RECTIFIED_ON_TIME,
            "rectified_late": lambda: RECTIFIED_LATE,
            "rectify_due": rectify_due_condition,
            "extended": extended_condition,
        }
        return queryset.filter(conditions[value]())

    def by_period(self, queryset, name, value):
        """Both dates together, once: the earliest opinion must fall between them."""
        if getattr(self, "_period_applied", False):
            return queryset
        self._period_applied = True
        data = self.form.cleaned_data
        return queryset.filter(issue_in_period(data.get("date_from"), data.get("date_to")))


# --- the clock's records: extensions, returns, supervision notices ----------------------


class ClockRecordFilter(ScopedFilterSet):
    """A list of one kind of the clock's records, selected by their issue as the dashboard
    selects issues (campaign, period of the earliest opinion, branch); the view gives only
    records of counted issues in the user's scope."""

    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), field_name="issue__campaign", queryset=Campaign.objects.none()
    )
    branch = django_filters.ModelChoiceFilter(
        label=_("Branch"), field_name="issue__branch", queryset=Branch.objects.none()
    )
    date_from = django_filters.DateFilter(
        label=_("Activity from"), widget=DateInput, method="by_period"
    )
    date_to = django_filters.DateFilter(
        label=_("Activity until"), widget=DateInput, method="by_period"
    )

    def by_period(self, queryset, name, value):
        """The issue's earliest opinion falls in the period (both dates together, once)."""
        if getattr(self, "_period_applied", False):
            return queryset
        self._period_applied = True
        data = self.form.cleaned_data
        in_period = Issue.objects.filter(
            issue_in_period(data.get("date_from"), data.get("date_to"))
        )
        return queryset.filter(issue__in=in_period)


class ExtensionRecordFilter(ClockRecordFilter):
    status = django_filters.ChoiceFilter(
        label=_("Decision"), choices=DeadlineExtension.Status.choices
    )

    class Meta:
        model = DeadlineExtension
        fields = []


AWAITING_RULING = "awaiting"


class ReturnRecordFilter(ClockRecordFilter):
    ruling = django_filters.ChoiceFilter(
        label=_("Ruling"),
        choices=[(AWAITING_RULING, _("Waiting for a ruling")), *IssueReturn.Ruling.choices],
        method="by_ruling",
    )

    class Meta:
        model = IssueReturn
        fields = []

    def by_ruling(self, queryset, name, value):
        return queryset.filter(ruling="" if value == AWAITING_RULING else value)


class SupervisionRecordFilter(ClockRecordFilter):
    answered = django_filters.ChoiceFilter(
        label=_("Answered"), choices=YES_NO, method="by_answered"
    )

    class Meta:
        model = SupervisionNotice
        fields = []

    def by_answered(self, queryset, name, value):
        return queryset.filter(answered_at__isnull=value != YES)
