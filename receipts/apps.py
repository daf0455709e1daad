from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceiptsConfig(AppConfig):
    """The enterprise's voice sits above outreach and issues, which cannot import it: it
    plugs itself into their hooks here (each added once, however often this runs)."""

    name = "receipts"
    verbose_name = _("Receipts")

    def ready(self):
        _follow_enterprise_merges()
        _plug_into_the_workflow()
        _plug_into_the_opinion_list()
        _keep_enterprises_on_receipts()


def _add_once(hooks: list, hook) -> None:
    if hook not in hooks:
        hooks.append(hook)


def _follow_enterprise_merges() -> None:
    from outreach.signals import enterprise_merged

    from .merges import move_receipts

    enterprise_merged.connect(move_receipts, dispatch_uid="receipts.move_receipts")


def _plug_into_the_workflow() -> None:
    """An enterprise's complaint is a ground to reopen, and reopening follows it up; the
    issue and opinion pages and "my work" show the enterprise's ratings."""
    from issues import extensions, transitions
    from issues.signals import transition_made

    from .ratings import issue_has_enterprise_complaint, reopened
    from .selectors import (
        add_latest_ratings,
        issue_rating_flags,
        opinion_rating_flags,
        ratings_my_work_section,
    )

    _add_once(transitions.REOPEN_GROUNDS, issue_has_enterprise_complaint)
    transition_made.connect(reopened, dispatch_uid="receipts.ratings.reopened")
    _add_once(extensions.OPINION_EXTRAS, add_latest_ratings)
    _add_once(extensions.ISSUE_FLAGS, issue_rating_flags)
    _add_once(extensions.OPINION_FLAGS, opinion_rating_flags)
    _add_once(extensions.MY_WORK_SECTIONS, ratings_my_work_section)


def _plug_into_the_opinion_list() -> None:
    """The opinion list filters by the enterprise's ratings (the figures' lists)."""
    from outreach.filters import register_feedback_condition

    from .figures import FEEDBACK_FILTERS

    for name, condition in FEEDBACK_FILTERS.items():
        register_feedback_condition(name, condition)


def _keep_enterprises_on_receipts() -> None:
    """An opinion on a live receipt keeps its enterprise while the receipt lives."""
    from outreach import extensions

    from .selectors import receipt_keeps_enterprise

    _add_once(extensions.ENTERPRISE_KEPT, receipt_keeps_enterprise)
