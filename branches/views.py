"""Account pages: the office's "send a password reset", and the reset page that also lifts
a login lock-out."""

from __future__ import annotations

from axes.utils import reset as reset_login_failures
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import rules
from .passwords import accounts_managed_by, password_reset_send


@login_required
@require_POST
def password_reset_send_view(request, pk: int):
    """E-mail the account a link to set a new password (the provincial office's button on
    the account's admin page); back to that page with what happened."""
    if not rules.can_manage_users(request.user):
        raise PermissionDenied
    account = get_object_or_404(accounts_managed_by(request.user), pk=pk)
    try:
        password_reset_send(
            user=account, sent_by=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A link to set a new password was e-mailed to %(email)s.") % {"email": account.email},
        )
    return redirect("admin:auth_user_change", account.pk)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page behind the e-mailed link; a new password also ends a lock-out of the
    account's login, which the lock-out page offers as the way out of waiting."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_login_failures(username=form.user.get_username())
        return response
