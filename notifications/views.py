"""The user's notifications: the list under the bell, opening one, marking all read."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from . import services
from .models import Notification


class NotificationListView(LoginRequiredMixin, ListView):
    """The user's own notifications, newest first, the unread ones highlighted."""

    paginate_by = 25
    template_name = "notifications/notification_list.html"
    context_object_name = "notifications"

    def get_queryset(self):
        return (
            Notification.objects.for_user(self.request.user)
            .select_related("issue__branch", "actor")
            .order_by("-created_at", "-id")
        )


@login_required
def notification_open(request, pk: int):
    """Mark one of the user's notifications read and go to its issue (others': 404)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.is_unread:
        services.mark_read(user=request.user, ids=[notification.pk])
    return redirect(services.issue_path(notification.issue_id) or "notifications:notification_list")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications:notification_list")
