from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("Issues")

    def ready(self):
        # Outreach sits below and cannot import the replies: it asks through its hook.
        from outreach import extensions

        from .selectors import opinion_enterprise_kept

        if opinion_enterprise_kept not in extensions.ENTERPRISE_KEPT:
            extensions.ENTERPRISE_KEPT.append(opinion_enterprise_kept)

        from outreach.signals import opinions_recorded

        from .suggestions import on_opinions_recorded

        # An opinion recorded with one of the suggested issues chosen joins that issue.
        opinions_recorded.connect(on_opinions_recorded, dispatch_uid="issues.suggestions")
