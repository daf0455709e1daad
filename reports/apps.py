from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Leadership's view of a campaign: dashboard, briefing, stats API."""

    name = "reports"
    verbose_name = _("Reports")
