"""View mixins shared by every app's views: scope first, then role."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from . import rules


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Generic views that start from ``model.objects.visible_to(user)``.

    A row outside the user's scope is then a 404 on detail pages, never a 403 that would
    confirm it exists.
    """

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class OutreachWriterMixin(LoginRequiredMixin):
    """Pages that record outreach: branch staff and leads only (403 for the others)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_log_outreach(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedFilterMixin:
    """FilterViews whose FilterSet takes the user, to offer only choices in their scope."""

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}
