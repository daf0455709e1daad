from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    """Recurring problems (每月一题): issues of several branches grouped into themes, and the
    office's decision on each."""

    name = "themes"
    verbose_name = _("Recurring problems")

    def ready(self):
        from issues import extensions

        from . import jobs  # noqa: F401 - registers the job kind
        from .selectors import issue_theme_flags

        # The issue's page says the provincial problem it is linked to.
        if issue_theme_flags not in extensions.ISSUE_FLAGS:
            extensions.ISSUE_FLAGS.append(issue_theme_flags)
