"""Words Django's admin and django-axes show that their packages have no Chinese for.

``makemessages`` reads them here into the project's catalogue, which Django reads before
the packages' own (``LOCALE_PATHS``), so the admin is Chinese for the provincial office
(tests/test_admin_languages.py). Nothing imports this module: the strings are only marked.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN = [
    # The index's table of each app's models (Django 5.2, admin/app_list.html).
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # The page that adds an account (admin/auth/user/add_form.html).
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    # Above the form's errors (registration/password_change_form.html and others).
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
]

DJANGO_AXES = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("Path"),
    gettext_noop("POST Data"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
]
