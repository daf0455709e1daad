from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceiptsConfig(AppConfig):
    name = "receipts"
    verbose_name = _("Receipts")

    def ready(self):
        from outreach.signals import enterprise_merged

        from .merges import move_receipts

        enterprise_merged.connect(move_receipts, dispatch_uid="receipts.move_receipts")

        from issues import transitions
        from issues.signals import transition_made

        from .ratings import issue_has_enterprise_complaint, reopened

        if issue_has_enterprise_complaint not in transitions.REOPEN_GROUNDS:
            transitions.REOPEN_GROUNDS.append(issue_has_enterprise_complaint)
        transition_made.connect(reopened, dispatch_uid="receipts.ratings.reopened")

        from outreach.filters import register_feedback_condition

        from .figures import FEEDBACK_FILTERS

        for name, condition in FEEDBACK_FILTERS.items():
            register_feedback_condition(name, condition)
