"""Signing in, with "remember this device" for staff on their own phone.

Without the choice a session ends when the browser closes or after the idle time
(``SESSION_COOKIE_AGE``), as a shared office computer needs. With it, the session cookie
outlives the browser and lasts ``REMEMBER_DEVICE_DAYS`` from the last use, on that browser
only: other devices, and a later sign-in without the tick, keep the short session. Signing
out, or changing the password, ends it as any other.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

#: The session key marking a remembered device (the idle middleware keeps its long expiry).
REMEMBERED = "remembered_device"


def remembered_for() -> timedelta:
    return timedelta(days=settings.REMEMBER_DEVICE_DAYS)


class LoginForm(AuthenticationForm):
    remember_device = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = settings.REMEMBER_DEVICE_DAYS
        if days <= 0:
            del self.fields["remember_device"]
            return
        field = self.fields["remember_device"]
        field.label = ngettext_lazy(
            "Keep me signed in on this device for %(days)d day",
            "Keep me signed in on this device for %(days)d days",
            "days",
        ) % {"days": days}
        field.help_text = _("Only on your own phone or computer, never on a shared one.")


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)  # logs in: a new session key, the same data
        if form.cleaned_data.get("remember_device"):
            self.request.session[REMEMBERED] = True
            self.request.session.set_expiry(int(remembered_for().total_seconds()))
        return response
