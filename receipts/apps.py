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

        from issues import extensions

        from .selectors import (
            add_latest_ratings,
            issue_rating_flags,
            opinion_rating_flags,
            ratings_my_work_section,
        )

        for hooks, hook in (
            (extensions.OPINION_EXTRAS, add_latest_ratings),
            (extensions.ISSUE_FLAGS, issue_rating_flags),
            (extensions.OPINION_FLAGS, opinion_rating_flags),
        ):
            if hook not in hooks:
                hooks.append(hook)
        if ratings_my_work_section not in extensions.MY_WORK_SECTIONS:
            extensions.MY_WORK_SECTIONS.append(ratings_my_work_section)
