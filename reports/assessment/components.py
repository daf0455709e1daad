"""The rates a scheme may weigh: each a figure of ``reports.metrics`` over another, with
the direction that is better and how it scores from 0 to 100 (docs/metrics.md, "The
assessment")."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..metrics import Figures, Rate


@dataclass(frozen=True)
class Component:
    key: str
    label: Promise
    #: the figures (``metrics.COUNT_KEYS``) over which the rate is taken
    numerator: str
    denominator: str
    #: a share where more is better (on time, replied, satisfied), or less (reopened)
    higher_is_better: bool = True
    #: a count per 100 of the denominator (supervision notices per 100 issues), not a share
    per_hundred: bool = False

    def rate(self, figures: Figures) -> Rate:
        return Rate(figures[self.numerator], figures[self.denominator])

    def score(self, rate: Rate) -> float | None:
        """0 to 100: a share where more is better scores its percentage; a share where less
        is better, 100 minus it; a count per 100, 100 minus the count (not below 0)."""
        value = rate.value
        if value is None:
            return None
        percent = value * 100
        if self.higher_is_better:
            return percent
        return max(0.0, 100 - percent)

    def shown(self, rate: Rate) -> str:
        """The rate as the table shows it: ``95.0%``, or ``3.2`` per 100."""
        if self.per_hundred:
            value = rate.value
            return "—" if value is None else f"{value * 100:.1f}"
        return rate.percent


COMPONENTS: dict[str, Component] = {
    component.key: component
    for component in (
        Component("signed_on_time", _("Signed for on time"), "signed_on_time", "sign_due"),
        Component("rectified_on_time", _("Rectified on time"), "rectified_on_time", "rectify_due"),
        Component("replied_on_time", _("Replied on time"), "replied_on_time", "reply_due"),
        Component("reply_rate", _("Reply rate"), "replied_feedback", "feedback_items"),
        Component(
            "staff_satisfaction",
            _("Satisfaction as recorded by staff"),
            "satisfied_feedback",
            "satisfaction_recorded",
        ),
        Component(
            "enterprise_satisfaction",
            _("Satisfaction as stated by the enterprise"),
            "enterprise_satisfied",
            "enterprise_rated",
        ),
        Component(
            "reopen_rate",
            _("Reopen rate"),
            "reopened",
            "answered_ever",
            higher_is_better=False,
        ),
        Component(
            "supervision",
            _("Supervision notices per 100 issues"),
            "supervision_notices",
            "issues_found",
            higher_is_better=False,
            per_hundred=True,
        ),
    )
}

COMPONENT_CHOICES = [(key, component.label) for key, component in COMPONENTS.items()]
