"""The clock's records as lists: approved or refused extensions, returns, supervision
notices. The dashboard's figures of records link here (docs/metrics.md, "The clock"), with
the same selection, so each list has exactly as many rows as its figure says.

Each list starts from ``visible_to(user)`` and keeps the records of counted issues only
(an issue withdrawn or merged is not counted; neither are its records).
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from branches.mixins import ScopedFilterMixin
from core.chips import filter_chips

from ..filters import ExtensionRecordFilter, ReturnRecordFilter, SupervisionRecordFilter
from ..models import DeadlineExtension, IssueReturn, SupervisionNotice


class ClockRecordListView(LoginRequiredMixin, ScopedFilterMixin, FilterView):
    paginate_by = 25
    template_name = "issues/clock_records.html"
    #: Which record the template lays out: "extension", "return" or "supervision".
    kind = ""
    title = ""
    people = ()

    def get_queryset(self):
        return (
            self.model.objects.visible_to(self.request.user)
            .filter(issue__withdrawn_at__isnull=True, issue__merged_into__isnull=True)
            .select_related("issue", "issue__branch", *self.people)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            kind=self.kind,
            title=self.title,
            shows_branch=self.filterset.shows_branch,
            active_filters=filter_chips(self.request, self.filterset),
        )
        return context


class ExtensionListView(ClockRecordListView):
    model = DeadlineExtension
    filterset_class = ExtensionRecordFilter
    kind = "extension"
    title = _("Deadline extensions")
    people = ("requested_by", "decided_by")


class ReturnListView(ClockRecordListView):
    model = IssueReturn
    filterset_class = ReturnRecordFilter
    kind = "return"
    title = _("Returns")
    people = ("reason", "returned_by", "ruled_by")


class SupervisionListView(ClockRecordListView):
    model = SupervisionNotice
    filterset_class = SupervisionRecordFilter
    kind = "supervision"
    title = _("Supervision notices")
    people = ("issued_by", "answered_by")
