"""Account routes under ``accounts/``: signing in (with "keep me signed in on this
device"), beside the logout of ``config.urls``, and the passwords.

Unnamespaced: Django's password views name each other (``password_change_done``,
``password_reset_complete``). Everyone changes their own password; a forgotten one is
reset by the provincial office, which e-mails a link: there is no public "forgot password"
form, which could tell a stranger whether an address has an account.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import login, views

urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "users/<int:pk>/password-reset/",
        views.password_reset_send_view,
        name="password_reset_send",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
