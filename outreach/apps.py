from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .models import Activity, keep_links_in_history

        pre_create_historical_record.connect(
            keep_links_in_history,
            sender=Activity.history.model,
            dispatch_uid="outreach.keep_links_in_history",
        )
