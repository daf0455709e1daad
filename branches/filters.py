"""The base of every list filter: told who is looking, it offers only choices in scope.

A FilterSet only narrows the queryset it is given (views pass one that already starts from
``visible_to(user)``), so no filter value can widen a user's scope; this base also keeps the
choices themselves in scope, and shows the branch filter only to provincial roles (a branch
role sees one branch: that filter could only ever narrow to it).
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.conf import settings as filter_settings
from django_filters.constants import EMPTY_VALUES

from core.widgets import FastSelect

from .models import Branch, County
from .scoping import scope_of
from .selectors import visible_city_branches

EMPTY_CHOICE = filter_settings.EMPTY_CHOICE_LABEL


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet told who is looking: choices in scope, branch filter for the province.

    Choices are narrowed by name: ``branch`` to the city branches in scope (or removed for a
    branch role), ``county`` to the counties of the user's branch, and any other model choice
    whose model has ``visible_to(user)`` (campaigns, for instance) to what the user sees.
    Names in ``province_wide`` describe shared reference data (an enterprise's home branch
    and county): every member chooses among the whole province's.
    """

    #: Filters whose choices are the whole province's, whoever is looking.
    province_wide: frozenset[str] = frozenset()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_of(user)
        # django-filter fills in "---------" itself; an explicit label (or None, to offer
        # no empty choice) is kept.
        choices = django_filters.ChoiceFilter | django_filters.ModelChoiceFilter
        for filter_ in self.filters.values():
            if not isinstance(filter_, choices):
                continue
            if filter_.extra.get("empty_label", EMPTY_CHOICE) == EMPTY_CHOICE:
                filter_.extra["empty_label"] = _("All")
            # A list's choices (two hundred people, say) are drawn on every page view.
            filter_.extra.setdefault("widget", FastSelect)
        for name, filter_ in list(self.filters.items()):
            if not isinstance(filter_, django_filters.ModelChoiceFilter):
                continue
            if name in self.province_wide and not scope.is_empty:
                if name == "branch":
                    filter_.queryset = Branch.objects.filter(kind=Branch.Kind.CITY)
                elif name == "county":
                    filter_.queryset = County.objects.select_related("branch")
            elif name == "branch":
                if scope.all_branches:
                    filter_.queryset = visible_city_branches(user)
                else:
                    del self.filters["branch"]
            elif name == "county":
                counties = County.objects.select_related("branch")
                if not scope.all_branches:
                    counties = counties.filter(branch=scope.branch_id)
                filter_.queryset = counties
            elif hasattr(filter_.queryset.model.objects, "visible_to"):
                filter_.queryset = filter_.queryset.model.objects.visible_to(user)

    @property
    def shows_branch(self) -> bool:
        return "branch" in self.filters

    @property
    def narrows(self) -> bool:
        """Whether a filter has a value: without one, ``qs`` is the whole queryset given
        (django-filter passes empty values by). Invalid values narrow (to nothing)."""
        if not self.is_bound:
            return False
        if not self.is_valid():
            return True
        return any(value not in EMPTY_VALUES for value in self.form.cleaned_data.values())
