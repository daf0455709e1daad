from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummariesConfig(AppConfig):
    """The dashboard's figures kept ahead of time, exactly: summary rows written by the
    database in the same transaction as every change (see ``docs/derived-data.md``)."""

    name = "summaries"
    verbose_name = _("Summaries")

    def ready(self):
        from . import checks  # noqa: F401 (registers the recount check)
