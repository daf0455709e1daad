from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Jobs")

    def ready(self):
        # Each app declares its long work in its own ``jobs.py`` (``jobs.registry``).
        autodiscover_modules("jobs")
        from . import signals  # noqa: F401  (connects the receivers)
