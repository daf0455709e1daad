from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # django.contrib.admin comes first in INSTALLED_APPS: every admin module is loaded.
        from django.contrib import admin

        from .admin import guard_date_hierarchies, translate_boolean_icons

        guard_date_hierarchies(admin.site)
        translate_boolean_icons()
