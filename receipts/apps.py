from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceiptsConfig(AppConfig):
    name = "receipts"
    verbose_name = _("Receipts")

    def ready(self):
        from outreach.signals import enterprise_merged

        from .merges import move_receipts

        enterprise_merged.connect(move_receipts, dispatch_uid="receipts.move_receipts")
