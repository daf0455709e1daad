from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    """Recurring problems (每月一题): issues of several branches grouped into themes, and the
    office's decision on each."""

    name = "themes"
    verbose_name = _("Recurring problems")

    def ready(self):
        from . import jobs  # noqa: F401 - registers the job kind
