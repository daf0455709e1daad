"""Passwords the provincial office helps with: a reset link e-mailed to one account.

There is no public "forgot password" form: a lost password is reported to the office, which
sends the link from the account's page. The link is Django's (a signed token that stops
working once the password changes or after ``PASSWORD_RESET_TIMEOUT``).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import rules

logger = logging.getLogger(__name__)
User = get_user_model()

#: Reset e-mails are written in Chinese, as the notifications' are.
EMAIL_LANGUAGE = "zh-hans"
#: Seconds to wait for the mail server before telling the office it did not answer.
MAIL_TIMEOUT = 20


def accounts_managed_by(user):
    """The accounts ``user`` may send a reset to: the institute's for the office (the
    system administrators' are not theirs, as in the admin), every one for administrators."""
    if not rules.can_manage_users(user):
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(is_superuser=False)


def reset_link(user, *, base_url: str) -> str:
    """The one-time address where ``user`` sets a new password."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def password_reset_send(*, user, sent_by, base_url: str) -> None:
    """E-mail ``user`` a link to set a new password, on ``sent_by``'s request.

    Sent while the office waits (not by the task queue), so its page can say whether the
    mail server took it; a refusal raises ``ValidationError`` and nothing is recorded.
    """
    if not rules.can_manage_users(sent_by):
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError(_("This account is deactivated: activate it before a reset."))
    if not user.email:
        raise ValidationError(_("This account has no e-mail address: add one first."))
    base_url = settings.OUTREACH_SITE_URL or base_url
    context = {
        "user": user,
        "reset_link": reset_link(user, base_url=base_url),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "sent_by": sent_by,
    }
    with translation.override(EMAIL_LANGUAGE):
        # Django's reset e-mail convention: the subject on one line, a text body.
        subject = "".join(
            render_to_string("registration/password_reset_subject.txt", context).splitlines()
        )
        body = render_to_string("registration/password_reset_email.txt", context)
        note = _("Sent a password-reset e-mail to %(email)s.") % {"email": user.email}
    try:
        with mail.get_connection(timeout=MAIL_TIMEOUT) as connection:
            mail.EmailMessage(subject, body, None, [user.email], connection=connection).send()
    except Exception as error:
        logger.exception("Could not e-mail a password reset to user %s", user.pk)
        raise ValidationError(
            _("The mail server did not accept the e-mail; try again later.")
        ) from error
    # In the account's admin history, beside its other changes.
    LogEntry.objects.log_actions(
        user_id=sent_by.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=note,
        single_object=True,
    )
