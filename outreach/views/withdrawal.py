"""The one way outreach records are withdrawn from the screens (never deleted)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from branches import rules

from .. import services
from ..forms import WithdrawForm
from ..models import Enterprise


def withdraw_from_post(request, record, *, back, done, done_message: str):
    """Withdraw ``record`` (already fetched through ``visible_to``) with the POSTed reason.

    ``back`` is where a refusal returns to, ``done`` where a withdrawal leads; both are
    ``redirect()`` arguments.
    """
    if isinstance(record, Enterprise):
        # The shared record: its home branch and the provincial office keep it.
        allowed = rules.can_edit_enterprise(request.user, record.branch)
    else:
        allowed = rules.can_log_outreach_in(request.user, record.branch)
    if not allowed:
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why this record is withdrawn."))
        return redirect(*back)
    try:
        services.record_withdraw(
            actor=request.user, record=record, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(*back)
    messages.success(request, done_message)
    return redirect(*done)
